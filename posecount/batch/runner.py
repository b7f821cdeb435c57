"""The per-video function every engine runs: one video in, its result (or one-line error) out.

It never raises for a bad video: a worker process or a Ray task keeps going, and the error
becomes that video's row. Each call creates its own landmarker (MediaPipe's VIDEO mode needs
one video's frames in order), from a model file the caller resolved: workers never download.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posecount.errors import InputError, PosecountError


@dataclass(frozen=True)
class VideoJob:
    """Everything a worker needs for one video (picklable; `path` is used, never written anywhere)."""

    path: str
    file: str
    key: str
    content_sha256: str
    exercise: str
    model_path: str
    model_name: str
    model_sha256: str
    settings: Any = None  # posecount.settings.Settings, loaded once by the caller
    analysis_fps: float | None = None
    report: bool = False
    track: bool = False
    lang: str = "en"
    profile: str = ""
    recorded: str = ""


@dataclass
class Outcome:
    """A video's result: the contract plus the batch fields, or `error`; `keep`: store it (a
    deterministic failure, e.g. not a video); other failures are tried again by the next run."""

    key: str
    file: str
    result: dict[str, Any]
    error: str = ""
    keep: bool = True
    frames: int = 0
    seconds: float = 0.0
    report_html: str | None = None
    track: Any = None  # posecount.pose.tracks.PoseTrack
    extras_error: str = ""


def batch_fields(job: VideoJob, error: str = "") -> dict[str, Any]:
    return {"file": job.file, "profile": job.profile, "recorded": job.recorded, "key": job.key,
            "content_sha256": job.content_sha256, "analysis_fps": job.analysis_fps, "error": error or None}


def _model(job: VideoJob):
    from posecount.pose import models

    checked = models.explicit_model(job.model_path, job.model_sha256)  # the hash, checked here
    return models.ModelFile(checked.path, job.model_name, checked.sha256, "batch")


def failed(job: VideoJob, error: str, keep: bool, started: float) -> Outcome:
    return Outcome(job.key, job.file, {"exercise": job.exercise, **batch_fields(job, error)}, error, keep,
                   seconds=time.perf_counter() - started)


def run_video(job: VideoJob) -> Outcome:
    """Analyses one video; never raises (but Ctrl-C)."""
    from posecount.pipeline import analyze

    started = time.perf_counter()
    try:
        run = analyze(job.path, exercise=job.exercise, model=_model(job), settings=job.settings,
                      keep_track=job.report or job.track, analysis_fps=job.analysis_fps)
    except InputError as exc:  # the video itself: the same answer every time
        return failed(job, str(exc), True, started)
    except PosecountError as exc:
        return failed(job, str(exc), False, started)
    except Exception as exc:  # noqa: BLE001 — one bad video must not stop the others
        return failed(job, f"internal error: {type(exc).__name__}: {exc}", False, started)
    if run.interrupted:
        return failed(job, "interrupted", False, started)
    outcome = Outcome(job.key, job.file, {**run.to_dict(), **batch_fields(job)}, frames=run.frames)
    _extras(job, run, Path(job.path), outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _extras(job: VideoJob, run, video: Path, outcome: Outcome) -> None:
    """The report and the pose track; a failure there is noted, the result is kept."""
    if job.track:
        outcome.track = run.track
    if not job.report:
        return
    try:
        from posecount.report.build import report_from_run

        outcome.report_html = report_from_run(run, job.lang, blur=True, video=video, context=_context(job, video)).html
    except Exception as exc:  # noqa: BLE001
        outcome.extras_error = f"report not made: {type(exc).__name__}: {exc}"


def _context(job: VideoJob, video: Path):
    """A batch report names the manifest's profile and the recording date (the manifest's, else the
    video's); it shows no history: the batch runs beside the histories, not on them."""
    from datetime import date

    from posecount.media.metadata import Recorded, recording_date
    from posecount.report.summary import ReportContext

    recorded = Recorded(date.fromisoformat(job.recorded), "given") if job.recorded else recording_date(video)
    return ReportContext(profile=job.profile or None, recorded=recorded)
