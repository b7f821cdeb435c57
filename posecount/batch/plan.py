"""Planning a batch (pure): which videos are done, which to analyse, which cannot be used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from posecount.batch.inputs import VideoInput
from posecount.batch.keys import options_id, result_key
from posecount.batch.runner import VideoJob


@dataclass(frozen=True)
class BatchOptions:
    exercise: str = "auto"
    jobs: int = 1
    engine: str = "local"
    address: str | None = None
    reports: bool = False
    tracks: bool = False
    analysis_fps: float | None = None
    lang: str = "en"
    profile: str = ""  # of the videos whose manifest row names none


@dataclass
class Plan:
    keys: dict[int, str] = field(default_factory=dict)  # input index → result key
    hashes: dict[int, str] = field(default_factory=dict)  # input index → content SHA-256
    errors: dict[int, str] = field(default_factory=dict)  # input index → why it cannot be analysed
    todo: list[VideoJob] = field(default_factory=list)  # one job per key still to analyse
    done: int = 0  # inputs whose result is stored


def make_plan(videos: list[VideoInput], hashes: dict[int, str | Exception], model: Any, settings: Any,
              opts: BatchOptions, is_done: Callable[[VideoInput, str], bool]) -> Plan:
    """`hashes`: each usable input's content SHA-256 (or the error reading it); `model`: a ModelFile;
    `is_done(video, key)`: its result (and the asked-for extras) are stored."""
    plan = Plan()
    queued: set[str] = set()
    for i, video in enumerate(videos):
        if video.error:
            plan.errors[i] = video.error
            continue
        digest = hashes[i]
        if isinstance(digest, Exception):
            plan.errors[i] = f"cannot read {video.file}: {getattr(digest, 'strerror', None) or digest}"
            continue
        key = result_key(digest, model.sha256, settings.sha256, options_id(video.exercise, opts.analysis_fps))
        plan.keys[i], plan.hashes[i] = key, digest
        if is_done(video, key):
            plan.done += 1
        elif key not in queued:  # the same video twice (copies): analysed once
            queued.add(key)
            plan.todo.append(VideoJob(
                path=str(video.path.resolve()), file=video.file, key=key, content_sha256=digest,
                exercise=video.exercise,
                model_path=str(model.path), model_name=model.name, model_sha256=model.sha256, settings=settings,
                analysis_fps=opts.analysis_fps, report=opts.reports, track=opts.tracks, lang=opts.lang,
                profile=video.profile, recorded=video.recorded))
    return plan
