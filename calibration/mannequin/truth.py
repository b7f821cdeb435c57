"""Truth signals of a posed figure: the quantities the counters measure, known exactly.

Signals (per frame):
- `bridge_angle_3d_deg`: shoulder-hip-knee angle in 3D, mean of both sides;
- `bridge_angle_image_deg`: the same angle as seen in the image (mean of both sides), which
  is what a side-view counter measures;
- `thigh_angle_deg` / `thigh_angle_image_deg`: angle between the two thighs (hip -> knee);
- `knee_angle_left_deg` / `_right_deg`: hip-knee-ankle angle in 3D (180 = straight), and
  `knee_angle_image_left_deg` / `_right_deg` as seen in the image;
- `foot_height_left_leglen` / `_right_leglen`: sole height above the floor in leg lengths.

Per rep, `perceived_hold_s` times a hold the way people time it by eye (see HOLD_LEVEL).
"""

from __future__ import annotations

import numpy as np

from calibration.mannequin.body import BodySize, Posed
from calibration.mannequin.camera import Camera
from calibration.mannequin.poses import angle_deg, vec_angle_deg

SIGNALS = (
    "bridge_angle_3d_deg", "bridge_angle_image_deg", "thigh_angle_deg", "thigh_angle_image_deg",
    "knee_angle_left_deg", "knee_angle_right_deg", "knee_angle_image_left_deg", "knee_angle_image_right_deg",
    "foot_height_left_leglen", "foot_height_right_leglen",
)

# A hold as a person times it: the time the signal stays in the top 15 % of the rep's rise.
# The eased ends of a rise and a lowering (slow, near the top) look like holding; the hand-timed
# holds of the real clips match this band best (0.80-0.85 of the range; thresholds.toml,
# hold_level_frac). The scripted motionless hold is kept beside it as `hold_script_s`.
# A step-up's hold is the time standing on the step, as the hand-labelled real clips time it: the
# lower of the two feet in the top 15 % of its rise (both feet up; the scripted motionless hold
# leaves out the trailing foot's landing and the lead foot's first lift, 0.5 s on average).
HOLD_LEVEL = 0.85
HOLD_SIGNALS = {"bridge": "bridge_angle_image_deg", "side-raise": "thigh_angle_image_deg",
                "step-up": "lower_foot_height_leglen"}


def hold_signal(exercise: str | None, signals: dict[str, list[float]]) -> list[float] | None:
    """The per-frame signal whose top band is the exercise's hold (None: no such signal)."""
    key = HOLD_SIGNALS.get(exercise or "")
    if key == "lower_foot_height_leglen" and "foot_height_left_leglen" in signals:
        return [min(a, b) for a, b in zip(signals["foot_height_left_leglen"], signals["foot_height_right_leglen"])]
    return signals.get(key) if key else None


def perceived_hold_s(t_s: list[float], values: list[float], start_s: float, end_s: float,
                     level: float = HOLD_LEVEL) -> float | None:
    """Seconds the signal spends at or above `level` of its rise from `start_s` (the rest it
    starts from) to its peak before `end_s`; None without samples."""
    t = np.asarray(t_s, dtype=float)
    v = np.asarray(values, dtype=float)
    inside = (t >= start_s) & (t <= end_s)
    if inside.sum() < 2:
        return None
    tw, vw = t[inside], v[inside]
    rest, peak = float(vw[0]), float(vw.max())
    if not peak > rest:
        return 0.0
    up = np.flatnonzero(vw >= rest + level * (peak - rest))
    return float(tw[up[-1]] - tw[up[0]])


def truth_signals(p: Posed, cam: Camera, body: BodySize) -> dict[str, float]:
    b = body.scaled()
    names = [f"{s}_{j}" for s in "lr" for j in ("shoulder", "hip", "knee", "ankle")]
    px, _ = cam.project(np.stack([p[n] for n in names]))
    q = dict(zip(names, px))
    out = {
        "bridge_angle_3d_deg": float(np.mean([angle_deg(p[f"{s}_shoulder"], p[f"{s}_hip"], p[f"{s}_knee"])
                                              for s in "lr"])),
        "bridge_angle_image_deg": float(np.mean([angle_deg(q[f"{s}_shoulder"], q[f"{s}_hip"], q[f"{s}_knee"])
                                                 for s in "lr"])),
        "thigh_angle_deg": vec_angle_deg(p["l_knee"] - p["l_hip"], p["r_knee"] - p["r_hip"]),
        "thigh_angle_image_deg": vec_angle_deg(q["l_knee"] - q["l_hip"], q["r_knee"] - q["r_hip"]),
        "knee_angle_left_deg": angle_deg(p["l_hip"], p["l_knee"], p["l_ankle"]),
        "knee_angle_right_deg": angle_deg(p["r_hip"], p["r_knee"], p["r_ankle"]),
        "knee_angle_image_left_deg": angle_deg(q["l_hip"], q["l_knee"], q["l_ankle"]),
        "knee_angle_image_right_deg": angle_deg(q["r_hip"], q["r_knee"], q["r_ankle"]),
        "foot_height_left_leglen": (float(p["l_ankle"][1]) - b.ankle_height) / b.leg_length,
        "foot_height_right_leglen": (float(p["r_ankle"][1]) - b.ankle_height) / b.leg_length,
    }
    return out


# MediaPipe landmark indices of the same points (the person's left/right).
MP = {"l_shoulder": 11, "r_shoulder": 12, "l_hip": 23, "r_hip": 24, "l_knee": 25, "r_knee": 26,
      "l_ankle": 27, "r_ankle": 28}


def measured_signals(image_px: np.ndarray, world_xyz: np.ndarray) -> dict[str, float]:
    """The same signals from MediaPipe landmarks ((33, 2) pixels, (33, 3) world metres).

    Foot heights are left out: MediaPipe's world frame has no floor.
    """
    q = {k: image_px[i] for k, i in MP.items()}
    w = {k: world_xyz[i] for k, i in MP.items()}
    return {
        "bridge_angle_3d_deg": float(np.mean([angle_deg(w[f"{s}_shoulder"], w[f"{s}_hip"], w[f"{s}_knee"])
                                              for s in "lr"])),
        "bridge_angle_image_deg": float(np.mean([angle_deg(q[f"{s}_shoulder"], q[f"{s}_hip"], q[f"{s}_knee"])
                                                 for s in "lr"])),
        "thigh_angle_deg": vec_angle_deg(w["l_knee"] - w["l_hip"], w["r_knee"] - w["r_hip"]),
        "thigh_angle_image_deg": vec_angle_deg(q["l_knee"] - q["l_hip"], q["r_knee"] - q["r_hip"]),
        "knee_angle_left_deg": angle_deg(w["l_hip"], w["l_knee"], w["l_ankle"]),
        "knee_angle_right_deg": angle_deg(w["r_hip"], w["r_knee"], w["r_ankle"]),
        "knee_angle_image_left_deg": angle_deg(q["l_hip"], q["l_knee"], q["l_ankle"]),
        "knee_angle_image_right_deg": angle_deg(q["r_hip"], q["r_knee"], q["r_ankle"]),
    }


# The signals each exercise's check compares (step-up and non-targets: the knees in the image,
# where "knees_image_deg" forgives a left/right swap, common for MediaPipe in a side view).
KNEES = "knees_image_deg"
CHECKED = {
    "bridge": ("bridge_angle_image_deg", "bridge_angle_3d_deg"),
    "side-raise": ("thigh_angle_image_deg", "thigh_angle_deg"),
    "step-up": (KNEES,),
    None: (KNEES,),
}


def signal_error(name: str, measured: dict[str, float], truth_frame: dict[str, float]) -> float:
    """Absolute error of one checked signal in one frame (degrees)."""
    if name == KNEES:
        ml, mr = measured["knee_angle_image_left_deg"], measured["knee_angle_image_right_deg"]
        tl, tr = truth_frame["knee_angle_image_left_deg"], truth_frame["knee_angle_image_right_deg"]
        return min(abs(ml - tl) + abs(mr - tr), abs(ml - tr) + abs(mr - tl)) / 2
    return abs(measured[name] - truth_frame[name])
