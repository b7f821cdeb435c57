"""Reports and the history: the weekly trend, and a stored session as a report source."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from posecount.analysis.events import Rep
from posecount.cli.report_commands import register
from posecount.errors import InputError
from posecount.pipeline import analyze
from posecount.progress.history import add_session, manual_session, save_analysis
from posecount.progress.plan import week_start
from posecount.progress.records import SessionRecord
from posecount.report.trend import weekly_trend
from tests.report_synth import Clip, make_clip

MONDAY = date(2026, 11, 2)


def _session(day: date, reps: int, pain: int | None = None, hold_s: float = 6.0, flags=(),
             exercise: str = "bridge") -> SessionRecord:
    return SessionRecord(started_at=datetime(day.year, day.month, day.day, 10, 0).astimezone(),
                         exercise=exercise, variant="basic", pain=pain, kind="analysis",
                         reps=tuple(Rep.unmeasured(i + 1, hold_s=hold_s, flags=flags) for i in range(reps)))


def test_weekly_trend_sums_weeks_and_keeps_gaps():
    sessions = [_session(MONDAY, 3, pain=4), _session(MONDAY + timedelta(days=2), 4, pain=2, flags=("hold_short",)),
                _session(MONDAY + timedelta(weeks=2), 6, pain=1, hold_s=8.0),
                _session(MONDAY + timedelta(weeks=2), 9, exercise="step-up")]
    rows = weekly_trend(sessions, "bridge")
    assert [r.week for r in rows] == [MONDAY, MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2)]
    assert [r.reps for r in rows] == [7, 0, 6] and [r.sessions for r in rows] == [2, 0, 1]
    assert rows[0].mean_pain == pytest.approx(3.0) and rows[1].mean_pain is None
    assert rows[0].flagged_share == pytest.approx(4 / 7) and rows[2].mean_hold_s == pytest.approx(8.0)
    assert weekly_trend(sessions, "side-raise") == []


def test_trend_ignores_holds_of_sessions_written_by_hand():
    hand = manual_session("bridge", [5], None, "basic", pain=3, started_at=datetime(2026, 11, 3, 9).astimezone())
    rows = weekly_trend([hand], "bridge")
    assert rows[0].reps == 5 and rows[0].mean_hold_s is None and rows[0].flagged_share is None


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    return make_clip(tmp_path_factory.mktemp("clip"))


@pytest.fixture
def db(tmp_path, clip):
    path = tmp_path / "history.sqlite3"
    for weeks_ago, reps, pain in ((3, 3, 5), (2, 4, 4), (0, 5, 3)):
        when = datetime.now().astimezone() - timedelta(weeks=weeks_ago)
        add_session(_session(when.date(), reps, pain), path)
    run = analyze(clip.track_path, exercise="bridge")
    session_id = save_analysis(run.to_dict(), path, pain=2, effort=3.0)
    return path, session_id


@pytest.fixture
def anna(db):
    """Profile anna, whose history is the one of `db`; and a default profile with another history."""
    import shutil

    from posecount import profiles

    path, _ = db
    profiles.create("anna")
    shutil.copyfile(path, profiles.history_path("anna"))
    for _ in range(2):  # the machine's own (default) history: never in anna's report, nor in a report without profile
        add_session(_session(date.today() - timedelta(weeks=5), 12, pain=9), profiles.history_path("default"))
    return profiles.history_path("anna")


def _invoke(*args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, ["report", *args, "--no-progress"])


def test_report_of_a_video_shows_the_profiles_weekly_trend_only(clip, anna, tmp_path):
    out = tmp_path / "r.html"
    res = _invoke(str(clip.track_path), "-e", "bridge", "-o", str(out), "--profile", "anna")
    assert res.exit_code == 0, res.output + repr(res.exception)
    assert "report of profile anna" in res.output
    today = date.today()
    weeks = (week_start(today) - week_start(today - timedelta(weeks=3))).days // 7 + 1
    assert f"{weeks}-week trend" in res.output
    html = out.read_text(encoding="utf-8")
    trend = html.split('id="trend"', 1)[1].split("</section>", 1)[0]
    assert trend.count("<tr>") == 1 + weeks  # the header and one row per week, the empty week included
    assert 'id="trend-reps"' in trend and 'id="trend-pain"' in trend
    assert ">12<" not in trend, "the default profile's sessions are not anna's"
    assert str(anna) not in html and str(tmp_path) not in html
    who = html.split('id="who">', 1)[1].split("</p>", 1)[0]
    assert who.startswith("Profile: anna · recorded ") and "(file date)" in who


def test_no_history_leaves_the_trend_out(clip, anna, tmp_path):
    out = tmp_path / "r.html"
    res = _invoke(str(clip.track_path), "-e", "bridge", "-o", str(out), "--profile", "anna", "--no-history")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert 'id="trend"' not in html and "Today&#39;s target" not in html and "Profile: anna" in html


def test_report_of_a_video_without_profile_has_no_history_target_or_trend(clip, anna, tmp_path, monkeypatch):
    """Whoever's machine it runs on: the video's own analysis only, however full the default history is."""
    out = tmp_path / "r.html"
    res = _invoke(str(clip.track_path), "-e", "bridge", "-o", str(out), "--recorded", "2026-11-28")
    assert res.exit_code == 0, res.output + repr(res.exception)
    assert "trend" not in res.output and "profile" not in res.output
    html = out.read_text(encoding="utf-8")
    assert 'id="trend"' not in html and "Today&#39;s target" not in html and "Profile:" not in html
    assert "This is where the leaflet starts" not in html and "3 to start with" in html  # the leaflet's, not the plan's
    assert html.split('id="who">', 1)[1].startswith("recorded 2026-11-28 (as given)</p>")


def test_db_of_a_video_report_needs_a_profile_and_bad_names_create_nothing(clip, tmp_path, capsys):
    from posecount.cli import main
    from posecount.paths import data_dir

    out = tmp_path / "r.html"
    assert main(["report", str(clip.track_path), "-o", str(out), "--db", str(tmp_path / "h.sqlite3"),
                 "--no-progress"]) == 2
    assert "--db needs --profile" in capsys.readouterr().err
    for bad in ("a/b", "x" * 500, "", "../up", "ghost"):
        assert main(["report", str(clip.track_path), "-o", str(out), "--profile", bad, "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("posecount: error: ") and "Traceback" not in err
    assert not out.exists() and not (data_dir() / "profiles").exists()


def test_report_of_a_stored_session(db, tmp_path, clip):
    db, session_id = db
    out = tmp_path / "s.html"
    res = _invoke(f"session:{session_id}", "-o", str(out), "--db", str(db), "--lang", "nl")
    assert res.exit_code == 0, res.output + repr(res.exception)
    html = out.read_text(encoding="utf-8")
    rows = html.split('id="rep-table"', 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr") == 1 + 2  # header + the two bridges of the saved analysis
    assert f"Sessie {session_id} uit de geschiedenis" in html and "te kort vastgehouden" in html
    assert "2 / 3" in html  # pain / effort after the set
    assert 'id="signal"' not in html, "a stored session has no trace to plot"
    assert clip.video.name in html or clip.track_path.name in html


def test_unknown_session_is_a_clear_error(db, tmp_path):
    db, _ = db
    res = _invoke("session:99", "-o", str(tmp_path / "x.html"), "--db", str(db))
    assert isinstance(res.exception, InputError) and re.search(r"no session 99", str(res.exception))
    res = _invoke("session:1", "-o", str(tmp_path / "x.html"), "--db", str(tmp_path / "none.sqlite3"))
    assert isinstance(res.exception, InputError) and "no history" in str(res.exception)


def test_todays_target_comes_from_the_plan_and_the_profiles_history(clip, anna, tmp_path):
    from posecount.progress.history import load_sessions
    from posecount.progress.plan import todays_target

    expected = todays_target(load_sessions(anna), "bridge")
    out = tmp_path / "t.html"
    res = _invoke(str(clip.track_path), "-e", "bridge", "-o", str(out), "--profile", "anna")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert f"Today&#39;s target (plan): {expected.amount} — " in html
    assert expected.explain("en").split(",")[0].replace("'", "&#39;") in html
    # In Dutch, the plan's reasons are Dutch too.
    res = _invoke(str(clip.track_path), "-e", "bridge", "-o", str(out), "--profile", "anna", "--lang", "nl")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert f"Doel voor vandaag (schema): {expected.amount} — " in html
    assert expected.explain("nl").split(",")[0] in html and expected.explain("en").split(",")[0] not in html


def test_a_set_written_by_hand_reports_no_hold_instead_of_nan(tmp_path):
    """A hand-logged set has no measured holds: the summary says "–", never "nan"."""
    from posecount.progress.history import add_session, manual_session
    from posecount.report.build import make_report

    db = tmp_path / "h.sqlite3"
    add_session(manual_session("bridge", [3], None, "basic", pain=2, effort=2.0), db)
    html = make_report("session:latest", lang="nl", db=db).html
    assert "nan s" not in html and ">nan<" not in html


def test_a_stored_session_of_a_profile(anna, tmp_path):
    from posecount.progress.history import load_sessions

    out = tmp_path / "s.html"
    res = _invoke("session:latest", "-o", str(out), "--profile", "anna")
    assert res.exit_code == 0, res.output + repr(res.exception)
    html = out.read_text(encoding="utf-8")
    day = load_sessions(anna)[-1].day.isoformat()
    assert f'id="who">Profile: anna · recorded {day} (from the history)</p>' in html
    assert 'id="trend"' in html and ">12<" not in html.split('id="trend"', 1)[1]
