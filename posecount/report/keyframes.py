"""Key frames for the report: each rep at its top, skeleton and measured angle drawn, face blurred.

Frames are taken from the video in one sequential pass that keeps only the few frames
asked for; a pose-track source has no pictures, so its key frames are stick figures.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from posecount.media.render import blur_face, draw_skeleton, frame_scale, put_text
from posecount.pose.landmarks import PoseFrame
from posecount.report.marks import draw_mark, measurement_mark
from posecount.report.texts import UI
from posecount.report.timeline import KeyFrame

MAX_SIDE_PX = 480  # big enough to judge a posture, small enough for an e-mail
JPEG_QUALITY = 85


@dataclass(frozen=True)
class KeyFrameImage:
    index: int  # the rep's number
    t_s: float
    caption: str
    data_uri: str  # "data:image/jpeg;base64,..."
    flagged: bool


def shrink(image: np.ndarray, max_side: int = MAX_SIDE_PX) -> np.ndarray:
    h, w = image.shape[:2]
    k = max_side / max(h, w)
    if k >= 1:
        return image
    return cv2.resize(image, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)


def grab_frames(video: str | Path, indices: set[int], rotate: int = 0) -> dict[int, np.ndarray]:
    """The frames at `indices` (counted as the analysis counted them), shrunk for the report."""
    from posecount.media.sources import VideoSource

    out: dict[int, np.ndarray] = {}
    if not indices:
        return out
    last = max(indices)
    with VideoSource(video, max_side=None, rotate=rotate) as src:
        for i, frame in enumerate(src):
            if i in indices:
                # Shrunk now to keep memory small; the pose is normalised, so the blur and the
                # drawing fit the shrunk frame just as well.
                out[i] = shrink(frame.image)
            if i >= last:
                break
    return out


def stick_canvas(image_wh: tuple[int, int]) -> np.ndarray:
    """A neutral background of the analysed frame's shape (for pose-track sources)."""
    w, h = image_wh
    k = MAX_SIDE_PX / max(w, h)
    return np.full((max(1, round(h * k)), max(1, round(w * k)), 3), 245, np.uint8)


def render_key_frame(image: np.ndarray, pose: PoseFrame | None, exercise: str, unit: str, kf: KeyFrame,
                     lang: str = "en", blur: bool = True) -> np.ndarray:
    """The frame with the face blurred (unless `blur` is False), skeleton, angle and rep number."""
    if pose is not None:
        pose = replace(pose, image_wh=(image.shape[1], image.shape[0]))
    out = blur_face(image, pose) if blur else image.copy()
    out = draw_skeleton(out, pose)
    out = draw_mark(out, measurement_mark(exercise, pose, kf.value, unit, lang))
    k = frame_scale(out)
    put_text(out, f"#{kf.rep.index}", (round(8 * k), round(34 * k)), 1.1 * k)
    return out


def to_data_uri(image: np.ndarray) -> str:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 BGR image
        raise RuntimeError("JPEG encoding failed")
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def caption(kf: KeyFrame, unit_text: str, lang: str) -> str:
    digits = 0 if unit_text == "°" else 2
    value = "–" if math.isnan(kf.value) else f"{kf.value:.{digits}f}{'' if unit_text == '°' else ' '}{unit_text}"
    return UI[lang]["keyframe_caption"].format(index=kf.rep.index, t=kf.t_s, value=value)


def key_frame_images(kfs: list[KeyFrame], track, result, unit_text: str, video: str | Path | None = None,
                     lang: str = "en", blur: bool = True, rotate: int = 0) -> list[KeyFrameImage]:
    """One picture per key frame: from `video` when given, else a stick figure from `track`."""
    frames = grab_frames(video, {kf.frame for kf in kfs}, rotate) if video is not None else {}
    images = []
    for kf in kfs:
        pose = track.frame(kf.frame) if track is not None and kf.frame < len(track) else None
        base = frames.get(kf.frame)
        if base is None:
            base = stick_canvas(track.image_wh if track is not None else (640, 360))
        img = render_key_frame(base, pose, result.exercise, result.signal_unit, kf, lang, blur)
        images.append(KeyFrameImage(kf.rep.index, kf.t_s, caption(kf, unit_text, lang), to_data_uri(img),
                                    bool(kf.rep.flags)))
    return images
