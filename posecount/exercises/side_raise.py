"""The side-lying leg raise: top leg up, hold 3 s, lower slowly without resting it; both sides.

Measured as the opening between the thighs; planned and counted per side lain on. The
harder level keeps the top leg straight and the bottom leg bent.
"""

from __future__ import annotations

import numpy as np

from posecount.analysis.exercises import SideRaise
from posecount.exercises.registry import Exercise, Level, Points, register
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame

FRONT_VIEW_MIN = 0.35  # shoulders / trunk in the image; real side-lying clips filmed from the front: 0.51–0.77
ALONG_BODY_MIN = 2.0  # seen from the feet or the head the trunk shrinks and this ratio grows


def levels(plan) -> tuple[Level, ...]:
    return (Level("bent-leg", "side-lying leg raise, top leg bent", plan.side_raise_start_reps,
                  hold_s=plan.side_raise_hold_s),
            Level("straight-leg", "side-lying leg raise, top leg straight and bottom leg bent",
                  plan.harder_start_reps, hold_s=plan.side_raise_hold_s))


def mark(pose: PoseFrame) -> tuple[Points, str] | None:
    p = pose.image_px
    hip = np.nanmean(p[[L.LEFT_HIP, L.RIGHT_HIP]], axis=0)
    return (p[L.LEFT_KNEE], hip, p[L.RIGHT_KNEE]), "opening"


def view_problem(shoulder_ratio: float) -> str | None:
    """Lying on the side and seen from the front, the shoulders stack: their image distance is
    still a good part of the trunk; a view along the body shrinks the trunk."""
    return None if FRONT_VIEW_MIN <= shoulder_ratio <= ALONG_BODY_MIN else "face_camera"


SIDE_RAISE = register(Exercise(
    name="side-raise", section="side_raise", analysis=SideRaise, signal="thigh_abduction", unit="deg",
    start_position="on_side", levels=levels,
    titles={"en": "Side-lying leg raise", "nl": "Been heffen in zijlig"},
    nouns={"en": ("leg raise", "leg raises"), "nl": ("beenheffing", "beenheffingen")},
    spoken={"en": "side leg raise", "nl": "been zijwaarts heffen"},
    mark=mark, per_side=True, hold_key="side_raise_hold_s", start_key="side_raise_start_reps",
    harder=("straight-leg",), view_problem=view_problem, report_target="target_side",
    colour="tab:orange", aliases=("side_raise", "sideraise"),
))
