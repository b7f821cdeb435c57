"""What the analysis emits: repetitions and the events a live coach turns into cues."""

from __future__ import annotations

import math
from dataclasses import dataclass

NAN = math.nan


@dataclass(frozen=True)
class Rep:
    """One repetition, as the analysis finds it, the history stores it and every sink shows it.

    The one rep type from analysis to history to report; a time or peak nobody measured (a set
    written down by hand) is NaN, never None.
    """

    index: int  # 1-based, over the whole session
    start_s: float = NAN  # left the start position
    top_s: float = NAN  # reached the counting level
    hold_s: float = NAN  # time at the top
    end_s: float = NAN  # back in the start position
    rise_s: float = NAN
    lower_s: float = NAN
    peak: float = NAN  # in the signal's unit (deg for bridge and side raise, leg lengths for step-up)
    side: str | None = None  # the person's: bridge = stretched leg, side raise = side lain on, step-up = leading leg
    variant: str | None = None  # e.g. "leg-stretch", "single-leg", "bent-leg", "straight-leg"
    set: int = 1  # 1-based
    flags: tuple[str, ...] = ()

    @classmethod
    def unmeasured(cls, index: int, side: str | None = None, set: int = 1, flags: tuple[str, ...] = (),  # noqa: A002
                   variant: str | None = None, hold_s: float = NAN) -> Rep:
        """A repetition known only by its side, set, flags and variant (written down by hand)."""
        return cls(index, hold_s=hold_s, side=side, variant=variant, set=set, flags=tuple(flags))

    @classmethod
    def from_dict(cls, d: dict, index: int | None = None) -> Rep:
        """From `to_dict()` or the analysis contract's `repetitions` (a missing or null number is NaN)."""
        def num(key: str) -> float:
            v = d.get(key)
            return NAN if v is None else float(v)

        return cls(int(d.get("index") or index or 1), num("start_s"), num("top_s"), num("hold_s"), num("end_s"),
                   num("rise_s"), num("lower_s"), num("peak"), d.get("side"), d.get("variant"),
                   int(d.get("set") or 1), tuple(d.get("flags") or ()))

    def to_dict(self) -> dict:
        return {
            "index": self.index, "start_s": round(self.start_s, 3), "top_s": round(self.top_s, 3),
            "end_s": round(self.end_s, 3), "hold_s": round(self.hold_s, 3),
            "rise_s": round(self.rise_s, 3), "lower_s": round(self.lower_s, 3),
            "peak": round(self.peak, 3), "side": self.side, "variant": self.variant,
            "set": self.set, "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Rejected:
    """An attempt that was not counted, and why (e.g. "not_high_enough")."""

    reason: str
    start_s: float
    end_s: float
    peak: float
    side: str | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        return {"reason": self.reason, "start_s": round(self.start_s, 3),
                "end_s": round(self.end_s, 3), "peak": round(self.peak, 3),
                "side": self.side, "detail": self.detail}


@dataclass(frozen=True)
class Event:
    t_s: float


@dataclass(frozen=True)
class RepStarted(Event):
    pass


@dataclass(frozen=True)
class TopReached(Event):
    value: float


@dataclass(frozen=True)
class HoldTick(Event):
    """Once per whole second held at the top (for a spoken count)."""

    held_s: float


@dataclass(frozen=True)
class HoldEnded(Event):
    held_s: float


@dataclass(frozen=True)
class RepCompleted(Event):
    rep: Rep


@dataclass(frozen=True)
class RepRecounted(RepCompleted):
    """An attempt rejected earlier as too shallow, counted now that the person's own top is known
    (it came most of the way to it: see `RiseCounter`). A `RepCompleted` for every listener; `was`
    is the rejection it replaces."""

    was: Rejected


@dataclass(frozen=True)
class RepRejected(Event):
    reason: str
    attempt: Rejected


@dataclass(frozen=True)
class TrackingPaused(Event):
    """A gap longer than allowed: the counter paused (nothing is guessed)."""

    gap_start_s: float


@dataclass(frozen=True)
class ExerciseChosen(Event):
    """`auto` decided which exercise this is."""

    exercise: str
