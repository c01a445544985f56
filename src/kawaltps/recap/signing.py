"""The organisation's signing key (Ed25519, ``cryptography``) for evidence dossiers.

Rule: every dossier manifest is signed with the organisation's private key, and a dossier is intact
only when that signature verifies with a public key the checker trusts: the organisation's own (on
the server) or one given with ``verify-dossier --public-key`` (a lawyer's or court's machine holds
only the public key, copied from ``kawaltps signing-key`` or the public page ``/rekap/kunci-publik/``).
A manifest that agrees with itself proves nothing: anyone can re-hash an edited file.

Where the private key comes from:

1. ``KAWALTPS_SIGNING_KEY``: a path to a key file, or the key itself. A key is a PEM
   (PKCS#8) private key, or the 32-byte Ed25519 seed raw or in base64. Production sets it so
   that every web process and worker signs with the same key.
2. Otherwise ``KAWALTPS_DATA_DIR/signing_key.pem``, generated on first use (mode 0600; two
   processes starting at once end with the same file: it is linked into place atomically).

Public keys are written as base64 of the 32 raw bytes; the fingerprint is the first 16 bytes of
their SHA-256 in hex, grouped by four.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kawaltps.core.files import private_dir, private_file

ALGORITHM = "Ed25519"
ENV = "KAWALTPS_SIGNING_KEY"
FILENAME = "signing_key.pem"


class SigningKeyError(Exception):
    """A key that cannot be read (message in Indonesian)."""


def key_path() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / FILENAME


def _private_from_bytes(data: bytes, where: str) -> Ed25519PrivateKey:
    text = data.strip()
    try:
        if text.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(text, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise SigningKeyError(f"{where}: bukan kunci Ed25519")
            return key
        if len(data) == 32:
            return Ed25519PrivateKey.from_private_bytes(data)
        raw = base64.b64decode(text, validate=True)
        if len(raw) != 32:
            raise SigningKeyError(f"{where}: kunci base64 harus 32 bait, bukan {len(raw)}")
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise SigningKeyError(f"{where}: kunci penandatangan tidak dapat dibaca ({exc})") from None


def _generate(path: Path) -> None:
    """Write a new key to ``path`` (mode 0600) unless one appears there first (``core.files``)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    private_file(private_dir(path.parent) / path.name, pem)


def private_key() -> Ed25519PrivateKey:
    """The organisation's private key (``KAWALTPS_SIGNING_KEY``, else the data-dir key, made on first use)."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        candidate = Path(configured)
        try:
            is_file = candidate.is_file()
        except OSError:  # a long base64 value is not a path
            is_file = False
        if is_file:
            return _private_from_bytes(candidate.read_bytes(), f"{ENV} ({candidate})")
        return _private_from_bytes(configured.encode(), ENV)
    path = key_path()
    if not path.exists():
        _generate(path)
    return _private_from_bytes(path.read_bytes(), str(path))


def local_public_key() -> Ed25519PublicKey | None:
    """The organisation's public key if this machine has the private key; never creates one
    (a machine that only verifies must not invent a key of its own)."""
    if os.environ.get(ENV, "").strip() or key_path().exists():
        return private_key().public_key()
    return None


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public(key)).decode()


def fingerprint(key: Ed25519PublicKey) -> str:
    """First 16 bytes of SHA-256 of the raw public key, hex in groups of four (easy to read aloud)."""
    h = hashlib.sha256(raw_public(key)).hexdigest()[:32]
    return " ".join(h[i : i + 4] for i in range(0, 32, 4))


def public_info(key: Ed25519PublicKey | None = None) -> dict:
    """``{"algorithm", "public_key" (base64), "fingerprint", "pem"}`` of ``key`` (default: the organisation's)."""
    key = key or private_key().public_key()
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {"algorithm": ALGORITHM, "public_key": public_b64(key), "fingerprint": fingerprint(key), "pem": pem.decode()}


def parse_public_key(value: str) -> Ed25519PublicKey:
    """A public key given by a person: base64 of the 32 raw bytes, a PEM text, or a path to a file
    holding either. Raises :class:`SigningKeyError` with an Indonesian message."""
    value = (value or "").strip()
    data = value.encode()
    try:
        if value and not value.startswith("-----BEGIN") and Path(value).is_file():
            data = Path(value).read_bytes().strip()
    except OSError:
        pass
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
            if not isinstance(key, Ed25519PublicKey):
                raise SigningKeyError("kunci publik bukan Ed25519")
            return key
        raw = base64.b64decode(data, validate=True)
        if len(raw) != 32:
            raise SigningKeyError(f"kunci publik harus 32 bait (base64 44 karakter), bukan {len(raw)} bait")
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError, binascii.Error):
        raise SigningKeyError("kunci publik tidak dapat dibaca: berikan base64 atau berkas PEM") from None


def sign(data: bytes) -> dict:
    """Sign ``data`` with the organisation's key: ``{"algorithm", "public_key", "fingerprint", "value"}``."""
    key = private_key()
    pub = key.public_key()
    return {
        "algorithm": ALGORITHM,
        "public_key": public_b64(pub),
        "fingerprint": fingerprint(pub),
        "value": base64.b64encode(key.sign(data)).decode(),
    }


def signature_valid(key: Ed25519PublicKey, value_b64: str, data: bytes) -> bool:
    try:
        key.verify(base64.b64decode(value_b64, validate=True), data)
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True
