"""One pipeline from a source to a result: frames → pose → analysis, streamed.

Used by every command (analyze, track, the live coach, reports) so that a count never
depends on which command asked for it. A source is a video file, an image folder, a
camera index, or a recorded pose track (`.npz`), which skips the model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posecount import __version__
from posecount.errors import InputError
from posecount.pose.landmarks import PoseFrame
from posecount.pose.tracks import PoseTrack, TrackRecorder

log = logging.getLogger(__name__)

# (frames done, frames expected or None) after each frame
FrameProgress = Callable[[int, int | None], None]
MIN_POSE_SHARE = 0.5  # below this share of frames with a person, the result gets a warning


def is_track(source: str | Path) -> bool:
    return str(source).lower().endswith(".npz")


@dataclass
class PoseStream:
    """Poses of a source, one per frame, with what is known about the source."""

    name: str
    fps: float
    frame_count: int | None
    image_wh: tuple[int, int]
    model: str
    model_sha256: str
    poses: Iterator[tuple[float, PoseFrame | None]]
    warnings: list[str] = field(default_factory=list)  # filled while and after streaming
    _finish: Callable[[], list[str]] = lambda: []

    def finish(self) -> list[str]:
        """Warnings known only once the stream has ended (truncation, several people)."""
        self.warnings.extend(w for w in self._finish() if w not in self.warnings)
        return self.warnings


def open_poses(source: str | Path, model: str | Path | None = None, rotate: int = 0,
               max_side: int | None = None, fps: float = 30.0) -> PoseStream:
    """A stream of poses from a video, image folder, camera index or pose track."""
    if is_track(source):
        track = PoseTrack.load(source)
        return PoseStream(track.source or Path(source).name, track.fps, len(track), track.image_wh,
                          track.model, track.model_sha256, track.frames(), list(track.warnings))

    from posecount.media.sources import DEFAULT_MAX_SIDE, open_source
    from posecount.pose.estimator import PoseEstimator

    src = open_source(source, max_side=max_side or DEFAULT_MAX_SIDE, rotate=rotate, fps=fps)
    try:
        estimator = PoseEstimator(model)
    except BaseException:
        src.close()
        raise
    multi_warned: list[str] = []

    def poses() -> Iterator[tuple[float, PoseFrame | None]]:
        with src, estimator:
            for frame in src:
                yield frame.t_s, estimator.detect(frame.image, frame.t_s)

    def finish() -> list[str]:
        out = list(src.info.warnings)
        if estimator.multi_person_times and not multi_warned:
            t = estimator.multi_person_times
            multi_warned.append(
                f"several people were in view ({len(t)} checks between {t[0]:.1f} s and {t[-1]:.1f} s); "
                "posecount followed one person: film the patient alone for reliable counts"
            )
        return out + multi_warned

    return PoseStream(src.info.name, src.info.fps, src.info.frame_count, src.info.size_wh,
                      estimator.model_name, estimator.model.sha256, poses(), list(src.info.warnings),
                      finish)


def record_track(source: str | Path, model: str | Path | None = None, rotate: int = 0,
                 progress: FrameProgress | None = None) -> PoseTrack:
    """All poses of a source, kept as a `PoseTrack` (about 1 kB a frame)."""
    stream = open_poses(source, model=model, rotate=rotate)
    recorder = TrackRecorder(stream.image_wh, stream.fps, stream.name, stream.model, stream.model_sha256)
    for i, (t_s, pose) in enumerate(stream.poses):
        recorder.add(t_s, pose)
        if progress:
            progress(i + 1, stream.frame_count)
    return recorder.build(stream.finish())


@dataclass
class AnalysisRun:
    """What `analyze` found, with everything needed to say how it was found."""

    source: str
    exercise: str
    analysis: Any  # posecount.analysis.AnalysisResult
    frames: int
    frames_with_pose: int
    fps: float
    duration_s: float
    model: str
    model_sha256: str
    processing_fps: float
    warnings: list[str]
    track: PoseTrack | None = None

    @property
    def reps(self) -> int:
        return len(self.analysis.reps)

    def to_dict(self) -> dict[str, Any]:
        """The analysis contract (see README): stable keys that calibration and reports read."""
        body = self.analysis.to_dict()
        warnings = list(dict.fromkeys([*self.warnings, *body.get("warnings", [])]))
        return {
            "posecount_version": __version__,
            "source": self.source,
            **body,
            "exercise": body.get("exercise", self.exercise),
            "frames": self.frames,
            "frames_with_pose": self.frames_with_pose,
            "fps": round(self.fps, 3),
            "duration_s": round(self.duration_s, 3),
            "model": self.model,
            "model_sha256": self.model_sha256,
            "processing_fps": round(self.processing_fps, 1),
            "warnings": warnings,
        }


def analyze(source: str | Path, exercise: str = "auto", model: str | Path | None = None,
            rotate: int = 0, settings: Any = None, keep_track: bool = False,
            progress: FrameProgress | None = None,
            on_events: Callable[[float, list], None] | None = None) -> AnalysisRun:
    """Counts and checks one exercise in a source; streams, so memory stays flat.

    `keep_track` also records every pose (for `--save-track`); `on_events` sees the
    analyzer's events as they happen (the live coach's hook).
    """
    from posecount.analysis import create_analyzer

    analyzer = create_analyzer(exercise, settings=settings)  # fails fast on a bad name
    stream = open_poses(source, model=model, rotate=rotate)
    return analyze_stream(stream, analyzer, keep_track=keep_track, progress=progress, on_events=on_events)


def analyze_stream(stream: PoseStream, analyzer: Any, keep_track: bool = False,
                   progress: FrameProgress | None = None,
                   on_events: Callable[[float, list], None] | None = None) -> AnalysisRun:
    """Feeds a pose stream through an analyzer (from `posecount.analysis.create_analyzer`)."""
    recorder = (TrackRecorder(stream.image_wh, stream.fps, stream.name, stream.model, stream.model_sha256)
                if keep_track else None)
    frames = with_pose = 0
    first_t = last_t = 0.0
    started = time.perf_counter()
    try:
        for t_s, pose in stream.poses:
            if frames == 0:
                first_t = t_s
            last_t = t_s
            frames += 1
            with_pose += pose is not None
            events = analyzer.update(t_s, pose)
            if recorder is not None:
                recorder.add(t_s, pose)
            if on_events and events:
                on_events(t_s, events)
            if progress:
                progress(frames, stream.frame_count)
    finally:
        # Ctrl-C or a crash mid-way still closes the open rep and keeps what was counted.
        events = analyzer.finish()
        if on_events and events:
            on_events(last_t, events)
    elapsed = time.perf_counter() - started
    warnings = stream.finish()
    if frames == 0:
        raise InputError(f"{stream.name} gave no frames to analyse")
    if with_pose == 0:
        warnings.append("no person was found in the video: 0 repetitions")
    elif with_pose < MIN_POSE_SHARE * frames:
        warnings.append(
            f"a person was found in only {100 * with_pose / frames:.0f} % of the frames: "
            "counts may be incomplete (is the whole body in view and well lit?)"
        )
    step = 1.0 / stream.fps if stream.fps > 0 else 0.0
    result = analyzer.result()
    return AnalysisRun(
        source=stream.name,
        exercise=getattr(result, "exercise", "auto"),
        analysis=result,
        frames=frames,
        frames_with_pose=with_pose,
        fps=stream.fps,
        duration_s=last_t - first_t + step,
        model=stream.model,
        model_sha256=stream.model_sha256,
        processing_fps=frames / elapsed if elapsed > 0 else float("nan"),
        warnings=warnings,
        track=recorder.build(warnings) if recorder is not None else None,
    )


__all__ = ["AnalysisRun", "PoseStream", "analyze", "analyze_stream", "is_track", "open_poses", "record_track"]
