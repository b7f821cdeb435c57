"""`AnalysisResult`: what an analysis found, JSON-ready (the trace stays out of the JSON)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from posecount.analysis.events import Rejected, Rep


@dataclass(frozen=True)
class Trace:
    """The signal over time, for plots: raw and smoothed value, quality 0..1 (NaN = no value)."""

    t_s: np.ndarray
    raw: np.ndarray
    smoothed: np.ndarray
    quality: np.ndarray


@dataclass(frozen=True)
class SetSummary:
    index: int
    reps: int
    start_s: float
    end_s: float

    def to_dict(self) -> dict:
        return {"index": self.index, "reps": self.reps, "start_s": round(self.start_s, 3),
                "end_s": round(self.end_s, 3)}


@dataclass(frozen=True)
class AnalysisResult:
    exercise: str
    reps: list[Rep]
    rejected: list[Rejected]
    warnings: list[str]
    signal_name: str
    signal_unit: str
    thresholds: dict
    trace: Trace
    chosen_automatically: bool = False
    candidates: dict[str, float] = field(default_factory=dict)
    counting: str = "standard"  # "strict": only repetitions that meet every rule (see policy.py)

    @property
    def count(self) -> int:
        return len(self.reps)

    @property
    def sides(self) -> dict[str, int]:
        """Reps per side (the person's): side lain on, leading leg or stretched leg."""
        c = Counter(r.side for r in self.reps if r.side)
        return {"left": c.get("left", 0), "right": c.get("right", 0),
                "unknown": sum(1 for r in self.reps if not r.side)}

    @property
    def sets(self) -> list[SetSummary]:
        out = []
        for k in sorted({r.set for r in self.reps}):
            rs = [r for r in self.reps if r.set == k]
            out.append(SetSummary(k, len(rs), rs[0].start_s, rs[-1].end_s))
        return out

    def to_dict(self) -> dict:
        d = {
            "exercise": self.exercise,
            "reps": self.count,
            "repetitions": [r.to_dict() for r in self.reps],
            "rejected": [r.to_dict() for r in self.rejected],
            "sides": self.sides,
            "sets": [s.to_dict() for s in self.sets],
            "signal": {"name": self.signal_name, "unit": self.signal_unit},
            "thresholds": self.thresholds,
            "warnings": list(self.warnings),
            "counting": self.counting,
        }
        if self.chosen_automatically:
            d["exercise_auto"] = {"chosen": self.exercise,
                                  "posture_share": {k: round(v, 3) for k, v in self.candidates.items()}}
        return d
