"""Checking an evidence dossier ZIP (``kawaltps verify-dossier``): is it the one the organisation signed?

Checks, in this order (the first three refuse the ZIP outright: nothing in it can be trusted):

1. **ZIP structure**: a readable ZIP; no name twice (a duplicate lets one copy be shown and another
   verified); no absolute path, ``..``, backslash or drive letter; at most :data:`MAX_MEMBERS` entries;
   every entry's declared size at most :data:`MAX_MEMBER_BYTES` (``manifest.json``:
   :data:`MAX_MANIFEST_BYTES`) and all together at most :data:`MAX_TOTAL_BYTES`.
2. **Manifest shape**: JSON of ``{"dossier": {...}, "files": [{"path", "sha256", "size"}],
   "manifest_sha256", "signature": {...}}``; anything else is "rusak" with the reason.
3. **Signature** (Ed25519, :mod:`recap.signing`): over the canonical JSON of
   ``{"dossier", "files"}`` (sorted keys, ``,``/``:``, UTF-8), with the *trusted* public key (the
   organisation's on this machine, or the one given). A re-hashed manifest fails here.
4. **Manifest hash**: ``manifest_sha256`` = SHA-256 of the same canonical JSON; equal to a hash noted
   elsewhere when one is given.
5. **Files**: each listed file is present with its size and SHA-256 (read in chunks, stopping as soon
   as it is longer than listed: a zip bomb is never inflated into memory); no unlisted file.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import signing

MANIFEST = "manifest.json"
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # the largest photo is 15 MB; the PDF with photos stays well below
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
CHUNK = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")


def canonical(obj) -> bytes:
    """The canonical JSON that is hashed and signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Verification:
    ok: bool
    manifest_sha256: str = ""
    files: int = 0
    problems: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)  # [{"check", "ok", "detail"}] in the order run
    signature: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "manifest_sha256": self.manifest_sha256,
            "files": self.files,
            "problems": self.problems,
            "checks": self.checks,
            "signature": self.signature,
        }

    def _check(self, name: str, problems: list[str], detail: str = "") -> None:
        self.checks.append({"check": name, "ok": not problems, "detail": "; ".join(problems) or detail})
        self.problems += problems


def _refused(name: str, problems: list[str]) -> Verification:
    v = Verification(False)
    v._check(name, problems)
    return v


def unsafe_name(name: str) -> bool:
    """A ZIP entry name that could write outside the folder it is unpacked into."""
    return (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in name.split("/")
        or "\x00" in name
    )


def _structure(z: zipfile.ZipFile) -> list[str]:
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        return [f"ZIP berisi {len(infos)} berkas, lebih dari batas {MAX_MEMBERS}"]
    problems, seen = [], set()
    for info in infos:
        if info.filename in seen:
            problems.append(f"nama berkas ganda di dalam ZIP: {info.filename} (salinan lain dapat ditukar)")
        seen.add(info.filename)
        if unsafe_name(info.filename):
            problems.append(f"jalur berkas tidak aman di dalam ZIP: {info.filename!r}")
        bound = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_MEMBER_BYTES
        if info.file_size > bound:
            problems.append(
                f"berkas terlalu besar di dalam ZIP: {info.filename} ({info.file_size} bait, batas {bound})"
            )
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        problems.append(f"isi ZIP terlalu besar: {total} bait, batas {MAX_TOTAL_BYTES}")
    return problems


def _read_bounded(z: zipfile.ZipFile, name: str, limit: int) -> tuple[str, int, bool]:
    """(sha256, bytes read, longer than ``limit``) of a member, read in chunks, never past ``limit`` + 1 chunk."""
    h, n = hashlib.sha256(), 0
    with z.open(name) as f:
        while chunk := f.read(CHUNK):
            n += len(chunk)
            if n > limit:
                return h.hexdigest(), n, True
            h.update(chunk)
    return h.hexdigest(), n, False


def _manifest_shape(m) -> list[str]:
    """Why a parsed manifest is not of the expected shape (empty if it is)."""
    if not isinstance(m, dict):
        return ["isinya bukan objek JSON"]
    problems = []
    if not isinstance(m.get("dossier"), dict):
        problems.append("bagian 'dossier' tidak ada atau bukan objek")
    if not isinstance(m.get("manifest_sha256"), str):
        problems.append("'manifest_sha256' tidak ada")
    files = m.get("files")
    if not isinstance(files, list):
        return [*problems, "bagian 'files' tidak ada atau bukan daftar"]
    seen = set()
    for i, f in enumerate(files, start=1):
        where = f"files[{i}]"
        if not isinstance(f, dict):
            problems.append(f"{where} bukan objek")
            continue
        path, digest, size = f.get("path"), f.get("sha256"), f.get("size")
        if not isinstance(path, str) or unsafe_name(path) or path == MANIFEST:
            problems.append(f"{where}: jalur tidak sah ({path!r})")
        elif path in seen:
            problems.append(f"{where}: jalur tercantum dua kali ({path})")
        seen.add(path)
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            problems.append(f"{where}: sha256 tidak sah")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_MEMBER_BYTES:
            problems.append(f"{where}: ukuran tidak sah ({size!r})")
    sig = m.get("signature")
    if sig is not None and not (
        isinstance(sig, dict) and all(isinstance(sig.get(k), str) for k in ("algorithm", "public_key", "value"))
    ):
        problems.append("bagian 'signature' tidak sah")
    return problems


def _signature(m: dict, body: bytes, trusted: Ed25519PublicKey | None, key_source: str) -> tuple[list[str], dict]:
    sig = m.get("signature")
    info: dict = {"ok": False, "trusted_key_source": key_source}
    if trusted is not None:
        info["trusted_fingerprint"] = signing.fingerprint(trusted)
    if not sig:
        return ["manifest tidak bertanda tangan: asal berkas tidak dapat dibuktikan"], info
    info["fingerprint"] = sig.get("fingerprint", "")
    if sig["algorithm"] != signing.ALGORITHM:
        return [f"algoritme tanda tangan tidak dikenal: {sig['algorithm']}"], info
    if trusted is None:
        return [
            "tidak ada kunci publik untuk memeriksa tanda tangan: berikan --public-key "
            "(kunci publik organisasi ada di halaman /rekap/kunci-publik/ dan `kawaltps signing-key`)"
        ], info
    try:
        claimed = signing.parse_public_key(sig["public_key"])
    except signing.SigningKeyError:
        return ["kunci publik dalam manifest tidak dapat dibaca"], info
    if signing.raw_public(claimed) != signing.raw_public(trusted):
        return [
            f"ditandatangani dengan kunci lain (sidik {signing.fingerprint(claimed)}), bukan kunci yang "
            f"dipercaya (sidik {signing.fingerprint(trusted)})"
        ], info
    if not signing.signature_valid(trusted, sig["value"], body):
        return ["tanda tangan tidak sah: manifest diubah setelah ditandatangani"], info
    info["ok"] = True
    return [], info


def verify(
    source: bytes | str | Path | BinaryIO,
    expected_hash: str | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> Verification:
    """Check a dossier ZIP (bytes, a path or an open file) against its signed manifest.

    ``public_key``: the key to trust; default the organisation's on this machine (none if this
    machine has no key: the signature check then fails and says to give one).
    """
    import io

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        z = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _refused("zip", ["bukan berkas ZIP yang utuh"])
    key_source = "diberikan" if public_key is not None else "kunci organisasi di mesin ini"
    trusted = public_key if public_key is not None else signing.local_public_key()
    with z:
        problems = _structure(z)
        if problems:
            return _refused("zip", problems)
        names = {i.filename for i in z.infolist()}
        v = Verification(False)
        v._check("zip", [], f"{len(names)} berkas, tanpa nama ganda atau jalur tidak aman")
        if MANIFEST not in names:
            v._check("manifest", ["manifest.json tidak ada"])
            return v
        try:
            with z.open(MANIFEST) as f:
                raw = f.read(MAX_MANIFEST_BYTES + 1)
            if len(raw) > MAX_MANIFEST_BYTES:
                v._check("manifest", [f"manifest.json terlalu besar (batas {MAX_MANIFEST_BYTES} bait)"])
                return v
            m = json.loads(raw.decode("utf-8"))
        except RecursionError:
            v._check("manifest", ["manifest.json rusak: JSON bersarang terlalu dalam"])
            return v
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            v._check("manifest", ["manifest.json rusak: tidak dapat dibuka dari ZIP"])
            return v
        except UnicodeDecodeError:
            v._check("manifest", ["manifest.json rusak: bukan teks UTF-8"])
            return v
        except ValueError as exc:
            v._check("manifest", [f"manifest.json rusak: bukan JSON yang sah ({exc})"])
            return v
        shape = _manifest_shape(m)
        if shape:
            v._check("manifest", [f"manifest.json rusak: {p}" for p in shape])
            return v
        v._check("manifest", [], f"{len(m['files'])} berkas tercantum")
        listing, meta, claimed = m["files"], m["dossier"], m["manifest_sha256"]
        v.manifest_sha256, v.files = claimed, len(listing)
        body = canonical({"dossier": meta, "files": listing})
        sig_problems, v.signature = _signature(m, body, trusted, key_source)
        v._check("tanda_tangan", sig_problems, f"sah, kunci {v.signature.get('trusted_fingerprint', '')}")
        hash_problems = []
        if sha256(body) != claimed:
            hash_problems.append("hash manifest tidak cocok: manifest telah diubah")
        if expected_hash and expected_hash.strip().lower() != claimed:
            hash_problems.append(f"hash manifest {claimed} berbeda dari yang dicatat ({expected_hash})")
        v._check("hash_manifest", hash_problems, claimed)
        file_problems = []
        for f in listing:
            if f["path"] not in names:
                file_problems.append(f"berkas hilang: {f['path']}")
                continue
            try:
                digest, n, too_long = _read_bounded(z, f["path"], f["size"])
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
                file_problems.append(f"berkas rusak di dalam ZIP: {f['path']}")
                continue
            if too_long or n != f["size"] or digest != f["sha256"]:
                file_problems.append(f"berkas berubah: {f['path']}")
        listed = {f["path"] for f in listing}
        file_problems += [f"berkas tidak tercantum di manifest: {x}" for x in sorted(names - listed - {MANIFEST})]
        v._check("berkas", file_problems, f"{len(listing)} berkas cocok")
    v.ok = not v.problems
    return v
