"""Exercise poses: from a few joint-angle parameters to the figure's 3D joints.

World frame: x along the floor, y up, z across (a side-view camera sits on +z or -z).
Body frame of the pelvis: `ant` (anterior, where the belly faces), `sup` (towards the
head) and `left` = ant x sup. In this right-handed world that axis is anatomically the right:
the poses build a mirror-image person, and the camera (camera.py) images the scene in a mirror,
so the figure on screen is a person whose limbs named left are on their left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calibration.mannequin.body import BodySize, Posed

X, Y, Z = np.eye(3)


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


def angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle at b between b->a and b->c, in degrees (works for 2D and 3D points)."""
    u, v = unit(np.asarray(a, float) - b), unit(np.asarray(c, float) - b)
    return math.degrees(math.acos(float(np.clip(np.dot(u, v), -1.0, 1.0))))


def vec_angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    return math.degrees(math.acos(float(np.clip(np.dot(unit(u), unit(v)), -1.0, 1.0))))


def two_link(root: np.ndarray, target: np.ndarray, l1: float, l2: float,
             bend: np.ndarray) -> np.ndarray:
    """Middle joint of a two-segment limb from root to target, bending towards `bend`.

    A target out of reach is pulled in, so the limb is straight rather than broken.
    """
    d = target - root
    dist = float(np.linalg.norm(d))
    dist = min(max(dist, abs(l1 - l2) + 1e-6), l1 + l2 - 1e-6)
    axis = unit(d)
    along = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = math.sqrt(max(l1 * l1 - along * along, 0.0))
    perp = unit(bend - np.dot(bend, axis) * axis)
    return root + axis * along + perp * h


def rotate(v: np.ndarray, axis: np.ndarray, deg: float) -> np.ndarray:
    """Rodrigues rotation of v about a unit axis."""
    k = unit(axis)
    a = math.radians(deg)
    return v * math.cos(a) + np.cross(k, v) * math.sin(a) + k * np.dot(k, v) * (1 - math.cos(a))


@dataclass(frozen=True)
class Frame3:
    """Orientation of the pelvis (or trunk) as three unit vectors."""

    ant: np.ndarray
    sup: np.ndarray

    @property
    def left(self) -> np.ndarray:
        return unit(np.cross(self.ant, self.sup))


def _foot(ankle: np.ndarray, forward: np.ndarray, sole_down: np.ndarray, b: BodySize,
          j: dict[str, np.ndarray], side: str) -> None:
    """Heel and toe from the ankle: the sole lies `ankle_height` below the ankle."""
    f, d = unit(forward), unit(sole_down)
    j[f"{side}_heel"] = ankle - f * b.heel_back + d * b.ankle_height * 0.85
    j[f"{side}_toe"] = ankle + f * (b.foot - b.heel_back) + d * b.ankle_height * 0.8


def leg_by_angles(hip: np.ndarray, fr: Frame3, side: str, flex_deg: float, abd_deg: float,
                  knee_deg: float, b: BodySize, j: dict[str, np.ndarray]) -> None:
    """Knee, ankle and foot from hip flexion, abduction and knee flexion (degrees)."""
    sign = 1.0 if side == "l" else -1.0
    thigh = rotate(-fr.sup, fr.left, flex_deg)  # flexion swings the thigh forward
    # Abduction about the axis normal to the thigh and the left-right axis, so that the angle
    # between the thighs equals the abduction whatever the flexion.
    thigh = rotate(thigh, np.cross(thigh, fr.left), sign * abd_deg)
    knee = hip + thigh * b.thigh
    ant_perp = unit(fr.ant - np.dot(fr.ant, thigh) * thigh)
    shank = unit(thigh * math.cos(math.radians(knee_deg)) - ant_perp * math.sin(math.radians(knee_deg)))
    ankle = knee + shank * b.shank
    fwd = unit(fr.ant - np.dot(fr.ant, shank) * shank)
    j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ankle
    _foot(ankle, fwd, shank, b, j, side)


def arm_by_angles(shoulder: np.ndarray, fr: Frame3, side: str, flex_deg: float, abd_deg: float,
                  elbow_deg: float, b: BodySize, j: dict[str, np.ndarray]) -> None:
    """Elbow, wrist and hand from shoulder flexion, abduction and elbow flexion (degrees)."""
    sign = 1.0 if side == "l" else -1.0
    upper = rotate(-fr.sup, fr.left, flex_deg)
    upper = rotate(upper, np.cross(upper, fr.left), sign * abd_deg)
    elbow = shoulder + upper * b.upper_arm
    ant_perp = unit(fr.ant - np.dot(fr.ant, upper) * upper)
    if np.linalg.norm(ant_perp) < 1e-6:
        ant_perp = fr.sup
    fore = unit(upper * math.cos(math.radians(elbow_deg)) + ant_perp * math.sin(math.radians(elbow_deg)))
    wrist = elbow + fore * b.forearm
    j[f"{side}_elbow"], j[f"{side}_wrist"] = elbow, wrist
    j[f"{side}_hand"] = wrist + fore * b.hand * 0.8


def _trunk(pelvis: np.ndarray, fr: Frame3, trunk_fr: Frame3, b: BodySize,
           j: dict[str, np.ndarray]) -> None:
    j["pelvis"] = pelvis
    j["l_hip"] = pelvis + fr.left * b.hip_half_width
    j["r_hip"] = pelvis - fr.left * b.hip_half_width
    chest = pelvis + trunk_fr.sup * b.trunk
    j["chest"] = chest
    j["l_shoulder"] = chest + trunk_fr.left * b.shoulder_half_width
    j["r_shoulder"] = chest - trunk_fr.left * b.shoulder_half_width
    j["neck"] = chest + trunk_fr.sup * b.neck


def _head(j: dict[str, np.ndarray], neck_sup: np.ndarray, face: np.ndarray, b: BodySize) -> Posed:
    head_up = unit(neck_sup)
    face = unit(face - np.dot(face, head_up) * head_up)
    j["head"] = j["neck"] + head_up * b.head_radius * 1.05 + face * b.head_radius * 0.15
    return Posed(joints=j, face_dir=face, head_up=head_up)


# ---------------------------------------------------------------- bridge (supine)

KNEE_REST_DEG = 95.0  # the bridge's start: knees bent about this much, feet flat


def _supine_layout(b: BodySize, knee_rest_deg: float = KNEE_REST_DEG) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Shoulder centre and ankle positions (x, y) for the bridge, and the rest/top trunk angles.
    `knee_rest_deg`: the knee's angle at rest (feet nearer the buttocks: smaller, and a smaller
    hip angle at rest)."""
    # Shoulders at x = -0.45 so that the pelvis lies near x = 0 (the camera's target).
    shoulder = np.array([-0.45, b.torso_depth])
    hip_rest_y = b.torso_depth * 0.95
    ankle_y = b.ankle_height
    # Feet placed so that the knees bend `knee_rest_deg` at rest.
    reach = math.sqrt(b.thigh ** 2 + b.shank ** 2 - 2 * b.thigh * b.shank * math.cos(math.radians(knee_rest_deg)))
    a_rest = math.asin((hip_rest_y - shoulder[1]) / b.trunk)
    hip_rest = shoulder + b.trunk * np.array([math.cos(a_rest), math.sin(a_rest)])
    ankle = np.array([hip_rest[0] + math.sqrt(reach ** 2 - (ankle_y - hip_rest[1]) ** 2), ankle_y])

    def knee_above_trunk_line(a: float) -> bool:
        hip = shoulder + b.trunk * np.array([math.cos(a), math.sin(a)])
        knee = two_link(np.r_[hip, 0], np.r_[ankle, 0], b.thigh, b.shank, Y)[:2]
        d1, d2 = hip - shoulder, knee - hip
        return d1[0] * d2[1] - d1[1] * d2[0] > 0

    lo, hi = a_rest, math.radians(60)
    for _ in range(50):  # lift until the knee lies on the shoulder-hip line: trunk in line with thighs
        mid = (lo + hi) / 2
        if knee_above_trunk_line(mid):
            lo = mid
        else:
            hi = mid
    return shoulder, ankle, a_rest, lo


def supine_rest_and_top_deg(b: BodySize, knee_rest_deg: float = KNEE_REST_DEG) -> tuple[float, float]:
    """Shoulder-hip-knee angle at rest and at a full bridge (the bridge's signal range)."""
    shoulder, ankle, a_rest, a_top = _supine_layout(b.scaled(), knee_rest_deg)
    out = []
    for a in (a_rest, a_top):
        p = pose_bridge(b, 1.0 if a == a_top else 0.0, knee_rest_deg=knee_rest_deg)
        out.append(angle_deg(p["l_shoulder"], p["l_hip"], p["l_knee"]))
    return out[0], out[1]


DRAWN_HIP_DEG = 95.0  # a leg drawn up off the floor: shoulder-hip-knee angle
DRAWN_KNEE_DEG = 110.0  # ... and its knee's bend


def pose_bridge(body: BodySize, lift: float, stretch_l: float = 0.0, stretch_r: float = 0.0,
                head_turn_deg: float = 0.0, breath: float = 0.0, knee_rest_deg: float = KNEE_REST_DEG,
                drawn_l: float = 0.0, drawn_r: float = 0.0) -> Posed:
    """Lying on the back, knees bent, feet flat; `lift` 0 = pelvis down, 1 = trunk in line with thighs.

    `stretch_l/_r` 0..1 straightens that knee during the hold (the harder variant).
    `drawn_l/_r` 0..1 draws that leg up off the floor, the knee towards the chest (a single-leg
    bridge; with `lift` 0, a knee drawn to the chest).
    The head lies towards -x, the feet towards +x; the person's left is +z.
    """
    b = body.scaled()
    shoulder, ankle, a_rest, a_top = _supine_layout(b, knee_rest_deg)
    a = a_rest + (a_top - a_rest) * lift
    hip2 = shoulder + b.trunk * np.array([math.cos(a), math.sin(a)])
    pelvis = np.array([hip2[0], hip2[1], 0.0])
    chest = np.array([shoulder[0], shoulder[1] + 0.004 * breath, 0.0])
    sup = unit(chest - pelvis)
    fr = Frame3(ant=unit(np.cross(sup, Z)), sup=sup)  # anterior points up, left = +z
    trunk_fr = fr
    j: dict[str, np.ndarray] = {}
    _trunk(pelvis, fr, trunk_fr, b, j)
    for side, stretch, drawn in (("l", stretch_l, drawn_l), ("r", stretch_r, drawn_r)):
        hip = j[f"{side}_hip"]
        ank = np.array([ankle[0], ankle[1], hip[2] * 1.1])
        knee = two_link(hip, ank, b.thigh, b.shank, Y)
        if stretch > 0:
            # Keep the thigh, straighten the knee: the foot leaves the floor.
            thigh = unit(knee - hip)
            shank0 = unit(ank - knee)
            shank = unit(shank0 * (1 - stretch) + thigh * stretch)
            ank = knee + shank * b.shank
            j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ank
            fwd = unit(np.cross(shank, Z)) if side else X
            fwd = fwd if fwd[1] >= 0 else -fwd
            _foot(ank, unit(X * (1 - stretch) + fwd * stretch), unit(-Y * (1 - stretch) + shank * stretch), b, j, side)
        elif drawn > 0:
            knee, ank = _drawn_leg(hip, knee, ank, sup, b, drawn)
            j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ank
            _foot(ank, X, unit(-Y * (1 - drawn) + X * drawn), b, j, side)
        else:
            j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ank
            _foot(ank, X, -Y, b, j, side)
    for side in ("l", "r"):
        sh = j[f"{side}_shoulder"]
        # Arms along the body, hands flat on the floor beside the hips.
        elbow = sh + np.array([b.upper_arm * 0.97, -sh[1] * 0.6 + 0.045, 0.03 * np.sign(sh[2])])
        wrist = elbow + np.array([b.forearm * 0.98, 0.035 - elbow[1] * 0.5, 0.01 * np.sign(sh[2])])
        j[f"{side}_elbow"], j[f"{side}_wrist"] = elbow, wrist
        j[f"{side}_hand"] = wrist + np.array([b.hand * 0.8, -0.005, 0.0])
    face = rotate(Y, -X, head_turn_deg)  # positive turns the face towards +z
    return _head(j, -X, face, b)


def _drawn_leg(hip: np.ndarray, knee: np.ndarray, ank: np.ndarray, sup: np.ndarray, b: BodySize,
               drawn: float) -> tuple[np.ndarray, np.ndarray]:
    """Knee and ankle of a leg `drawn` (0..1) of the way from the floor to drawn up: the thigh
    turned from the trunk's line by DRAWN_HIP_DEG towards the ceiling, the knee bent DRAWN_KNEE_DEG."""
    def turned(v: np.ndarray, deg: float) -> np.ndarray:  # in the body's x-y plane, towards +y
        r = math.radians(deg)
        return np.array([v[0] * math.cos(r) + v[1] * math.sin(r), -v[0] * math.sin(r) + v[1] * math.cos(r), 0.0])

    up_thigh = unit(turned(unit(np.r_[sup[:2], 0.0]), DRAWN_HIP_DEG))
    if up_thigh[1] < 0:
        up_thigh = unit(turned(unit(np.r_[sup[:2], 0.0]), -DRAWN_HIP_DEG))
    up_knee = hip + up_thigh * b.thigh
    shank_dir = unit(turned(up_thigh, 180.0 - DRAWN_KNEE_DEG))
    if shank_dir[0] < 0:
        shank_dir = unit(turned(up_thigh, DRAWN_KNEE_DEG - 180.0))
    up_ank = up_knee + shank_dir * b.shank
    k = hip + unit(knee * (1 - drawn) + up_knee * drawn - hip) * b.thigh
    a = k + unit(ank * (1 - drawn) + up_ank * drawn - k) * b.shank
    return k, a


# ---------------------------------------------------------------- side-lying leg raise

def pose_side_lying(body: BodySize, down: str, raise_deg: float, straight: float = 0.0,
                    breath: float = 0.0, clamshell: bool = False, roll_deg: float = 0.0,
                    top_flex_deg: float = 0.0, shift_x: float = 0.0) -> Posed:
    """Lying on the `down` side ("left"/"right"), facing +z, knees bent; the top leg raised by
    `raise_deg` of hip abduction. `straight` 0..1 straightens the top leg (the harder variant).
    Lying on the left puts the head towards -x, on the right towards +x.

    `clamshell`: the top foot stays on the bottom one and only the knee opens (the thighs
    `raise_deg` apart). Fidgeting: `roll_deg` rolls the whole body about its long axis
    (positive: towards the back), `top_flex_deg` slides the top knee forward, `shift_x` moves
    the body along the mat.
    """
    b = body.scaled()
    head_dir = -X if down == "left" else X
    left = -Y if down == "left" else Y
    ant = unit(np.cross(head_dir, left))  # = +z in both cases
    fr = Frame3(ant=ant, sup=head_dir)
    pelvis = np.array([0.0, b.hip_half_width * 1.35, 0.0])
    chest_y = b.shoulder_half_width * 1.05 + 0.004 * breath
    chest_x = head_dir * math.sqrt(max(b.trunk ** 2 - (chest_y - pelvis[1]) ** 2, 0.0))
    chest = np.array([chest_x[0], chest_y, 0.0])
    trunk_sup = unit(chest - pelvis)
    trunk_fr = Frame3(ant=unit(ant - np.dot(ant, trunk_sup) * trunk_sup), sup=trunk_sup)
    j: dict[str, np.ndarray] = {}
    _trunk(pelvis, fr, trunk_fr, b, j)
    bottom, top = ("l", "r") if down == "left" else ("r", "l")
    leg_by_angles(j[f"{bottom}_hip"], fr, bottom, 45, 0, 90, b, j)
    flex = 45 * (1 - straight) + 8 * straight + top_flex_deg
    knee = 90 * (1 - straight) + 3 * straight
    if clamshell:
        _clamshell_leg(j, fr, top, bottom, flex, knee, raise_deg, b)
    else:
        leg_by_angles(j[f"{top}_hip"], fr, top, flex, raise_deg - 2.0, knee, b, j)
    # Bottom arm stretched forward-up under the head, top arm resting in front of the chest.
    arm_by_angles(j[f"{bottom}_shoulder"], trunk_fr, bottom, 150, 0, 35, b, j)
    arm_by_angles(j[f"{top}_shoulder"], trunk_fr, top, 70, -15, 40, b, j)
    head_up = head_dir + Y * 0.25
    if roll_deg or shift_x:
        # About the body's long axis through the pelvis; positive turns the front (+z) up.
        axis = -X
        centre = pelvis.copy()
        for k, v in j.items():
            j[k] = centre + rotate(v - centre, axis, roll_deg) + X * shift_x
        ant, head_up = rotate(ant, axis, roll_deg), rotate(head_up, axis, roll_deg)
    _clamp_above_floor(j, 0.03)
    return _head(j, head_up, ant, b)


def _clamshell_leg(j: dict[str, np.ndarray], fr: Frame3, top: str, bottom: str, flex: float, knee: float,
                   open_deg: float, b: BodySize) -> None:
    """The top leg of a clamshell: resting on the bottom leg, then the knee turned up about the
    hip-ankle line (the foot stays put) until the thighs are `open_deg` apart."""
    hip = j[f"{top}_hip"]
    leg_by_angles(hip, fr, top, flex, 0.0, knee, b, j)
    knee0, ankle = j[f"{top}_knee"], j[f"{top}_ankle"]
    axis = unit(ankle - hip)
    bottom_thigh = j[f"{bottom}_knee"] - j[f"{bottom}_hip"]
    up = j[f"{top}_hip"] - j[f"{bottom}_hip"]  # away from the bottom leg
    sign = 1.0 if np.dot(np.cross(axis, knee0 - hip), up) >= 0 else -1.0

    def turned(phi: float) -> np.ndarray:
        return hip + rotate(knee0 - hip, axis, sign * phi)

    lo, hi = 0.0, 150.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if vec_angle_deg(turned(mid) - hip, bottom_thigh) < open_deg:
            lo = mid
        else:
            hi = mid
    j[f"{top}_knee"] = turned(lo)


def _clamp_above_floor(j: dict[str, np.ndarray], min_y: float) -> None:
    for k, v in j.items():
        if v[1] < min_y:
            j[k] = np.array([v[0], min_y, v[2]])


# ---------------------------------------------------------------- standing family

def pose_standing(body: BodySize, pelvis: np.ndarray, l_ankle: np.ndarray, r_ankle: np.ndarray,
                  trunk_lean_deg: float = 0.0, arm_swing_deg: float = 0.0,
                  arms_forward_deg: float = 0.0, facing: np.ndarray = X) -> Posed:
    """Upright figure facing `facing`, legs solved by two-link IK from the hips to the given
    ankle positions (knees bend forward), trunk leaning forward by `trunk_lean_deg`."""
    b = body.scaled()
    fr = Frame3(ant=unit(facing), sup=Y)
    trunk_sup = rotate(Y, fr.left, -trunk_lean_deg)
    trunk_fr = Frame3(ant=unit(np.cross(trunk_sup, fr.left)), sup=trunk_sup)
    j: dict[str, np.ndarray] = {}
    _trunk(pelvis, fr, trunk_fr, b, j)
    for side, ank in (("l", l_ankle), ("r", r_ankle)):
        hip = j[f"{side}_hip"]
        knee = two_link(hip, ank, b.thigh, b.shank, fr.ant + 0.05 * Y)
        ankle = knee + unit(ank - knee) * b.shank
        j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ankle
        _foot(ankle, fr.ant, -Y, b, j, side)
    arm_by_angles(j["l_shoulder"], trunk_fr, "l", arms_forward_deg + arm_swing_deg, 8,
                  12 + (0 if arms_forward_deg else 10), b, j)
    arm_by_angles(j["r_shoulder"], trunk_fr, "r", arms_forward_deg - arm_swing_deg, 8,
                  12 + (0 if arms_forward_deg else 10), b, j)
    return _head(j, trunk_sup * 0.8 + Y * 0.2, fr.ant, b)


def standing_hip_height(body: BodySize) -> float:
    """Hip joint height when standing with the knees nearly straight."""
    b = body.scaled()
    return b.ankle_height + (b.thigh + b.shank) * 0.985
