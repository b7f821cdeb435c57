"""What the home screen shows, as plain data: today's plan, the last sessions, the chart's points.

Pure: takes the profile's sessions (oldest first) and returns dicts the page renders; the
server loads the sessions and sends the result as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from posecount import exercises
from posecount.progress.plan import Plan, Target, make_plan
from posecount.progress.records import SessionRecord

LAST_SESSIONS = 6
CHART_WEEKS = 8


def _level_label(t: Target, lang: str) -> str:
    from posecount.progress.rules import plan_settings

    ex = exercises.get(t.exercise)
    level = next((lv for lv in ex.levels(plan_settings()) if lv.name == t.variant), None)
    return level.label_in(lang) if level else t.label


def target_card(t: Target, lang: str) -> dict:
    ex = exercises.get(t.exercise)
    return {"exercise": t.exercise, "title": ex.title(lang), "side": t.side, "variant": t.variant,
            "label": _level_label(t, lang), "reps": t.reps, "sets": t.sets, "amount": t.amount, "hold_s": t.hold_s,
            "change": t.change, "reason": t.explain(lang), "consult_physio": t.consult_physio,
            "colour": ex.colour.removeprefix("tab:")}


def merge_sides(cards: list[dict]) -> list[dict]:
    """One card per exercise: an exercise planned per side gets `per_side` {side: reps} (one start
    button; the session itself switches sides)."""
    merged: list[dict] = []
    for card in cards:
        same = next((m for m in merged if m["exercise"] == card["exercise"] and card["side"]), None)
        if same is None:
            merged.append({**card, "per_side": {card["side"]: card["reps"]} if card["side"] else None})
        else:
            same["per_side"][card["side"]] = card["reps"]
            same["side"] = None
            if card["reason"] not in same["reason"]:
                same["reason"] += " " + card["reason"]
    return merged


def session_line(s: SessionRecord, lang: str) -> dict:
    ex = exercises.find(s.exercise)
    holds = [r.hold_s for r in s.reps if not math.isnan(r.hold_s)]
    return {"id": s.id, "date": s.started_at.date().isoformat(), "time": s.started_at.strftime("%H:%M"),
            "exercise": s.exercise, "title": ex.title(lang) if ex else s.exercise, "reps": s.count(),
            "sides": list(s.sides), "pain": s.pain, "effort": s.effort, "kind": s.kind,
            "hold_s": [round(min(holds), 1), round(max(holds), 1)] if holds else None}


def chart_points(sessions: Sequence[SessionRecord], today: date, weeks: int = CHART_WEEKS) -> dict[str, list]:
    """Per exercise, [day, repetitions] of each session in the last `weeks` weeks (the chart's lines)."""
    first = today - timedelta(weeks=weeks)
    points: dict[str, list] = {name: [] for name in exercises.names()}
    for s in sessions:
        if s.exercise in points and first <= s.day <= today:
            points[s.exercise].append([s.day.isoformat(), s.count()])
    return points


def home_data(sessions: Sequence[SessionRecord], lang: str, today: date | None = None) -> dict:
    today = today or date.today()
    plan: Plan = make_plan(sessions, today)
    return {
        "today": today.isoformat(),
        "due": plan.session_due, "due_text": plan.explain_due(lang), "consult_physio": plan.consult_physio,
        "sessions_this_week": plan.sessions_this_week,
        "targets": merge_sides([target_card(t, lang) for t in plan.targets]),
        "last_sessions": [session_line(s, lang) for s in reversed(sessions[-LAST_SESSIONS:])],
        "chart": {"from": (today - timedelta(weeks=CHART_WEEKS)).isoformat(), "to": today.isoformat(),
                  "series": [{"exercise": n, "title": exercises.get(n).title(lang),
                              "colour": exercises.get(n).colour.removeprefix("tab:"), "points": p}
                             for n, p in chart_points(sessions, today).items()]},
    }
