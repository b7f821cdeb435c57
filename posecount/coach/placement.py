"""Is the person placed so that the exercise can be measured? Pure checks on one pose.

Before counting the coach wants the whole body in view, the right view for the exercise
and enough light; counting starts by itself once that has held for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecount import exercises
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import PlacementSettings, Settings

BODY = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE,
        L.LEFT_ANKLE, L.RIGHT_ANKLE)
_DEFAULTS = Settings()  # thresholds.toml's values (a test keeps the two equal): [placement] and the view limits


@dataclass(frozen=True)
class Placement:
    ok: bool
    problem: str | None  # a cue key from posecount.coach.cues: get_in_view, turn_side, face_camera, more_light


def shoulder_ratio(pose: PoseFrame) -> float:
    """Shoulder width over trunk length in the image (how square to the camera the body is):
    near 0 seen from the side, about 0.6-0.9 seen from the front."""
    p = pose.image_px
    shoulders = np.linalg.norm(p[L.LEFT_SHOULDER] - p[L.RIGHT_SHOULDER])
    trunk = np.linalg.norm((p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2 - (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2)
    return float(shoulders / trunk) if trunk > 0 else float("nan")


def check_placement(pose: PoseFrame | None, exercise: str, brightness: float | None = None,
                    settings: Settings = _DEFAULTS) -> Placement:
    """Whether `pose` is measurable for `exercise`; the first problem found, as a cue key."""
    c = settings.placement
    if brightness is not None and brightness < c.min_brightness_grey:
        return Placement(False, "more_light")
    if pose is None:
        return Placement(False, "get_in_view")
    idx = list(BODY)
    xy = pose.image_xy[idx]
    inside = (xy > c.edge_frac).all(axis=1) & (xy < 1 - c.edge_frac).all(axis=1)
    if (pose.presence[idx] < c.min_presence_frac).any() or not inside.all():
        return Placement(False, "get_in_view")
    ex = exercises.find(exercise)
    problem = ex.view_problem(shoulder_ratio(pose), settings) if ex is not None else None
    return Placement(problem is None, problem)


class ReadyGate:
    """Opens once placement has been fine for `hold_s` seconds in a row; stays open after."""

    def __init__(self, hold_s: float = PlacementSettings.ready_hold_s) -> None:
        self.hold_s = hold_s
        self._since: float | None = None
        self.open = False

    def update(self, t_s: float, placement: Placement) -> bool:
        if self.open:
            return True
        if not placement.ok:
            self._since = None
            return False
        if self._since is None:
            self._since = t_s
        self.open = t_s - self._since >= self.hold_s
        return self.open
