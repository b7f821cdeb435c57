"""What to draw for the measured quantity of each exercise, and drawing it on a frame.

`measurement_mark` is pure (a pose and a value in, points and a label out), so which
joints are marked is tested without images; `draw_mark` puts it on a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from posecount.analysis.geometry import angle_deg
from posecount.media.render import ANGLE_COLOUR, draw_angle_at, frame_scale, put_text
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.report.texts import VIDEO

_STRETCH_DIFF_DEG = 35.0  # as the bridge signal: a knee this much straighter is the stretched leg
_FOOT = {"left": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE),
         "right": (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE)}


@dataclass(frozen=True)
class Mark:
    """An angle (a, vertex, c) or, for a height, a single anchor point; with its label."""

    points: tuple[np.ndarray, ...]  # 3 points for an angle, 1 for a height; pixels
    label: str  # ASCII (drawn with OpenCV)

    @property
    def is_angle(self) -> bool:
        return len(self.points) == 3


def _fmt_value(value: float, unit: str, lang: str) -> str:
    if math.isnan(value):
        return "?"
    if unit == "deg":
        return f"{value:.0f} deg"
    return f"{value:.2f} {VIDEO[lang]['leg_lengths']}"


def bridge_points(pose: PoseFrame) -> tuple[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
    """The supporting leg's shoulder, hip and knee: the bent leg if one is stretched, else the
    side seen best (the side nearer the camera)."""
    p = pose.image_px
    found = {}
    for side in ("left", "right"):
        up = side.upper()
        s, h, k, a = (L[f"{up}_{j}"] for j in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
        if np.isnan(p[[s, h, k]]).any():
            continue
        seen = float(np.min(np.nan_to_num(pose.visibility[[s, h, k, a]])))
        found[side] = (angle_deg(p[h], p[k], p[a]), seen, (p[s], p[h], p[k]))
    if not found:
        return None
    knees = [v[0] for v in found.values()]
    if len(found) == 2 and not np.isnan(knees).any() and abs(knees[0] - knees[1]) > _STRETCH_DIFF_DEG:
        side = min(found, key=lambda x: found[x][0])
    else:
        side = max(found, key=lambda x: found[x][1])
    return side, found[side][2]


def measurement_mark(exercise: str, pose: PoseFrame | None, value: float, unit: str = "deg",
                     lang: str = "en") -> Mark | None:
    """Where the measured value of `exercise` lives on the body, labelled with `value`."""
    if pose is None:
        return None
    p = pose.image_px
    text = _fmt_value(value, unit, lang)
    if exercise == "bridge":
        found = bridge_points(pose)
        if found is None:
            return None
        return Mark(found[1], f"{VIDEO[lang]['hip']} {text}")
    if exercise == "side-raise":
        hip = np.nanmean(p[[L.LEFT_HIP, L.RIGHT_HIP]], axis=0)
        return Mark((p[L.LEFT_KNEE], hip, p[L.RIGHT_KNEE]), f"{VIDEO[lang]['opening']} {text}")
    if exercise == "step-up":
        # The higher foot (smaller image y) is the one stepping.
        lows = {s: np.nanmax(p[list(idx)][:, 1]) if not np.isnan(p[list(idx)][:, 1]).all() else math.nan
                for s, idx in _FOOT.items()}
        known = [s for s in lows if not math.isnan(lows[s])]
        if not known:
            return None
        side = min(known, key=lambda s: lows[s])
        return Mark((p[_FOOT[side][2]],), f"{VIDEO[lang]['foot']} {text}")
    return None


def draw_mark(image: np.ndarray, mark: Mark | None, colour: tuple[int, int, int] = ANGLE_COLOUR) -> np.ndarray:
    """The mark on a copy of `image`: an angle with arms and arc, or a labelled point."""
    if mark is None:
        return image.copy()
    if mark.is_angle:
        return draw_angle_at(image, *mark.points, mark.label, colour)
    out = image.copy()
    (x, y) = mark.points[0]
    if math.isnan(x) or math.isnan(y):
        return out
    k = frame_scale(image)
    cv2.circle(out, (round(x), round(y)), max(4, round(7 * k)), colour, max(1, round(2 * k)), cv2.LINE_AA)
    put_text(out, mark.label, (round(x + 12 * k), round(y - 8 * k)), 0.6 * k, colour)
    return out
