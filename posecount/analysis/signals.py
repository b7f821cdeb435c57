"""Per-frame measurements of each exercise from a `PoseFrame`: a value, a quality 0..1, and
whether the posture matches the exercise. Angles are measured in pixels (frames are not square).

Posture tests use relative geometry wherever possible, so that they hold in a video turned
by 90 degrees or mirrored: e.g. "lying on the back with knees bent" is "the knee sticks out
of the shoulder-ankle line and the hip does not sit on the far side of it", not "the trunk
is horizontal in the image".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from posecount.analysis.geometry import (
    angle_deg,
    distance,
    in_plane_fraction,
    midpoint,
    signed_offset,
    tilt_from_vertical_deg,
)
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import BridgeSettings, StepUpSettings, TrackingSettings

SIDES = ("left", "right")
SHOULDER = {"left": L.LEFT_SHOULDER, "right": L.RIGHT_SHOULDER}
HIP = {"left": L.LEFT_HIP, "right": L.RIGHT_HIP}
KNEE = {"left": L.LEFT_KNEE, "right": L.RIGHT_KNEE}
ANKLE = {"left": L.LEFT_ANKLE, "right": L.RIGHT_ANKLE}
HEEL = {"left": L.LEFT_HEEL, "right": L.RIGHT_HEEL}
TOE = {"left": L.LEFT_FOOT_INDEX, "right": L.RIGHT_FOOT_INDEX}

# [tracking] frame_margin_frac and min_in_plane_frac, when the caller passes no settings.
DEFAULT_TRACKING = TrackingSettings()


@dataclass(frozen=True)
class Measurement:
    """One frame's reading. `value` is NaN when the frame cannot be measured."""

    value: float
    quality: float
    posture_ok: bool
    parts: dict[str, float] = field(default_factory=dict)
    view_ok: bool = True


NOTHING = Measurement(math.nan, 0.0, False, {}, True)


def point_quality(pose: PoseFrame, margin: float = DEFAULT_TRACKING.frame_margin_frac) -> np.ndarray:
    """(33,) per point 0..1: visible (not occluded), present, and inside the frame (a point
    more than `margin` outside it, in normalised units, is MediaPipe's guess, not a sighting)."""
    q = np.fmin(pose.visibility, pose.presence)
    xy = pose.image_xy
    inside = ((xy >= -margin) & (xy <= 1 + margin)).all(axis=1)
    return np.where(inside & ~np.isnan(q), q, 0.0)


def min_quality_of(q: np.ndarray, *points: int) -> float:
    return float(min(q[i] for i in points))


def _foreshortened(pose: PoseFrame, min_in_plane: float) -> bool:
    """True when the trunk points at the camera (3D world landmarks; False if absent): its
    in-plane share is below `min_in_plane` (filmed from the head or feet)."""
    w = pose.world_xyz
    trunk = midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP]) - midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER])
    frac = in_plane_fraction(trunk)
    return bool(frac < min_in_plane) if not math.isnan(frac) else False


def across_trunk(pose: PoseFrame) -> float:
    """How far the two shoulders and the two hips lie apart across the trunk line (image),
    in trunk lengths: about 0.4-0.5 for a person on the side seen from the front or back, below
    0.35 for a person on the back seen from the side (0.33 at most on the bridge clips)."""
    p = pose.image_px
    sh_mid = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    hip_mid = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    trunk_len = distance(sh_mid, hip_mid)
    spread = [abs(signed_offset(p[a], sh_mid, hip_mid) - signed_offset(p[b], sh_mid, hip_mid))
              for a, b in ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP))]
    return float(np.mean(spread)) / trunk_len if trunk_len > 0 else math.nan


# --- bridge -------------------------------------------------------------------------------

def bridge_side(pose: PoseFrame, side: str, q: np.ndarray) -> dict[str, float]:
    p = pose.image_px
    s, h, k, a = p[SHOULDER[side]], p[HIP[side]], p[KNEE[side]], p[ANKLE[side]]
    thigh = distance(h, k)
    knee_off = signed_offset(k, s, a)
    hip_off = signed_offset(h, s, a)
    sign = 1.0 if knee_off >= 0 else -1.0  # "up" is where the knee points: no gravity needed
    return {
        "hip_deg": angle_deg(s, h, k),
        "knee_deg": angle_deg(h, k, a),
        "knee_off": sign * knee_off / thigh if thigh > 0 else math.nan,
        "hip_off": sign * hip_off / thigh if thigh > 0 else math.nan,
        # The ankle too: measured from shoulder, hip and knee alone (MediaPipe's estimate of an
        # unseen foot placing the leg for the posture), the bridge counted 2 on a clamshell clip.
        "q": min_quality_of(q, SHOULDER[side], HIP[side], KNEE[side], ANKLE[side]),
    }


def drawn_up_leg(sides: dict[str, dict[str, float]], cfg: BridgeSettings) -> str | None:
    """The leg drawn up off the floor, if one is: its hip bent `lifted_hip_diff_deg` more than the
    other's, whose knee stands up from its shoulder-ankle line (that foot on the floor). Without
    it both hips are averaged, and a single-leg bridge reads as flat: the free hip bends as much as
    the supporting one opens (bridge_nd_3). Both legs on the floor, the hips read at most 15.5
    deg apart on every bridge clip."""
    off = {s: sides[s]["knee_off"] for s in SIDES}
    hip = {s: sides[s]["hip_deg"] for s in SIDES}
    if any(math.isnan(v) for v in (*off.values(), *hip.values())):
        return None
    for leg, other in (("left", "right"), ("right", "left")):
        if hip[other] - hip[leg] >= cfg.lifted_hip_diff_deg and off[other] >= cfg.knee_offset_min:
            return leg
    return None


def lifted_leg(sides: dict[str, dict[str, float]], trunk: np.ndarray, cfg: BridgeSettings,
               tracking: TrackingSettings = DEFAULT_TRACKING) -> str | None:
    """`drawn_up_leg`, but not with the trunk (hips minus shoulders, image) standing up in the
    image, within 90 - `sideways_tilt_deg` of the vertical: a lunge's hips differ as much, its back
    leg shaped like a bridge's support (lunge_amila_1 counted a bridge). Trunk off the vertical
    with a leg drawn up: lunges 0-16 deg, the single-leg bridges 60-88."""
    if tilt_from_vertical_deg(trunk) <= 90.0 - tracking.sideways_tilt_deg:
        return None
    return drawn_up_leg(sides, cfg)


def bridge(pose: PoseFrame | None, cfg: BridgeSettings, min_quality: float,
           tracking: TrackingSettings = DEFAULT_TRACKING) -> Measurement:
    """Hip extension (shoulder-hip-knee, 180 = trunk in line with thigh) of the supporting leg."""
    if pose is None:
        return NOTHING
    pq = point_quality(pose, tracking.frame_margin_frac)
    sides = {s: bridge_side(pose, s, pq) for s in SIDES}
    usable = [s for s in SIDES if sides[s]["q"] >= min_quality and not math.isnan(sides[s]["hip_deg"])]
    parts = {f"{s}_knee_deg": sides[s]["knee_deg"] for s in SIDES}
    p = pose.image_px
    trunk = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP]) - midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    lifted = lifted_leg(sides, trunk, cfg, tracking) if len(usable) == 2 else None
    parts.update({f"{s}_drawn_up": float(s == lifted) for s in SIDES})
    if not usable:
        return Measurement(math.nan, max(sides[s]["q"] for s in SIDES), False, parts)
    if len(usable) == 2:
        kl, kr = sides["left"]["knee_deg"], sides["right"]["knee_deg"]
        if abs(kl - kr) > cfg.support_diff_deg:
            # One leg stretched (harder variant): the bent leg carries the bridge.
            support = "left" if kl < kr else "right"
            value, chosen = sides[support]["hip_deg"], [support]
        elif lifted is not None:
            # One leg drawn up off the floor (a single-leg bridge): the other carries it.
            support = "right" if lifted == "left" else "left"
            value, chosen = sides[support]["hip_deg"], [support]
        else:
            w = np.array([sides[s]["q"] for s in SIDES])
            value = float(np.dot(w, [sides[s]["hip_deg"] for s in SIDES]) / w.sum())
            chosen = list(SIDES)
    else:
        chosen = usable
        value = sides[usable[0]]["hip_deg"]
    m = {k: float(np.mean([sides[s][k] for s in chosen])) for k in ("knee_off", "hip_off")}
    # The bridge stands on a bent leg: the more bent knee, so that a stretched leg (harder
    # variant) read unsteadily, too close to the bent one to be set aside, does not count
    # against the posture.
    m["knee_deg"] = float(min(sides[s]["knee_deg"] for s in chosen))
    # With the other leg drawn up, the supporting knee standing up from its shoulder-ankle line
    # shows it bent: a heel bridge's knee reads 145-150 deg at the top (bridge_nd_3), past the
    # angle limit, which then held the rep against the posture at half the tempo.
    knee_bent = m["knee_deg"] <= cfg.knee_bent_max_deg or lifted is not None
    shape = knee_bent and m["knee_off"] >= cfg.knee_offset_min and m["hip_off"] >= cfg.hip_offset_min
    # On the side, seen from the front or back, the same body shape (knees bent and forward)
    # reads like a bridge start, with the shoulders and hips lying apart across the trunk; so
    # does a bridge filmed obliquely from above. Frame by frame that is not lying on the back;
    # a rep tells them apart (the trunk turns as the pelvis lifts): judged there, from `shape`,
    # `stacked` and the trunk's direction.
    stacked = across_trunk(pose)
    posture = shape and not stacked >= cfg.side_stacked_min
    view_ok = not _foreshortened(pose, tracking.min_in_plane_frac)
    parts.update(support_knee_deg=m["knee_deg"], knee_off=m["knee_off"], hip_off=m["hip_off"],
                 shape_ok=float(shape), stacked=stacked, trunk_x_px=float(trunk[0]), trunk_y_px=float(trunk[1]))
    quality = max(sides[s]["q"] for s in chosen)
    return Measurement(value if view_ok else math.nan, quality, bool(posture), parts, view_ok)


# --- step-up ------------------------------------------------------------------------------

def step_up(pose: PoseFrame | None, cfg: StepUpSettings, min_quality: float,
            tracking: TrackingSettings = DEFAULT_TRACKING) -> Measurement:
    """Raw image heights (pixels, up positive) of each foot's lowest point and of the pelvis,
    plus the leg length in pixels; the counter turns them into heights above the floor.

    Also from the 3D world landmarks (metres; NaN when absent): how far each foot's lowest point
    hangs below the hips, the leg length, and how squarely the person faces the camera (the
    share of the shoulder line across the image: 1 seen from the front, 0 from the side). Seen
    from the front, the step is between person and camera, and a foot stepping onto it comes
    towards the camera, which in the image cancels most of its lift (perspective)."""
    if pose is None:
        return NOTHING
    p = pose.image_px
    # Mean, not min: seen from the side the far foot is "occluded" (visibility ~0.5) while
    # MediaPipe still places it well; a foot that is really lost drags the mean down.
    legs_idx = [*HIP.values(), *KNEE.values(), *ANKLE.values(), *HEEL.values(), *TOE.values()]
    q = float(np.mean(point_quality(pose, tracking.frame_margin_frac)[legs_idx]))
    parts: dict[str, float] = {}
    legs = []
    for s in SIDES:
        foot_y = np.array([p[HEEL[s]][1], p[TOE[s]][1], p[ANKLE[s]][1]])
        heel_toe = foot_y[:2][~np.isnan(foot_y[:2])]
        # The lowest point of the foot (largest image y); heel and toe, else the ankle.
        parts[f"{s}_foot_up_px"] = -float(heel_toe.max()) if heel_toe.size else -float(foot_y[2])
        parts[f"{s}_knee_up_px"] = -float(p[KNEE[s]][1])
        legs.append(distance(p[HIP[s]], p[KNEE[s]]) + distance(p[KNEE[s]], p[ANKLE[s]]))
    parts["pelvis_up_px"] = -float(midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])[1])
    # The lower hip: the body goes up when both hips do. A leg raised sideways while standing hitches
    # its own hip (18 px on other_darebee_1, the standing hip 1 px), which lifted the hips' midpoint
    # by half as much and, seen from the front, the standing foot's height with it (a step-up).
    parts["pelvis_low_up_px"] = -float(np.max([p[L.LEFT_HIP][1], p[L.RIGHT_HIP][1]]))
    w = pose.world_xyz  # y down, like the image
    hip_w = midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP])
    legs_w = []
    for s in SIDES:
        low = np.array([w[HEEL[s]][1], w[TOE[s]][1]])
        low = low[~np.isnan(low)]
        parts[f"{s}_foot_drop_m"] = float(low.max() - hip_w[1]) if low.size else math.nan
        legs_w.append(float(np.linalg.norm(w[KNEE[s]] - w[HIP[s]]) + np.linalg.norm(w[ANKLE[s]] - w[KNEE[s]])))
    parts["leg_m"] = float(np.nanmax(legs_w)) if not all(math.isnan(x) for x in legs_w) else math.nan
    across = w[L.LEFT_SHOULDER] - w[L.RIGHT_SHOULDER]
    flat = math.hypot(across[0], across[2])
    parts["facing_camera"] = abs(float(across[0])) / flat if flat > 0 else math.nan
    parts["leg_px"] = float(np.nanmax(legs)) if not all(math.isnan(x) for x in legs) else math.nan
    trunk = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP]) - midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    tilt = tilt_from_vertical_deg(trunk)
    parts["trunk_tilt_deg"] = tilt
    head_up = trunk[1] > 0  # shoulders above hips in the image
    posture = bool(tilt <= cfg.trunk_vertical_max_deg and head_up and _stands_on_a_leg(p, cfg))
    value = parts["pelvis_up_px"] if q >= min_quality else math.nan
    return Measurement(value, q, posture, parts, True)


def _stands_on_a_leg(p: np.ndarray, cfg: StepUpSettings) -> bool:
    """A leg carries the body: straight at the knee and hanging from the hip to the ankle near
    the image vertical. A person lying with the feet to the camera has the trunk upright in
    the image too (a side raise seen from the feet counted a step-up); a leg never stands."""
    for s in SIDES:
        hip, knee, ankle = p[HIP[s]], p[KNEE[s]], p[ANKLE[s]]
        if (angle_deg(hip, knee, ankle) >= cfg.standing_knee_min_deg and ankle[1] > hip[1]
                and tilt_from_vertical_deg(ankle - hip) <= cfg.standing_leg_tilt_max_deg):
            return True
    return False
