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

from posecount.media.render import blur_face, draw_skeleton, frame_scale
from posecount.media.text import put_text
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


def fit(image: np.ndarray, max_side: int = MAX_SIDE_PX) -> np.ndarray:
    """Scaled so that its larger side is `max_side`: crops of a small person get zoomed in."""
    h, w = image.shape[:2]
    k = max_side / max(h, w)
    if abs(k - 1) < 1e-3:
        return image
    return cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))),
                      interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)


NormBox = tuple[float, float, float, float]  # x0, y0, x1, y1 as shares of the frame
FULL: NormBox = (0.0, 0.0, 1.0, 1.0)


def body_box(pose: PoseFrame | None, margin: float = 0.2, min_share: float = 0.4) -> NormBox:
    """The part of the frame around the body, with a margin: a small person in a wide room
    fills the picture. At least `min_share` of the frame's larger side, so a close-up stays a
    close-up; the whole frame when too few points are seen."""
    if pose is None:
        return FULL
    w, h = pose.image_wh
    px = pose.image_px
    ok = ~np.isnan(px).any(axis=1) & (np.nan_to_num(pose.visibility) >= 0.3)
    pts = np.clip(px[ok], 0, [w, h])
    if len(pts) < 4:
        return FULL
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    side = max(x1 - x0, y1 - y0)
    half = max(side * (0.5 + margin), 0.5 * min_share * max(w, h))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # A square crop around the body, moved (not cut) where it meets the frame's edge.
    half_x, half_y = min(half, w / 2), min(half, h / 2)
    cx, cy = min(max(cx, half_x), w - half_x), min(max(cy, half_y), h - half_y)
    return ((cx - half_x) / w, (cy - half_y) / h, (cx + half_x) / w, (cy + half_y) / h)


def _box_px(box: NormBox, wh: tuple[int, int]) -> tuple[int, int, int, int]:
    w, h = wh
    x0, y0 = int(round(box[0] * w)), int(round(box[1] * h))
    return x0, y0, max(x0 + 1, int(round(box[2] * w))), max(y0 + 1, int(round(box[3] * h)))


def crop_pose(pose: PoseFrame, box: NormBox) -> PoseFrame:
    """The pose in the coordinates of a crop of its frame."""
    x0, y0, x1, y1 = box
    xy = (pose.image_xy - [x0, y0]) / [x1 - x0, y1 - y0]
    w, h = pose.image_wh
    return replace(pose, image_xy=xy, image_wh=(max(1, round((x1 - x0) * w)), max(1, round((y1 - y0) * h))))


def grab_frames(video: str | Path, boxes: dict[int, NormBox], rotate: int = 0) -> dict[int, np.ndarray]:
    """The frames at the keys of `boxes` (counted as the analysis counted them), cropped to
    their box at full resolution and then scaled for the report; only these are kept."""
    from posecount.media.sources import VideoSource

    out: dict[int, np.ndarray] = {}
    if not boxes:
        return out
    last = max(boxes)
    with VideoSource(video, max_side=None, rotate=rotate) as src:
        for i, frame in enumerate(src):
            if i in boxes:
                h, w = frame.image.shape[:2]
                x0, y0, x1, y1 = _box_px(boxes[i], (w, h))
                out[i] = fit(frame.image[y0:y1, x0:x1])
            if i >= last:
                break
    return out


def stick_canvas(image_wh: tuple[int, int], box: NormBox = FULL) -> np.ndarray:
    """A neutral background of the (cropped) frame's shape, for pose-track sources."""
    w, h = (box[2] - box[0]) * image_wh[0], (box[3] - box[1]) * image_wh[1]
    k = MAX_SIDE_PX / max(w, h)
    # Dark, like a video frame: the skeleton colours and the white labels read on it.
    return np.full((max(1, round(h * k)), max(1, round(w * k)), 3), 45, np.uint8)


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
    """One picture per key frame, cropped to the body: from `video` when given, else a stick figure."""
    poses = {kf.frame: (track.frame(kf.frame) if track is not None and kf.frame < len(track) else None)
             for kf in kfs}
    boxes = {i: body_box(p) for i, p in poses.items()}
    frames = grab_frames(video, boxes, rotate) if video is not None else {}
    images = []
    for kf in kfs:
        pose, box = poses[kf.frame], boxes[kf.frame]
        base = frames.get(kf.frame)
        if base is None:
            base = stick_canvas(track.image_wh if track is not None else (640, 360), box)
        img = render_key_frame(base, crop_pose(pose, box) if pose is not None else None, result.exercise,
                               result.signal_unit, kf, lang, blur)
        images.append(KeyFrameImage(kf.rep.index, kf.t_s, caption(kf, unit_text, lang), to_data_uri(img),
                                    bool(kf.rep.flags)))
    return images
