"""Weekly summaries and the text bars of `posecount history`."""

from __future__ import annotations

from datetime import date, datetime, time

from posecount.progress.chart import text_bar
from posecount.progress.history import manual_session
from posecount.progress.summary import session_row, summarise_weeks


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


def test_weeks_count_the_best_set_and_each_side_of_the_side_raise():
    monday = date(2026, 11, 16)
    sessions = [
        manual_session("step-up", [10, 10, 9], None, "3x10", pain=3, effort=4, started_at=at(monday)),
        manual_session("step-up", [12], None, "single-set", pain=1, started_at=at(date(2026, 11, 18))),
        manual_session("side-raise", [6], "left", "bent-leg", started_at=at(monday, 11)),
        manual_session("side-raise", [4], "both", "bent-leg", started_at=at(date(2026, 11, 25))),
    ]
    last, this = summarise_weeks(sessions, date(2026, 11, 26), 2)
    assert (last.monday, this.monday) == (monday, date(2026, 11, 23))
    assert last.best_reps == {"bridge": None, "side raise L": 6, "side raise R": None, "step-up": 12}
    assert last.best_sets["step-up"] == 1 and (last.training_days, last.pain, last.effort) == (2, 2.0, 4.0)
    assert this.best_reps["side raise R"] == 4 and this.training_days == 1 and this.pain is None
    row = session_row(sessions[0])
    assert (row["reps"], row["sets"], row["reps_per_set"], row["side"]) == (29, 3, "10+10+9", "")


def test_text_bars():
    assert text_bar(15, 15, 8) == "█" * 8
    assert text_bar(1, 10, 5) == "▌"
    assert text_bar(None, 10) == "" and text_bar(20, 10, 4) == "████"
