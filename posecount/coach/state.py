"""What a live session shows at one moment, as data: for the window's panels and for any
other screen (a browser app) that draws the numbers itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from posecount.analysis.events import HoldEnded, HoldTick, RepCompleted, RepRejected, TopReached
from posecount.media.layout import Rect

MESSAGE_S = 5.0  # how long a cue's words stay on screen (placement cues come back every 5 s)
KEEP_PERSON_FRAMES = 30  # the person's box outlives a lost pose this long: panels do not jump


@dataclass(frozen=True)
class LiveState:
    """The overlay's state at one frame of a live session."""

    exercise: str  # the exercise counted ("auto" until recognised)
    count: int  # what the count shows: per side for an exercise counted per side (the last rep's side)
    target: int | None  # per side for an exercise counted per side
    total: int  # repetitions counted in the whole session
    held_s: float | None  # seconds held at the top, while holding
    hold_goal_s: float | None  # the hold asked for (None: no hold)
    message: str  # the last cue's short words, while fresh ("" else)
    paused: bool
    ready: bool  # the placement check has passed: counting may start
    side: str | None = None  # the side of the last repetition
    set_no: int | None = None  # the set being done, when the target is done in sets
    sets: int | None = None
    finished: bool = False  # the session has ended
    end_reason: str | None = None  # why ("target reached", "quit", ...), once finished
    t_s: float = 0.0  # the frame's time in the source
    captured_at: float | None = None  # wall-clock time the frame was captured (for latency)


def sets_of(count: int, target: int | None, set_size: int | None) -> tuple[int | None, int | None]:
    """(the set being done, how many) when `target` is done in sets of `set_size`; else (None, None)."""
    if not target or not set_size or target <= set_size:
        return None, None
    sets = math.ceil(target / set_size)
    return min(count // set_size + 1, sets), sets


def side_count(sides: list[str | None]) -> tuple[str | None, int]:
    """The last repetition's side and how many were done on it, from the reps' sides in order."""
    if not sides:
        return None, 0
    return sides[-1], sum(1 for s in sides if s == sides[-1])


def target_cues(sides: list[str | None], count: int, target: int | None, per_side: bool,
                set_size: int | None) -> tuple[list[str], bool]:
    """After a repetition: the cue keys about the target ("switch_sides", "rest", "done") and
    whether it is reached. `sides` are all repetitions' sides so far, `count` their number."""
    if not target or not sides:
        return [], False
    if per_side:
        done = {s for s in sides if s and sides.count(s) >= target}
        if len(done) >= 2:
            return ["done"], True
        return (["switch_sides"] if sides[-1] in done and sides.count(sides[-1]) == target else []), False
    keys = ["rest"] if set_size and target > set_size and count % set_size == 0 and count < target else []
    return (keys + ["done"], True) if count >= target else (keys, False)


class HoldClock:
    """How long the current hold has lasted, from the analyzer's events."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.held_s = 0.0

    def update(self, t_s: float, events: list) -> float | None:
        for ev in events:
            if isinstance(ev, TopReached):
                self.since, self.held_s = ev.t_s, 0.0
            elif isinstance(ev, HoldTick):
                self.held_s = ev.held_s
                if self.since is None:  # back up after a dip: the hold goes on
                    self.since = ev.t_s - ev.held_s
            elif isinstance(ev, (HoldEnded, RepCompleted, RepRejected)):
                self.since = None
        if self.since is None:
            return None
        return max(self.held_s, t_s - self.since)


class PersonKeeper:
    """The person's box, kept for a while when the pose is lost (so the panels stay put)."""

    def __init__(self, keep_frames: int = KEEP_PERSON_FRAMES) -> None:
        self.keep_frames = keep_frames
        self.box: Rect | None = None
        self._missing = 0

    def update(self, box: Rect | None) -> Rect | None:
        if box is not None:
            self.box, self._missing = box, 0
        else:
            self._missing += 1
            if self._missing > self.keep_frames:
                self.box = None
        return self.box


def scale_rect(rect: Rect | None, factor: float) -> Rect | None:
    if rect is None:
        return None
    x0, y0, x1, y1 = rect
    return math.floor(x0 * factor), math.floor(y0 * factor), math.ceil(x1 * factor), math.ceil(y1 * factor)
