"""Medians over a rep's readings (`Sample.parts`): one part, or the direction of a vector."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

STEADY_PCT = 60.0  # a rep's posture: this percentile of its frames (half shaky, half steady: the steady)


def steady_part(samples, key: str) -> float:
    """The level of part `key` that most of `samples` reach (`STEADY_PCT`), NaN readings left
    out (NaN: none)."""
    v = np.array([s.parts.get(key, math.nan) for s in samples], dtype=float)
    v = v[~np.isnan(v)]
    return float(np.percentile(v, STEADY_PCT)) if v.size else math.nan


def median_part(samples, key: str) -> float:
    """The median of part `key` over `samples`, NaN readings left out (NaN: none)."""
    v = np.array([s.parts.get(key, math.nan) for s in samples], dtype=float)
    v = v[~np.isnan(v)]
    return float(np.median(v)) if v.size else math.nan


def median_direction(samples, keys: Sequence[str]) -> np.ndarray | None:
    """The median direction of the vector whose components are the parts `keys`, as a unit
    vector (None: no reading has one)."""
    v = np.array([[s.parts.get(k, math.nan) for k in keys] for s in samples], dtype=float)
    v = v.reshape(-1, len(keys))
    n = np.linalg.norm(v, axis=1)
    v = v[np.isfinite(n) & (n > 0)]
    if not len(v):
        return None
    m = np.median(v / np.linalg.norm(v, axis=1, keepdims=True), axis=0)
    n = float(np.linalg.norm(m))
    return m / n if n > 0 else None


def turn_deg(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """The angle between two unit vectors, degrees (NaN without both)."""
    if a is None or b is None:
        return math.nan
    return math.degrees(math.acos(max(-1.0, min(1.0, float(np.dot(a, b))))))
