"""A recorded video analysed in the background for the physiotherapist's view.

Each job has a folder in its profile (`<profile>/videos/<id>/`: the video in `source/`, `analysis.json`,
`report.html`, `annotated.mp4`), written as it goes, so a finished job survives a restart and
the profile's videos can be listed side by side by recording date. Progress is a fraction and a
phase the page polls.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from posecount.errors import PosecountError
from posecount.storage import atomic_write, private_dir

log = logging.getLogger(__name__)

VIDEOS_FOLDER = "videos"
META = "meta.json"
ANALYSE_SHARE = 0.7  # of the progress bar: the analysis; the rest draws the annotated video


@dataclass
class VideoJob:
    id: str
    folder: Path
    name: str  # the file name as the browser sent it
    recorded: str  # YYYY-MM-DD
    phase: str = "queued"  # queued | analysing | drawing | done | failed
    progress: float = 0.0
    frames_per_s: float | None = None
    error: str | None = None
    reps: int | None = None
    exercise: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def video(self) -> Path:
        """The upload, under its own name (the report names it) made safe for any file system."""
        stem = re.sub(r"[^\w.\- ]", "_", Path(self.name).stem).strip(" .")[:80] or "video"
        return self.folder / "source" / (stem + re.sub(r"[^\w.]", "", Path(self.name).suffix.lower())[:8])

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "recorded": self.recorded, "phase": self.phase,
                "progress": round(self.progress, 3), "frames_per_s": self.frames_per_s, "error": self.error,
                "reps": self.reps, "exercise": self.exercise, "warnings": self.warnings}

    def save_meta(self) -> None:
        atomic_write(self.folder / META, json.dumps(self.to_dict(), ensure_ascii=False, indent=1))


def new_job(profile_folder: Path, name: str, recorded: date | None) -> VideoJob:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    job_id = f"{stamp}-{secrets.token_hex(3)}"
    folder = private_dir(profile_folder / VIDEOS_FOLDER / job_id)
    safe_name = Path(name).name[:120] or "video.mp4"
    return VideoJob(job_id, folder, safe_name, (recorded or date.today()).isoformat())


def load_jobs(profile_folder: Path) -> list[VideoJob]:
    """The profile's analysed videos, by recording date (oldest first)."""
    root = profile_folder / VIDEOS_FOLDER
    jobs = []
    if root.is_dir():
        for meta in root.glob(f"*/{META}"):
            try:
                d = json.loads(meta.read_text())
                job = VideoJob(d["id"], meta.parent, d["name"], d["recorded"], d["phase"], d["progress"],
                               d.get("frames_per_s"), d.get("error"), d.get("reps"), d.get("exercise"),
                               d.get("warnings") or [])
            except (OSError, ValueError, KeyError):
                continue
            if job.phase not in ("done", "failed"):  # stopped mid-way by a restart
                job.phase, job.error = "failed", job.error or "stopped before it was finished"
            jobs.append(job)
    return sorted(jobs, key=lambda j: (j.recorded, j.id))


def run_job(job: VideoJob, exercise: str, lang: str, profile: str, sessions: list, model: str | None = None) -> None:
    """Analyses, reports and draws the video; the job's fields follow (errors end in `failed`)."""
    try:
        _analyse_report_draw(job, exercise, lang, profile, sessions, model)
        job.phase, job.progress = "done", 1.0
    except PosecountError as exc:
        job.phase, job.error = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 — one line on the page; the log has the rest
        log.exception("video job %s failed", job.id)
        job.phase, job.error = "failed", f"the analysis failed: {exc}"
    job.save_meta()


def _progress(job: VideoJob, start: float, share: float):
    t0 = time.perf_counter()

    def update(done: int, total: int | None) -> None:
        if total:
            job.progress = start + share * min(done / total, 1.0)
        spent = time.perf_counter() - t0
        job.frames_per_s = round(done / spent, 1) if spent > 0 else None
    return update


def _recorded(job: VideoJob):
    """The video's own recording date (its metadata), else the file date the browser gave."""
    from posecount.media.metadata import Recorded, recording_date

    found = recording_date(job.video)
    if found.how == "file":  # the upload's copy is dated today: the browser's date of the file is the one
        found = Recorded(date.fromisoformat(job.recorded), "file")
    job.recorded = found.day.isoformat()
    return found


def _analyse_report_draw(job: VideoJob, exercise: str, lang: str, profile: str, sessions: list,
                         model: str | None) -> None:
    from posecount.pipeline import analyze
    from posecount.report.annotate import write_annotated
    from posecount.report.build import report_from_run
    from posecount.report.summary import ReportContext

    job.phase = "analysing"
    job.save_meta()
    run = analyze(job.video, exercise=exercise, model=model, keep_track=True,
                  progress=_progress(job, 0.0, ANALYSE_SHARE))
    body = run.to_dict()
    job.reps, job.exercise, job.warnings = run.reps, body.get("exercise"), list(run.warnings)
    atomic_write(job.folder / "analysis.json", json.dumps(body, ensure_ascii=False, indent=1))
    context = ReportContext(profile, tuple(sessions), True, _recorded(job))
    report = report_from_run(run, lang, True, job.video, 0, context)
    atomic_write(job.folder / "report.html", report.html)
    job.phase = "drawing"
    job.save_meta()
    drawn = write_annotated(job.video, job.folder / "annotated.mp4", run.analysis, run.track, lang=lang,
                            progress=_progress(job, ANALYSE_SHARE, 1.0 - ANALYSE_SHARE))
    job.warnings += list(drawn.warnings)


def start_job(job: VideoJob, exercise: str, lang: str, profile: str, sessions: list,
              model: str | None = None) -> threading.Thread:
    job.save_meta()
    thread = threading.Thread(target=run_job, args=(job, exercise, lang, profile, sessions, model),
                              name=f"posecount-video-{job.id}", daemon=True)
    thread.start()
    return thread
