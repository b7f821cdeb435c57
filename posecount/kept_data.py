"""What posecount keeps about a person, and erasing it: one profile, or everything.

Kept per profile (`posecount.profiles`): the history database (sessions, repetitions, pain and
effort) and the live sessions' JSON files, in the profile's folder; the default profile's folder
is the data folder itself, without the other profiles under `profiles/`. Not personal: the pose
model in the cache folder. Files a person writes elsewhere with `-o` are theirs to keep.
Erasing overwrites every file with zeros before removing it, the history's WAL and journal
included, so no copy is left in them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from posecount import profiles
from posecount.errors import PosecountError
from posecount.paths import data_dir
from posecount.progress.history import open_history, resolve_db_path
from posecount.storage import shred

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class KeptData:
    """An inventory of what is stored for one profile (or for all), for `posecount data`."""

    data_dir: Path  # the profile's folder (the data folder for the default profile and for all)
    history: Path
    history_bytes: int  # with its WAL, shared memory and journal
    history_sessions: int | None  # None: no history, or it cannot be read
    history_first: str | None  # date of the first and last session
    history_last: str | None
    session_files: int  # live sessions' JSON files
    other_files: int  # anything else in the folder
    data_bytes: int  # everything in the folder (the history too when it lives there)
    profile: str = profiles.DEFAULT  # "" for every profile at once
    other_profiles: tuple[str, ...] = ()  # the profiles not counted here

    @property
    def empty(self) -> bool:
        return self.history_bytes == 0 and self.session_files == 0 and self.other_files == 0


@dataclass(frozen=True)
class ProfileSummary:
    """One line of `posecount profiles`."""

    name: str
    history: Path
    sessions: int | None  # None: no history yet, or it cannot be read
    last: str | None  # date of the last session
    session_files: int  # live sessions' JSON files


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


def _files_under(folder: Path, skip: Path | None = None) -> list[Path]:
    """Every file (and link) under `folder`, none under `skip`."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink())
                  and not (skip is not None and p.is_relative_to(skip)))


def _scope(profile: str | None, everything: bool) -> tuple[str, Path, Path | None]:
    """The profile's name ('' for all), its folder, and the folder to leave out (the other profiles)."""
    if everything:
        return "", data_dir(), None
    name = profiles.chosen(profile)
    folder = profiles.folder(name)
    return name, folder, (folder / profiles.PROFILES_FOLDER if name == profiles.DEFAULT else None)


def inventory(db_path: str | Path | None = None, profile: str | None = None, everything: bool = False) -> KeptData:
    """What is stored now for `profile` (or for every profile); reads only."""
    name, folder, skip = _scope(profile, everything)
    db = resolve_db_path(db_path, name or profiles.DEFAULT)
    history = _history_files(db)
    files = _files_under(folder, skip)
    sessions = [p for p in files if p.suffix == ".json" and p.parent.name == profiles.SESSIONS_FOLDER
                and (everything or p.parent == folder / profiles.SESSIONS_FOLDER)]
    others = [p for p in files if p not in sessions and p not in history]  # with --all: the profiles' histories
    n, first, last = _history_summary(db)
    return KeptData(
        data_dir=folder, history=db, history_bytes=sum(p.stat().st_size for p in history),
        history_sessions=n, history_first=first, history_last=last,
        session_files=len(sessions), other_files=len(others),
        data_bytes=sum(p.lstat().st_size for p in files),
        profile=name, other_profiles=tuple(p for p in profiles.list_profiles() if p != name and name),
    )


def profile_summaries() -> list[ProfileSummary]:
    """Every profile with its number of sessions (reads only)."""
    found = []
    for name in profiles.list_profiles():
        db = resolve_db_path(None, name)
        n, _, last = _history_summary(db)
        files = _files_under(profiles.sessions_folder(name))
        found.append(ProfileSummary(name, db, n, last, sum(1 for p in files if p.suffix == ".json")))
    return found


@dataclass(frozen=True)
class Erased:
    files: int
    bytes: int


def _remove_empty_folders(folder: Path, skip: Path | None) -> None:
    if not folder.is_dir():
        return
    subs = [p for p in folder.rglob("*") if p.is_dir() and not (skip is not None and p.is_relative_to(skip))]
    for sub in sorted(subs, key=lambda p: len(p.parts), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()


def erase(db_path: str | Path | None = None, profile: str | None = None, everything: bool = False) -> Erased:
    """Overwrites and removes the profile's history (with WAL and journal) and everything in its
    folder; `everything`: every profile and the whole data folder."""
    name, folder, skip = _scope(profile, everything)
    targets = _history_files(resolve_db_path(db_path, name or profiles.DEFAULT))
    targets += [p for p in _files_under(folder, skip) if not p.is_symlink()]
    done = 0
    seen: set[Path] = set()
    for path in targets:
        if path not in seen:
            seen.add(path)
            done += shred(path)
    for link in (p for p in _files_under(folder, skip) if p.is_symlink()):
        link.unlink()  # a link's target is not ours to erase
    _remove_empty_folders(folder, skip)
    parent = folder.parent
    if name and name != profiles.DEFAULT and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()  # profiles/ itself, once its last profile is gone
    return Erased(files=len(seen), bytes=done)
