"""The bridge: lying on the back, pelvis up until trunk and thighs are in line, hold 5-10 s.

Measured as the hip's extension (shoulder-hip-knee angle) seen from the side; the harder
level stretches one leg during the hold, left and right in turn.
"""

from __future__ import annotations

import numpy as np

from posecount.analysis.exercises import Bridge
from posecount.analysis.geometry import angle_deg
from posecount.exercises.registry import Exercise, Level, Points, register
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame

SIDE_VIEW_MAX = 0.6  # shoulders / trunk in the image; real side and oblique (±30°) bridge clips: 0.14–0.49
_STRETCH_DIFF_DEG = 35.0  # a knee this much straighter than the other is the stretched leg


def levels(plan) -> tuple[Level, ...]:
    return (Level("basic", "bridge", plan.bridge_start_reps, hold_s=plan.bridge_hold_s),
            Level("leg-stretch", "bridge, stretching the left and right leg in turn",
                  plan.harder_start_reps, hold_s=plan.bridge_hold_s))


def support_points(pose: PoseFrame) -> tuple[str, Points] | None:
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


def mark(pose: PoseFrame) -> tuple[Points, str] | None:
    found = support_points(pose)
    return None if found is None else (found[1], "hip")


def view_problem(shoulder_ratio: float) -> str | None:
    return "turn_side" if shoulder_ratio > SIDE_VIEW_MAX else None


BRIDGE = register(Exercise(
    name="bridge", section="bridge", analysis=Bridge, signal="hip_extension", unit="deg",
    start_position="on_back", levels=levels,
    titles={"en": "Bridge", "nl": "Bruggetje"},
    nouns={"en": ("bridge", "bridges"), "nl": ("bruggetje", "bruggetjes")},
    spoken={"en": "bridge", "nl": "de brug"},
    mark=mark, hold_key="bridge_hold_s", start_key="bridge_start_reps",
    harder=("leg-stretch", "single-leg"), variantless_reps_count=True, view_problem=view_problem,
    colour="tab:blue",
))
