"""posecount's numbers as package data: `thresholds.toml` (analysis) and `progression.toml` (plan).

One loader for both. A result records a file by its name and SHA-256, never by its path.
`POSECOUNT_THRESHOLDS` / `POSECOUNT_PROGRESSION` point at a hand-edited copy; a missing or
malformed file, an unknown key or a value out of its range is one clear error (exit 2).
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from posecount.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

THRESHOLDS = "thresholds.toml"
PROGRESSION = "progression.toml"
ENV_OVERRIDE = {THRESHOLDS: "POSECOUNT_THRESHOLDS", PROGRESSION: "POSECOUNT_PROGRESSION"}


@dataclass(frozen=True)
class TomlFile:
    name: str  # the file's name only
    sha256: str
    data: dict[str, Any]


def read(name: str, path: str | Path | None = None) -> TomlFile:
    """The settings file `name`: `path`, else its environment override, else the packaged copy."""
    chosen = path if path is not None else os.environ.get(ENV_OVERRIDE.get(name, "")) or None
    try:
        if chosen is not None:
            raw, shown = Path(chosen).expanduser().read_bytes(), Path(chosen).name
        else:
            raw, shown = (resources.files(__package__) / name).read_bytes(), name
    except FileNotFoundError as exc:
        raise InputError(f"settings file not found: {chosen or name}") from exc
    except OSError as exc:
        raise InputError(f"cannot read settings file {chosen or name}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{shown} is not valid TOML: {exc}") from exc
    return TomlFile(shown, hashlib.sha256(raw).hexdigest(), data)


# Allowed ranges by a key's unit suffix (the project's naming rule: units in names).
_RANGES: tuple[tuple[str, float, float], ...] = (
    ("_frac", 0.0, 1.0), ("_fraction", 0.0, 1.0), ("_share_min", 0.0, 1.0), ("_share_max", 0.0, 1.0),
    ("_s", 0.0, 600.0), ("_hz", 0.001, 100.0), ("_deg", -180.0, 360.0), ("_leglen", -2.0, 2.0),
    ("_pct", 0.0, 100.0), ("_grey", 0.0, 255.0),
)


def allowed_range(key: str) -> tuple[float, float]:
    """The range a value of `key` must lie in (by its unit suffix; anything finite otherwise)."""
    for suffix, low, high in _RANGES:
        if key.endswith(suffix):
            return low, high
    return -math.inf, math.inf


def check_number(file: str, section: str, key: str, value: Any, integer: bool = False) -> float | int:
    """`value` as a number within its range, or an error naming the key and the range."""
    where = f"{file}: [{section}] {key}"
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise InputError(f"{where} must be {kind}, not {value!r}")
    low, high = allowed_range(key)
    if integer:
        low = max(low, 0)
    if not (math.isfinite(value) and low <= value <= high):
        shown = f"{low:g} to {high:g}" if math.isfinite(high) else f"at least {low:g}"
        raise InputError(f"{where} = {value!r} is out of range: allowed {shown}")
    return int(value) if integer else float(value)
