"""The report's content as plain data: the summary against the leaflet, the rep table, the flags.

Pure: an `AnalysisRun` and a language in, strings and numbers out; the HTML template only
lays them out. Nothing here may carry an absolute path (reports travel by e-mail).
"""

from __future__ import annotations

import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from posecount import __version__, exercises
from posecount.progress.rules import plan_settings
from posecount.report.texts import (
    SIDES,
    SIGNAL_NAMES,
    UI,
    UNITS,
    VARIANTS,
    exercise_title,
    flag_text,
    rejection_text,
)
from posecount.report.timeline import hold_limits

log = logging.getLogger(__name__)

def _leaflet_start(exercise: str) -> int:
    """The leaflet's first target (shared/protocol/leaflet-en.md), from the plan's settings."""
    ex = exercises.find(exercise)
    return int(getattr(plan_settings(), ex.start_key)) if ex and ex.start_key else 3


def _leaflet_goal() -> tuple[int, int]:
    """The leaflet's "until you can easily do it 10 to 15 times"."""
    s = plan_settings()
    return s.easy_min_reps, s.max_reps

_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'\"<>|]+)+[\\/]([^\s\\/:'\"<>|]+)")


def strip_paths(text: str) -> str:
    """Absolute paths in `text` cut to their file name ("/home/x/clip.mp4" -> "clip.mp4")."""
    return _PATH.sub(r"\1", text)


@dataclass(frozen=True)
class SummaryItem:
    label: str
    value: str
    ok: bool | None = None  # True green, False amber, None neutral


@dataclass(frozen=True)
class FlagAdvice:
    flag: str
    what: str
    advice: str
    reps: str  # "1, 3"


@dataclass(frozen=True)
class RepRow:
    index: int
    set: int
    start: str
    peak: str
    hold: str
    rise: str
    lower: str
    side: str
    variant: str
    flags: tuple[str, ...]


@dataclass
class ReportData:
    lang: str
    title: str
    subtitle: str
    generated: str
    exercise: str
    summary: list[SummaryItem]
    flags: list[FlagAdvice]
    not_counted: list[str]
    warnings: list[str]
    rows: list[RepRow]
    unit: str
    signal_caption: str
    method: str
    ui: dict[str, str]
    signal_svg: str = ""
    trend_svg: str = ""
    trend_rows: list = field(default_factory=list)  # TrendRow
    trend_caption: str = ""
    keyframes: list = field(default_factory=list)  # posecount.report.keyframes.KeyFrameImage
    keyframes_note: str = ""
    privacy_note: str = ""
    who: str = ""  # "Profile: anna · recorded 2026-11-28 (file date)"


@dataclass(frozen=True)
class ReportContext:
    """Whose report and when. Without a profile a report is the video's own analysis only: no
    history, no today's target, no trend (it may be run on anyone's video on anyone's machine)."""

    profile: str | None = None
    sessions: tuple = ()  # the profile's history (SessionRecords)
    history: bool = False  # today's target and the weekly trend from `sessions`
    recorded: object = None  # posecount.media.metadata.Recorded


def who_line(context: ReportContext, ui: dict[str, str]) -> str:
    """The header's line naming the profile and the recording date (empty when neither is known)."""
    parts = [ui["profile"].format(name=context.profile)] if context.profile else []
    rec = context.recorded
    if rec is not None:
        parts.append(ui["recorded"].format(date=rec.day.isoformat(), how=ui["recorded_" + rec.how]))
    return " · ".join(parts)


def _f(x: float, digits: int = 1) -> str:
    return "–" if x is None or x != x else f"{x:.{digits}f}"


def _per_side(exercise: str) -> bool:
    spec = exercises.find(exercise)
    return spec is not None and spec.per_side


def _today_targets(exercise: str, sessions: Sequence = ()) -> list:
    """Today's targets (`posecount.progress.plan.Target`, one per side for the side raise) from
    the plan (issue 7) and the person's history; none when the plan is not available."""
    try:
        from posecount.progress.plan import todays_target
    except ImportError:  # the plan is optional for a report
        return []
    try:
        sides = plan_settings().sides(exercise)  # planned per side lain on
        return [todays_target(list(sessions), exercise, side) for side in sides]
    except Exception as exc:  # noqa: BLE001 - a report must not fail on the plan
        log.info("no plan target: %s", exc)
        return []


def _holds_item(result, ui: dict[str, str]) -> SummaryItem:
    lo, hi = hold_limits(result)
    holds = [r.hold_s for r in result.reps if not math.isnan(r.hold_s)]  # a set written by hand has none
    if lo <= 0:
        return SummaryItem(ui["holds"], ui["holds_none"])
    if not holds:
        return SummaryItem(ui["holds"], "–")
    ok = [h for h in holds if h >= lo and (hi <= 0 or h <= hi)]
    key = "holds_range" if hi > 0 else "holds_min"
    text = ui[key].format(n_ok=len(ok), n=len(holds), lo=lo, hi=hi, median=statistics.median(holds))
    return SummaryItem(ui["holds"], text, len(ok) == len(holds))


def _target_item(result, ui: dict[str, str], sessions: Sequence = (), lang: str = "en",
                 plan: bool = True) -> SummaryItem:
    """The leaflet's target; with `plan`, today's target from the plan and `sessions` too."""
    ex = result.exercise
    spec = exercises.find(ex)
    goal_min, goal_max = _leaflet_goal()
    text = ui[spec.report_target if spec else "target_start"].format(start=_leaflet_start(ex), goal_min=goal_min,
                                                                      goal_max=goal_max)
    targets = _today_targets(ex, sessions) if plan else []
    if targets:
        amount = ", ".join(f"{ui['side_' + t.side]} {t.amount}" if t.side else t.amount for t in targets)
        text += ". " + ui["target_today"].format(amount=amount)
        if sessions:  # the plan's reasons, in the report's language
            text += " — " + " ".join(dict.fromkeys(t.explain(lang) for t in targets))
        if any(t.consult_physio for t in targets):
            return SummaryItem(ui["target"], f"{text} {ui['consult_physio']}", False)
    return SummaryItem(ui["target"], text)


def _reps_ok(result) -> bool | None:
    start = _leaflet_start(result.exercise)
    spec = exercises.find(result.exercise)
    if spec is not None and spec.per_side:
        sides = result.sides
        return sides["left"] >= start and sides["right"] >= start
    return len(result.reps) >= start


def _flag_words(flag: str, result, lang: str) -> tuple[str, str]:
    th = result.thresholds or {}
    lo, hi = hold_limits(result)
    values = {"hold_min": lo, "hold_max": hi, "hold_range": f"–{hi:g}" if hi > 0 else "",
              "lower_min": float(th.get("lower_min_s", 0.0) or 0.0)}
    t = flag_text(flag, lang)
    return t.what.format(**values), t.advice.format(**values)


@dataclass(frozen=True)
class TrendRow:
    week: str
    sessions: int
    reps: int
    hold: str
    pain: str
    flagged: str


def trend_rows(weeks) -> list[TrendRow]:
    """The weekly trend (`posecount.report.trend.WeekRow`s) as table cells."""
    return [TrendRow(w.week.isoformat(), w.sessions, w.reps, _f(w.mean_hold_s), _f(w.mean_pain),
                     "–" if w.flagged_share is None else f"{100 * w.flagged_share:.0f} %") for w in weeks]


def _summary_items(result, ui: dict[str, str], lang: str, session, context: ReportContext) -> list[SummaryItem]:
    """The report's summary lines: reps against the leaflet, target, holds, sides, variants, sets, scores."""
    ex = result.exercise
    summary = [SummaryItem(ui["reps_done"], str(len(result.reps)), _reps_ok(result)),
               _target_item(result, ui, context.sessions, lang, plan=context.history),
               _holds_item(result, ui)]
    sides = result.sides
    meaning = ui.get(f"side_meaning_{ex}", "")
    side_text = (ui["sides_value"].format(left=sides["left"], right=sides["right"])
                 if sides["left"] or sides["right"] else ui["sides_unknown"])
    summary.append(SummaryItem(f"{ui['sides']} ({meaning})" if meaning else ui["sides"], side_text,
                               None if not _per_side(ex) or not result.reps
                               else sides["left"] > 0 and sides["right"] > 0))
    variants = Counter(VARIANTS[lang].get(r.variant, r.variant) for r in result.reps)
    if variants:
        summary.append(SummaryItem(ui["variant"], ", ".join(f"{v} ({n})" for v, n in variants.most_common())))
    sets = result.sets
    if sets:
        summary.append(SummaryItem(ui["sets"], ui["sets_value"].format(
            n=len(sets), counts=" + ".join(str(s.reps) for s in sets))))

    if session is not None and (session.pain is not None or session.effort is not None):
        summary.append(SummaryItem(ui["pain_effort"], f"{'–' if session.pain is None else session.pain} / "
                                                      f"{'–' if session.effort is None else f'{session.effort:g}'}"))
    return summary


def build_report_data(run, lang: str = "en", blur: bool = True, session=None,
                      context: ReportContext | None = None) -> ReportData:
    """Everything the report says about `run` (a `posecount.pipeline.AnalysisRun`); `session`
    (a stored `SessionRecord`) adds its date, pain and effort; `context` names the profile and
    the recording date, and with its history sets today's target."""
    context = context or ReportContext()
    result = run.analysis
    ui = UI[lang]
    ex = result.exercise
    ex_name = exercise_title(ex, lang)
    unit = UNITS[lang].get(result.signal_unit, result.signal_unit)
    source = strip_paths(run.source)

    summary = _summary_items(result, ui, lang, session, context)
    by_flag: dict[str, list[int]] = {}
    for r in result.reps:
        for f in r.flags:
            by_flag.setdefault(f, []).append(r.index)
    flags = []
    for f, reps in sorted(by_flag.items(), key=lambda kv: -len(kv[1])):
        what, advice = _flag_words(f, result, lang)
        flags.append(FlagAdvice(f, what, advice, ui["flag_reps"].format(reps=", ".join(map(str, reps)))))

    not_counted = [f"{a.start_s:.1f}–{a.end_s:.1f} s: {rejection_text(a.reason, lang)}" for a in result.rejected]
    warnings = [strip_paths(w) for w in dict.fromkeys([*run.warnings, *result.warnings])]
    digits = 0 if result.signal_unit == "deg" else 2
    rows = [RepRow(r.index, r.set, _f(r.start_s), _f(r.peak, digits), _f(r.hold_s), _f(r.rise_s), _f(r.lower_s),
                   SIDES[lang].get(r.side, r.side or "–"), VARIANTS[lang].get(r.variant, r.variant or "–"),
                   tuple(flag_text(f, lang).short for f in r.flags)) for r in result.reps]
    th_source = strip_paths(str((result.thresholds or {}).get("source", "defaults")))
    method = ui["method_text"].format(model=run.model, frames=run.frames, with_pose=run.frames_with_pose,
                                      duration=run.duration_s, fps=run.fps, thresholds=th_source)
    if session is not None:
        stored = ui["stored_session"].format(id=session.id, when=session.started_at.strftime("%Y-%m-%d %H:%M"),
                                             kind=ui.get(f"kind_{session.kind}", session.kind))
        method = f"{stored} {method}" if run.frames else stored
    return ReportData(
        lang=lang, title=ui["title"], subtitle=ui["subtitle"].format(exercise=ex_name, source=source),
        generated=ui["generated"].format(version=__version__, date=date.today().isoformat()),
        exercise=ex, summary=summary, flags=flags, not_counted=not_counted, warnings=warnings, rows=rows,
        unit=unit,
        signal_caption=ui["signal_caption"].format(signal=SIGNAL_NAMES[lang].get(result.signal_name,
                                                                                 result.signal_name), unit=unit),
        method=method, ui=ui, privacy_note=ui["faces_blurred"] if blur else ui["faces_shown"],
        who=who_line(context, ui),
    )
