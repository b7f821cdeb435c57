"""A simulated person who follows the plan for some weeks: for tests, docs and trying rule changes.

`python -m posecount.cli.simulate` prints the plan given at the start of every
week of the default story, next to what the person then did.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from posecount.analysis.events import Rep
from posecount.progress.plan import Plan, Target, make_plan, week_start
from posecount.progress.records import SessionRecord
from posecount.progress.rules import PlanSettings, plan_settings
from posecount.progress.summary import TRACKS


@dataclass(frozen=True)
class WeekScript:
    """How one week goes: which weekdays (0 = Monday), how it felt, and form remarks per exercise/side."""

    days: tuple[int, ...] = (0, 2, 4)
    effort: float | None = 2.0
    pain: int | None = 2
    # (exercise, side or None) -> flags put on every rep of that exercise/side this week
    flags: dict[tuple[str, str | None], tuple[str, ...]] = field(default_factory=dict)
    short_by: int = 0  # reps fewer than the target in each session
    note: str = ""


@dataclass(frozen=True)
class SimulatedWeek:
    number: int
    monday: date
    plan: Plan  # as given on that Monday
    script: WeekScript


def _session(target, day: date, script: WeekScript) -> SessionRecord:
    flags = script.flags.get((target.exercise, target.side), ())
    reps = []
    for set_no in range(1, target.sets + 1):
        for _ in range(max(target.reps - script.short_by, 0)):
            reps.append(Rep.unmeasured(len(reps) + 1, target.side, set_no, flags,
                                           hold_s=math.nan if target.hold_s is None else target.hold_s))
    return SessionRecord(started_at=datetime.combine(day, time(10, 0)).astimezone(), exercise=target.exercise,
                         variant=target.variant, reps=tuple(reps), pain=script.pain, effort=script.effort,
                         source="simulated", kind="analysis")


def simulate(weeks: Sequence[WeekScript], first_monday: date = date(2026, 9, 7),
             settings: PlanSettings | None = None) -> tuple[list[SimulatedWeek], list[SessionRecord]]:
    """Runs the scripts week by week: every session does exactly what that day's plan asks."""
    settings = settings or plan_settings()
    history: list[SessionRecord] = []
    out: list[SimulatedWeek] = []
    for n, script in enumerate(weeks, start=1):
        monday = week_start(first_monday) + timedelta(weeks=n - 1)
        out.append(SimulatedWeek(n, monday, make_plan(history, monday, settings), script))
        for d in script.days:
            day = monday + timedelta(days=d)
            plan = make_plan(history, day, settings)
            history.extend(_session(t, day, script) for t in plan.targets)
    return out, history


def default_story() -> list[WeekScript]:
    """Eight weeks that touch every rule: steady progress, a form remark, a missed week, pain, a relapse."""
    right = ("side-raise", "right")
    return [
        WeekScript(note="three sessions, all felt light"),
        WeekScript(flags={right: ("leg_put_down",)}, note="right side raises: leg put down each time"),
        WeekScript(days=(0, 1, 3, 5), effort=3.0, note="four sessions, moderate effort"),
        WeekScript(days=(), note="missed week (holiday)"),
        WeekScript(pain=4, note="pain up from 2 to 4"),
        WeekScript(pain=6, note="pain up again, to 6"),
        WeekScript(days=(0, 2, 4, 6), pain=2, note="pain back to 2, four light sessions"),
        WeekScript(pain=1, note="three light sessions"),
        WeekScript(note="(the plan after week 8)"),
    ]


def _done(w: SimulatedWeek) -> str:
    sc = w.script
    if not sc.days:
        return f"no sessions: {sc.note}"
    return f"{len(sc.days)} sessions, effort {sc.effort:g}, pain {sc.pain}: {sc.note}"


def _cell(t: Target) -> str:
    return f"{t.amount} {t.variant}{' (!)' if t.consult_physio else ''} · {t.change}"


KEYS = tuple((ex, side) for ex, side, _ in TRACKS)  # the plan's targets, per side lain on where it plans so


def markdown(weeks: Sequence[SimulatedWeek], lang: str = "en") -> str:
    """The simulation as a Markdown table and the reasons per week, for notes and docs."""
    lines = ["| week (Monday) | bridge | side raise L | side raise R | step-up | what the person then did |",
             "|---|---|---|---|---|---|"]
    for w in weeks:
        by = {(t.exercise, t.side): t for t in w.plan.targets}
        done = _done(w) if w.number < len(weeks) else ""
        lines.append(f"| {w.number} ({w.monday:%d %b}) | " + " | ".join(_cell(by[k]) for k in KEYS) + f" | {done} |")
    lines.append("\n(!) = consult your physiotherapist. Reasons given each Monday:\n")
    for w in weeks:
        lines.append(f"- week {w.number}:")
        lines += [f"  - {t.exercise}{' ' + t.side if t.side else ''}: {t.amount} — {t.explain(lang)}"
                  for t in w.plan.targets]
    return "\n".join(lines)
