"""`make_report`: a source (video or pose track) in, the report's HTML out.

The analysis runs once and keeps the poses; key frames then come from a second, short
read of the video (only up to the last key frame) or, for a pose track, as stick figures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from posecount.pipeline import AnalysisRun, analyze, is_track
from posecount.report.html import render_html
from posecount.report.keyframes import key_frame_images
from posecount.report.plots import signal_svg
from posecount.report.summary import build_report_data
from posecount.report.texts import UI, UNITS, check_lang
from posecount.report.timeline import key_frames

log = logging.getLogger(__name__)

FrameProgress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Report:
    html: str
    run: AnalysisRun
    keyframes: int


def report_from_run(run: AnalysisRun, lang: str = "en", blur: bool = True, video: str | Path | None = None,
                    rotate: int = 0) -> Report:
    """The report of an analysis that kept its poses (`keep_track=True`)."""
    lang = check_lang(lang)
    data = build_report_data(run, lang, blur)
    data.signal_svg = signal_svg(run.analysis, lang)
    kfs = key_frames(run.analysis)
    unit = UNITS[lang].get(run.analysis.signal_unit, run.analysis.signal_unit)
    data.keyframes = key_frame_images(kfs, run.track, run.analysis, unit, video, lang, blur, rotate)
    if video is None and kfs:
        data.keyframes_note = UI[lang]["keyframes_none"]
    return Report(render_html(data), run, len(data.keyframes))


def make_report(source: str | Path, exercise: str = "auto", lang: str = "en", blur: bool = True,
                video: str | Path | None = None, model: str | Path | None = None, rotate: int = 0,
                progress: FrameProgress | None = None) -> Report:
    """Analyses `source` and reports it; a pose track may be paired with its `video` for key frames."""
    lang = check_lang(lang)  # before minutes of analysis
    run = analyze(source, exercise=exercise, model=model, rotate=rotate, keep_track=True, progress=progress)
    if video is None and not is_track(source):
        video = source
    return report_from_run(run, lang, blur, video, rotate)
