"""A pinhole camera looking at the figure, placed by view name (side, oblique, from the feet, front)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Camera:
    """Pinhole camera: world point -> pixel. Camera axes: x right, y down, z forward."""

    position: np.ndarray
    rotation: np.ndarray  # (3, 3) rows = camera x, y, z axes in world coordinates
    focal_px: float
    width: int
    height: int

    @classmethod
    def look_at(cls, position: np.ndarray, target: np.ndarray, width: int, height: int,
                hfov_deg: float = 60.0) -> Camera:
        fwd = target - position
        fwd = fwd / np.linalg.norm(fwd)
        right = np.cross(fwd, np.array([0.0, 1.0, 0.0]))
        right /= np.linalg.norm(right)
        down = np.cross(fwd, right)
        focal = (width / 2) / math.tan(math.radians(hfov_deg) / 2)
        # The image is taken in a mirror (x axis = -right): the figure's poses are built in a
        # left-handed body frame (poses.py: "left" = ant x sup is anatomically the right), so
        # only its mirror image is a person whose limbs named left are on the left. Found when
        # MediaPipe named the other leg on every synthetic clip but got real clips right.
        return cls(np.asarray(position, float), np.stack([-right, down, fwd]), focal, width, height)

    def to_camera(self, pts: np.ndarray) -> np.ndarray:
        return (np.asarray(pts, float) - self.position) @ self.rotation.T

    def project(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, 3) world points -> (N, 2) pixels and (N,) depths in metres."""
        c = self.to_camera(np.atleast_2d(pts))
        z = np.maximum(c[:, 2], 1e-3)
        px = np.stack([self.focal_px * c[:, 0] / z + self.width / 2,
                       self.focal_px * c[:, 1] / z + self.height / 2], axis=1)
        return px, c[:, 2]

    def rays(self) -> np.ndarray:
        """(H, W, 3) world-space unit ray per pixel (for the floor and the wall)."""
        u, v = np.meshgrid(np.arange(self.width) + 0.5 - self.width / 2,
                           np.arange(self.height) + 0.5 - self.height / 2)
        d = np.stack([u / self.focal_px, v / self.focal_px, np.ones_like(u)], axis=-1)
        d = d @ self.rotation  # camera -> world
        return d / np.linalg.norm(d, axis=-1, keepdims=True)


VIEWS = ("side", "side-other", "oblique+30", "oblique-30", "feet", "front", "head")


def place_camera(view: str, target: np.ndarray, distance_m: float, height_m: float,
                 width: int, height: int, hfov_deg: float = 60.0,
                 axis_x: np.ndarray | None = None) -> Camera:
    """Camera `distance_m` from `target`, at `height_m` above the floor.

    "side" looks along -z from +z (for the lying exercises that is the person's left side),
    "side-other" from -z, "oblique±30" turns the side view by ±30 degrees about the vertical,
    "feet" looks along the body from its +x end (where the feet are), "front" from +x too
    (for a standing figure facing +x), "head" from -x (the feet of a figure lying on its right side).
    """
    azimuth = {"side": 0.0, "side-other": 180.0, "oblique+30": 30.0, "oblique-30": -30.0,
               "feet": 90.0, "front": 90.0, "head": -90.0}[view]
    a = math.radians(azimuth)
    horiz = np.array([math.sin(a), 0.0, math.cos(a)])  # azimuth 0 = +z, 90 = +x
    pos = np.array([target[0], 0.0, target[2]]) + horiz * distance_m
    pos[1] = height_m
    return Camera.look_at(pos, np.asarray(target, float), width, height, hfov_deg)
