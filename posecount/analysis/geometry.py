"""Plane geometry on landmark points (pixels): angles, offsets, directions. NaN in, NaN out."""

from __future__ import annotations

import math

import numpy as np


def angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle a-b-c at b in degrees (0..180); NaN if a point is missing or coincides with b."""
    return vector_angle_deg(np.asarray(a, float) - b, np.asarray(c, float) - b)


def vector_angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """Unsigned angle between two vectors in degrees (0..180)."""
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    if not (nu > 0 and nv > 0):  # also catches NaN
        return math.nan
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def signed_offset(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Signed distance of p from the line a->b; the sign tells the side (compare signs only)."""
    d = np.asarray(b, float) - a
    n = float(np.hypot(d[0], d[1]))
    if not n > 0:
        return math.nan
    w = np.asarray(p, float) - a
    return float(d[0] * w[1] - d[1] * w[0]) / n


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(np.asarray(a, float)[:2] - np.asarray(b, float)[:2])))


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (np.asarray(a, float) + np.asarray(b, float)) / 2.0


def tilt_from_vertical_deg(v: np.ndarray) -> float:
    """Angle between a 2D image vector and the image vertical, 0..90 (direction-free)."""
    x, y = float(v[0]), float(v[1])
    if not (math.hypot(x, y) > 0):
        return math.nan
    return math.degrees(math.atan2(abs(x), abs(y)))


def in_plane_fraction(v: np.ndarray) -> float:
    """How much of a 3D vector lies in the image plane (1 = none of it in depth)."""
    n = float(np.linalg.norm(v))
    if not n > 0:
        return math.nan
    return float(np.hypot(v[0], v[1])) / n
