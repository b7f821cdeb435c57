"""Which of the leaflet's start positions a frame shows: on the back, on the side, or standing.

Used by `auto` to choose a counter. It needs to know where "up" is only to tell lying from
standing (trunk vs image vertical); on the back vs on the side is told by relative geometry:
seen from the side, a person on the back has the hips (and shoulders) one behind the other,
while a person on the side, seen from the front, has them one above the other across the trunk.
"""

from __future__ import annotations

import math

import numpy as np

from posecount.analysis.geometry import angle_deg, distance, midpoint, signed_offset, tilt_from_vertical_deg
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import PostureSettings

BACK, SIDE, STANDING = "on_back", "on_side", "standing"  # the start positions exercises name

_DEFAULTS = PostureSettings()  # thresholds.toml's [posture] (a test keeps the two equal)


def classify(pose: PoseFrame | None, min_quality: float = 0.5, cfg: PostureSettings = _DEFAULTS) -> str | None:
    """BACK, SIDE, STANDING, or None when the frame does not tell ([posture] limits in `cfg`)."""
    if pose is None:
        return None
    core = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE]
    vis = np.nan_to_num(pose.visibility[core])
    if float(np.mean(vis)) < min_quality:
        return None
    p = pose.image_px
    sh, hip = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER]), midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    trunk = hip - sh
    tilt = tilt_from_vertical_deg(trunk)
    if math.isnan(tilt):
        return None
    if tilt <= cfg.upright_max_tilt_deg and trunk[1] > 0:
        return STANDING
    if tilt < cfg.lying_min_tilt_deg:
        return None
    trunk_len = distance(sh, hip)
    across = abs(signed_offset(p[L.LEFT_HIP], sh, hip) - signed_offset(p[L.RIGHT_HIP], sh, hip))
    if trunk_len > 0 and across / trunk_len >= cfg.side_hip_spread_frac:
        return SIDE
    knees = [angle_deg(p[h], p[k], p[a]) for h, k, a in
             ((L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE), (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE))]
    if min(knees) < cfg.back_knee_max_deg:  # knees bent, hips behind each other: on the back, bridge start
        return BACK
    return None
