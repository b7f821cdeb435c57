"""The rep book both state machines share: numbering, sets, hold ticks, rejections."""

from __future__ import annotations

from posecount.analysis.events import HoldTick, RepCompleted, RepRejected
from posecount.analysis.repbook import RepBook


def _complete(book: RepBook, events: list, start_s: float, end_s: float):
    return book.complete(events, end_s, start_s=start_s, top_s=start_s + 1, hold_s=1.0, rise_s=0.5, lower_s=0.5,
                         peak=170.0, side="left", variant=None, flags=("hold_short",))


def test_reps_are_numbered_and_a_long_pause_starts_a_new_set():
    book, events = RepBook(set_break_s=12.0), []
    _complete(book, events, 0.0, 5.0)
    _complete(book, events, 10.0, 15.0)  # 5 s later: same set
    _complete(book, events, 40.0, 45.0)  # 25 s later: a rest, set 2
    assert [(r.index, r.set) for r in book.reps] == [(1, 1), (2, 1), (3, 2)]
    assert [type(e) for e in events] == [RepCompleted] * 3 and events[0].rep.flags == ("hold_short",)


def test_a_hold_tick_for_each_whole_second_and_rejections_carry_their_reason():
    events: list = []
    held = 0.0
    for k in range(1, 26):  # 2.5 s at 10 frames/s
        before, held = held, k * 0.1
        RepBook.hold(events, k * 0.1, before, held)
    assert [e.held_s for e in events if isinstance(e, HoldTick)] == [1.0, 2.0]
    RepBook.reject(events, "too_small", 1.0, 3.0, 12.0, "right", "detail")
    rejected = events[-1]
    assert isinstance(rejected, RepRejected) and rejected.attempt.reason == "too_small"
    assert (rejected.attempt.side, rejected.attempt.detail) == ("right", "detail")
