"""Private files: the data dir, the SQLite file, the secret and signing keys (UU PDP, issue 8.17).

Plain functions with no Django import, so ``settings`` can use them at start-up.
"""

import os
from pathlib import Path

PRIVATE_DIR_MODE, PRIVATE_FILE_MODE = 0o700, 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700) if missing; tighten it if it exists."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(PRIVATE_DIR_MODE)
        except PermissionError:  # a folder someone else owns: leave it to them
            pass
    return path


def private_file(path: Path, content: str | bytes = "") -> Path:
    """Create ``path`` (mode 0600) with ``content`` if missing; tighten it if it exists.

    Written to a temporary file and linked into place, so a process starting at the same moment
    sees either no file or the whole content (never an empty key), and of two processes racing
    to create it the first one's content wins for both.
    """
    if not path.exists():
        data = content.encode() if isinstance(content, str) else content
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links
            if not path.exists():
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    elif path.stat().st_mode & 0o077:
        try:
            path.chmod(PRIVATE_FILE_MODE)
        except PermissionError:  # a file someone else owns: leave it to them
            pass
    return path
