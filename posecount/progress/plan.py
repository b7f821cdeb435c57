"""Today's targets: the leaflet's weekly plan as pure functions of the history and a date.

The plan moves once a week (weeks start on Monday): each finished week is judged
against the target it had, from the first week with a session of that exercise, so
the same history always gives the same plan. Side raises are planned per side lain on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from posecount import exercises
from posecount.exercises import Level
from posecount.progress.plan_texts import explain
from posecount.progress.reasons import Reason
from posecount.progress.records import SessionRecord
from posecount.progress.rules import PlanSettings, level_from_analysis, plan_settings

CHANGES = ("start", "up", "hold", "harder", "keep")
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Target:
    """What to do today for one exercise (and side), and why."""

    exercise: str
    side: str | None  # side raise: the side to lie on; else None
    variant: str  # the plan's level name, e.g. "basic", "straight-leg", "3x10"
    label: str  # the variant as a person reads it
    reps: int  # per set (and per side)
    sets: int
    hold_s: float | None  # the leaflet's least hold at the top
    change: str  # one of CHANGES: what happened since last week
    reason: Reason  # why: a code and its numbers (`plan_texts.explain` words it)
    consult_physio: bool = False
    done_this_week: tuple[int, ...] = ()  # reps (this side) of each session so far this week, oldest first

    @property
    def total_reps(self) -> int:
        return self.reps * self.sets

    @property
    def amount(self) -> str:
        """"3 × 10" or "7"."""
        return f"{self.sets} × {self.reps}" if self.sets > 1 else str(self.reps)

    def explain(self, lang: str = "en") -> str:
        """The reason as one or two plain sentences in `lang`."""
        return explain(self.reason, lang)

    def to_dict(self) -> dict:
        return {"exercise": self.exercise, "side": self.side, "variant": self.variant, "label": self.label,
                "reps": self.reps, "sets": self.sets, "hold_s": self.hold_s, "change": self.change,
                "reason": self.reason.to_dict(), "consult_physio": self.consult_physio,
                "done_this_week": list(self.done_this_week)}


@dataclass(frozen=True)
class Plan:
    """Today's plan: a target per exercise and side, and whether a session is due."""

    today: date
    week_start: date
    targets: tuple[Target, ...]
    sessions_this_week: int  # training days this week, today included
    trained_today: bool
    session_due: bool
    due_reason: Reason

    @property
    def consult_physio(self) -> bool:
        return any(t.consult_physio for t in self.targets)

    def explain_due(self, lang: str = "en") -> str:
        """Whether a session is due today, in plain words in `lang`."""
        return explain(self.due_reason, lang)

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "week_start": self.week_start.isoformat(),
                "sessions_this_week": self.sessions_this_week, "trained_today": self.trained_today,
                "session_due": self.session_due, "due_reason": self.due_reason.to_dict(),
                "consult_physio": self.consult_physio, "targets": [t.to_dict() for t in self.targets]}


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def training_days(history: Sequence[SessionRecord]) -> set[date]:
    """Days with at least one counted repetition: a session of the programme, whatever the exercises."""
    return {s.day for s in history if s.reps}


@dataclass(frozen=True)
class _State:
    level: int
    reps: int
    change: str
    reason: Reason
    consult: bool = False
    missed_weeks: int = 0


@dataclass(frozen=True)
class _Pain:
    raised: bool  # above the level it had before it rose: never increase
    week_mean: float | None
    before_mean: float | None  # the level before the rise began
    raised_weeks: int  # weeks in a row (up to this one) that pain has been raised
    previous_mean: float | None  # the last week before this one with scores


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _pain_by_week(history: Sequence[SessionRecord], first: date, last: date, s: PlanSettings) -> dict[date, _Pain]:
    """Whether pain was raised in each week from `first` to `last`.

    Pain rises when a week's mean is `pain_rise_min` above the days before it; it stays
    raised, whatever it does next, until it is back below that level plus `pain_rise_min`,
    so a plateau of pain never lets the plan step up again. Pain is the person's, not an
    exercise's: a day's scores are averaged first, so every day weighs the same.
    """
    by_day: dict[date, list[int]] = {}
    for x in history:
        if x.pain is not None:
            by_day.setdefault(x.day, []).append(x.pain)
    daily = sorted((d, sum(v) / len(v)) for d, v in by_day.items())
    out: dict[date, _Pain] = {}
    reference: float | None = None  # the level before the current rise
    weeks = 0
    previous: float | None = None
    w = first
    while w <= last:
        week = [p for d, p in daily if w <= d < w + WEEK]
        now = _mean(week)
        if now is not None:  # a week without scores changes nothing
            if reference is None:
                before = _mean([p for d, p in daily if d < w][-s.pain_baseline_sessions:])
                if before is not None and now - before >= s.pain_rise_min:
                    reference, weeks = before, 1
            elif now - reference >= s.pain_rise_min:
                weeks += 1
            else:
                reference, weeks = None, 0
        raised = now is not None and reference is not None
        out[w] = _Pain(raised, now, reference, weeks if raised else 0, previous)
        previous = now if now is not None else previous
        w += WEEK
    return out


def _level_name(x: SessionRecord, side: str | None, s: PlanSettings) -> str:
    """The level one side of a session was done at: a measured video of both sides may differ per side."""
    if side is not None and x.measured and any(r.variant for r in x.reps_for(side)):
        return level_from_analysis(x.exercise, [r.variant for r in x.reps_for(side)], settings=s)
    return x.variant


def _session_met(x: SessionRecord, side: str | None, level: Level, reps: int) -> bool:
    if level.sets > 1:
        return sum(1 for c in x.set_counts(side) if c >= reps) >= level.sets
    return x.count(side) >= reps


def _pain_hold(hold: _State, pain: _Pain, why: Reason, s: PlanSettings) -> _State:
    """Raised pain: hold, and after `pain_consult_weeks` weeks without coming down, see the physio."""
    levels = dict(pain=pain.week_mean, pain_before=pain.before_mean)
    if pain.raised_weeks < s.pain_consult_weeks:
        return replace(hold, reason=replace(why, code="pain_raised", **levels))
    if pain.previous_mean is not None and pain.week_mean < pain.previous_mean:
        return replace(hold, reason=replace(why, code="pain_falling", pain_previous=pain.previous_mean, **levels))
    return replace(hold, consult=True, reason=replace(why, code="pain_consult", pain_previous=pain.previous_mean,
                                                      weeks=pain.raised_weeks, **levels))


def _next_step(state: _State, hold: _State, why: Reason, measured: list, flagged: int, met: int,
               sessions: int, effort: float | None, exercise: str, s: PlanSettings) -> _State:
    """A good week: more repetitions, the harder variant, or keep it up at the end of the plan."""
    levels = s.levels(exercise)
    lv = levels[state.level]
    easy = effort is not None and effort <= s.effort_easy_max
    why = replace(why, measured=bool(measured))
    if state.reps >= s.easy_min_reps and (easy or state.reps >= s.max_reps):
        if state.level + 1 < len(levels):
            nxt = levels[state.level + 1]
            return _State(state.level + 1, nxt.start_reps, "harder", replace(
                why, code="harder_next", easy=easy, level=nxt.name, start=nxt.start_reps,
                easy_min=s.easy_min_reps, max_reps=s.max_reps))
        return replace(hold, change="keep", reason=replace(
            why, code="end_of_plan", easy=easy, measured=None, level=lv.name,
            sessions_min=s.sessions_min_per_week, sessions_max=s.sessions_max_per_week))
    if lv.fixed or state.reps >= s.max_reps:
        return replace(hold, reason=replace(why, code="stay_until_easy", effort_easy_max=s.effort_easy_max))
    light = effort is not None and effort <= s.effort_very_easy_max and flagged == 0
    step = s.step_large if light else s.step_small
    new = min(state.reps + step, s.max_reps)
    feel = "light" if light else ("easy" if easy else "not_hard")
    return replace(hold, reps=new, change="up", reason=replace(
        why, code="up", met=met, sessions=sessions, feel=feel, step=new - state.reps))


def _judge_week(state: _State, week: list[SessionRecord], pain: _Pain, exercise: str, side: str | None,
                s: PlanSettings) -> _State:
    """The next week's state from one finished week of sessions of this exercise and side."""
    levels = s.levels(exercise)
    lv = levels[state.level]
    # The amount the reasons speak of: this week's target.
    why = Reason("start", exercise, side, state.reps, lv.sets if lv.sets > 1 else None)
    if not week:
        missed = state.missed_weeks + 1
        return replace(state, change="hold", consult=False, missed_weeks=missed,
                       reason=replace(why, code="missed_weeks", weeks=missed))
    hold = replace(state, change="hold", consult=False, missed_weeks=0)
    # Pain comes first: not even a variant the person tried by themselves counts as a step up then.
    if pain.raised:
        return _pain_hold(hold, pain, why, s)
    # The person may have moved on to the harder variant by themselves (or with their physio).
    at = [(x, s.level_index(exercise, _level_name(x, side, s))) for x in week]
    higher = [k for _, k in at if k > state.level]
    if higher:
        nxt = levels[max(higher)]
        return _State(max(higher), nxt.start_reps, "harder",
                      replace(why, code="did_harder", level=nxt.name, start=nxt.start_reps))
    done = [x for x, k in at if k == state.level]
    if not done:
        return replace(hold, reason=replace(why, code="did_easier", level=lv.name))
    if len(done) < s.progress_min_sessions:
        return replace(hold, reason=replace(why, code="too_few_sessions", sessions=len(done),
                                            sessions_min=s.sessions_min_per_week))
    met = sum(_session_met(x, side, lv, state.reps) for x in done)
    if met < s.met_share_min * len(done):
        return replace(hold, reason=replace(why, code="not_met", met=met, sessions=len(done)))
    measured = [x for x in done if x.measured]
    reps_measured = sum(x.count(side) for x in measured)
    flagged = sum(x.flagged(side) for x in measured)
    if reps_measured and flagged > s.flagged_share_max * reps_measured:
        flag, _ = sum((x.flag_counts(side) for x in measured), Counter()).most_common(1)[0]
        return replace(hold, reason=replace(why, code="form_remarks", flagged=flagged, counted=reps_measured,
                                            flag=flag))
    effort = _mean([x.effort for x in done if x.effort is not None])
    if effort is not None and effort >= s.effort_hard_min:
        return replace(hold, reason=replace(why, code="felt_hard", effort=effort))

    return _next_step(state, hold, why, measured, flagged, met, len(done), effort, exercise, s)


def _start_state(exercise: str, s: PlanSettings) -> _State:
    lv = s.levels(exercise)[0]
    return _State(0, lv.start_reps, "start", Reason("start", exercise, start=lv.start_reps))


def _target(history: Sequence[SessionRecord], exercise: str, side: str | None, today: date,
            s: PlanSettings) -> Target:
    monday = week_start(today)
    past = sorted((x for x in history if x.exercise == exercise and x.count(side) > 0 and x.day < monday),
                  key=lambda x: x.started_at.replace(tzinfo=None))  # wall-clock order; naive or not
    state = _start_state(exercise, s)
    if past:
        first = week_start(past[0].day)
        pains = _pain_by_week(history, first, monday - WEEK, s)
        w = first
        while w < monday:
            week = [x for x in past if w <= x.day < w + WEEK]
            state = _judge_week(state, week, pains[w], exercise, side, s)
            w += WEEK
    lv = s.levels(exercise)[state.level]
    this_week = sorted((x for x in history if x.exercise == exercise and x.count(side) > 0
                        and monday <= x.day <= today), key=lambda x: x.started_at.replace(tzinfo=None))
    return Target(exercise, side, lv.name, lv.label, state.reps, lv.sets, lv.hold_s, state.change,
                  state.reason, state.consult, tuple(x.count(side) for x in this_week))


def todays_target(history: Sequence[SessionRecord], exercise: str, side: str | None = None,
                  today: date | None = None, settings: PlanSettings | None = None) -> Target:
    """Today's target for one exercise; for the side raise without a side, the lower of the two sides.

    `settings` default to `rules.plan_settings()` (posecount/config/progression.toml).
    """
    today = today or date.today()
    settings = settings or plan_settings()
    if not exercises.get(exercise).per_side:  # (a clear message on an unknown exercise)
        return _target(history, exercise, None, today, settings)
    if side is not None:
        if side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {side!r}")
        return _target(history, exercise, side, today, settings)
    both = [_target(history, exercise, sd, today, settings) for sd in ("left", "right")]
    return min(both, key=lambda t: (settings.level_index(exercise, t.variant), t.reps))


def _due(history: Sequence[SessionRecord], today: date, s: PlanSettings) -> tuple[int, bool, bool, Reason]:
    monday = week_start(today)
    days = {d for d in training_days(history) if monday <= d <= today}
    done, trained_today = len(days), today in days
    left_days = 7 - today.weekday()  # today included
    week = Reason("due", sessions=done, sessions_min=s.sessions_min_per_week)
    if trained_today:
        return done, True, False, Reason("trained_today", sessions=done)
    if done >= s.sessions_max_per_week:
        return done, False, False, Reason("max_sessions", sessions=done)
    needed = max(s.sessions_min_per_week - done, 0)
    if needed > left_days:
        return done, False, True, replace(week, code="due_behind")
    if needed == left_days:
        return done, False, True, replace(week, code="due_tight", needed=needed, days_left=left_days,
                                          sessions_min=None)
    return done, False, True, replace(week, sessions_max=s.sessions_max_per_week)


def make_plan(history: Sequence[SessionRecord], today: date | None = None,
              settings: PlanSettings | None = None) -> Plan:
    """Today's targets for every exercise (side raise: each side), and whether to train today."""
    today = today or date.today()
    settings = settings or plan_settings()
    targets = tuple(_target(history, ex, side, today, settings)
                    for ex in exercises.names() for side in settings.sides(ex))
    done, trained_today, due, why = _due(history, today, settings)
    return Plan(today, week_start(today), targets, done, trained_today, due, why)


__all__ = ["CHANGES", "Plan", "Reason", "Target", "make_plan", "todays_target", "training_days",
           "week_start"]
