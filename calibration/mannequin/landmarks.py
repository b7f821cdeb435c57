"""The figure's true joints as MediaPipe's 33 landmarks: perfect pose tracks without the model.

A perfect track runs the analysis on exactly the drawn motion, which separates counter
errors from pose-estimation errors (the same clip's MediaPipe track has both).
"""

from __future__ import annotations

import numpy as np

from calibration.mannequin.body import BodySize, Posed
from calibration.mannequin.camera import Camera
from calibration.mannequin.poses import unit
from posecount.pose.landmarks import N_LANDMARKS
from posecount.pose.landmarks import Landmark as L

_BODY = {
    L.LEFT_SHOULDER: "l_shoulder", L.RIGHT_SHOULDER: "r_shoulder", L.LEFT_ELBOW: "l_elbow",
    L.RIGHT_ELBOW: "r_elbow", L.LEFT_WRIST: "l_wrist", L.RIGHT_WRIST: "r_wrist",
    L.LEFT_PINKY: "l_hand", L.RIGHT_PINKY: "r_hand", L.LEFT_INDEX: "l_hand", L.RIGHT_INDEX: "r_hand",
    L.LEFT_THUMB: "l_hand", L.RIGHT_THUMB: "r_hand", L.LEFT_HIP: "l_hip", L.RIGHT_HIP: "r_hip",
    L.LEFT_KNEE: "l_knee", L.RIGHT_KNEE: "r_knee", L.LEFT_ANKLE: "l_ankle", L.RIGHT_ANKLE: "r_ankle",
    L.LEFT_HEEL: "l_heel", L.RIGHT_HEEL: "r_heel", L.LEFT_FOOT_INDEX: "l_toe", L.RIGHT_FOOT_INDEX: "r_toe",
}


def landmarks_3d(p: Posed, body: BodySize) -> np.ndarray:
    """(33, 3) world points (metres, floor frame) in MediaPipe's landmark order."""
    r = body.scaled().head_radius
    c, fwd, up = p["head"], p.face_dir, p.head_up
    left = unit(np.cross(up, fwd))

    def face(du: float, dv: float) -> np.ndarray:
        return c + unit(fwd + left * du + up * dv) * r

    out = np.zeros((N_LANDMARKS, 3))
    out[L.NOSE] = face(0.0, -0.1) + fwd * r * 0.15
    for side, s in (("LEFT", 1.0), ("RIGHT", -1.0)):
        out[L[f"{side}_EYE_INNER"]] = face(0.22 * s, 0.12)
        out[L[f"{side}_EYE"]] = face(0.38 * s, 0.12)
        out[L[f"{side}_EYE_OUTER"]] = face(0.52 * s, 0.12)
        out[L[f"{side}_EAR"]] = c + left * s * r * 0.98 - up * r * 0.05
        out[L[f"MOUTH_{side}"]] = face(0.2 * s, -0.42)
    for lm, joint in _BODY.items():
        out[lm] = p[joint]
    return out


def to_mediapipe(points: np.ndarray, cam: Camera) -> tuple[np.ndarray, np.ndarray]:
    """Normalised image (x, y, z) and world (hip-centred metres, camera axes: x right, y down)."""
    px, depth = cam.project(points)
    hip_depth = depth[[L.LEFT_HIP, L.RIGHT_HIP]].mean()
    # MediaPipe's image z: depth relative to the hips, on roughly the scale of x.
    z = (depth - hip_depth) * cam.focal_px / (max(hip_depth, 1e-6) * cam.width)
    norm = np.column_stack([px[:, 0] / cam.width, px[:, 1] / cam.height, z])
    cam_xyz = cam.to_camera(points)
    world = cam_xyz - cam_xyz[[L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=0)
    return norm, world
