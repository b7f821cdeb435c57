"""The leaflet's exercises, one module each, in one registry (see `registry`).

    from posecount import exercises
    for ex in exercises.all(): ...          # every layer iterates these
    exercises.get("side_raise").per_side    # aliases are understood
"""

from posecount.exercises import bridge, side_raise, step_up  # noqa: F401  (each registers itself)
from posecount.exercises.registry import Exercise, Level, find, get, names, parse, register, unregister
from posecount.exercises.registry import exercises as all  # noqa: A001

__all__ = ["Exercise", "Level", "all", "find", "get", "names", "parse", "register", "unregister"]
