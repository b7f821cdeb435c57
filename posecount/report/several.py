"""A report of several videos of one exercise side by side: a section per video, oldest recording
first, under one header (the profile) and, with a profile, its weekly trend at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from posecount.errors import InputError
from posecount.media.metadata import recording_date
from posecount.pipeline import AnalysisRun, analyze, is_track
from posecount.report.build import FrameProgress, add_trend, report_part, video_history
from posecount.report.html import render_html
from posecount.report.stored import is_stored_session
from posecount.report.summary import ReportContext, who_line
from posecount.report.texts import UI, check_lang, exercise_title


@dataclass(frozen=True)
class SeveralReport:
    html: str
    runs: list[AnalysisRun]  # in the report's order: by recording date
    keyframes: int
    trend_weeks: int = 0


def _check_sources(sources: Sequence[str | Path]) -> None:
    for source in sources:
        if is_stored_session(source):
            raise InputError(f"{source}: a stored session is reported on its own, not beside videos")


def _one_exercise(runs: list[AnalysisRun]) -> str:
    found = list(dict.fromkeys(r.analysis.exercise for r in runs))
    if len(found) != 1:
        raise InputError(f"one exercise per report of several videos, these show {', '.join(map(str, found))}: "
                         "report them apart, or name the exercise with -e")
    return found[0]


def _span(days: list[date], lang: str) -> str:
    first, last = days[0].isoformat(), days[-1].isoformat()
    return UI[lang]["several_one_day"].format(date=first) if first == last else UI[lang]["several_span"].format(
        first=first, last=last)


def make_several_report(sources: Sequence[str | Path], exercise: str = "auto", lang: str = "en", blur: bool = True,
                        model=None, rotate: int = 0, progress: FrameProgress | None = None,
                        history: bool | None = None, db: str | Path | None = None, strict: bool = False,
                        profile: str | None = None) -> SeveralReport:
    """One page for `sources` (videos or pose tracks of one exercise), sorted by recording date."""
    lang = check_lang(lang)
    _check_sources(sources)
    sessions = video_history(profile, db, history)
    found = []
    for source in sources:
        run = analyze(source, exercise=exercise, model=model, rotate=rotate, keep_track=True, progress=progress,
                      strict=strict)
        found.append((recording_date(source), str(source), run))
    exercise = _one_exercise([run for _, _, run in found])
    found.sort(key=lambda f: (f[0].day, Path(f[1]).name))
    parts = [report_part(run, lang, blur, None if is_track(src) else src, rotate, ReportContext(recorded=rec))
             for rec, src, run in found]
    ui = UI[lang]
    who = who_line(ReportContext(profile=profile), ui)
    page = replace(parts[0], who=" · ".join(w for w in (who, _span([f[0].day for f in found], lang)) if w),
                   subtitle=ui["several_subtitle"].format(exercise=exercise_title(exercise, lang), n=len(parts)))
    weeks = add_trend(page, sessions, exercise, lang) if profile is not None and history is not False else 0
    return SeveralReport(render_html(page, parts), [f[2] for f in found], sum(len(p.keyframes) for p in parts), weeks)
