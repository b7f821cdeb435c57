"""Per-frame measurement of the side-lying leg raise: how far the top thigh opens along the hip
axis in 3D, whether the person lies on the side, and the parts the judge needs (see
`signals` for the `Measurement` contract)."""

from __future__ import annotations

import math

import numpy as np

from posecount.analysis.geometry import (
    angle_deg,
    distance,
    in_plane_fraction,
    midpoint,
    tilt_from_vertical_deg,
    vector_angle_deg,
)
from posecount.analysis.signals import (
    ANKLE,
    DEFAULT_TRACKING,
    HIP,
    KNEE,
    NOTHING,
    SHOULDER,
    SIDES,
    Measurement,
    across_trunk,
    min_quality_of,
    point_quality,
)
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import SideRaiseSettings, TrackingSettings


def hip_abduction_deg(world: np.ndarray) -> float:
    """How far the thighs open across the body, in 3D (world landmarks), signed: the angle of the
    left thigh above the plane square to the hip axis (left hip - right hip) minus the right
    thigh's. Lying on the side, the hip axis is the line the top leg rises along, whatever the
    camera sees: the top thigh leaves that plane upwards, the bottom one stays in it. A knee
    slid forward or back, or the body rolling, stays in it too (not a raise). Negative when the
    top knee sinks in front of the bottom one. The same with left and right swapped (mirror)."""
    axis = world[L.LEFT_HIP] - world[L.RIGHT_HIP]
    n = float(np.linalg.norm(axis))
    if not n > 0:  # also NaN
        return math.nan
    axis = axis / n
    out = []
    for s in SIDES:
        thigh = world[KNEE[s]] - world[HIP[s]]
        length = float(np.linalg.norm(thigh))
        if not length > 0:
            return math.nan
        out.append(math.degrees(math.asin(max(-1.0, min(1.0, float(np.dot(thigh, axis)) / length)))))
    return out[0] - out[1]


def body_axes(world: np.ndarray) -> dict[str, float]:
    """The knees (`{s}_knee_w{x,y,z}`, metres from the middle of the hips) and the body's width
    (`width_w*`: the hip and shoulder axes, left minus right) and length (`trunk_w*`: hips to
    shoulders) in the world landmarks' axes, for `SideRaise` to follow the top knee's path in the
    body's own frame between the legs down and the top (`knee_sideways`)."""
    hip_mid = midpoint(world[L.LEFT_HIP], world[L.RIGHT_HIP])
    width = (world[L.LEFT_HIP] - world[L.RIGHT_HIP]) + (world[L.LEFT_SHOULDER] - world[L.RIGHT_SHOULDER])
    trunk = midpoint(world[L.LEFT_SHOULDER], world[L.RIGHT_SHOULDER]) - hip_mid
    out = {f"width_w{a}": float(v) for a, v in zip("xyz", width)}
    out.update({f"trunk_w{a}": float(v) for a, v in zip("xyz", trunk)})
    for s in SIDES:
        out.update({f"{s}_knee_w{a}": float(v) for a, v in zip("xyz", world[KNEE[s]] - hip_mid)})
    return out


def knee_sideways(knee_path: np.ndarray, width: np.ndarray, trunk: np.ndarray) -> float:
    """How much of a knee's path (3D) ran along the body's width rather than its depth, once the
    part along the trunk is set aside (0..1; NaN if unknown). A side raise moves the top knee
    along the width; a knee lifted lying on the back (a leg lift, a single-leg bridge) moves along
    the depth, whatever the camera sees."""
    n_trunk = float(np.linalg.norm(trunk))
    if not n_trunk > 0:  # also NaN
        return math.nan
    trunk = trunk / n_trunk
    width = width - float(np.dot(width, trunk)) * trunk
    path = knee_path - float(np.dot(knee_path, trunk)) * trunk
    n_width, n_path = float(np.linalg.norm(width)), float(np.linalg.norm(path))
    if not (n_width > 0 and n_path > 0):
        return math.nan
    return abs(float(np.dot(path, width))) / (n_width * n_path)


_LEGS = [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE]
_LEG_SEGMENTS = [(L.LEFT_HIP, L.LEFT_KNEE), (L.RIGHT_HIP, L.RIGHT_KNEE), (L.LEFT_SHOULDER, L.LEFT_HIP),
                 (L.RIGHT_SHOULDER, L.RIGHT_HIP), (L.LEFT_KNEE, L.LEFT_ANKLE), (L.RIGHT_KNEE, L.RIGHT_ANKLE)]


def lifted_legs(pose: PoseFrame) -> np.ndarray:
    """(33, 3) points in metres: across the image from the image itself (MediaPipe places points in
    the image far more steadily than in depth) and in depth from the world landmarks, whose axes
    are the camera's. Pixels become metres by the ratio of the body's segment lengths in the two
    (the camera is far enough away to look nearly straight at every point)."""
    w, p = pose.world_xyz, pose.image_px
    world_len = sum(float(np.hypot(*(w[a][:2] - w[b][:2]))) for a, b in _LEG_SEGMENTS)
    image_len = sum(distance(p[a], p[b]) for a, b in _LEG_SEGMENTS)
    if not (world_len > 0 and image_len > 0):
        return w
    out = w.copy()
    centre = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    out[:, :2] = (p - centre) * (world_len / image_len)
    # The hips at one depth, and each knee and ankle as far in front of or behind its hip as in
    # the world: the leg rises along the hip axis as the image shows it (MediaPipe's depth between
    # the two hips is its least reliable: seen from behind it turns the hip axis into the line of
    # sight while the image shows the hips one above the other).
    for s in SIDES:
        out[KNEE[s], 2] = w[KNEE[s], 2] - w[HIP[s], 2]
        out[ANKLE[s], 2] = w[ANKLE[s], 2] - w[HIP[s], 2]
    out[L.LEFT_HIP, 2] = out[L.RIGHT_HIP, 2] = 0.0
    return out


def hips_agree(pose: PoseFrame, lifted: np.ndarray, cfg: SideRaiseSettings) -> bool:
    """Whether the hips can carry the 3D opening in this frame. Lying on the side, MediaPipe now
    and then lets the hips collapse onto each other or swaps them (not the knees) for a few frames
    (measured on the rendered raises: the opening then reads -60..+67 deg in a 38 deg hold). Kept
    when the hips stand apart, in the world landmarks and in the image (`lifted_legs`), by at
    least `hip_width_min_thighs` thigh lengths, the image and the world put them the same way
    round (their hip axes agree in the image plane), and the knees lie the same way round along
    the hip axis as the hips."""
    for pts in (pose.world_xyz, lifted):
        width = float(np.linalg.norm(pts[L.LEFT_HIP] - pts[L.RIGHT_HIP]))
        thigh = np.nanmean([np.linalg.norm(pts[KNEE[s]] - pts[HIP[s]]) for s in SIDES])
        if not (width > 0 and thigh > 0) or width < cfg.hip_width_min_thighs * thigh:
            return False
    hips_w = pose.world_xyz[L.LEFT_HIP] - pose.world_xyz[L.RIGHT_HIP]
    hips_i = lifted[L.LEFT_HIP] - lifted[L.RIGHT_HIP]
    if vector_angle_deg(hips_i[:2], hips_w[:2]) > cfg.hip_axes_max_deg:
        return False
    return float(np.dot(lifted[L.LEFT_KNEE] - lifted[L.RIGHT_KNEE], hips_i)) > 0


def side_raise(pose: PoseFrame | None, cfg: SideRaiseSettings, min_quality: float,
               tracking: TrackingSettings = DEFAULT_TRACKING, last_hips: np.ndarray | None = None) -> Measurement:
    """The top leg's abduction: how far the thighs open along the hip axis in 3D (world
    landmarks, `hip_abduction_deg`), so that it reads the same from the front, from behind and
    from the feet, from the floor or from a table. Without world landmarks: the angle between
    the thighs in the image. Parts: each thigh's angle to the trunk, knees, posture, the shoulder
    line in the world (shoulders_{x,y,z}_m: the trunk's roll).

    `last_hips`: (2, 3) where the left and right hips were, seen from the middle of the shoulders
    (`lifted_legs` metres), in the last frame whose hips were trustworthy (`hips_agree`). In a
    frame where MediaPipe collapsed or swapped the hips (not the knees), they are put back there
    (the trunk barely moves in a few frames); with the knees also astray, the frame is not
    measured. A trustworthy frame returns its own as parts {l,r}_hip_{x,y,z}_m."""
    if pose is None:
        return NOTHING
    p = pose.image_px
    legs = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE)
    q = min_quality_of(point_quality(pose, tracking.frame_margin_frac), *legs)
    thigh = {s: p[KNEE[s]] - p[HIP[s]] for s in SIDES}
    image_open = vector_angle_deg(thigh["left"], thigh["right"])
    lifted = lifted_legs(pose)
    value, parts = _opening(pose, lifted, cfg, last_hips, image_open)
    sh_mid = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    trunk = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP]) - sh_mid
    for s in SIDES:
        parts[f"{s}_thigh_trunk_deg"] = vector_angle_deg(thigh[s], trunk)
        parts[f"{s}_knee_deg"] = angle_deg(p[HIP[s]], p[KNEE[s]], p[ANKLE[s]])
        parts[f"{s}_hip_deg"] = angle_deg(p[SHOULDER[s]], p[HIP[s]], p[KNEE[s]])
        parts[f"{s}_hip_y"] = float(p[HIP[s]][1])
    posture = _on_the_side(pose, cfg, parts)
    # The shoulder line in the world landmarks (left - right, metres): the trunk's roll
    # (SideRaise judges how far it turned between the rest and the top).
    shoulders = pose.world_xyz[L.LEFT_SHOULDER] - pose.world_xyz[L.RIGHT_SHOULDER]
    parts.update({f"shoulders_{a}_m": float(v) for a, v in zip("xyz", shoulders)})
    parts.update(body_axes(pose.world_xyz))
    # Measurable while the hips are apart in the image (the axis the leg rises along is not the
    # line of sight); the trunk may point at the camera (filmed from the feet).
    view_ok = not _hips_along_sight(pose, tracking.min_in_plane_frac)
    if q < min_quality or not view_ok or abs(value) > cfg.max_open_deg:
        value = math.nan
    return Measurement(value, q, posture, parts, view_ok)


def _opening(pose: PoseFrame, lifted: np.ndarray, cfg: SideRaiseSettings, last_hips: np.ndarray | None,
             image_open: float) -> tuple[float, dict[str, float]]:
    """The side raise's reading (see `side_raise`) and the parts that go with it."""
    world_open = hip_abduction_deg(lifted)
    trusted = hips_agree(pose, lifted, cfg)
    value = world_open
    if math.isnan(world_open):  # no world landmarks: the opening in the image
        value = image_open
    elif not trusted:
        value = world_open = math.nan
        if last_hips is None or not np.all(np.isfinite(last_hips)):
            # Never seen apart (a person on the back seen from the side, the first frames): the
            # opening in the image, as far as it goes; the posture judges the rest.
            value = image_open
        else:
            shoulders = midpoint(lifted[L.LEFT_SHOULDER], lifted[L.RIGHT_SHOULDER])
            put_back = lifted.copy()
            put_back[L.LEFT_HIP], put_back[L.RIGHT_HIP] = shoulders + last_hips[0], shoulders + last_hips[1]
            knees_w = pose.world_xyz[L.LEFT_KNEE] - pose.world_xyz[L.RIGHT_KNEE]
            knees_i = lifted[L.LEFT_KNEE] - lifted[L.RIGHT_KNEE]
            if (float(np.dot(knees_i, last_hips[0] - last_hips[1])) > 0
                    and vector_angle_deg(knees_i[:2], knees_w[:2]) <= cfg.hip_axes_max_deg):
                value = world_open = hip_abduction_deg(put_back)
            elif image_open <= cfg.closed_image_max_deg:
                # Knees on top of each other too: the legs lie together, and the thighs on each
                # other in the image say so (the leg rested between raises).
                value = image_open
    parts: dict[str, float] = {"image_open_deg": image_open, "world_open_deg": world_open,
                               "hips_agree": float(trusted)}
    if trusted:
        # How far the top knee and the top foot stand above the bottom ones along the hip axis (a
        # clamshell opens the knee and leaves the foot down).
        axis = lifted[L.LEFT_HIP] - lifted[L.RIGHT_HIP]
        axis = axis / float(np.linalg.norm(axis))
        parts["knee_gap_m"] = float(np.dot(lifted[L.LEFT_KNEE] - lifted[L.RIGHT_KNEE], axis))
        parts["ankle_gap_m"] = float(np.dot(lifted[L.LEFT_ANKLE] - lifted[L.RIGHT_ANKLE], axis))
        # Where the hips are, seen from the middle of the shoulders (the next frames' `last_hips`).
        shoulders = midpoint(lifted[L.LEFT_SHOULDER], lifted[L.RIGHT_SHOULDER])
        for s, i in (("l", L.LEFT_HIP), ("r", L.RIGHT_HIP)):
            parts.update({f"{s}_hip_{a}_m": float(v) for a, v in zip("xyz", lifted[i] - shoulders)})
    return value, parts


def _on_the_side(pose: PoseFrame, cfg: SideRaiseSettings, parts: dict[str, float]) -> bool:
    """Lying on the side (adds trunk_tilt_deg, stacked, along_stacked and lying_or_bent to parts)."""
    p = pose.image_px
    sh_mid = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    hip_mid = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    tilt = tilt_from_vertical_deg(hip_mid - sh_mid)
    parts["trunk_tilt_deg"] = tilt
    lying = (90.0 - tilt) <= cfg.trunk_horizontal_max_deg
    # A video turned by 90 deg shows a side-lying person upright; then ask for the side-lying
    # leg shape (both knees and hips bent), which a standing person does not have at rest.
    legs_bent = all(
        parts[f"{s}_knee_deg"] <= cfg.knee_bent_max_deg and parts[f"{s}_hip_deg"] <= cfg.hip_flexed_max_deg
        for s in SIDES
    )
    # Seen from the front (or back), a person on the side has shoulders and hips one above the
    # other, across the trunk; a person on the back seen from the side has them overlapping.
    stacked = across_trunk(pose)
    # Seen from the feet (or the head) the trunk points at the camera and is short in the image,
    # or, from above, rises in it along the stacking: then "on the side" is the hips and the
    # shoulders one above the other in the image.
    along = along_body_stacked(pose, cfg)
    parts["along_stacked"] = along
    if along > 0.0:
        stacked = max(stacked, cfg.stacked_min) if not math.isnan(stacked) else cfg.stacked_min
        # A short trunk says nothing of its tilt; one standing up in the image (seen from above
        # the body) needs the side-lying leg shape, as in a turned video: a person standing in
        # profile has no bent legs at rest.
        lying = lying or along >= 1.0
    parts["stacked"] = stacked
    parts["lying_or_bent"] = float(lying or legs_bent)
    return bool((lying or legs_bent) and stacked >= cfg.stacked_min)


def along_body_stacked(pose: PoseFrame, cfg: SideRaiseSettings) -> float:
    """Whether the camera looks along a side-lying body (from the feet or the head) with the hips
    and the shoulders each one above the other (within `stacked_tilt_max_deg` of the image
    vertical). 1.0: the trunk is short in the image next to the hip width (a camera at the body's
    height). 0.5: seen from above the body's height, the trunk runs away from the camera (its
    in-plane share in the world landmarks below `along_trunk_in_plane_max`) and so rises in the
    image along the same line as the stacked hips and shoulders (within `stacked_tilt_max_deg` of
    the vertical); a person standing in profile has an upright trunk in the image too, but in the
    image plane of the world landmarks. 0.0 otherwise."""
    p = pose.image_px
    hips = p[L.LEFT_HIP] - p[L.RIGHT_HIP]
    shoulders = p[L.LEFT_SHOULDER] - p[L.RIGHT_SHOULDER]
    sh_mid, hip_mid = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER]), midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    trunk = distance(sh_mid, hip_mid)
    hip_w = float(np.hypot(*hips))
    if not (hip_w > 0 and trunk >= 0):
        return 0.0
    upright = (tilt_from_vertical_deg(hips) <= cfg.stacked_tilt_max_deg
               and tilt_from_vertical_deg(shoulders) <= cfg.stacked_tilt_max_deg)
    if not upright:
        return 0.0
    if trunk <= cfg.along_trunk_max_hips * hip_w:
        return 1.0
    w = pose.world_xyz
    in_plane = in_plane_fraction(midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER])
                                 - midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP]))
    rising = tilt_from_vertical_deg(hip_mid - sh_mid) <= cfg.stacked_tilt_max_deg
    return 0.5 if rising and in_plane < cfg.along_trunk_in_plane_max else 0.0


def _hips_along_sight(pose: PoseFrame, min_in_plane: float) -> bool:
    """True when the hip axis points at the camera (3D world landmarks; False if absent): a
    person on the side seen from above, whose leg rises towards the camera."""
    w = pose.world_xyz
    frac = in_plane_fraction(w[L.LEFT_HIP] - w[L.RIGHT_HIP])
    return bool(frac < min_in_plane) if not math.isnan(frac) else False
