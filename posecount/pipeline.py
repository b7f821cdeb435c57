"""One pipeline from a source to a result: frames → pose → analysis, streamed.

Used by every command (analyze, track, the live coach, reports) so that a count never
depends on which command asked for it. A source is a video file, an image folder, a
camera index, or a recorded pose track (`.npz`), which skips the model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from posecount import __version__
from posecount.errors import InputError
from posecount.pose.landmarks import PoseFrame
from posecount.pose.tracks import PoseTrack, TrackRecorder

log = logging.getLogger(__name__)

# (frames done, frames expected or None) after each frame
FrameProgress = Callable[[int, int | None], None]


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
               max_side: int | None = None, fps: float = 30.0, analysis_fps: float | None = None,
               exercise: str | None = None) -> PoseStream:
    """A stream of poses from a video, image folder, camera index or pose track.

    `analysis_fps`: look at most at that many frames a second (evenly spread; default: every frame);
    `exercise`: with several people in view, follow the one whose posture fits it (None, "auto": any).
    """
    if is_track(source):
        track = PoseTrack.load(source)
        return PoseStream(track.source or Path(source).name, track.fps, len(track), track.image_wh,
                          track.model, track.model_sha256, track.frames(), list(track.warnings))

    if analysis_fps:
        from posecount.media.sources import DEFAULT_MAX_SIDE, ThinnedSource, open_source

        source = ThinnedSource(open_source(source, max_side=max_side or DEFAULT_MAX_SIDE, rotate=rotate, fps=fps),
                               analysis_fps)
    pin = open_pose_input(source, model, rotate, max_side, fps, exercise)
    src, estimator = pin.source, pin.estimator

    def poses() -> Iterator[tuple[float, PoseFrame | None]]:
        with src, estimator:
            for frame in src:
                yield frame.t_s, estimator.detect(frame.image, frame.t_s)

    return PoseStream(src.info.name, src.info.fps, src.info.frame_count, src.info.size_wh,
                      estimator.model_name, estimator.model.sha256, poses(), list(src.info.warnings),
                      pin.warnings)


@dataclass
class PoseInput:
    """A frame source with its pose estimator: what `analyze` streams and the live coach grabs from."""

    source: Any  # posecount.media.sources.FrameSource
    estimator: Any  # posecount.pose.estimator.PoseEstimator
    _multi_warned: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        """The source's warnings, and whether others were in view (known once frames were read)."""
        several = self.estimator.follower.summary()
        if several and not self._multi_warned:
            self._multi_warned.append(f"{several}: film the patient alone for reliable counts")
        return [*self.source.info.warnings, *self._multi_warned]

    def close(self) -> None:
        self.estimator.close()
        self.source.close()


def estimator_options(exercise: str | None = None) -> Any:
    """The estimator's options for `exercise`: with several people in view, follow the one lying down
    for an exercise that starts lying, the one standing for one that starts standing (None, "auto": any)."""
    from posecount import exercises
    from posecount.pose.estimator import EstimatorOptions
    from posecount.pose.persons import LYING, UPRIGHT, FollowSettings

    posture = None
    if exercise and exercise != "auto":
        start = exercises.get(exercise).start_position
        posture = UPRIGHT if start == "standing" else LYING if start in ("on_back", "on_side") else None
    return EstimatorOptions(follow=FollowSettings(posture=posture))


def open_pose_input(source: Any, model: Any = None, rotate: int = 0, max_side: int | None = None,
                    fps: float = 30.0, exercise: str | None = None) -> PoseInput:
    """Opens `source` (a video, image folder or camera index; or an already open frame source) and a
    pose estimator for it, following the person who does `exercise` when several are in view; if the
    model cannot be loaded, the source is closed again."""
    from posecount.media.sources import DEFAULT_MAX_SIDE, open_source
    from posecount.pose.estimator import PoseEstimator

    src = source if hasattr(source, "info") else open_source(
        source, max_side=max_side or DEFAULT_MAX_SIDE, rotate=rotate, fps=fps)
    try:
        # the CLI has fetched the model with a progress bar first
        estimator = PoseEstimator(model, estimator_options(exercise))
    except BaseException:
        src.close()
        raise
    return PoseInput(src, estimator)


def record_track(source: str | Path, model: str | Path | None = None, rotate: int = 0,
                 progress: FrameProgress | None = None, exercise: str | None = None) -> PoseTrack:
    """All poses of a source, kept as a `PoseTrack` (about 1 kB a frame); with several people in view,
    those of the one who does `exercise` (None: whoever fits best, as for "auto")."""
    stream = open_poses(source, model=model, rotate=rotate, exercise=exercise)
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
    interrupted: bool = False

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
            on_events: Callable[[float, list], None] | None = None, strict: bool = False,
            analysis_fps: float | None = None) -> AnalysisRun:
    """Counts and checks one exercise in a source; streams, so memory stays flat.

    `keep_track` also records every pose (for `--save-track`); `on_events` sees the
    analyzer's events as they happen (the live coach's hook); `strict` counts only the
    repetitions that meet every rule (see `posecount.analysis.policy`); `analysis_fps` looks at
    most at that many frames a second (default: every frame of the source).
    """
    from posecount.analysis.analyzer import create_analyzer

    analyzer = create_analyzer(exercise, settings=settings)  # fails fast on a bad name
    stream = open_poses(source, model=model, rotate=rotate, analysis_fps=analysis_fps, exercise=exercise)
    run = analyze_stream(stream, analyzer, keep_track=keep_track, progress=progress, on_events=on_events)
    if strict:
        from posecount.analysis.policy import strict as strictly

        run = replace(run, analysis=strictly(run.analysis))
    return run


class RunningAnalysis:
    """Feeds poses into an analyzer one at a time and keeps the books; `close()` gives the run.

    `analyze_stream` and the live coach both drive one of these, so they count alike.
    """

    def __init__(self, analyzer: Any, name: str, fps: float, image_wh: tuple[int, int], model: str,
                 model_sha256: str, keep_track: bool = False) -> None:
        self.analyzer = analyzer
        self.name, self.fps, self.model, self.model_sha256 = name, fps, model, model_sha256
        self.recorder = TrackRecorder(image_wh, fps, name, model, model_sha256) if keep_track else None
        self.frames = self.with_pose = 0
        self.first_t = self.last_t = 0.0
        self._started = time.perf_counter()
        self._closed: AnalysisRun | None = None

    def feed(self, t_s: float, pose: PoseFrame | None) -> list:
        """One frame's pose (or None); returns the analyzer's events for it."""
        if self.frames == 0:
            self.first_t = t_s
        self.last_t = t_s
        self.frames += 1
        self.with_pose += pose is not None
        if self.recorder is not None:
            self.recorder.add(t_s, pose)
        return self.analyzer.update(t_s, pose)

    def finish(self) -> list:
        """Ends the analysis: an open repetition is closed or rejected; returns those events."""
        return self.analyzer.finish()

    def close(self, warnings: list[str], allow_empty: bool = False) -> AnalysisRun:
        """The final run (call `finish()` first), with warnings about missing people added;
        one of no frames only with `allow_empty` (a live session paused throughout)."""
        if self._closed is None:
            self._closed = self.snapshot(warnings, with_track=True, allow_empty=allow_empty)
        return self._closed

    def snapshot(self, warnings: list[str] = (), with_track: bool = False, allow_empty: bool = False) -> AnalysisRun:
        """The run as it stands now (the live coach saves one after every repetition)."""
        elapsed = time.perf_counter() - self._started
        if self.frames == 0 and not allow_empty:
            raise InputError(f"{self.name} gave no frames to analyse")
        warnings = list(warnings)  # the analysis adds its own, about missing people among them
        step = 1.0 / self.fps if self.fps > 0 else 0.0
        result = self.analyzer.result()
        return AnalysisRun(
            source=self.name,
            exercise=getattr(result, "exercise", "auto"),
            analysis=result,
            frames=self.frames,
            frames_with_pose=self.with_pose,
            fps=self.fps,
            duration_s=self.last_t - self.first_t + step,
            model=self.model,
            model_sha256=self.model_sha256,
            processing_fps=self.frames / elapsed if elapsed > 0 else float("nan"),
            warnings=warnings,
            track=self.recorder.build(warnings) if with_track and self.recorder is not None else None,
        )


def analyze_stream(stream: PoseStream, analyzer: Any, keep_track: bool = False,
                   progress: FrameProgress | None = None,
                   on_events: Callable[[float, list], None] | None = None) -> AnalysisRun:
    """Feeds a pose stream through an analyzer (from `posecount.analysis.create_analyzer`).

    Ctrl-C stops early but keeps everything counted so far: the run comes back with
    `interrupted` set and a warning, and the caller decides the exit status.
    """
    running = RunningAnalysis(analyzer, stream.name, stream.fps, stream.image_wh, stream.model,
                              stream.model_sha256, keep_track)
    interrupted = False
    try:
        for t_s, pose in stream.poses:
            events = running.feed(t_s, pose)
            if on_events and events:
                on_events(t_s, events)
            if progress:
                progress(running.frames, stream.frame_count)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        # Also on a crash: the open rep is closed so that what was counted is reported.
        events = running.finish()
        if on_events and events:
            on_events(running.last_t, events)
    warnings = stream.finish()
    if interrupted:
        warnings.append(f"interrupted at {running.last_t:.1f} s: the result covers the video up to there")
    run = running.close(warnings)
    run.interrupted = interrupted
    return run


__all__ = ["AnalysisRun", "PoseStream", "RunningAnalysis", "analyze", "analyze_stream", "is_track", "open_poses",
           "record_track"]
