"""`make_report`: a source (video, pose track or stored session) in, the report's HTML out.

The analysis runs once and keeps the poses; key frames then come from a second, short
read of the video (only up to the last key frame) or, for a pose track, as stick figures.
With a profile, its history adds today's target and the weekly trend of the exercise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from posecount import profiles
from posecount.errors import InputError
from posecount.media.metadata import Recorded, recording_date
from posecount.pipeline import AnalysisRun, analyze, is_track
from posecount.progress.history import resolve_db_path
from posecount.report.html import render_html
from posecount.report.keyframes import key_frame_images
from posecount.report.plots import signal_svg, trend_svg
from posecount.report.summary import ReportContext, ReportData, build_report_data, trend_rows
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
                    rotate: int = 0, context: ReportContext | None = None, session=None) -> Report:
    """The report of an analysis; pictures need the poses (`keep_track=True`). `context`: whose
    report (the profile, its history) and when it was recorded; none: the video's analysis only."""
    lang = check_lang(lang)
    context = context or ReportContext()
    data = report_part(run, lang, blur, video, rotate, context, session)
    weeks = add_trend(data, context.sessions, run.analysis.exercise, lang) if context.history else 0
    return Report(render_html(data), run, len(data.keyframes), weeks)


def report_part(run: AnalysisRun, lang: str, blur: bool, video: str | Path | None, rotate: int,
                context: ReportContext, session=None) -> ReportData:
    """What the report says about one analysis: summary, chart, table, pictures (no trend)."""
    data = build_report_data(run, lang, blur, session, context)
    if len(run.analysis.trace.t_s):
        data.signal_svg = signal_svg(run.analysis, lang)
    kfs = key_frames(run.analysis) if run.track is not None else []
    unit = UNITS[lang].get(run.analysis.signal_unit, run.analysis.signal_unit)
    data.keyframes = key_frame_images(kfs, run.track, run.analysis, unit, video, lang, blur, rotate)
    if video is None and kfs:
        data.keyframes_note = UI[lang]["keyframes_none"]
    return data


def video_history(profile: str | None, db: str | Path | None, history: bool | None) -> tuple:
    """The sessions a video's report may show: the profile's, none without a profile."""
    if profile is None:
        if db is not None and history is not False:
            raise InputError("--db needs --profile for the report of a video: name whose history it is "
                             "(a report of a video shows no history without a profile)")
        return ()
    return _history(profile, db, history)[1]


def _history(profile: str, db: str | Path | None, history: bool | None) -> tuple[Path, tuple]:
    """The profile's history file and, unless `history` is False, its sessions."""
    from posecount.report.stored import history_sessions

    path = resolve_db_path(db, profiles.require(profile))
    return path, tuple(history_sessions(path)) if history is not False else ()


def make_report(source: str | Path, exercise: str = "auto", lang: str = "en", blur: bool = True,
                video: str | Path | None = None, model: str | Path | None = None, rotate: int = 0,
                progress: FrameProgress | None = None, history: bool | None = None,
                db: str | Path | None = None, strict: bool = False, profile: str | None = None,
                recorded: date | None = None) -> Report:
    """Reports `source`: a video, a pose track (with its `video` for pictures), or `session:ID` /
    `session:latest` from the history of `profile` (or `db`). A video's report shows a history
    only when `profile` names whose (`history` False: not even then); `recorded` overrides the
    recording date read from the video."""
    from posecount.report.stored import find_session, is_stored_session, run_from_session

    lang = check_lang(lang)  # before minutes of analysis
    if is_stored_session(source):
        name = profiles.chosen(profile)
        path, sessions = _history(name, db, history)
        session = find_session(str(source), path, exercise)
        context = ReportContext(name, sessions, history is not False, Recorded(session.day, "history"))
        return report_from_run(run_from_session(session, path), lang, blur, context=context, session=session)
    sessions = video_history(profile, db, history)
    if video is None and not is_track(source):
        video = source
    run = analyze(source, exercise=exercise, model=model, rotate=rotate, keep_track=True, progress=progress,
                  strict=strict)
    context = ReportContext(profile, sessions, profile is not None and history is not False,
                            recording_date(video if video is not None else source, recorded))
    return report_from_run(run, lang, blur, video, rotate, context)
