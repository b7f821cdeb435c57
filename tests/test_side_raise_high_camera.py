"""A side raise filmed from high up against a knee lifted lying on the back filmed obliquely
(issue 15, "the side raise from every view"): both stack the shoulders and hips less than a
side-lying person seen level; the knee's path in the body's own frame tells them apart."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posecount.analysis.side_signals import body_axes, knee_sideways
from posecount.pose.landmarks import N_LANDMARKS, PoseFrame
from posecount.pose.landmarks import Landmark as L
from posecount.settings import load_settings
from tests.synth import PX_PER_M, run, sample, side_raise_reps
from tests.test_side_raise_views import _rotate, side_lying_3d

X = np.array([1.0, 0.0, 0.0])


def on_the_back_3d(knee_lift_deg: float) -> np.ndarray:
    """The same body lying on its back (front up, +y), the right knee lifted towards the chest
    by `knee_lift_deg` (hip flexion, as in a single-leg bridge or a leg lift)."""
    lifted = side_lying_3d(0.0, hip_flexion_deg=40.0 + knee_lift_deg)
    body = side_lying_3d(0.0)
    for j in (L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX):
        body[j] = lifted[j]
    return np.array([_rotate(v, X, -90.0) for v in body])


def seen_from_above(t_s: float, body: np.ndarray, elevation_deg: float) -> PoseFrame:
    """The body seen by a camera in front of +z, `elevation_deg` above it, looking down at it
    (orthographic; the head to the right of the image)."""
    e = math.radians(elevation_deg)
    up = np.array([0.0, math.cos(e), -math.sin(e)])
    away = np.array([0.0, -math.sin(e), -math.cos(e)])  # the camera's line of sight
    body = body - (body[L.LEFT_HIP] + body[L.RIGHT_HIP]) / 2
    x, y, z = body @ X, body @ up, body @ away
    world = np.column_stack([x, -y, z])
    px = np.column_stack([320.0 + PX_PER_M * 0.6 * x, 300.0 - PX_PER_M * 0.6 * y])
    return PoseFrame.from_arrays(t_s, px / (640.0, 480.0), world, np.full(N_LANDMARKS, 0.99),
                                 np.ones(N_LANDMARKS), (640, 480))


def _clip(make_body, elevation_deg: float, n: int = 3, fps: float = 15.0):
    keys = side_raise_reps(n, open_deg=40.0)
    times = np.arange(0.0, keys[-1][0] + 1e-9, 1.0 / fps)
    return [(float(t), seen_from_above(float(t), make_body(sample(keys, t)["abduction_deg"]), elevation_deg))
            for t in times]


def test_the_two_views_stack_alike_and_below_the_level_limit():
    # A person on the side filmed 60 deg from above, and one on the back filmed 30 deg from
    # above, turned by 90 deg: the same image and the same world landmarks at rest.
    from posecount.analysis.signals import across_trunk
    cfg = load_settings().side_raise
    side = across_trunk(seen_from_above(0.0, side_lying_3d(0.0), 60.0))
    back = across_trunk(seen_from_above(0.0, on_the_back_3d(0.0), 30.0))
    assert side == pytest.approx(back, abs=0.01)
    assert cfg.stacked_sideways_min <= side < cfg.stacked_min


def test_a_side_raise_filmed_from_high_up_counts():
    # The rendered straight-leg raises of a small figure filmed 1.2 m up (sweeps 9017, 11015)
    # were "not lying on the side": they stack 0.27-0.33.
    result, _ = run(_clip(side_lying_3d, 60.0), "side-raise")
    assert result.count == 3
    assert {r.side for r in result.reps} == {"left"}


def test_a_knee_lifted_on_the_back_filmed_obliquely_does_not_count():
    result, _ = run(_clip(on_the_back_3d, 30.0), "side-raise")
    assert result.count == 0


def test_the_knee_path_along_the_body_width_or_depth():
    raised = body_axes(side_lying_3d(40.0))
    rest = body_axes(side_lying_3d(0.0))
    path = np.array([raised[f"right_knee_w{a}"] - rest[f"right_knee_w{a}"] for a in "xyz"])
    width = np.array([rest[f"width_w{a}"] for a in "xyz"])
    trunk = np.array([rest[f"trunk_w{a}"] for a in "xyz"])
    assert knee_sideways(path, width, trunk) > 0.95
    lifted = body_axes(on_the_back_3d(40.0))
    down = body_axes(on_the_back_3d(0.0))
    path = np.array([lifted[f"right_knee_w{a}"] - down[f"right_knee_w{a}"] for a in "xyz"])
    width = np.array([down[f"width_w{a}"] for a in "xyz"])
    trunk = np.array([down[f"trunk_w{a}"] for a in "xyz"])
    assert knee_sideways(path, width, trunk) < 0.3
    # Sliding along the trunk is neither; no path, no answer.
    assert math.isnan(knee_sideways(np.zeros(3), width, trunk))
