"""The history database: round trip, migrations, two writers at once, and files it must refuse."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
import threading
from datetime import date, datetime

import pytest

from posecount.analysis.events import Rep
from posecount.errors import InputError
from posecount.progress import history
from posecount.progress.history import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryError,
    add_session,
    load_sessions,
    manual_session,
    open_history,
    save_analysis,
)
from posecount.progress.records import SessionRecord


def contract(exercise="side-raise", n_left=3, n_right=2, flags=("hold_short",), variant="bent-leg") -> dict:
    """An analysis contract dict as `AnalysisRun.to_dict()` gives it."""
    reps = []
    for side, n in (("left", n_left), ("right", n_right)):
        for _ in range(n):
            i = len(reps) + 1
            reps.append({"index": i, "start_s": 2.0 * i, "top_s": 2.0 * i + 0.6, "end_s": 2.0 * i + 1.9,
                         "hold_s": 3.2 if i > 1 else 1.4, "rise_s": 0.6, "lower_s": 1.1, "peak": 31.5,
                         "side": side, "variant": variant, "set": 1 if side == "left" else 2,
                         "flags": list(flags) if i == 1 else []})
    return {"posecount_version": "0.1.0", "source": "clip.mp4", "exercise": exercise, "reps": len(reps),
            "repetitions": reps, "rejected": [{"reason": "too_small", "start_s": 0.1, "end_s": 0.9, "peak": 4.0,
                                               "side": "left", "detail": ""}],
            "sides": {"left": n_left, "right": n_right, "unknown": 0}, "sets": [], "frames": 300,
            "frames_with_pose": 290, "fps": 30.0, "duration_s": 10.0, "model": "full", "model_sha256": "ab" * 32,
            "warnings": ["a warning"]}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_of_an_analysis(tmp_path):
    db = tmp_path / "h.sqlite3"
    when = datetime(2026, 11, 20, 18, 30).astimezone()
    sid = save_analysis(contract(), db, pain=3, effort=2.5, started_at=when)
    [s] = load_sessions(db)
    assert (s.id, s.exercise, s.variant, s.pain, s.effort, s.kind, s.source) == (
        sid, "side-raise", "bent-leg", 3, 2.5, "analysis", "clip.mp4")
    assert s.started_at == when
    assert (s.count("left"), s.count("right"), s.set_counts(), s.flagged()) == (3, 2, [3, 2], 1)
    assert s.reps[0].flags == ("hold_short",) and s.reps[0].hold_s == 1.4 and s.reps[4].lower_s == 1.1
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        model, details = conn.execute("SELECT model, details FROM sessions").fetchone()
    assert model == "full" and '"too_small"' in details and '"a warning"' in details


def test_analysis_variants_become_plan_levels(tmp_path):
    db = tmp_path / "h.sqlite3"
    save_analysis(contract("bridge", 3, 1, variant="leg-stretch"), db)
    save_analysis(contract("bridge", 3, 1, variant=None), db)
    save_analysis(contract("side-raise", 3, 3, variant="straight-leg"), db)
    assert [s.variant for s in load_sessions(db)] == ["leg-stretch", "basic", "straight-leg"]


def test_bad_input_is_refused_before_anything_is_written(tmp_path):
    db = tmp_path / "h.sqlite3"
    with pytest.raises(InputError, match="exercise"):
        save_analysis(contract("auto"), db)
    with pytest.raises(InputError, match="pain"):
        save_analysis(contract(), db, pain=11)
    with pytest.raises(InputError, match="Borg"):
        save_analysis(contract(), db, effort=-1)
    assert load_sessions(db) == []


def test_a_session_is_one_transaction(tmp_path):
    db = tmp_path / "h.sqlite3"
    clash = (Rep.unmeasured(1, "left"), Rep.unmeasured(1, "left"))  # the same rep index twice breaks the insert midway
    with pytest.raises(sqlite3.IntegrityError):
        add_session(SessionRecord(datetime.now().astimezone(), "side-raise", "bent-leg", clash), db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_reading_an_absent_history_does_not_create_it(tmp_path):
    db = tmp_path / "none.sqlite3"
    assert load_sessions(db) == []
    assert not db.exists()


def test_db_path_from_argument_then_environment(tmp_path, monkeypatch):
    env_db, arg_db = tmp_path / "env.sqlite3", tmp_path / "arg.sqlite3"
    monkeypatch.setenv(history.ENV_DB, str(env_db))
    save_analysis(contract(), None)
    save_analysis(contract(), arg_db)
    assert len(load_sessions()) == 1 and len(load_sessions(arg_db)) == 1
    monkeypatch.delenv(history.ENV_DB)
    assert history.resolve_db_path() == history.default_db_path()
    assert history.default_db_path().name == "history.sqlite3"


def test_explicit_path_in_a_missing_folder_is_a_clear_error(tmp_path):
    from posecount.errors import OutputError

    with pytest.raises(OutputError, match="does not exist"):
        save_analysis(contract(), tmp_path / "no" / "h.sqlite3")


def make_v1(db):
    """A history as the first schema left it: no effort, no note."""
    with sqlite3.connect(db) as conn:
        conn.executescript(MIGRATIONS[0])  # fine here: nothing else is in this transaction
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO sessions (started_at, exercise, variant, reps, sets, pain, kind, source, "
                     "posecount_version, created_at) VALUES ('2026-10-01T10:00:00+02:00', 'bridge', 'basic', 2, 1, "
                     "4, 'manual', 'by hand', '0.0.9', '2026-10-01T10:00:00+02:00')")
        conn.executemany("INSERT INTO repetitions (session_id, idx, flags) VALUES (1, ?, '')", [(1,), (2,)])
    conn.close()


def test_migration_from_schema_1_keeps_the_sessions(tmp_path):
    db = tmp_path / "v1.sqlite3"
    make_v1(db)
    [old] = load_sessions(db)
    assert (old.exercise, old.count(), old.pain, old.effort, old.note) == ("bridge", 2, 4, None, "")
    assert old.started_at.utcoffset().total_seconds() == 7200
    save_analysis(contract(), db, effort=3)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        cols = {r[1] for r in conn.execute("PRAGMA table_info(sessions)")}
        assert {"effort", "note"} <= cols
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'sessions_started_at'").fetchone()
    assert [s.effort for s in load_sessions(db)] == [None, 3.0]


def test_an_empty_file_is_a_new_history(tmp_path):
    db = tmp_path / "empty.sqlite3"
    db.touch()
    save_analysis(contract(), db)
    assert len(load_sessions(db)) == 1


def _write_many(db: str, who: str, n: int, go=None) -> None:
    if go is not None:
        go.wait(30)  # both processes start writing (and creating the file) at the same moment
    for i in range(n):
        add_session(manual_session("bridge", [i % 5 + 1], None, "basic", note=f"{who}{i}"), db)


def test_two_processes_writing_at_once_both_keep_their_sessions(tmp_path):
    db = str(tmp_path / "shared.sqlite3")  # created by the racing processes themselves
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Barrier(2)
    procs = [ctx.Process(target=_write_many, args=(db, who, 12, go)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    notes = sorted(s.note for s in load_sessions(db))
    assert notes == sorted([f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)])


def test_threads_writing_at_once(tmp_path):
    db = tmp_path / "threads.sqlite3"
    errors: list[BaseException] = []

    def work(who):
        try:
            _write_many(str(db), who, 15)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in "xyz"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(load_sessions(db)) == 45


@pytest.mark.parametrize("content", [
    b"this is a shopping list, not a database\n",
    b"SQLite format 3\x00" + bytes(range(256)) * 16,  # the right header over garbage
])
def test_a_corrupt_file_is_refused_and_left_untouched(tmp_path, content):
    db = tmp_path / "bad.sqlite3"
    db.write_bytes(content)
    for attempt in (lambda: load_sessions(db), lambda: save_analysis(contract(), db)):
        with pytest.raises(HistoryError, match="left untouched"):
            attempt()
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sqlite3"]


def test_a_damaged_page_is_refused(tmp_path):
    db = tmp_path / "h.sqlite3"
    for _ in range(30):
        save_analysis(contract(), db)
    with open_history(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(db.read_bytes())
    data[4096 + 8: 4096 + 400] = b"\xff" * 392  # scribble over the second page's cells
    db.write_bytes(bytes(data))
    before = digest(db)
    with pytest.raises(HistoryError, match="damaged"):
        load_sessions(db)
    assert digest(db) == before


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "new.sqlite3"
    save_analysis(contract(), db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(db)
    with pytest.raises(HistoryError, match="newer posecount"):
        save_analysis(contract(), db)
    with pytest.raises(HistoryError, match="upgrade posecount"):
        load_sessions(db)
    assert digest(db) == before


def test_another_programs_database_is_refused(tmp_path):
    db = tmp_path / "other.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    before = digest(db)
    with pytest.raises(HistoryError, match="another program"):
        save_analysis(contract(), db)
    assert digest(db) == before


def test_manual_sessions_of_both_sides_and_sets():
    both = manual_session("side-raise", [4], "both", "bent-leg", pain=1, effort=2)
    assert (both.count("left"), both.count("right"), both.kind, both.measured) == (4, 4, "manual", False)
    sets = manual_session("step-up", [10, 10, 8], None, "3x10")
    assert sets.set_counts() == [10, 10, 8]
    with pytest.raises(InputError):
        manual_session("bridge", [-1], None, "basic")


def test_load_since_a_date(tmp_path):
    db = tmp_path / "h.sqlite3"
    for day in (1, 10, 20):
        save_analysis(contract(), db, started_at=datetime(2026, 11, day, 9))
    assert [s.day.day for s in load_sessions(db, since=date(2026, 11, 10))] == [10, 20]


def test_reading_a_current_history_writes_nothing(tmp_path):
    db = tmp_path / "h.sqlite3"
    save_analysis(contract(), db)
    with open_history(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # no WAL file: every write would show in the file
    before = (digest(db), db.stat().st_mtime_ns)
    assert len(load_sessions(db)) == 1
    assert (digest(db), db.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite3"]


def test_migration_statements_are_split_safely():
    from posecount.progress.history import _statements

    assert list(_statements("CREATE TABLE a (x TEXT DEFAULT ';'); -- a; comment\nCREATE TABLE b (y);\n")) == [
        "CREATE TABLE a (x TEXT DEFAULT ';'); -- a; comment", "CREATE TABLE b (y);"]


def test_one_rep_type_from_analysis_to_history_and_back(tmp_path):
    """The analysis's Rep is what the history gives back (NaN where nothing was measured, never None)."""
    import math

    from posecount.progress.history import save_analysis

    reps = [Rep(1, 1.0, 2.0, 5.25, 8.0, 1.0, 1.5, 176.5, "left", "leg-stretch", 1, ("hold_short",)),
            Rep(2, 9.0, 10.0, 5.5, 15.0, 1.0, 2.0, 177.0, "right", "leg-stretch", 1)]
    result = {"exercise": "bridge", "reps": 2, "repetitions": [r.to_dict() for r in reps], "source": "clip.mp4"}
    db = tmp_path / "h.sqlite3"
    save_analysis(result, db)
    (session,) = load_sessions(db)
    assert all(type(r) is Rep for r in session.reps)
    assert [r.to_dict() for r in session.reps] == [r.to_dict() for r in reps]
    add_session(manual_session("bridge", [2], None, "basic"), db)
    by_hand = load_sessions(db)[-1].reps
    assert all(type(r) is Rep and math.isnan(r.start_s) and math.isnan(r.hold_s) for r in by_hand)
