"""Plane geometry on landmark points (pixels): angles, offsets, directions. NaN in, NaN out."""

from __future__ import annotations

import math

import numpy as np


def angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle a-b-c at b in degrees (0..180); NaN if a point is missing or coincides with b."""
    a, b, c = _floats(a), _floats(b), _floats(c)
    return vector_angle_deg([x - y for x, y in zip(a, b)], [x - y for x, y in zip(c, b)])


def vector_angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """Unsigned angle between two vectors in degrees (0..180)."""
    # Plain floats: for 2- and 3-vectors numpy's per-call overhead is most of the cost.
    u, v = _floats(u), _floats(v)
    nu, nv = math.hypot(*u), math.hypot(*v)
    if not (nu > 0 and nv > 0):  # also catches NaN
        return math.nan
    cos = sum(a * b for a, b in zip(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _floats(x) -> list[float]:
    return x.tolist() if isinstance(x, np.ndarray) else [float(c) for c in x]  # NaN stays NaN


def signed_offset(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Signed distance of p from the line a->b; the sign tells the side (compare signs only)."""
    (px, py), (ax, ay), (bx, by) = _floats(p)[:2], _floats(a)[:2], _floats(b)[:2]
    dx, dy = bx - ax, by - ay
    n = math.hypot(dx, dy)
    if not n > 0:
        return math.nan
    return (dx * (py - ay) - dy * (px - ax)) / n


def distance(a: np.ndarray, b: np.ndarray) -> float:
    (ax, ay), (bx, by) = _floats(a)[:2], _floats(b)[:2]
    return math.hypot(ax - bx, ay - by)


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
    x = _floats(v)
    n = math.hypot(*x)
    if not n > 0:
        return math.nan
    return math.hypot(x[0], x[1]) / n
