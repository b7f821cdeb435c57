"""The room around the figure (wall, floor, mat, step) and the camera's imperfections."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from calibration.mannequin.camera import Camera
from calibration.mannequin.draw import Look, _scale


@dataclass(frozen=True)
class Box:
    """An axis-aligned box standing on the floor (the step)."""

    x0: float
    x1: float
    z0: float
    z1: float
    height: float


@dataclass(frozen=True)
class Room:
    mat: tuple[float, float, float, float] | None = None  # x0, x1, z0, z1 of an exercise mat
    step: Box | None = None
    wall_distance_m: float = 2.5  # behind the target, seen from the camera


def render_background(cam: Camera, room: Room, look: Look, target: np.ndarray, seed: int) -> np.ndarray:
    """Wall and floor by casting one ray per pixel; the mat and step drawn over them."""
    rng = np.random.default_rng(seed)
    d = cam.rays()
    c = cam.position
    horiz = np.array([c[0] - target[0], 0.0, c[2] - target[2]])
    n = horiz / max(np.linalg.norm(horiz), 1e-6)
    w0 = target - n * room.wall_distance_m
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(d[..., 1] < -1e-6, -c[1] / d[..., 1], np.inf)
        dn = d @ n
        t_wall = np.where(dn < -1e-6, ((w0 - c) @ n) / dn, np.inf)
    floor = t_floor < t_wall
    img = np.empty((cam.height, cam.width, 3), np.float32)
    # Wall: a vertical light gradient and a skirting board.
    hit_w = c + d * np.where(np.isfinite(t_wall), t_wall, 0)[..., None]
    wall_y = hit_w[..., 1]
    wall = np.asarray(look.wall, np.float32) * (0.85 + 0.15 * np.clip(wall_y / 2.5, 0, 1))[..., None]
    wall = np.where((wall_y < 0.1)[..., None], np.asarray(_scale(look.wall, 0.7), np.float32), wall)
    img[:] = wall
    # Floor: planks along x with seams, darker far away.
    hit_f = c + d * np.where(np.isfinite(t_floor), t_floor, 0)[..., None]
    plank = np.floor(hit_f[..., 2] / 0.18)
    plank_tone = 0.9 + 0.1 * np.sin(plank * 12.9898) ** 2
    seam = (np.abs((hit_f[..., 2] / 0.18) - np.round(hit_f[..., 2] / 0.18)) < 0.04)
    fcol = np.asarray(look.floor, np.float32) * (plank_tone * np.where(seam, 0.75, 1.0))[..., None]
    if room.mat is not None:
        x0, x1, z0, z1 = room.mat
        on_mat = (hit_f[..., 0] > x0) & (hit_f[..., 0] < x1) & (hit_f[..., 2] > z0) & (hit_f[..., 2] < z1)
        fcol = np.where(on_mat[..., None], np.asarray(look.mat, np.float32), fcol)
    img = np.where(floor[..., None], fcol, img)
    img *= (0.97 + 0.06 * rng.random((cam.height, cam.width, 1))).astype(np.float32)  # texture
    out = np.clip(img, 0, 255).astype(np.uint8)
    if room.step is not None:
        _draw_box(out, cam, room.step, look)
    return out


def _draw_box(img: np.ndarray, cam: Camera, box: Box, look: Look) -> None:
    x0, x1, z0, z1, h = box.x0, box.x1, box.z0, box.z1, box.height
    faces = {
        "top": ([[x0, h, z0], [x1, h, z0], [x1, h, z1], [x0, h, z1]], 1.1, np.array([0, 1, 0])),
        "x0": ([[x0, 0, z0], [x0, h, z0], [x0, h, z1], [x0, 0, z1]], 0.8, np.array([-1, 0, 0])),
        "x1": ([[x1, 0, z0], [x1, h, z0], [x1, h, z1], [x1, 0, z1]], 0.8, np.array([1, 0, 0])),
        "z0": ([[x0, 0, z0], [x1, 0, z0], [x1, h, z0], [x0, h, z0]], 0.65, np.array([0, 0, -1])),
        "z1": ([[x0, 0, z1], [x1, 0, z1], [x1, h, z1], [x0, h, z1]], 0.65, np.array([0, 0, 1])),
    }
    wood = (60, 110, 150)
    for pts, shade, normal in faces.values():
        pts = np.asarray(pts, float)
        if np.dot(normal, cam.position - pts.mean(axis=0)) <= 0:
            continue  # back face
        px, _ = cam.project(pts)
        cv2.fillConvexPoly(img, (px * 16).round().astype(np.int32), _scale(wood, shade), cv2.LINE_AA, 4)
        cv2.polylines(img, [(px * 16).round().astype(np.int32)], True, _scale(wood, 0.5), 1, cv2.LINE_AA, 4)


@dataclass(frozen=True)
class Effects:
    """Camera imperfections, all deterministic from the clip's seed."""

    noise_sigma: float = 2.0
    blur_px: float = 0.0
    shake_px: float = 0.0
    light_change: float = 0.0  # relative brightness swing over the clip (0.3 = +/-30 %)


def apply_effects(img: np.ndarray, fx: Effects, t_s: float, duration_s: float,
                  rng: np.random.Generator, shake_state: np.ndarray) -> np.ndarray:
    out = img
    if fx.shake_px > 0:
        # A slow random walk pulled back to the centre: a hand-held phone, not an earthquake.
        shake_state += rng.normal(0, fx.shake_px * 0.15, 3) - shake_state * 0.08
        dx, dy, rot = shake_state[0], shake_state[1], shake_state[2] * 0.05
        h, w = out.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rot), 1.0)
        m[:, 2] += (dx, dy)
        out = cv2.warpAffine(out, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    if fx.blur_px > 0:
        k = int(fx.blur_px * 2) * 2 + 1
        out = cv2.GaussianBlur(out, (k, k), fx.blur_px)
    gain = 1.0
    if fx.light_change:
        gain = 1.0 + fx.light_change * np.sin(2 * np.pi * t_s / max(duration_s, 1e-3))
    if fx.noise_sigma > 0 or gain != 1.0:
        f = out.astype(np.float32) * gain
        if fx.noise_sigma > 0:
            f += rng.normal(0, fx.noise_sigma, f.shape).astype(np.float32)
        out = np.clip(f, 0, 255).astype(np.uint8)
    return out
