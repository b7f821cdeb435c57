"""The weekly trend of one exercise from the history: reps, holds, pain and flagged share per week.

Pure: a list of `SessionRecord`s in, one row per week (Monday to Sunday, the plan's weeks) out;
weeks without a session are kept as empty rows so that a gap shows in the chart.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from posecount.progress.plan import week_start
from posecount.progress.records import SessionRecord

MAX_WEEKS = 12  # a report shows the last quarter; older weeks are in the history itself


@dataclass(frozen=True)
class WeekRow:
    week: date  # the Monday
    sessions: int
    reps: int  # all reps of the week
    reps_per_session: float | None
    mean_hold_s: float | None
    mean_pain: float | None
    flagged_share: float | None  # of measured reps


def _mean(values: Sequence[float]) -> float | None:
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.fmean(vals) if vals else None


def weekly_trend(sessions: Sequence[SessionRecord], exercise: str, until: date | None = None,
                 max_weeks: int = MAX_WEEKS) -> list[WeekRow]:
    """One row per week of `exercise`, from its first session (at most `max_weeks` back) to `until`."""
    mine = [s for s in sessions if s.exercise == exercise]
    if not mine:
        return []
    last = week_start(until or max(s.day for s in mine))
    first = max(week_start(min(s.day for s in mine)), last - timedelta(weeks=max_weeks - 1))
    rows = []
    week = first
    while week <= last:
        these = [s for s in mine if week_start(s.day) == week]
        reps = sum(s.count() for s in these)
        measured = [r for s in these if s.measured for r in s.reps]
        rows.append(WeekRow(
            week=week, sessions=len(these), reps=reps,
            reps_per_session=reps / len(these) if these else None,
            mean_hold_s=_mean([r.hold_s for r in measured if not math.isnan(r.hold_s)]),
            mean_pain=_mean([float(s.pain) for s in these if s.pain is not None]),
            flagged_share=(sum(1 for r in measured if r.flags) / len(measured)) if measured else None,
        ))
        week += timedelta(weeks=1)
    return rows
