"""What to draw for the measured quantity of each exercise, and drawing it on a frame.

`measurement_mark` is pure (a pose and a value in, points and a label out), so which
joints are marked is tested without images; `draw_mark` puts it on a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from posecount import exercises
from posecount.media.render import ANGLE_COLOUR, draw_angle_at, frame_scale
from posecount.media.text import put_text
from posecount.pose.landmarks import PoseFrame
from posecount.report.texts import VIDEO


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


def measurement_mark(exercise: str, pose: PoseFrame | None, value: float, unit: str = "deg",
                     lang: str = "en") -> Mark | None:
    """Where the measured value of `exercise` lives on the body, labelled with `value`."""
    if pose is None:
        return None
    ex = exercises.find(exercise)
    found = ex.mark(pose) if ex is not None else None
    if found is None:
        return None
    points, label = found
    return Mark(points, f"{VIDEO[lang][label]} {_fmt_value(value, unit, lang)}")


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
