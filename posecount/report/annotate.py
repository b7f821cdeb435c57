"""The annotated video: the input with skeleton, measured value, count, hold timer and flags.

Two streaming passes, neither holding the video in memory: the analysis (poses kept as a
track, ~1 kB a frame), then the drawing, which reads the video again frame by frame. So
every frame already knows the whole analysis, yet shows only what was known by then.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from posecount.errors import InputError
from posecount.media.layout import person_box
from posecount.media.overlay import draw_overlay
from posecount.media.render import FaceBlur, draw_skeleton
from posecount.media.writer import VideoWriter
from posecount.pose.landmarks import PoseFrame
from posecount.pose.tracks import PoseTrack
from posecount.report.marks import draw_mark, measurement_mark
from posecount.report.timeline import overlay_at

log = logging.getLogger(__name__)

FrameProgress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class AnnotatedVideo:
    path: Path
    frames: int
    fps: float
    size_wh: tuple[int, int]
    codec: str  # "h264" (PyAV), or the OpenCV fourcc it fell back to
    codec_name: str
    warnings: tuple[str, ...] = ()


def trace_value(result, i: int) -> float:
    """The signal at frame `i` as the counter saw it (smoothed), else the raw reading."""
    tr = result.trace
    if i >= len(tr.t_s):
        return math.nan
    v = float(tr.smoothed[i])
    return v if not math.isnan(v) else float(tr.raw[i])


def render_frame(image: np.ndarray, pose: PoseFrame | None, result, t_s: float, value: float,
                 lang: str = "en", blur: FaceBlur | None = None) -> np.ndarray:
    """One annotated frame: blur first (nothing drawn is blurred away), then the drawings;
    the panels where the person is not."""
    wh = (image.shape[1], image.shape[0])
    if pose is not None:
        pose = replace(pose, image_wh=wh)
    out = blur(image, pose) if blur is not None else image
    out = draw_skeleton(out, pose)
    mark = measurement_mark(result.exercise, pose, value, result.signal_unit, lang)
    out = draw_mark(out, mark)
    return draw_overlay(out, overlay_at(result, t_s, lang), person_box(pose, wh))


def write_annotated(video: str | Path, output: str | Path, result, track: PoseTrack, *, blur: bool = True,
                    lang: str = "en", rotate: int = 0,
                    progress: FrameProgress | None = None) -> AnnotatedVideo:
    """Draws `result` and the poses of `track` on every frame of `video` into `output`."""
    from posecount.media.sources import VideoSource

    warnings: list[str] = []
    face = FaceBlur() if blur else None
    # Full resolution: the poses are normalised, so they fit any size of the same frames.
    with VideoSource(video, max_side=None, rotate=rotate) as src:
        fps, total = src.info.fps, src.info.frame_count
        if total and abs(total - len(track)) > 2:
            warnings.append(f"the pose track has {len(track)} frames and the video about {total}: "
                            "is the track from this video?")
        with VideoWriter(output, fps, src.info.size_wh) as writer:
            for i, frame in enumerate(src):
                pose = track.frame(i) if i < len(track) else None
                t_s = float(track.t_s[i]) if i < len(track) else frame.t_s
                writer.write(render_frame(frame.image, pose, result, t_s, trace_value(result, i), lang, face))
                if progress:
                    progress(i + 1, total)
            frames = writer.frames
            codec, codec_name = writer.codec, writer.codec_name
            if writer.warning:
                warnings.append(writer.warning)
            size = writer.size_wh
    if frames == 0:
        raise InputError(f"{Path(video).name} gave no frames to annotate")
    log.info("wrote %d frames with %s", frames, codec)
    return AnnotatedVideo(Path(output), frames, fps, size, codec, codec_name, tuple(warnings))
