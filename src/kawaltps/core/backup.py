"""Backups that restore: the database (SQLite or PostgreSQL), the media files and the audit chain in
one file, checked before anything is changed.

File format (``.tar.gz``, mode 0600, written to a temporary name and renamed into place)::

    manifest.json             {"format": "kawaltps-backup", "version": 1, "vendor": "sqlite"|"postgresql",
                               "created_at", "tables": {table: rows}, "audit_head": {"seq", "hash"},
                               "migrations": {app: last applied}, "members": {name: sha256}}
    database/kawaltps.sqlite3 SQLite: a consistent copy by SQLite's online backup API
    database/kawaltps.pgdump  PostgreSQL: ``pg_dump --format=custom`` (pg_restore reads it)
    media/<name>              every file of the default storage (photos, PDFs of D.Hasil, ...)

Restore, in order; the first failure stops it with an Indonesian message before step 4:

    1. open the archive; every member read and its SHA-256 compared with the manifest
       (a damaged or cut file fails here, as does anything that is not a Kawal TPS backup)
    2. the vendor must be this installation's (a PostgreSQL dump is not restored into SQLite)
    3. SQLite: ``PRAGMA integrity_check``, row counts and the audit head of the copy equal the
       manifest's. PostgreSQL: ``pg_restore --list`` reads the dump
    4. apply: SQLite by the backup API into the live file (one step); PostgreSQL by
       ``pg_restore --clean --if-exists --single-transaction`` (all or nothing); then the media
       (written, and files that the backup does not hold removed)
    5. the restored database's row counts and audit head are compared with the manifest again

Not in the file: the secret key and the signing key in the data directory (``secret_key``,
``signing-key.pem``): they are secrets and are kept apart (docs/security.md, "Cadangan / backups").
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

FORMAT, VERSION = "kawaltps-backup", 1
DB_MEMBER = {"sqlite": "database/kawaltps.sqlite3", "postgresql": "database/kawaltps.pgdump"}


class BackupError(Exception):
    """A backup or restore refused, with the reason in Indonesian; nothing was changed."""


def table_counts(conn=None) -> dict[str, int]:
    """Rows per table of the database (every table, Django's own included)."""
    conn = conn or connection
    with conn.cursor() as cur:
        names = sorted(n for n in conn.introspection.table_names(cur) if not n.startswith("sqlite_"))
        counts = {}
        for name in names:
            cur.execute(f"SELECT count(*) FROM {conn.ops.quote_name(name)}")
            counts[name] = cur.fetchone()[0]
    return counts


def audit_head() -> dict[str, Any]:
    from kawaltps.audit.chain import head

    return head()


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        last[app] = name
    return last


def _media_files(path: str = "") -> list[str]:
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{f}" for f in files]
    for d in dirs:
        names += _media_files(f"{path}{d}/")
    return sorted(names)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{what} gagal: {done.stderr.decode(errors='replace').strip()[-500:]}")
    return done


def _dump_database(vendor: str, out: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(out)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
    elif vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(out), *args], env,
             "pg_dump")
    else:
        raise BackupError(f"basis data {vendor} belum didukung untuk cadangan")


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def backup(out: Path, progress=None) -> dict[str, Any]:
    """Write a backup of this installation to ``out``; returns its manifest."""
    vendor = connection.vendor
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kawaltps-backup-") as tmp:
        db_file = Path(tmp) / "db"
        _dump_database(vendor, db_file)
        # Counted after the copy: SQLite's copy and PostgreSQL's dump are each one consistent
        # snapshot; the counts and head below describe this installation at the same moment only
        # when nothing writes meanwhile (run it in a quiet minute, or compare after restore).
        manifest: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "vendor": vendor,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "tables": table_counts(), "audit_head": audit_head(), "migrations": _migrations(), "members": {},
        }
        media = _media_files()
        manifest["members"][DB_MEMBER[vendor]] = _sha256_file(db_file)
        partial = out.with_name(f".{out.name}.{os.getpid()}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(db_file, arcname=DB_MEMBER[vendor])
                for name in media:
                    with default_storage.open(name, "rb") as f:
                        data = f.read()
                    manifest["members"][f"media/{name}"] = hashlib.sha256(data).hexdigest()
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                    tar.addfile(info, io.BytesIO(data))
                    if progress:
                        progress(name)
                text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode = len(text), 0o600
                tar.addfile(info, io.BytesIO(text))
            os.replace(partial, out)
        finally:
            if partial.exists():
                partial.unlink()
    return manifest


def _read_archive(path: Path, into: Path) -> dict[str, Any]:
    """Steps 1: unpack to ``into`` and check every member against the manifest."""
    if not path.is_file():
        raise BackupError(f"berkas {path} tidak ada")
    try:
        # The whole gzip stream first: its CRC-32 and length are checked only at its very end, which
        # tarfile never reads (it stops at the archive's end marker), so a flipped byte there would pass.
        with gzip.open(path, "rb") as whole:
            while whole.read(1 << 20):
                pass
        with tarfile.open(path, mode="r:gz") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if "manifest.json" not in names:
                raise BackupError(f"{path.name} bukan berkas cadangan Kawal TPS (tidak ada manifest.json)")
            manifest = json.loads(tar.extractfile("manifest.json").read())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path.name} bukan berkas cadangan Kawal TPS (format tidak dikenal)")
            if manifest.get("version") != VERSION:
                raise BackupError(f"versi cadangan {manifest.get('version')} tidak didukung (yang didukung: {VERSION})")
            expected = manifest.get("members") or {}
            present = set(names) - {"manifest.json"}
            if present != set(expected):
                raise BackupError(f"{path.name} rusak: isi arsip tidak sama dengan daftar di manifest")
            for m in members:
                if m.name == "manifest.json":
                    continue
                if not m.isfile() or m.name.startswith("/") or ".." in Path(m.name).parts:
                    raise BackupError(f"{path.name} berisi nama berkas yang tidak aman: {m.name}")
                target = into / m.name
                target.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                with tar.extractfile(m) as src, open(target, "wb") as dst:
                    for block in iter(lambda s=src: s.read(1 << 20), b""):
                        h.update(block)
                        dst.write(block)
                if h.hexdigest() != expected[m.name]:
                    raise BackupError(f"{path.name} rusak: isi {m.name} tidak cocok dengan checksum-nya")
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path.name} rusak atau bukan berkas cadangan Kawal TPS ({type(exc).__name__})") from exc
    return manifest


def _check_sqlite_copy(db: Path, manifest: dict[str, Any]) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("salinan basis data di dalam cadangan rusak (integrity_check gagal)")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%'")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        if counts != manifest.get("tables"):
            raise BackupError("jumlah baris di dalam cadangan tidak sama dengan manifest-nya")
        row = conn.execute("SELECT seq, hash FROM audit_changerecord ORDER BY seq DESC LIMIT 1").fetchone()
        head = {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": "0" * 64}
        if head != manifest.get("audit_head"):
            raise BackupError("ujung rantai audit di dalam cadangan tidak sama dengan manifest-nya")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"salinan basis data di dalam cadangan tidak bisa dibaca ({exc})") from exc
    finally:
        conn.close()


def _restore_sqlite(db: Path) -> None:
    connections.close_all()
    connection.ensure_connection()
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        src.backup(connection.connection)
    finally:
        src.close()
    connections.close_all()


def _restore_postgresql(dump: Path) -> None:
    args, env = _pg_env()
    connections.close_all()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          *args, str(dump)], env, "pg_restore")


def _restore_media(root: Path) -> int:
    keep = set()
    media = root / "media"
    for path in sorted(media.rglob("*")) if media.exists() else []:
        if path.is_file():
            name = path.relative_to(media).as_posix()
            keep.add(name)
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(path.read_bytes()))
    for name in _media_files():
        if name not in keep:
            default_storage.delete(name)
    return len(keep)


def restore(path: Path) -> dict[str, Any]:
    """Restore a backup made by :func:`backup` (module docstring: the steps and what is refused)."""
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="kawaltps-restore-") as tmp:
        root = Path(tmp)
        manifest = _read_archive(Path(path), root)
        if manifest.get("vendor") != vendor or DB_MEMBER.get(vendor) not in manifest["members"]:
            raise BackupError(f"cadangan ini dari basis data {manifest.get('vendor')}, sedangkan basis data "
                              f"sekarang {vendor}: pulihkan ke jenis basis data yang sama")
        db = root / DB_MEMBER[vendor]
        if vendor == "sqlite":
            _check_sqlite_copy(db, manifest)
            _restore_sqlite(db)
        else:
            args, env = _pg_env()
            _run(["pg_restore", "--list", str(db)], env, "membaca salinan basis data (pg_restore --list)")
            _restore_postgresql(db)
        files = _restore_media(root)
        shutil.rmtree(root / "media", ignore_errors=True)
    counts, head = table_counts(), audit_head()
    if counts != manifest["tables"] or head != manifest["audit_head"]:
        raise BackupError("basis data dipulihkan, tetapi jumlah baris atau ujung rantai audit berbeda dari "
                          "manifest: periksa dengan `kawaltps audit verify`")
    return {"restored": str(path), "created_at": manifest["created_at"], "tables": len(counts),
            "rows": sum(counts.values()), "media_files": files, "audit_head": head}
