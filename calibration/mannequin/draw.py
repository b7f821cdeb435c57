"""Draws a posed figure with OpenCV: a room, then depth-sorted shaded body parts and a face.

Painter's algorithm: every part is one primitive with the mean camera depth of its points,
drawn far to near. Limbs are tapered capsules shaded in three layers (rim, body, highlight),
which MediaPipe reads as round limbs far better than flat silhouettes do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from calibration.mannequin.body import BodySize, Posed
from calibration.mannequin.camera import Camera
from calibration.mannequin.poses import unit

SHIFT = 4  # sub-pixel precision of OpenCV drawing (coordinates * 16)
ONE = 1 << SHIFT

BGR = tuple[int, int, int]

SKIN_TONES: tuple[BGR, ...] = ((150, 180, 225), (120, 160, 210), (95, 135, 185), (70, 100, 145), (55, 75, 110))
HAIR: tuple[BGR, ...] = ((30, 35, 45), (40, 60, 95), (60, 100, 150), (25, 25, 25), (140, 150, 160))
SHIRTS: tuple[BGR, ...] = ((170, 90, 40), (60, 60, 180), (70, 140, 60), (200, 200, 200), (40, 40, 40), (150, 60, 130))
TROUSERS: tuple[BGR, ...] = ((60, 40, 30), (40, 40, 40), (120, 110, 100), (90, 60, 50), (130, 90, 60))
WALLS: tuple[BGR, ...] = ((200, 215, 225), (180, 200, 200), (215, 205, 190), (170, 180, 190))
FLOORS: tuple[BGR, ...] = ((80, 120, 160), (100, 140, 170), (120, 120, 125), (60, 90, 130))
MATS: tuple[BGR, ...] = ((140, 80, 60), (60, 120, 60), (120, 60, 120), (70, 70, 70))


@dataclass(frozen=True)
class Look:
    """Colours of the figure and the room (BGR)."""

    skin: BGR
    hair: BGR
    shirt: BGR
    trousers: BGR
    shoes: BGR
    wall: BGR
    floor: BGR
    mat: BGR

    @classmethod
    def from_seed(cls, seed: int) -> Look:
        rng = np.random.default_rng(seed)

        def pick(opts: tuple[BGR, ...]) -> BGR:
            return opts[int(rng.integers(len(opts)))]

        return cls(skin=pick(SKIN_TONES), hair=pick(HAIR), shirt=pick(SHIRTS), trousers=pick(TROUSERS),
                   shoes=pick(((230, 230, 230), (40, 40, 40), (60, 60, 140))), wall=pick(WALLS),
                   floor=pick(FLOORS), mat=pick(MATS))


def _scale(c: BGR, k: float) -> BGR:
    return tuple(int(min(255, max(0, v * k))) for v in c)  # type: ignore[return-value]


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(p[0] * ONE)), int(round(p[1] * ONE))


def _disc(img: np.ndarray, c: np.ndarray, r: float, col: BGR) -> None:
    cv2.circle(img, _pt(c), max(1, int(round(r * ONE))), col, -1, cv2.LINE_AA, SHIFT)


def _capsule2d(img: np.ndarray, a: np.ndarray, b: np.ndarray, ra: float, rb: float, col: BGR) -> None:
    d = b - a
    n = float(np.hypot(*d))
    _disc(img, a, ra, col)
    _disc(img, b, rb, col)
    if n < 1e-6:
        return
    perp = np.array([-d[1], d[0]]) / n
    quad = np.array([a + perp * ra, b + perp * rb, b - perp * rb, a - perp * ra])
    cv2.fillConvexPoly(img, (quad * ONE).round().astype(np.int32), col, cv2.LINE_AA, SHIFT)


LIGHT_DIR_PX = np.array([-0.45, -0.9])  # light from the upper left of the image


def shaded_capsule(img: np.ndarray, a: np.ndarray, b: np.ndarray, ra: float, rb: float, col: BGR) -> None:
    """A tapered capsule with a dark rim and a highlight towards the light."""
    _capsule2d(img, a, b, ra, rb, _scale(col, 0.62))
    off_a, off_b = LIGHT_DIR_PX * ra * 0.18, LIGHT_DIR_PX * rb * 0.18
    _capsule2d(img, a + off_a, b + off_b, ra * 0.8, rb * 0.8, col)
    _capsule2d(img, a + off_a * 2.2, b + off_b * 2.2, ra * 0.35, rb * 0.35, _scale(col, 1.18))


def shaded_polygon(img: np.ndarray, pts: np.ndarray, col: BGR) -> None:
    """A convex body part (torso, pelvis) from its projected outline points."""
    hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2)
    centre = hull.mean(axis=0)
    size = float(np.sqrt(cv2.contourArea(hull.astype(np.float32)) + 1.0))
    for k, shade, shift in ((1.0, 0.62, 0.0), (0.86, 1.0, 0.05), (0.45, 1.15, 0.14)):
        poly = centre + (hull - centre) * k + LIGHT_DIR_PX * size * shift
        cv2.fillConvexPoly(img, (poly * ONE).round().astype(np.int32), _scale(col, shade), cv2.LINE_AA, SHIFT)


@dataclass
class _Prim:
    depth: float
    paint: Callable[[np.ndarray], None]


def paint_far_to_near(img: np.ndarray, prims: list[_Prim]) -> None:
    for prim in sorted(prims, key=lambda q: -q.depth):
        prim.paint(img)


class FigurePainter:
    """Turns a `Posed` figure into draw calls for one camera and one look."""

    def __init__(self, camera: Camera, body: BodySize, look: Look) -> None:
        self.cam, self.b, self.look = camera, body.scaled(), look

    def _r_px(self, r_m: float, depth: float) -> float:
        return self.cam.focal_px * r_m / max(depth, 1e-3)

    def _limb(self, prims: list[_Prim], p: Posed, a: str, b: str, ra_m: float, rb_m: float, col: BGR) -> None:
        self._limb_pts(prims, p[a], p[b], ra_m, rb_m, col)

    def _limb_pts(self, prims: list[_Prim], pa: np.ndarray, pb: np.ndarray, ra_m: float, rb_m: float,
                  col: BGR, depth_bias: float = 0.0) -> None:
        px, z = self.cam.project(np.stack([pa, pb]))
        ra, rb = self._r_px(ra_m, z[0]), self._r_px(rb_m, z[1])
        prims.append(_Prim(float(z.mean()) + depth_bias,
                           lambda img, px=px, ra=ra, rb=rb: shaded_capsule(img, px[0], px[1], ra, rb, col)))

    def _ring_pts(self, centre: np.ndarray, lateral: np.ndarray, front: np.ndarray,
                  half_w: float, half_d: float, n: int = 14) -> np.ndarray:
        t = np.linspace(0, 2 * np.pi, n, endpoint=False)
        return centre + np.outer(np.cos(t), lateral) * half_w + np.outer(np.sin(t), front) * half_d

    def paint(self, img: np.ndarray, p: Posed) -> None:
        paint_far_to_near(img, self.primitives(p))

    def primitives(self, p: Posed) -> list[_Prim]:
        """The figure's draw calls, unsorted (merge two figures' lists to draw them as one scene)."""
        b, lk = self.b, self.look
        prims: list[_Prim] = []
        # Trunk: rings at the shoulders, the chest and the waist; pelvis: rings at the waist and hips.
        sup = unit(p["neck"] - p["pelvis"])
        lat = unit(p["l_shoulder"] - p["r_shoulder"])
        front = unit(np.cross(sup, lat))
        lat_h = unit(p["l_hip"] - p["r_hip"])
        front_h = unit(np.cross(sup, lat_h))
        waist = p["pelvis"] + sup * b.trunk * 0.38
        chest_rings = [
            self._ring_pts(p["chest"] - sup * 0.02, lat, front, b.shoulder_half_width * 1.02, b.torso_depth * 0.75),
            self._ring_pts(p["chest"] - sup * b.trunk * 0.25, lat, front, b.shoulder_half_width * 0.95, b.torso_depth),
            self._ring_pts(waist, lat_h, front_h, b.hip_half_width * 1.45, b.torso_depth * 0.85),
        ]
        pelvis_rings = [
            self._ring_pts(waist - sup * 0.02, lat_h, front_h, b.hip_half_width * 1.45, b.torso_depth * 0.85),
            self._ring_pts(p["pelvis"] - sup * 0.04, lat_h, front_h, b.hip_half_width * 1.75, b.torso_depth * 0.95),
        ]
        for rings, col, bias in ((chest_rings, lk.shirt, 0.0), (pelvis_rings, lk.trousers, 0.0)):
            pts3 = np.concatenate(rings)
            px, z = self.cam.project(pts3)
            prims.append(_Prim(float(z.mean()) + bias, lambda img, px=px, col=col: shaded_polygon(img, px, col)))
        # Shoulder caps keep the arm roots round.
        for s in ("l", "r"):
            cap = b.upper_arm_r[0] * 1.25
            self._limb(prims, p, f"{s}_shoulder", f"{s}_shoulder", cap, cap, lk.shirt)
            self._limb(prims, p, f"{s}_hip", f"{s}_knee", *b.thigh_r, lk.trousers)
            self._limb(prims, p, f"{s}_knee", f"{s}_ankle", *b.shank_r, lk.skin)
            self._limb_pts(prims, p[f"{s}_heel"], p[f"{s}_toe"], 0.042 * b.thigh_r[0] / 0.085,
                           0.032 * b.thigh_r[0] / 0.085, lk.shoes, depth_bias=-0.01)
            self._limb_pts(prims, p[f"{s}_shoulder"], p[f"{s}_elbow"], *b.upper_arm_r, lk.shirt)
            self._limb(prims, p, f"{s}_elbow", f"{s}_wrist", *b.forearm_r, lk.skin)
            self._limb(prims, p, f"{s}_wrist", f"{s}_hand", 0.034, 0.026, _scale(lk.skin, 0.95))
        self._limb(prims, p, "chest", "neck", 0.055, 0.05, _scale(lk.skin, 0.9))
        self._limb_pts(prims, p["neck"], p["head"] - p.head_up * b.head_radius * 0.3, 0.05, 0.05, _scale(lk.skin, 0.9))
        hz = float(self.cam.project(p["head"][None])[1][0])
        prims.append(_Prim(hz, lambda img: self._head(img, p)))
        return prims

    def _head(self, img: np.ndarray, p: Posed) -> None:
        """Skull, jaw, hair and a face (eyes, brows, nose, mouth, ears): the detector looks for a face."""
        b, lk, cam = self.b, self.look, self.cam
        r = b.head_radius
        c, fwd, up = p["head"], p.face_dir, p.head_up
        side = unit(np.cross(up, fwd))  # the person's left
        to_cam = cam.position - c
        (cpx, jawpx), z = cam.project(np.stack([c, c - up * r * 0.45 + fwd * r * 0.25]))
        rpx = self._r_px(r, z[0])
        skin = lk.skin
        # Hair: splats on the back and top of the skull, drawn under the face.
        u = np.linspace(0, 2 * np.pi, 24, endpoint=False)
        v = np.linspace(-0.4 * np.pi, 0.5 * np.pi, 9)
        uu, vv = np.meshgrid(u, v)
        dirs = (np.cos(vv)[..., None] * (np.cos(uu)[..., None] * fwd + np.sin(uu)[..., None] * side)
                + np.sin(vv)[..., None] * up).reshape(-1, 3)
        # A cap of hair: crown and back of the head, hairline above the brows.
        hair_mask = (dirs @ fwd < -0.15) | (dirs @ up > 0.6) | ((dirs @ up > 0.3) & (dirs @ fwd < 0.5))
        hair_pts = c + dirs[hair_mask] * r * 1.02
        # Only splats facing the camera: rim splats would spill over the face.
        vis = (hair_pts - c) @ unit(to_cam) > 0.25 * r
        _disc(img, cpx, rpx * 1.02, _scale(skin, 0.65))
        _disc(img, jawpx, self._r_px(r * 0.72, z[1]), _scale(skin, 0.7))
        _disc(img, cpx + LIGHT_DIR_PX * rpx * 0.1, rpx * 0.9, skin)
        _disc(img, jawpx + LIGHT_DIR_PX * rpx * 0.05, self._r_px(r * 0.62, z[1]), skin)
        _disc(img, cpx + LIGHT_DIR_PX * rpx * 0.3, rpx * 0.4, _scale(skin, 1.12))
        if vis.any():
            hp, hz = cam.project(hair_pts[vis])
            for q, d in sorted(zip(hp, hz), key=lambda t: -t[1]):
                _disc(img, q, self._r_px(r * 0.24, d), lk.hair)
        feats: list[tuple[float, Callable[[], None]]] = []

        def on_face(du: float, dv: float, out: float = 1.0) -> np.ndarray:
            d = unit(fwd + side * du + up * dv)
            return c + d * r * out

        def visible(pt: np.ndarray) -> bool:
            return float(np.dot(unit(pt - c), unit(cam.position - pt))) > 0.05

        def add_disc(pt3: np.ndarray, rad_m: float, col: BGR) -> None:
            if visible(pt3):
                q, d = cam.project(pt3[None])
                feats.append((float(d[0]), lambda q=q[0], d=d[0]: _disc(img, q, self._r_px(rad_m, d), col)))

        def add_line(a3: np.ndarray, b3: np.ndarray, rad_m: float, col: BGR) -> None:
            if visible(a3) and visible(b3):
                q, d = cam.project(np.stack([a3, b3]))
                rr = self._r_px(rad_m, float(d.mean()))
                feats.append((float(d.mean()), lambda q=q, rr=rr: _capsule2d(img, q[0], q[1], rr, rr, col)))

        for s in (1.0, -1.0):
            add_disc(c + side * s * r * 0.98 - up * r * 0.05, r * 0.2, _scale(skin, 0.8))  # ears
            add_disc(on_face(0.38 * s, 0.12, 0.97), r * 0.17, (235, 240, 240))  # eye whites
            add_disc(on_face(0.38 * s, 0.12, 1.0), r * 0.09, (40, 35, 30))  # irises
            add_line(on_face(0.22 * s, 0.36), on_face(0.55 * s, 0.33), r * 0.045, _scale(lk.hair, 0.9))
        add_line(on_face(-0.2, -0.42), on_face(0.2, -0.42), r * 0.055, (80, 80, 170))  # mouth
        nose_root, nose_tip = on_face(0, 0.05, 1.0), on_face(0, -0.12, 1.22)
        if visible(nose_root) or visible(nose_tip):
            q, d = cam.project(np.stack([nose_root, nose_tip]))
            feats.append((float(d.min()) - 0.05, lambda q=q, d=d: shaded_capsule(
                img, q[0], q[1], self._r_px(r * 0.09, d[0]), self._r_px(r * 0.11, d[1]), _scale(skin, 0.92))))
        for _, f in sorted(feats, key=lambda t: -t[0]):
            f()
