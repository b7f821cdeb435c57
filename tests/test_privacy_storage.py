"""Health data at rest: user-only files and folders, no absolute paths, and `posecount data` to see and erase it."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from posecount import storage
from posecount.cli import main
from posecount.coach.live import save_session, sessions_dir
from posecount.errors import OutputError
from posecount.pose import telemetry
from posecount.pose.tracks import TrackRecorder
from posecount.progress.history import HistoryError, add_session, manual_session, open_history
from tests import synth


@pytest.fixture(autouse=True)
def keep_umask():
    """Tests here set a wide umask (as many machines have), and `main` sets posecount's own: restore it."""
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _track(tmp_path: Path) -> Path:
    frames = synth.bridge_clip(2)
    rec = TrackRecorder((640, 480), 15.0, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for t_s, pose in frames:
        rec.add(t_s, pose, people=1)
    return rec.build([]).save(tmp_path / "run.npz")


def _absolute_paths(text: str) -> list[str]:
    return re.findall(r'"(/[^"]*|[A-Za-z]:\\\\[^"]*)"', text)


# ------------------------------------------------------------------ writing

def test_atomic_write_makes_a_user_only_file_and_leaves_no_temporary(tmp_path):
    path = storage.atomic_write(tmp_path / "a.json", '{"x": 1}')
    assert mode(path) == 0o600 and path.read_text() == '{"x": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = storage.atomic_write(tmp_path / "a.txt", "old")

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        storage.atomic_write(path, broken)
    assert path.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_private_dir_creates_missing_parents_user_only_and_tightens_its_own(tmp_path):
    deep = storage.private_dir(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == 0o700 and mode(deep) == 0o700
    wide = tmp_path / "wide"
    wide.mkdir(mode=0o755)
    wide.chmod(0o755)
    assert mode(storage.private_dir(wide)) == 0o700


def test_a_folder_that_cannot_be_used_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot use the folder .*file/sub"):
        storage.private_dir(blocker / "sub")


def test_sessions_the_history_and_its_wal_are_user_only(private_user_data, monkeypatch):
    monkeypatch.delenv("POSECOUNT_DB")
    data = private_user_data / "fresh"
    monkeypatch.setenv("POSECOUNT_DATA_DIR", str(data))
    session = save_session(sessions_dir() / "s.json", {"reps": 3})
    assert mode(data) == 0o700 and mode(session.parent) == 0o700 and mode(session) == 0o600
    with open_history() as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
        conn.execute("INSERT INTO scratch VALUES (1)")
        conn.execute("COMMIT")
        side_files = [p for p in data.iterdir() if p.name.startswith("history.sqlite3")]
        assert any(p.name.endswith("-wal") for p in side_files)
        assert {p.name: mode(p) for p in side_files} == {p.name: 0o600 for p in side_files}


def test_a_history_of_another_user_is_refused_untouched(tmp_path, monkeypatch):
    db = tmp_path / "h.sqlite3"
    add_session(manual_session("bridge", [5], None, "basic"), db)
    before = db.read_bytes()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(db).st_uid + 1)
    with pytest.raises(HistoryError, match="belongs to another user"):
        add_session(manual_session("bridge", [5], None, "basic"), db)
    assert db.read_bytes() == before


def test_a_pose_track_is_user_only(tmp_path):
    assert mode(_track(tmp_path)) == 0o600


# ------------------------------------------------------------------ no absolute paths

def test_analyze_json_and_the_history_hold_no_absolute_path(tmp_path, capsys, private_user_data):
    track = _track(tmp_path)
    assert main(["analyze", str(track), "--exercise", "bridge", "--json", "--save"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result["reps"] == 2
    assert result["thresholds"]["source"] == "thresholds.toml" and len(result["thresholds"]["sha256"]) == 64
    assert _absolute_paths(out) == []
    with sqlite3.connect(os.environ["POSECOUNT_DB"]) as conn:
        (details,) = conn.execute("SELECT details FROM sessions").fetchone()
    assert _absolute_paths(details) == []


# ------------------------------------------------------------------ posecount data

def _fill(data: Path) -> None:
    add_session(manual_session("bridge", [5], None, "basic"))
    add_session(manual_session("step-up", [4], None, "single-set"))
    save_session(sessions_dir() / "2026-12-01T10-00-00_bridge.json", {"reps": 5})


def test_data_lists_where_what_and_how_many(capsys, private_user_data):
    _fill(private_user_data)
    assert main(["data"]) == 0
    out = capsys.readouterr().out
    assert str(private_user_data) in out
    assert "2 session(s)" in out and "live sessions: 1 file(s)" in out


def test_erase_needs_a_confirmation_outside_a_terminal_and_keeps_everything(capsys, private_user_data, monkeypatch):
    _fill(private_user_data)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    before = sorted(p.name for p in private_user_data.rglob("*"))
    assert main(["data", "erase"]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert sorted(p.name for p in private_user_data.rglob("*")) == before


def test_erase_yes_removes_the_history_with_its_wal_and_every_session(capsys, private_user_data, tmp_path):
    _fill(private_user_data)
    db = Path(os.environ["POSECOUNT_DB"])
    wal = db.with_name(db.name + "-wal")
    conn = sqlite3.connect(db)  # another reader keeps a WAL file on disk while erase runs
    conn.execute("SELECT count(*) FROM sessions").fetchone()
    assert wal.exists()
    secret = b"posecount-erase-marker"
    (private_user_data / "sessions" / "note.txt").write_bytes(secret)
    inode_probe = private_user_data / "sessions" / "note.txt"
    with open(inode_probe, "rb") as still_open:  # read the file's blocks after erase through an open handle
        assert main(["data", "erase", "--yes"]) == 0
        assert still_open.read() == b"\0" * len(secret)  # overwritten before it was removed
    conn.close()
    assert "erased" in capsys.readouterr().out
    assert not private_user_data.exists() and not db.exists() and not wal.exists()
    assert main(["data", "erase", "--yes"]) == 0
    assert "nothing to erase" in capsys.readouterr().out


# ------------------------------------------------------------------ the telemetry switch itself

def test_keep_on_machine_points_proxies_at_loopback_and_remembers_the_persons(monkeypatch):
    monkeypatch.setattr(telemetry, "_user_env", None)
    for key in telemetry.PROXY_VARS + telemetry.NO_PROXY_VARS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "*")
    telemetry.keep_on_machine()
    telemetry.keep_on_machine()  # twice: the person's settings are not overwritten by the sink
    assert telemetry.is_active()
    assert all(os.environ[k] == telemetry.SINK for k in telemetry.PROXY_VARS)
    assert os.environ["NO_PROXY"] == telemetry.LOOPBACK
    env = telemetry.user_environ()
    assert env["https_proxy"] == "http://proxy.example:3128" and env["NO_PROXY"] == "*"
    assert "HTTP_PROXY" not in env
    assert telemetry.user_proxies() == {"https": "http://proxy.example:3128", "no": "*"}


def test_the_model_download_goes_through_the_persons_proxy_not_the_sink(monkeypatch, tmp_path):
    """The one announced network use keeps the person's proxy while mediapipe's uploader is sunk."""
    import http.server
    import threading
    import urllib.parse

    from posecount.errors import ModelError
    from posecount.pose import models

    seen: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_CONNECT(self):  # noqa: N802 (the http.server naming)
            seen.append(self.path)
            self.send_error(502)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(telemetry, "_user_env", None)
        for key in telemetry.PROXY_VARS + telemetry.NO_PROXY_VARS:
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("POSECOUNT_CACHE_DIR", str(tmp_path))
        telemetry.keep_on_machine()
        with pytest.raises(ModelError, match="cannot download"):
            models.download("full", timeout_s=5)
    finally:
        server.shutdown()
    host = urllib.parse.urlsplit(models._URL.format("full")).hostname
    assert seen == [f"{host}:443"]
