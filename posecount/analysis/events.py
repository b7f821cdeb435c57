"""What the analysis emits: repetitions and the events a live coach turns into cues."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rep:
    """One counted repetition, as every sink shows, stores and reports it."""

    index: int  # 1-based, over the whole session
    start_s: float  # left the start position
    top_s: float  # reached the counting level
    hold_s: float  # time at the top
    end_s: float  # back in the start position
    rise_s: float
    lower_s: float
    peak: float  # in the signal's unit (deg for bridge and side raise, leg lengths for step-up)
    side: str | None  # the person's side: bridge = stretched leg, side raise = side lain on, step-up = leading leg
    variant: str | None  # e.g. "leg-stretch", "single-leg", "bent-leg", "straight-leg"
    set: int  # 1-based
    flags: tuple[str, ...] = ()

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
