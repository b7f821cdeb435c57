"""`plan`, `log` and `history` on an app built with `register()`, as the lead wires them into the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from posecount.cli.progress_commands import progress_note, register
from posecount.errors import InputError
from posecount.progress.history import load_sessions, save_analysis
from posecount.progress.plan import week_start
from tests.test_progress_history import contract


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """posecount (test)"""

    register(app)
    return app


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("POSECOUNT_DB", raising=False)
    return tmp_path / "h.sqlite3"


def invoke(app, *args: str):
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "POSECOUNT_LANG": "en"})
    return result


def last_week(weekday: int) -> str:
    return (week_start(date.today()) - timedelta(weeks=1) + timedelta(days=weekday)).isoformat()


def test_registers_three_top_level_commands(app):
    names = {c.name for c in typer.main.get_command(app).commands.values()}
    assert names == {"plan", "log", "history"}
    for name in names:
        assert invoke(app, name, "--help").exit_code == 0


def test_plan_of_a_new_person(app, db):
    r = invoke(app, "plan", "--db", str(db))
    assert r.exit_code == 0, r.output
    assert "This is where the leaflet starts: 3 bridges" in r.output
    assert "0 sessions" in r.output and "No sessions recorded yet" in r.output
    assert not db.exists()  # looking at the plan creates nothing


def test_plan_in_dutch(app, db):
    r = invoke(app, "plan", "--db", str(db), "--lang", "nl", "--date", "2026-12-07")
    assert r.exit_code == 0, r.output
    assert "Schema voor maandag 7 december 2026" in r.output
    for words in ("oefening", "vandaag", "waarom", "Zo begint de folder: 3 bruggetjes", "op de linkerzij",
                  "3 beenheffingen op elke zij", "5 opstappen", "Deze week: 0 keer geoefend",
                  "Vandaag is een oefendag", "Nog geen oefeningen bewaard"):
        assert words in r.output, words
    assert "leaflet" not in r.output and "This week" not in r.output
    r = invoke(app, "plan", "--db", str(db), "--lang", "de")
    assert isinstance(r.exception, InputError) and "unknown language" in str(r.exception)


def test_log_three_sessions_then_the_plan_steps_up(app, db):
    for day in (0, 2, 4):
        for ex in ("bridge", "side-raise", "step-up"):
            reps = "5" if ex == "step-up" else "3"
            r = invoke(app, "log", ex, "--reps", reps, "--pain", "2", "--effort", "3", "--when", last_week(day),
                       "--db", str(db))
            assert r.exit_code == 0, r.output
            assert "Recorded session" in r.output
    sessions = load_sessions(db)
    assert len(sessions) == 9
    assert {(s.exercise, s.count("left"), s.count("right")) for s in sessions if s.exercise == "side-raise"} == {
        ("side-raise", 3, 3)}
    r = invoke(app, "plan", "--db", str(db), "--json")
    plan = json.loads(r.output)
    got = {(t["exercise"], t["side"]): t["reps"] for t in plan["targets"]}
    assert got == {("bridge", None): 4, ("side-raise", "left"): 4, ("side-raise", "right"): 4, ("step-up", None): 6}
    assert all(t["change"] == "up" and t["reason"]["code"] == "up" for t in plan["targets"])
    bridge = next(t for t in plan["targets"] if t["exercise"] == "bridge")
    assert bridge["reason"] == {"code": "up", "exercise": "bridge", "reps": 3, "met": 3, "sessions": 3, "step": 1,
                                "feel": "easy", "measured": False}
    assert plan["due_reason"]["code"] in ("due", "due_behind", "due_tight", "trained_today", "max_sessions")


def test_log_of_step_up_sets_and_one_side(app, db):
    assert invoke(app, "log", "step-up", "--reps", "10,10,8", "--variant", "3x10", "--db", str(db)).exit_code == 0
    assert invoke(app, "log", "side-raise", "--reps", "6", "--side", "left", "--db", str(db)).exit_code == 0
    steps, side = load_sessions(db)
    assert (steps.variant, steps.set_counts()) == ("3x10", [10, 10, 8])
    assert (side.count("left"), side.count("right")) == (6, 0)


@pytest.mark.parametrize("args, message", [
    (("log", "squat", "--reps", "3"), "unknown exercise"),
    (("log", "bridge", "--reps", "3", "--side", "left"), "side raise only"),
    (("log", "bridge", "--reps", "three"), "--reps"),
    (("log", "bridge", "--reps", "3", "--variant", "hard"), "unknown variant"),
    (("log", "bridge", "--reps", "3", "--when", "yesterday"), "--when"),
    (("plan", "--date", "26/11"), "--date"),
    (("log", "bridge", "--reps", "3", "--when", "2999-01-01"), "future"),
])
def test_bad_input_is_one_clear_error(app, db, args, message):
    r = invoke(app, *args, "--db", str(db))
    assert r.exit_code != 0
    assert isinstance(r.exception, InputError) and message in str(r.exception)
    assert not db.exists()


def test_out_of_range_scores_are_usage_errors(app, db):
    r = invoke(app, "log", "bridge", "--reps", "3", "--pain", "12", "--db", str(db))
    assert r.exit_code == 2 and not db.exists()


def test_round_trip_from_an_analysis_to_history(app, db, tmp_path):
    when = datetime.combine(date.today(), datetime.min.time()).astimezone()
    sid = save_analysis(contract("side-raise", 3, 2), db, pain=4, effort=2, started_at=when)
    out_csv, out_png = tmp_path / "h.csv", tmp_path / "h.png"
    r = invoke(app, "history", "--db", str(db), "--weeks", "3", "--csv", str(out_csv), "--png", str(out_png))
    assert r.exit_code == 0, r.output
    assert "3 L + 2 R" in r.output and "1/5: hold_short×1" in r.output
    [row] = list(csv.DictReader(out_csv.open()))
    assert (int(row["id"]), row["exercise"], row["variant"], row["side"]) == (sid, "side-raise", "bent-leg", "both")
    assert (row["reps"], row["reps_left"], row["reps_right"], row["flagged_reps"]) == ("5", "3", "2", "1")
    assert (row["pain"], row["effort"], row["kind"], row["source"]) == ("4", "2.0", "analysis", "clip.mp4")
    assert float(row["mean_hold_s"]) == pytest.approx((1.4 + 3.2 * 4) / 5, abs=0.01)
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out_png.stat().st_size > 10_000
    # The saved session counts for this week's plan.
    plan = json.loads(invoke(app, "plan", "--db", str(db), "--json").output)
    assert plan["sessions_this_week"] == 1 and plan["trained_today"] is True
    assert {(t["side"], tuple(t["done_this_week"])) for t in plan["targets"] if t["exercise"] == "side-raise"} == {
        ("left", (3,)), ("right", (2,))}


def test_history_of_nothing_says_so(app, db):
    r = invoke(app, "history", "--db", str(db))
    assert r.exit_code == 0 and "No sessions in the last 8 weeks" in r.output


def test_history_to_an_unwritable_place_is_an_output_error(app, db, tmp_path):
    from posecount.errors import OutputError

    save_analysis(contract(), db)
    r = invoke(app, "history", "--db", str(db), "--csv", str(tmp_path / "no" / "x.csv"))
    assert isinstance(r.exception, OutputError)


def test_db_from_the_environment(app, tmp_path):
    env_db = tmp_path / "env.sqlite3"
    r = CliRunner().invoke(app, ["log", "bridge", "--reps", "3"], env={"POSECOUNT_DB": str(env_db)})
    assert r.exit_code == 0, r.output
    assert len(load_sessions(env_db)) == 1


def test_ask_scores_skips_and_repeats_a_bad_answer(monkeypatch):
    import io

    from rich.console import Console

    from posecount.cli.progress_commands import ask_scores

    answers = iter(["11", "3", ""])
    monkeypatch.setattr("builtins.input", lambda *a: next(answers))
    console = Console(file=io.StringIO(), force_terminal=False)
    assert ask_scores(console) == (3, None)
    assert "from 0 to 10" in console.file.getvalue()


def test_errors_become_one_line_through_the_real_cli(capsys, tmp_path):
    from posecount import cli

    if "plan" not in {c.name for c in typer.main.get_command(cli.app).commands.values()}:
        register(cli.app)  # what cli.py does once the lead wires it; idempotent here
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database")
    code = cli.main(["plan", "--db", str(bad)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 5 and len(err) == 1 and err[0].startswith("posecount: error: cannot use the history")
    assert bad.read_bytes() == b"not a database"


def test_the_simulated_story_prints_every_week():
    from posecount.progress.simulate import default_story, markdown, simulate

    text = markdown(simulate(default_story())[0])
    assert text.count("\n| ") == 9 and "(!)" in text and "3 leg-stretch · harder" in text


def test_progress_note_after_a_saved_set(db):
    save_analysis(contract("side-raise", 3, 2), db)
    note = progress_note("side-raise", db)
    assert "(left): this week 3; target 3" in note and "(right): this week 2; target 3" in note
    assert note.endswith("You trained today, so the next session is for another day.")
    note = progress_note("side-raise", db, lang="nl")
    assert "(linkerzij): deze week 3; doel 3 keer" in note and "(rechterzij): deze week 2; doel 3 keer" in note
    assert note.endswith("Je hebt vandaag al geoefend. De volgende keer is op een andere dag.")
