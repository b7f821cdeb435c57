"""The history: one SQLite file of sessions, their repetitions and the person's pain and effort.

Any SQLite tool can open it. The schema is versioned (PRAGMA user_version) and upgraded
in place by `MIGRATIONS`; a file that is not ours, is damaged or was made by a newer
posecount is refused with a clear message and never written to. Each session is one
transaction, and WAL plus a busy timeout let two posecount processes write at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import random
import sqlite3
import stat
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from posecount import __version__, exercises
from posecount.analysis.events import Rep
from posecount.errors import InputError, OutputError, PosecountError
from posecount.paths import data_dir, private_data_dir
from posecount.progress.records import SessionRecord
from posecount.progress.rules import SIDES, PlanSettings, level_from_analysis
from posecount.storage import PRIVATE_FILE, create_private_file

log = logging.getLogger(__name__)

ENV_DB = "POSECOUNT_DB"
FILE_NAME = "history.sqlite3"
APPLICATION_ID = 0x50435448  # "PCTH": tells our file from another program's SQLite file
BUSY_TIMEOUT_S = 15.0
SQLITE_HEADER = b"SQLite format 3\x00"
KINDS = ("analysis", "live", "manual")

# MIGRATIONS[i] takes the schema from version i to i + 1. Never edit a released step: add one.
MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and their repetitions, with the pain score after the set.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,            -- ISO 8601, local time with its UTC offset
        exercise TEXT NOT NULL CHECK (exercise IN ('bridge', 'side-raise', 'step-up')),
        variant TEXT NOT NULL,               -- the plan's level, e.g. 'basic', 'straight-leg', '3x10'
        side TEXT CHECK (side IN ('left', 'right')),  -- set when every rep was on that side
        reps INTEGER NOT NULL CHECK (reps >= 0),
        sets INTEGER NOT NULL CHECK (sets >= 0),
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        kind TEXT NOT NULL CHECK (kind IN ('analysis', 'live', 'manual')),
        source TEXT NOT NULL DEFAULT '',     -- file name of the video or track, or 'camera'
        model TEXT,
        model_sha256 TEXT,
        details TEXT,                        -- the rest of the analysis contract, JSON
        posecount_version TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE repetitions (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,                -- 1-based, as in the analysis
        side TEXT CHECK (side IN ('left', 'right')),
        set_no INTEGER NOT NULL DEFAULT 1,
        variant TEXT,                        -- as the analysis named it
        start_s REAL, top_s REAL, end_s REAL, hold_s REAL, rise_s REAL, lower_s REAL, peak REAL,
        flags TEXT NOT NULL DEFAULT '',      -- comma-separated, e.g. 'hold_short,lowered_fast'
        PRIMARY KEY (session_id, idx)
    );
    """,
    # 2: effort (Borg CR10) next to pain, a free note, and an index for `history --weeks`.
    """
    ALTER TABLE sessions ADD COLUMN effort REAL CHECK (effort BETWEEN 0 AND 10);
    ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';
    CREATE INDEX sessions_started_at ON sessions (started_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(PosecountError, RuntimeError):
    """The history database cannot be used (damaged, someone else's, or from a newer posecount)."""

    exit_code = 5


def default_db_path() -> Path:
    return data_dir() / FILE_NAME


def resolve_db_path(db_path: str | Path | None = None, profile: str | None = None) -> Path:
    """`db_path`, else the history of `profile` (`posecount.profiles`; $POSECOUNT_PROFILE when None):
    for the default profile $POSECOUNT_DB, else history.sqlite3 in the user data folder."""
    if db_path is not None:
        return Path(db_path).expanduser()
    from posecount import profiles

    name = profiles.chosen(profile)
    if name != profiles.DEFAULT:
        return profiles.history_path(name)
    env = os.environ.get(ENV_DB)
    return Path(env).expanduser() if env else default_db_path()


def _refuse(path: Path, why: str) -> HistoryError:
    return HistoryError(f"cannot use the history {path}: {why}; it was left untouched "
                        f"(move it away, or choose another file with --db or {ENV_DB})")


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise _refuse(path, "it is a folder")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _refuse(path, f"it cannot be read ({exc.strerror or exc})") from exc
    if head and head != SQLITE_HEADER:  # an empty file is a new database to SQLite
        raise _refuse(path, "it is not an SQLite database (damaged, or another kind of file)")


def _check_owner(path: Path) -> None:
    """Refuses a history that belongs to another user; makes our own user-only if it is wider."""
    st = path.stat()
    if st.st_uid != os.getuid():
        raise _refuse(path, "it belongs to another user")
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            path.chmod(PRIVATE_FILE)
        except OSError as exc:
            raise _refuse(path, f"its permissions cannot be made user-only ({exc.strerror or exc})") from exc


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version, after making sure that the file is ours, whole and not too new; reads only."""
    try:
        # One read transaction: another process creating the schema must not be seen half-way.
        conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"it is damaged ({exc})") from exc
    if check != "ok":
        raise _refuse(path, f"it is damaged ({check})")
    if version > SCHEMA_VERSION:
        raise _refuse(path, f"it was made by a newer posecount (schema {version}; this posecount "
                      f"{__version__} knows up to {SCHEMA_VERSION}): upgrade posecount")
    if tables and app_id != APPLICATION_ID:
        raise _refuse(path, "it is an SQLite database of another program")
    return version


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script (executescript would commit our transaction first)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buf.strip()[:60]}")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")  # another process may be migrating: read the version under the lock
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _refuse(path, f"it was made by a newer posecount (schema {version})")
        for step in range(version, SCHEMA_VERSION):
            log.info("history %s: schema %d -> %d", path, step, step + 1)
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another process holds the lock.

    Changing the journal mode can fail at once with "database is locked" without waiting
    for the busy timeout (two processes creating the history together), so it waits here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02 + 0.05 * random.random())


@contextlib.contextmanager
def open_history(db_path: str | Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to the history (created and upgraded as needed), in autocommit mode."""
    path = resolve_db_path(db_path)
    if path.exists():
        _check_header(path)
        _check_owner(path)
    else:
        if (db_path is None and not os.environ.get(ENV_DB)) or path == default_db_path():
            private_data_dir()  # only the default folder is ours to create (a profile's: `profiles.create`)
        elif not path.parent.is_dir():
            raise OutputError(f"cannot create the history {path}: folder {path.parent} does not exist")
        create_private_file(path)  # user-only; SQLite gives its WAL and journal the same mode
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot open the history {path}: {exc}") from exc
    try:
        version = _inspect(conn, path)  # before anything that writes, WAL included
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL's recommended setting: still never corrupt; a power cut may lose the last set only.
            conn.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:  # a current history is only read here: no lock, no write
                _enable_wal(conn)  # persistent: set once, with the schema
                _migrate(conn, path)
        except sqlite3.OperationalError as exc:
            raise OutputError(f"cannot write the history {path}: {exc}") from exc
        yield conn
    finally:
        conn.close()


def history_exists(db_path: str | Path | None = None) -> bool:
    return resolve_db_path(db_path).exists()


# --- writing -------------------------------------------------------------------------------

def _iso(t: datetime) -> str:
    return (t if t.tzinfo else t.astimezone()).isoformat(timespec="seconds")


def _real(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def check_scores(pain: int | None, effort: float | None) -> None:
    """Pain is 0-10 (whole numbers), effort is Borg CR10 0-10."""
    if pain is not None and (isinstance(pain, bool) or int(pain) != pain or not 0 <= pain <= 10):
        raise InputError(f"pain must be a whole number from 0 (none) to 10 (worst), not {pain}")
    if effort is not None and not 0 <= effort <= 10:
        raise InputError(f"effort must be from 0 (nothing) to 10 (extremely hard) on the Borg CR10 scale, "
                         f"not {effort}")


def add_session(session: SessionRecord, db_path: str | Path | None = None,
                details: dict | None = None, model: str | None = None, model_sha256: str | None = None) -> int:
    """Stores one session with its repetitions in one transaction; returns its id."""
    if session.exercise not in exercises.names():
        raise InputError(f"unknown exercise '{session.exercise}': choose one of {', '.join(exercises.names())}")
    if session.kind not in KINDS:
        raise InputError(f"unknown session kind '{session.kind}': one of {', '.join(KINDS)}")
    check_scores(session.pain, session.effort)
    sides = {r.side for r in session.reps}
    if not sides <= {None, *SIDES}:
        raise InputError(f"a repetition's side must be left, right or unknown, not {sorted(sides - {None})}")
    side = next(iter(sides)) if len(sides) == 1 else None
    with open_history(db_path) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, exercise, variant, side, reps, sets, pain, effort, kind, "
                "source, model, model_sha256, details, note, posecount_version, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(session.started_at), session.exercise, session.variant, side, session.count(),
                 len(session.set_counts()), session.pain, session.effort, session.kind, session.source,
                 model, model_sha256, json.dumps(details, ensure_ascii=False) if details else None,
                 session.note, __version__, _iso(datetime.now().astimezone())))
            session_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO repetitions (session_id, idx, side, set_no, variant, start_s, top_s, end_s, "
                "hold_s, rise_s, lower_s, peak, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(session_id, r.index, r.side, r.set, r.variant, _real(r.start_s), _real(r.top_s),
                  _real(r.end_s), _real(r.hold_s), _real(r.rise_s), _real(r.lower_s), _real(r.peak),
                  ",".join(r.flags)) for r in session.reps])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return session_id


def session_from_analysis(result: dict, pain: int | None = None, effort: float | None = None,
                          started_at: datetime | None = None, kind: str = "analysis", note: str = "",
                          settings: PlanSettings | None = None) -> SessionRecord:
    """A session from the analysis contract (`AnalysisRun.to_dict()`)."""
    exercise = result.get("exercise")
    if exercise not in exercises.names():
        raise InputError(f"cannot save an analysis of '{exercise}': the exercise must be one of "
                         f"{', '.join(exercises.names())}")
    reps = tuple(Rep.from_dict(r, i + 1) for i, r in enumerate(result.get("repetitions") or []))
    set_counts = [sum(1 for r in reps if r.set == k) for k in sorted({r.set for r in reps})]
    variant = level_from_analysis(exercise, [r.variant for r in reps], set_counts, settings)
    return SessionRecord(started_at=started_at or datetime.now().astimezone(), exercise=exercise,
                         variant=variant, reps=reps, pain=pain, effort=effort,
                         source=str(result.get("source") or ""), kind=kind, note=note)


def save_analysis(result: dict, db_path: str | Path | None = None, pain: int | None = None,
                  effort: float | None = None, started_at: datetime | None = None, *,
                  kind: str = "analysis", note: str = "") -> int:
    """Stores one analysed session from the contract dict (`analyze --save`, the live coach); returns its id.

    `kind="live"` marks a live-coached set; `started_at` defaults to now.
    """
    session = session_from_analysis(result, pain, effort, started_at, kind, note)
    details = {k: v for k, v in result.items() if k not in ("repetitions", "model", "model_sha256")}
    return add_session(session, db_path, details=details, model=result.get("model"),
                       model_sha256=result.get("model_sha256"))


# --- reading -------------------------------------------------------------------------------

def load_sessions(db_path: str | Path | None = None, since: date | None = None) -> list[SessionRecord]:
    """Every session (from `since` on), oldest first; an absent history is an empty one, not created."""
    if not history_exists(db_path):
        return []
    with open_history(db_path) as conn:
        where, args = ("WHERE started_at >= ?", (since.isoformat(),)) if since else ("", ())
        # started_at is text; the index orders by it, but offsets differ: sort again after parsing.
        rows = conn.execute(f"SELECT id, started_at, exercise, variant, pain, effort, source, kind, note "
                            f"FROM sessions {where}", args).fetchall()
        reps: dict[int, list[Rep]] = {}
        for (sid, idx, side, set_no, variant, start_s, top_s, end_s, hold_s, rise_s, lower_s, peak,
             flags) in conn.execute("SELECT session_id, idx, side, set_no, variant, start_s, top_s, end_s, "
                                    "hold_s, rise_s, lower_s, peak, flags FROM repetitions "
                                    "ORDER BY session_id, idx"):
            reps.setdefault(sid, []).append(Rep(
                idx, *(math.nan if v is None else v for v in (start_s, top_s, hold_s, end_s, rise_s, lower_s, peak)),
                side, variant, set_no, tuple(f for f in flags.split(",") if f)))
    sessions = [SessionRecord(started_at=datetime.fromisoformat(at), exercise=ex, variant=variant,
                              reps=tuple(reps.get(sid, ())), pain=pain, effort=effort, source=source, kind=kind,
                              note=note, id=sid)
                for sid, at, ex, variant, pain, effort, source, kind, note in rows]
    return sorted(sessions, key=lambda x: (x.started_at.replace(tzinfo=None), x.id or 0))


def manual_session(exercise: str, reps_per_set: Sequence[int], side: str | None, variant: str,
                   pain: int | None = None, effort: float | None = None, started_at: datetime | None = None,
                   note: str = "") -> SessionRecord:
    """A session written by hand: `reps_per_set` for one side, or for each side when `side` is "both"."""
    if not reps_per_set or any(n < 0 for n in reps_per_set):
        raise InputError("repetitions must be whole numbers of 0 or more")
    sides: tuple[str | None, ...] = SIDES if side == "both" else (side,)
    reps: list[Rep] = []
    for sd in sides:
        for set_no, n in enumerate(reps_per_set, start=1):
            reps.extend(Rep.unmeasured(len(reps) + 1, sd, set_no) for _ in range(n))
    return SessionRecord(started_at=started_at or datetime.now().astimezone(), exercise=exercise,
                         variant=variant, reps=tuple(reps), pain=pain, effort=effort, source="by hand",
                         kind="manual", note=note)


__all__ = ["APPLICATION_ID", "ENV_DB", "HistoryError", "MIGRATIONS", "SCHEMA_VERSION", "add_session",
           "check_scores", "default_db_path", "history_exists", "load_sessions", "manual_session",
           "open_history", "resolve_db_path", "save_analysis", "session_from_analysis"]


def set_scores(session_id: int, pain: int | None, effort: float | None, db_path: str | Path | None = None) -> None:
    """Adds pain and effort to a stored session (the app asks for them once the set has been saved)."""
    check_scores(pain, effort)
    with open_history(db_path) as conn:
        cur = conn.execute("UPDATE sessions SET pain = COALESCE(?, pain), effort = COALESCE(?, effort) "
                           "WHERE id = ?", (pain, effort, int(session_id)))
        if cur.rowcount != 1:
            raise InputError(f"no session {session_id} in the history")
        conn.commit()
