"""Profiles on the command line: each person's history, plan, sessions and data apart; bad names refused."""

from __future__ import annotations

import pytest

from posecount import profiles
from posecount.errors import PosecountError
from posecount.paths import data_dir
from posecount.progress.history import load_sessions, resolve_db_path
from tests.test_cli_errors import assert_one_line_error, run

BAD_NAMES = ("a/b", "x" * 500, "", "..", "back\\slash", " ")


def _everything() -> list[str]:
    root = data_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_profiles_add_and_list_with_session_counts(capsys):
    assert run(capsys, "profiles", "add", "Anna B")[0] == 0
    assert run(capsys, "log", "bridge", "-r", "5", "--profile", "Anna B")[0] == 0
    assert run(capsys, "log", "step-up", "-r", "4", "--profile", "Anna B")[0] == 0
    assert run(capsys, "log", "bridge", "-r", "3")[0] == 0  # the default profile
    code, out, _ = run(capsys, "profiles")
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert set(rows) >= {"default", "Anna B"}
    assert rows["Anna B"].split("│")[2].strip() == "2" and rows["default"].split("│")[2].strip() == "1"
    code, out, _ = run(capsys, "profiles", "add", "Anna B")
    assert code == 0 and "exists already" in out


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_bad_names_are_one_line_exit_2_and_create_nothing(capsys, bad):
    before = _everything()
    for args in (("profiles", "add", bad), ("log", "bridge", "-r", "3", "--profile", bad),
                 ("plan", "--profile", bad), ("history", "--profile", bad), ("data", "--profile", bad),
                 ("data", "erase", "--yes", "--profile", bad)):
        code, _, err = run(capsys, *args)
        assert code == 2, args
        assert_one_line_error(code, err, "profile")
    assert _everything() == before


def test_an_unknown_profile_is_refused_not_started(capsys):
    code, _, err = run(capsys, "log", "bridge", "-r", "3", "--profile", "anna")
    assert_one_line_error(code, err, "posecount profiles add anna")
    assert code == 2 and not profiles.folder("anna").exists()
    profiles.create("Anna")
    code, _, err = run(capsys, "profiles", "add", "anna")  # the same person in other letters
    assert_one_line_error(code, err, "there is a profile 'Anna' already")


def test_each_command_uses_the_profiles_own_history(capsys, monkeypatch):
    profiles.create("bob")
    assert run(capsys, "log", "bridge", "-r", "6", "--pain", "2", "--profile", "bob")[0] == 0
    monkeypatch.setenv("POSECOUNT_PROFILE", "bob")
    assert run(capsys, "log", "bridge", "-r", "7")[0] == 0  # the variable chooses the profile too
    bob = load_sessions(resolve_db_path(None, "bob"))
    assert [s.count() for s in bob] == [6, 7]
    assert load_sessions(resolve_db_path(None, "default")) == []
    code, out, _ = run(capsys, "history", "--profile", "bob")
    assert code == 0 and "Sessions since" in out
    monkeypatch.delenv("POSECOUNT_PROFILE")
    code, out, _ = run(capsys, "history")
    assert code == 0 and "No sessions" in out


def test_data_erases_one_profile_or_all(capsys):
    profiles.create("anna")
    profiles.create("bob")
    for who in ("anna", "bob", "default"):
        assert run(capsys, "log", "bridge", "-r", "4", "--profile", who)[0] == 0
    code, out, _ = run(capsys, "data", "--profile", "anna")
    assert code == 0 and "1 session(s)" in out and "other profiles (not counted here): default, bob" in out
    assert run(capsys, "data", "erase", "--yes", "--profile", "anna")[0] == 0
    assert not profiles.folder("anna").exists() and profiles.list_profiles() == ["default", "bob"]
    assert len(load_sessions(resolve_db_path(None, "bob"))) == 1
    assert run(capsys, "data", "erase", "--yes")[0] == 0  # the default profile: bob's stays
    assert load_sessions(resolve_db_path(None, "default")) == []
    assert len(load_sessions(resolve_db_path(None, "bob"))) == 1
    code, out, _ = run(capsys, "data", "--all")
    assert code == 0 and "profile bob: 1 session(s)" in out
    assert run(capsys, "data", "erase", "--yes", "--all")[0] == 0
    assert not data_dir().exists()


def test_live_sessions_go_to_the_profiles_folder(capsys, monkeypatch, tmp_path):
    """The live command hands the coach the profile's sessions folder (the coach itself is tested elsewhere)."""
    seen = {}

    class Coach:
        def __init__(self, options):
            seen["options"] = options

        def run(self):
            raise PosecountError("stopped here")

    monkeypatch.setattr("posecount.coach.live.LiveCoach", Coach)
    profiles.create("anna")
    code, _, err = run(capsys, "live", "-e", "bridge", "--source", str(tmp_path / "v.mp4"), "--no-window",
                       "--profile", "anna")
    assert code == 1 and "stopped here" in err
    assert seen["options"].sessions_dir == profiles.sessions_folder("anna")
    assert "today's target" in err  # from anna's (empty) plan


def test_batch_save_refuses_profiles_that_do_not_exist_before_any_work(capsys, tmp_path):
    (tmp_path / "a.mp4").write_bytes(b"x")
    (tmp_path / "m.csv").write_text("path,profile\na.mp4,ghost\na.mp4,anna\n")
    profiles.create("anna")
    code, _, err = run(capsys, "batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "out"), "--save",
                       "--no-progress")
    assert_one_line_error(code, err, "no profile 'ghost'")
    assert code == 2 and not (tmp_path / "out").exists()
    (tmp_path / "m.csv").write_text("path,profile\na.mp4,../etc\n")
    from posecount.batch.inputs import expand

    (row,) = expand([tmp_path / "m.csv"])
    assert row.path is None and "profile name" in row.error


def test_analyze_save_goes_to_the_profiles_history(capsys, tmp_path):
    from tests.report_synth import make_clip

    clip = make_clip(tmp_path)
    profiles.create("anna")
    code, _, err = run(capsys, "analyze", str(clip.track_path), "-e", "bridge", "--save", "--profile", "anna",
                       "--no-progress")
    assert code == 0, err
    (session,) = load_sessions(resolve_db_path(None, "anna"))
    assert session.count() == 2 and load_sessions(resolve_db_path(None, "default")) == []
