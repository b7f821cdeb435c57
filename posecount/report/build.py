"""`make_report`: a source (video, pose track or stored session) in, the report's HTML out.

The analysis runs once and keeps the poses; key frames then come from a second, short
read of the video (only up to the last key frame) or, for a pose track, as stick figures.
Where a history exists, the weekly trend of the exercise is added.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from posecount.pipeline import AnalysisRun, analyze, is_track
from posecount.report.html import render_html
from posecount.report.keyframes import key_frame_images
from posecount.report.plots import signal_svg, trend_svg
from posecount.report.summary import ReportData, build_report_data, trend_rows
from posecount.report.texts import UI, UNITS, check_lang, exercise_title
from posecount.report.timeline import key_frames
from posecount.report.trend import weekly_trend

log = logging.getLogger(__name__)

FrameProgress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Report:
    html: str
    run: AnalysisRun
    keyframes: int
    trend_weeks: int = 0


def add_trend(data: ReportData, sessions: Sequence, exercise: str, lang: str) -> int:
    """The weekly trend of `exercise` from `sessions` (SessionRecords); returns the number of weeks."""
    weeks = weekly_trend(sessions, exercise)
    if not weeks:
        return 0
    data.trend_rows = trend_rows(weeks)
    data.trend_svg = trend_svg(weeks, lang)
    data.trend_caption = UI[lang]["trend_caption"].format(
        weeks=len(weeks), exercise=exercise_title(exercise, lang).lower(),
        sessions=sum(w.sessions for w in weeks))
    return len(weeks)


def report_from_run(run: AnalysisRun, lang: str = "en", blur: bool = True, video: str | Path | None = None,
                    rotate: int = 0, sessions: Sequence = (), session=None) -> Report:
    """The report of an analysis; pictures need the poses (`keep_track=True`)."""
    lang = check_lang(lang)
    data = build_report_data(run, lang, blur, session, sessions)
    if len(run.analysis.trace.t_s):
        data.signal_svg = signal_svg(run.analysis, lang)
    kfs = key_frames(run.analysis) if run.track is not None else []
    unit = UNITS[lang].get(run.analysis.signal_unit, run.analysis.signal_unit)
    data.keyframes = key_frame_images(kfs, run.track, run.analysis, unit, video, lang, blur, rotate)
    if video is None and kfs:
        data.keyframes_note = UI[lang]["keyframes_none"]
    weeks = add_trend(data, sessions, run.analysis.exercise, lang)
    return Report(render_html(data), run, len(data.keyframes), weeks)


def make_report(source: str | Path, exercise: str = "auto", lang: str = "en", blur: bool = True,
                video: str | Path | None = None, model: str | Path | None = None, rotate: int = 0,
                progress: FrameProgress | None = None, history: bool | None = None,
                db: str | Path | None = None, strict: bool = False) -> Report:
    """Reports `source`: a video, a pose track (with its `video` for pictures), or `session:ID` /
    `session:latest` from the history. `history`: add the weekly trend (None = when a history exists)."""
    from posecount.report.stored import find_session, history_sessions, is_stored_session, run_from_session

    lang = check_lang(lang)  # before minutes of analysis
    sessions = history_sessions(db) if history is not False else []
    if is_stored_session(source):
        session = find_session(str(source), db, exercise)
        return report_from_run(run_from_session(session, db), lang, blur, sessions=sessions, session=session)
    run = analyze(source, exercise=exercise, model=model, rotate=rotate, keep_track=True, progress=progress,
                  strict=strict)
    if video is None and not is_track(source):
        video = source
    return report_from_run(run, lang, blur, video, rotate, sessions)
