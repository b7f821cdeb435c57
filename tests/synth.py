"""A synthetic pose generator for the analysis tests: a 2D stick figure posed by joint angles.

Poses are built in a body plane (u to the right, v up, pixels), then placed in an image
(optionally mirrored or turned by 90 degrees) and turned into `PoseFrame`s with MediaPipe's
33 landmarks, visibility, and world coordinates. Left and right are the person's own sides.

    seq = bridge_reps(3, hold_s=5)            # keyframes of joint angles over time
    poses = render(seq, bridge_pose, fps=30)   # -> list of (t_s, PoseFrame | None)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from posecount.pose.landmarks import N_LANDMARKS, PoseFrame
from posecount.pose.landmarks import Landmark as L

TRUNK, THIGH, SHIN, UPPER_ARM, FOREARM, HEAD = 180.0, 130.0, 125.0, 90.0, 80.0, 45.0
PX_PER_M = 360.0  # for world landmarks: a 180 px trunk is 0.5 m
SIDES = ("left", "right")

Joints = dict[str, tuple[float, float]]  # "left_knee" -> (u, v); also "head"


def _dir(deg: float) -> np.ndarray:
    return np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))])


def _at(p, deg: float, length: float) -> tuple[float, float]:
    r = math.radians(deg)
    return float(p[0]) + length * math.cos(r), float(p[1]) + length * math.sin(r)


def _angle_of(v) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


# --- poses ------------------------------------------------------------------------------------

def bridge_pose(hip_deg: float, knee_deg: float = 85.0, stretch: str | None = None,
                stretch_knee_deg: float = 178.0, drawn: str | None = None, drawn_hip_deg: float = 100.0,
                drawn_knee_deg: float = 130.0) -> Joints:
    """On the back, seen from the side, head to the left. The trunk lifts until the
    supporting foot is flat on the floor (v = 0): `hip_deg` is shoulder-hip-knee. The `drawn`
    leg is held up off the floor, its hip bent to `drawn_hip_deg` and its knee to `drawn_knee_deg`."""
    shoulder = (0.0, 0.0)

    def ankle_v(e: float) -> float:
        hip = _at(shoulder, e, TRUNK)
        a = e + (180.0 - hip_deg)
        knee = _at(hip, a, THIGH)
        return _at(knee, a - (180.0 - knee_deg), SHIN)[1]

    lo, hi = -20.0, 70.0  # trunk elevation (deg) that puts the foot on the floor
    for _ in range(30):
        mid = (lo + hi) / 2
        if ankle_v(mid) > 0:
            hi = mid
        else:
            lo = mid
    e = (lo + hi) / 2
    hip = _at(shoulder, e, TRUNK)
    a = e + (180.0 - hip_deg)
    knee = _at(hip, a, THIGH)
    ankle = _at(knee, a - (180.0 - knee_deg), SHIN)
    j: Joints = {"head": _at(shoulder, 180.0, HEAD)}
    for s in SIDES:
        j[f"{s}_shoulder"], j[f"{s}_hip"] = shoulder, hip
        j[f"{s}_elbow"] = _at(shoulder, -5.0, UPPER_ARM)
        j[f"{s}_wrist"] = _at(j[f"{s}_elbow"], -5.0, FOREARM)
        if s == stretch:
            k = _at(hip, a, THIGH)
            j[f"{s}_knee"], j[f"{s}_ankle"] = k, _at(k, a - (180.0 - stretch_knee_deg), SHIN)
        elif s == drawn:
            d = e + (180.0 - drawn_hip_deg)
            k = _at(hip, d, THIGH)
            j[f"{s}_knee"], j[f"{s}_ankle"] = k, _at(k, d - (180.0 - drawn_knee_deg), SHIN)
        else:
            j[f"{s}_knee"], j[f"{s}_ankle"] = knee, ankle
        j[f"{s}_foot"] = _at(j[f"{s}_ankle"], _angle_of(np.subtract(j[f"{s}_ankle"], j[f"{s}_knee"])) + 70, 35)
    return j


def side_lying_pose(abduction_deg: float, lying_on: str = "left", top_knee_deg: float = 90.0,
                    bottom_knee_deg: float = 90.0, hip_flexion_deg: float = 30.0) -> Joints:
    """On the side, seen from the front, head to the right (lying on the left side with the face
    to the camera). `abduction_deg` opens the top thigh away from the bottom one."""
    top = "right" if lying_on == "left" else "left"
    j: Joints = {"head": (HEAD, 35.0)}
    stack = {lying_on: 0.0, top: 1.0}
    down_dir = 180.0 + hip_flexion_deg  # thighs point to the feet and forward (down in the image)
    for s in SIDES:
        j[f"{s}_shoulder"] = (0.0, 100.0 * stack[s])
        j[f"{s}_hip"] = (-TRUNK, 65.0 * stack[s])
        j[f"{s}_elbow"] = _at(j[f"{s}_shoulder"], -60.0, UPPER_ARM)
        j[f"{s}_wrist"] = _at(j[f"{s}_elbow"], 10.0, FOREARM)
        d = down_dir - (abduction_deg if s == top else 0.0)
        knee_deg = top_knee_deg if s == top else bottom_knee_deg
        j[f"{s}_knee"] = _at(j[f"{s}_hip"], d, THIGH * 0.85)
        j[f"{s}_ankle"] = _at(j[f"{s}_knee"], d + (180.0 - knee_deg), SHIN * 0.85)
        j[f"{s}_foot"] = _at(j[f"{s}_ankle"], d + (180.0 - knee_deg) - 90, 30)
    return j


def _knee_ik(hip, ankle, forward: float) -> tuple[float, float]:
    """Knee of a two-segment leg from hip to ankle, bending towards `forward` (+1/-1 along u)."""
    h, a = np.asarray(hip, float), np.asarray(ankle, float)
    d = float(np.linalg.norm(a - h))
    d = min(d, THIGH + SHIN - 1e-6)
    along = (THIGH**2 - SHIN**2 + d**2) / (2 * d)
    off = math.sqrt(max(THIGH**2 - along**2, 0.0))
    axis = (a - h) / (np.linalg.norm(a - h) or 1.0)
    perp = np.array([-axis[1], axis[0]])
    if perp[0] * forward < 0:
        perp = -perp
    k = h + along * axis + off * perp
    return float(k[0]), float(k[1])


def standing_pose(left_foot=(0.0, 0.0), right_foot=(0.0, 0.0), pelvis_lift: float = 0.0,
                  pelvis_u: float = 0.0, view: str = "side", lean_deg: float = 5.0) -> Joints:
    """Standing, seen from the side (facing +u) or the front; feet given as (u, v) of the sole."""
    spread = 0.0 if view == "side" else 40.0
    pelvis_v = 8.0 + 240.0 + pelvis_lift
    j: Joints = {}
    for s, foot in (("left", left_foot), ("right", right_foot)):
        side_u = (spread if s == "left" else -spread)
        hip = (pelvis_u + side_u, pelvis_v)
        ankle = (foot[0] + side_u, foot[1] + 8.0)
        j[f"{s}_hip"], j[f"{s}_ankle"] = hip, ankle
        # Seen from the front, a bending knee comes towards the camera: midway in the image.
        j[f"{s}_knee"] = _knee_ik(hip, ankle, 1.0) if view == "side" else \
            ((hip[0] + ankle[0]) / 2, (hip[1] + ankle[1]) / 2)
        j[f"{s}_foot"] = (ankle[0] + (30.0 if view == "side" else 0.0), foot[1])
        sh = _at((pelvis_u, pelvis_v), 90.0 - lean_deg, TRUNK)
        j[f"{s}_shoulder"] = (sh[0] + 1.5 * side_u, sh[1])
        j[f"{s}_elbow"] = (j[f"{s}_shoulder"][0], sh[1] - UPPER_ARM)
        j[f"{s}_wrist"] = (j[f"{s}_shoulder"][0], sh[1] - UPPER_ARM - FOREARM)
    j["head"] = _at(_at((pelvis_u, pelvis_v), 90.0 - lean_deg, TRUNK), 90.0, HEAD)
    return j


# --- landmarks, image placement ---------------------------------------------------------------

_JOINT_LM = {
    "shoulder": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), "elbow": (L.LEFT_ELBOW, L.RIGHT_ELBOW),
    "wrist": (L.LEFT_WRIST, L.RIGHT_WRIST), "hip": (L.LEFT_HIP, L.RIGHT_HIP),
    "knee": (L.LEFT_KNEE, L.RIGHT_KNEE), "ankle": (L.LEFT_ANKLE, L.RIGHT_ANKLE),
}
_HANDS = ((L.LEFT_PINKY, L.LEFT_INDEX, L.LEFT_THUMB), (L.RIGHT_PINKY, L.RIGHT_INDEX, L.RIGHT_THUMB))


@dataclass(frozen=True)
class Camera:
    """Where the body plane lands in the image, and how the video is turned."""

    image_wh: tuple[int, int] = (640, 480)
    origin: tuple[float, float] = (260.0, 330.0)  # image pixel of body-plane (0, 0)
    scale: float = 1.0
    mirror: bool = False  # a mirrored video: image x flipped, labels kept (the person's sides)
    rotate90: bool = False  # the video turned by 90 degrees (clockwise)
    depth_px: float = 4.0  # image offset between the near (left) and the far (right) side
    far_visibility: float = 0.85
    foreshorten: float = 1.0  # < 1: the body seen along its length (from the head or feet)
    side_depth_m: float = 0.2  # world depth between the near (left) and the far (right) side


# Cameras that frame each start position in a 640 x 480 image.
CAM_BACK = Camera(origin=(170.0, 330.0))
# Lying on the side and seen from the front, left and right lie one above the other, not one
# behind the other: no depth between them (the world landmarks' hip axis is the image's).
CAM_SIDE = Camera(origin=(470.0, 250.0), depth_px=0.0, side_depth_m=0.0)
CAM_STAND = Camera(origin=(260.0, 440.0), scale=0.8)


def landmarks_uv(j: Joints, depth_px: float) -> tuple[np.ndarray, np.ndarray]:
    """(33, 2) body-plane points and (33,) depth (+ = far side) from joints."""
    uv = np.full((N_LANDMARKS, 2), np.nan)
    z = np.zeros(N_LANDMARKS)
    for name, (li, ri) in _JOINT_LM.items():
        for s, idx in (("left", li), ("right", ri)):
            uv[idx] = j[f"{s}_{name}"]
            z[idx] = 0.0 if s == "left" else 1.0
    for s, (ankle, heel, toe) in (("left", (L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX)),
                                  ("right", (L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX))):
        a, f = np.asarray(j[f"{s}_ankle"]), np.asarray(j[f"{s}_foot"])
        uv[toe] = f
        uv[heel] = a + 0.35 * (a - f) if np.linalg.norm(a - f) > 0 else a
        uv[heel][1] = min(uv[heel][1], uv[toe][1]) if f[1] < a[1] else uv[heel][1]
        z[heel] = z[toe] = z[ankle]
    for hand, s in zip(_HANDS, SIDES):
        for idx in hand:
            uv[idx] = j[f"{s}_wrist"]
            z[idx] = 0.0 if s == "left" else 1.0
    head = np.asarray(j["head"])
    for idx in range(0, 11):
        uv[idx] = head + np.array([(idx % 3 - 1) * 4.0, (idx // 4) * 3.0])
    uv += np.where(z[:, None] > 0, depth_px, 0.0)
    return uv, z


def to_frame(t_s: float, j: Joints, cam: Camera, rng: np.random.Generator | None = None,
             jitter_px: float = 0.0, hidden: Sequence[int] = ()) -> PoseFrame:
    uv, z = landmarks_uv(j, cam.depth_px)
    world = np.column_stack([uv[:, 0], -uv[:, 1], (z - 0.5) * cam.side_depth_m * PX_PER_M]) / PX_PER_M
    world -= (world[L.LEFT_HIP] + world[L.RIGHT_HIP]) / 2
    if cam.foreshorten < 1.0:  # the body's long axis (u) turned towards the camera (a rotation)
        world[:, 2] += world[:, 0] * math.sqrt(1 - cam.foreshorten**2)
        world[:, 0] *= cam.foreshorten
        uv = uv.copy()
        uv[:, 0] *= cam.foreshorten
    px = np.column_stack([cam.origin[0] + cam.scale * uv[:, 0], cam.origin[1] - cam.scale * uv[:, 1]])
    if jitter_px and rng is not None:
        px = px + rng.normal(0.0, jitter_px, px.shape)
    w, h = cam.image_wh
    if cam.mirror:
        px[:, 0] = w - px[:, 0]
    if cam.rotate90:
        px = np.column_stack([h - px[:, 1], px[:, 0]])
        w, h = h, w
        world = np.column_stack([-world[:, 1], world[:, 0], world[:, 2]])  # MediaPipe's turn with the image
    vis = np.where(z > 0, cam.far_visibility, 0.99)
    vis[list(hidden)] = 0.05
    return PoseFrame.from_arrays(t_s, px / np.array([w, h]), world, vis, np.ones(N_LANDMARKS), (w, h))


# --- motion -----------------------------------------------------------------------------------

Keyframes = list[tuple[float, dict[str, float]]]


def _ease(x: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(max(x, 0.0), 1.0))


def sample(keys: Keyframes, t_s: float) -> dict[str, float]:
    """Eased interpolation between keyframes (a human moves smoothly)."""
    if t_s <= keys[0][0]:
        return dict(keys[0][1])
    for (t0, a), (t1, b) in zip(keys, keys[1:]):
        if t_s <= t1:
            f = _ease((t_s - t0) / (t1 - t0)) if t1 > t0 else 1.0
            return {k: a[k] + f * (b[k] - a[k]) for k in a}
    return dict(keys[-1][1])


def render(keys: Keyframes, pose: Callable[..., Joints], fps: float = 30.0, cam: Camera = Camera(),
           jitter_px: float = 0.0, seed: int = 0, gaps: Sequence[tuple[float, float]] = (),
           fixed: dict | None = None, hidden: Sequence[int] = ()) -> list[tuple[float, PoseFrame | None]]:
    """Frames at `fps` from keyframes; None inside `gaps` (no person found)."""
    rng = np.random.default_rng(seed)
    out = []
    n = int(round(keys[-1][0] * fps)) + 1
    for i in range(n):
        t = i / fps
        if any(a <= t < b for a, b in gaps):
            out.append((t, None))
            continue
        params = {**sample(keys, t), **(fixed or {})}
        out.append((t, to_frame(t, pose(**params), cam, rng, jitter_px, hidden)))
    return out


def bridge_reps(n: int, rest_deg: float = 130.0, top_deg: float = 178.0, rest_s: float = 1.5,
                rise_s: float = 1.0, hold_s: float = 5.0, lower_s: float = 1.5,
                first_rest_s: float = 1.5) -> Keyframes:
    """`n` bridges: rest, rise, hold at the top, lower slowly."""
    keys: Keyframes = [(0.0, {"hip_deg": rest_deg, "knee_deg": 80.0})]
    t = first_rest_s
    keys.append((t, {"hip_deg": rest_deg, "knee_deg": 80.0}))
    for _ in range(n):
        top = {"hip_deg": top_deg, "knee_deg": 95.0}
        rest = {"hip_deg": rest_deg, "knee_deg": 80.0}
        t += rise_s
        keys.append((t, top))
        t += hold_s
        keys.append((t, top))
        t += lower_s
        keys.append((t, rest))
        t += rest_s
        keys.append((t, rest))
    return keys


def side_raise_reps(n: int, open_deg: float = 35.0, rest_deg: float = 2.0, rise_s: float = 0.8,
                    hold_s: float = 3.0, lower_s: float = 1.0, rest_s: float = 1.0,
                    first_rest_s: float = 1.5) -> Keyframes:
    keys: Keyframes = [(0.0, {"abduction_deg": 0.0}), (first_rest_s, {"abduction_deg": 0.0})]
    t = first_rest_s
    for _ in range(n):
        for dt, v in ((rise_s, open_deg), (hold_s, open_deg), (lower_s, rest_deg), (rest_s, rest_deg)):
            t += dt
            keys.append((t, {"abduction_deg": v}))
    return keys


STEP_H = 50.0  # step height in pixels (~0.2 leg lengths)
STEP_U = 110.0  # how far in front the step is (side view)


def step_up_reps(n: int, lag_s: float = 0.5, top_s: float = 1.0, rest_s: float = 1.5,
                 step_u: float = STEP_U, lead: str = "left", first_rest_s: float = 1.5,
                 together: bool = False) -> Keyframes:
    """`n` step-ups: lead foot up, trail foot up (body rises), lead down, trail down."""
    trail = "right" if lead == "left" else "left"

    def st(lead_up: bool, trail_up: bool) -> dict[str, float]:
        d = {}
        for leg, up in ((lead, lead_up), (trail, trail_up)):
            d[f"{leg}_u"], d[f"{leg}_v"] = (step_u, STEP_H) if up else (0.0, 0.0)
        both = lead_up and trail_up
        d["pelvis_lift"], d["pelvis_u"] = (STEP_H, step_u) if both else (0.0, 0.0)
        return d

    keys: Keyframes = [(0.0, st(False, False)), (first_rest_s, st(False, False))]
    t = first_rest_s
    up1, down1 = (st(True, True), st(False, False)) if together else (st(True, False), st(False, True))
    for _ in range(n):
        for dt, d in ((0.5, up1), (lag_s, st(True, True)), (top_s, st(True, True)),
                      (0.5, down1), (lag_s, st(False, False)), (rest_s, st(False, False))):
            t += dt
            keys.append((t, d))
    return keys


def standing_from_params(left_u=0.0, left_v=0.0, right_u=0.0, right_v=0.0, pelvis_lift=0.0,
                         pelvis_u=0.0, view="side", lean_deg=5.0) -> Joints:
    return standing_pose((left_u, left_v), (right_u, right_v), pelvis_lift, pelvis_u, view, lean_deg)


def foot_lift_lost_to_perspective(frames, kept: float):
    """Seen from the front by a camera at about hip height, a foot stepping onto a step in front
    of the person comes towards the camera, which lowers it in the image: only `kept` of each
    foot point's lift above its first position stays in the image. World landmarks keep it all
    (MediaPipe estimates them in 3D)."""
    feet = [L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX]
    rest_y = None
    out = []
    for t_s, pose in frames:
        if pose is None:
            out.append((t_s, None))
            continue
        xy = pose.image_xy.copy()
        if rest_y is None:
            rest_y = xy[feet, 1].copy()
        xy[feet, 1] = rest_y - kept * (rest_y - xy[feet, 1])
        out.append((t_s, replace(pose, image_xy=xy)))
    return out


def squats(n: int, depth_px: float = 110.0, period_s: float = 2.5) -> Keyframes:
    """Squats seen from the side: hips back and down, trunk leaning forward, feet still."""
    stand = {"pelvis_lift": 0.0, "pelvis_u": 0.0, "lean_deg": 5.0}
    low = {"pelvis_lift": -depth_px, "pelvis_u": -45.0, "lean_deg": 35.0}
    keys: Keyframes = [(0.0, stand), (1.0, stand)]
    t = 1.0
    for _ in range(n):
        keys += [(t + period_s / 2, low), (t + period_s, stand)]
        t += period_s
    keys.append((t + 1.0, stand))
    return keys


def standing_leg_raises(n: int, leg: str = "left", out_px: float = 70.0, up_px: float = 45.0,
                        period_s: float = 1.6) -> Keyframes:
    """Standing side leg raises seen from the front: one foot out to the side and up, and back."""
    rest = {f"{leg}_u": 0.0, f"{leg}_v": 0.0}
    out = {f"{leg}_u": out_px if leg == "left" else -out_px, f"{leg}_v": up_px}
    keys: Keyframes = [(0.0, rest), (1.0, rest)]
    t = 1.0
    for _ in range(n):
        keys += [(t + period_s / 2, out), (t + period_s, rest)]
        t += period_s
    keys.append((t + 1.0, rest))
    return keys


def hold(params: dict[str, float], seconds: float) -> Keyframes:
    return [(0.0, params), (seconds, params)]


def run(frames, exercise: str, settings=None):
    """Feeds frames to a fresh analyzer: (result, every event in order)."""
    from posecount.analysis.analyzer import create_analyzer

    analyzer = create_analyzer(exercise, settings)
    events = []
    for t_s, pose in frames:
        events += analyzer.update(t_s, pose)
    events += analyzer.finish()
    return analyzer.result(), events


def bridge_clip(n: int = 3, cam: Camera = CAM_BACK, fps: float = 15.0, jitter_px: float = 0.0,
                seed: int = 0, gaps=(), **kw):
    return render(bridge_reps(n, **kw), bridge_pose, fps=fps, cam=cam, jitter_px=jitter_px, seed=seed,
                  gaps=gaps)


def side_clip(n: int = 3, lying_on: str = "left", cam: Camera = CAM_SIDE, fps: float = 15.0,
              jitter_px: float = 0.0, seed: int = 0, gaps=(), top_knee_deg: float = 90.0, **kw):
    return render(side_raise_reps(n, **kw), side_lying_pose, fps=fps, cam=cam, jitter_px=jitter_px,
                  seed=seed, gaps=gaps, fixed={"lying_on": lying_on, "top_knee_deg": top_knee_deg})


def step_clip(n: int = 3, view: str = "side", cam: Camera = CAM_STAND, fps: float = 15.0,
              jitter_px: float = 0.0, seed: int = 0, gaps=(), **kw):
    return render(step_up_reps(n, **kw), standing_from_params, fps=fps, cam=cam, jitter_px=jitter_px,
                  seed=seed, gaps=gaps, fixed={"view": view})


def expected_hold(hold_s: float, rise_s: float, lower_s: float, level_frac: float = 0.85) -> float:
    """The hold the analysis should report for an eased move: the time above `level_frac` of the
    range, i.e. the scripted hold plus the top ends of the rise and the lowering."""
    x = math.acos(1 - 2 * level_frac) / math.pi
    return hold_s + (1 - x) * (rise_s + lower_s)
