"""Writing a person's files: user-only (files 0600, folders 0700) and atomic.

Everything posecount writes about a person is health data: sessions, the history, pose
tracks, reports, annotated videos. Each file goes through a private temporary file beside
its target and a rename, so a crash leaves the previous version or nothing, never half a
file; nobody but the user can read it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from posecount.errors import OutputError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def private_dir(path: Path) -> Path:
    """Creates `path` (and missing parents) as user-only folders; tightens it if it is ours and wider."""
    try:
        for folder in reversed([path, *path.parents]):  # missing parents are private too
            if not folder.exists():
                folder.mkdir(mode=PRIVATE_DIR)
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            path.chmod(PRIVATE_DIR)
    except OSError as exc:
        raise OutputError(f"cannot use the folder {path}: {_why(exc)}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in the folder {path}: permission denied")
    return path


def atomic_write(path: str | Path, data: bytes | str | Callable[[BinaryIO], None]) -> Path:
    """Writes `data` (bytes, text as UTF-8, or a function that writes to a binary file) to `path`."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_why(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp made it 0600
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {_why(exc)}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def private_temp_path(path: Path) -> Path:
    """A user-only, empty temporary file beside `path`, for writers that need a file name (videos)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}", dir=path.parent or ".")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_why(exc)}") from exc
    os.close(fd)
    return Path(tmp)


def publish(tmp: Path, path: Path) -> Path:
    """Moves a finished temporary file onto `path`, user-only."""
    try:
        tmp.chmod(PRIVATE_FILE)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_why(exc)}") from exc
    return path


def create_private_file(path: Path) -> None:
    """Creates an empty user-only file if there is none (SQLite then gives its WAL the same mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot create {path}: {_why(exc)}") from exc


def shred(path: Path) -> int:
    """Overwrites a file with zeros, then removes it; the bytes it held (0 if there was none).

    On SSDs and copy-on-write file systems the old blocks may survive the overwrite; the
    file itself, its name and its contents as the file system shows them are gone.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    try:
        with open(path, "r+b") as fh:
            left = size
            block = b"\0" * (1 << 20)
            while left > 0:
                left -= fh.write(block[: min(left, len(block))])
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
    except OSError as exc:
        raise OutputError(f"cannot erase {path}: {_why(exc)}") from exc
    return size
