"""What posecount keeps about a person, and erasing it.

Kept: the history database (sessions, repetitions, pain and effort) and the live sessions'
JSON files, all in the data folder (`posecount.paths.data_dir`). Not personal: the pose
model in the cache folder. Files a person writes elsewhere with `-o` are theirs to keep.
Erasing overwrites every file with zeros before removing it, the history's WAL and journal
included, so no copy is left in them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from posecount.errors import PosecountError
from posecount.paths import data_dir
from posecount.progress.history import open_history, resolve_db_path
from posecount.storage import shred

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class KeptData:
    """An inventory of what is stored, for `posecount data`."""

    data_dir: Path
    history: Path
    history_bytes: int  # with its WAL, shared memory and journal
    history_sessions: int | None  # None: no history, or it cannot be read
    history_first: str | None  # date of the first and last session
    history_last: str | None
    session_files: int  # live sessions' JSON files
    other_files: int  # anything else in the data folder
    data_bytes: int  # everything in the data folder (the history too when it lives there)

    @property
    def empty(self) -> bool:
        return self.history_bytes == 0 and self.session_files == 0 and self.other_files == 0


def _history_files(db: Path) -> list[Path]:
    return [p for p in (db, *(db.with_name(db.name + s) for s in SQLITE_SIDE_FILES)) if p.is_file()]


def _history_summary(db: Path) -> tuple[int | None, str | None, str | None]:
    """Number of sessions and the first and last date (None where there is no history or it is unusable)."""
    if not db.is_file():
        return None, None, None
    try:  # a normal connection: a read-only one would leave the WAL and shared-memory files behind
        with open_history(db) as conn:
            n, first, last = conn.execute("SELECT count(*), min(started_at), max(started_at) FROM sessions").fetchone()
    except (sqlite3.Error, PosecountError):
        return None, None, None
    return int(n), (first or "")[:10] or None, (last or "")[:10] or None


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()) if folder.is_dir() else []


def inventory(db_path: str | Path | None = None) -> KeptData:
    """What is stored now (reads only)."""
    folder = data_dir()
    db = resolve_db_path(db_path)
    history = _history_files(db)
    files = _files_under(folder)
    sessions = [p for p in files if p.parent == folder / "sessions" and p.suffix == ".json"]
    others = [p for p in files if p not in sessions and p not in history]
    n, first, last = _history_summary(db)
    return KeptData(
        data_dir=folder, history=db, history_bytes=sum(p.stat().st_size for p in history),
        history_sessions=n, history_first=first, history_last=last,
        session_files=len(sessions), other_files=len(others),
        data_bytes=sum(p.lstat().st_size for p in files),
    )


@dataclass(frozen=True)
class Erased:
    files: int
    bytes: int


def erase(db_path: str | Path | None = None) -> Erased:
    """Overwrites and removes the history (with WAL and journal) and everything in the data folder."""
    folder = data_dir()
    targets = _history_files(resolve_db_path(db_path)) + [p for p in _files_under(folder) if not p.is_symlink()]
    done = 0
    seen: set[Path] = set()
    for path in targets:
        if path in seen:
            continue
        seen.add(path)
        done += shred(path)
    for link in (p for p in _files_under(folder) if p.is_symlink()):
        link.unlink()  # a link's target is not ours to erase
    if folder.is_dir():
        for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            sub.rmdir()
        folder.rmdir()
    return Erased(files=len(seen), bytes=done)
