"""Weekly and per-session summaries of the history: what `history` shows, exports and draws."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from posecount import exercises
from posecount.progress.plan import week_start
from posecount.progress.records import SessionRecord


def _tracks() -> tuple[tuple[str, str | None, str], ...]:
    """What the chart and table follow: (exercise, side, label); per side lain on where the plan is."""
    out: list[tuple[str, str | None, str]] = []
    for ex in exercises.all():
        short = ex.name.replace("-", " ")
        out += ([(ex.name, "left", f"{short} L"), (ex.name, "right", f"{short} R")] if ex.per_side
                else [(ex.name, None, ex.name)])
    return tuple(out)


TRACKS = _tracks()
HOLD_EXERCISES = tuple(ex.name for ex in exercises.all() if ex.hold_key)  # a step-up has no hold


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    training_days: int
    best_reps: dict[str, int | None]  # track label -> most reps in one set (None: not done)
    best_sets: dict[str, int | None]  # track label -> sets in the session of that best set
    mean_hold_s: dict[str, float | None]  # exercise -> mean measured hold
    pain: float | None  # mean of the scores
    effort: float | None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise_weeks(sessions: Sequence[SessionRecord], last_day: date, weeks: int) -> list[WeekSummary]:
    """One summary per week, the `weeks` weeks up to and including `last_day`'s, oldest first."""
    first = week_start(last_day) - timedelta(weeks=weeks - 1)
    out = []
    for k in range(weeks):
        monday = first + timedelta(weeks=k)
        week = [s for s in sessions if monday <= s.day < monday + timedelta(days=7)]
        best: dict[str, int | None] = {}
        sets: dict[str, int | None] = {}
        for exercise, side, label in TRACKS:
            # Per set, so that the leaflet's 10-15 reads the same for 3 sets of 10 as for one set.
            done = [(max(s.set_counts(side)), len(s.set_counts(side))) for s in week
                    if s.exercise == exercise and s.count(side)]
            best[label], sets[label] = max(done) if done else (None, None)
        holds = {ex: _mean([r.hold_s for s in week if s.exercise == ex for r in s.reps if not math.isnan(r.hold_s)])
                 for ex in HOLD_EXERCISES}
        out.append(WeekSummary(
            monday=monday, training_days=len({s.day for s in week if s.reps}), best_reps=best, best_sets=sets,
            mean_hold_s=holds,
            pain=_mean([s.pain for s in week if s.pain is not None]),
            effort=_mean([s.effort for s in week if s.effort is not None])))
    return out


CSV_COLUMNS = ("id", "started_at", "exercise", "variant", "side", "reps", "sets", "reps_per_set", "reps_left",
               "reps_right", "flagged_reps", "flags", "mean_hold_s", "pain", "effort", "kind", "source", "note")


def session_row(s: SessionRecord) -> dict[str, object]:
    """One session as a flat row (CSV, and the terminal table)."""
    hold = s.mean_hold_s()
    sides = s.sides
    return {
        "id": s.id, "started_at": s.started_at.isoformat(timespec="seconds"), "exercise": s.exercise,
        "variant": s.variant, "side": sides[0] if len(sides) == 1 else ("both" if sides else ""),
        "reps": s.count(), "sets": len(s.set_counts()), "reps_per_set": "+".join(map(str, s.set_counts())),
        "reps_left": s.count("left"), "reps_right": s.count("right"), "flagged_reps": s.flagged(),
        "flags": " ".join(f"{f}×{n}" for f, n in s.flag_counts().most_common()),
        "mean_hold_s": None if hold is None else round(hold, 2), "pain": s.pain, "effort": s.effort,
        "kind": s.kind, "source": s.source, "note": s.note,
    }
