"""The live session's state as data, the end screen, pausing, and whether a window can open (no camera, no model)."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

from posecount.analysis.events import HoldEnded, HoldTick, Rep, RepCompleted, TopReached
from posecount.coach.screen import end_screen, overlay_for, overlay_of, render
from posecount.coach.state import HoldClock, LiveState, PersonKeeper, scale_rect, sets_of, side_count, target_cues
from posecount.coach.window import _socket_reachable, display_problem


def _state(**kw) -> LiveState:
    base = dict(exercise="bridge", count=2, target=3, total=2, held_s=None, hold_goal_s=5.0, message="",
                paused=False, ready=True)
    return LiveState(**{**base, **kw})


def test_target_cues_switch_sides_rest_between_sets_and_end():
    assert target_cues(["left"] * 3, 3, 3, True, None) == (["switch_sides"], False)
    assert target_cues(["left"] * 3 + ["right"] * 2, 5, 3, True, None) == ([], False)
    assert target_cues(["left"] * 3 + ["right"] * 3, 6, 3, True, None) == (["done"], True)
    assert target_cues([None] * 10, 10, 20, False, 10) == (["rest"], False)
    assert target_cues([None] * 20, 20, 20, False, 10) == (["done"], True)
    assert target_cues([None] * 4, 4, None, False, 10) == ([], False)  # no target: nothing to say


def test_sets_and_the_count_of_the_current_side():
    assert sets_of(0, 20, 10) == (1, 2) and sets_of(10, 20, 10) == (2, 2) and sets_of(20, 20, 10) == (2, 2)
    assert sets_of(3, 8, 10) == (None, None) and sets_of(3, None, 10) == (None, None)
    assert side_count(["left", "left", "right"]) == ("right", 1) and side_count([]) == (None, 0)


def test_hold_clock_runs_from_the_top_and_goes_on_after_a_dip():
    clock = HoldClock()
    assert clock.update(1.0, [TopReached(1.0, 170.0)]) == 0.0
    assert clock.update(3.5, []) == pytest.approx(2.5)
    assert clock.update(3.6, [HoldEnded(3.6, 2.6)]) is None  # dipped below the top
    assert clock.update(4.0, [HoldTick(4.0, 3.0)]) == pytest.approx(3.0)  # back up: the hold goes on
    assert clock.update(6.0, [RepCompleted(6.0, Rep(1))]) is None


def test_the_person_box_outlives_a_lost_pose_for_a_while():
    keeper = PersonKeeper(keep_frames=2)
    box = (10, 20, 30, 40)
    assert keeper.update(box) == box and keeper.update(None) == box and keeper.update(None) == box
    assert keeper.update(None) is None
    assert scale_rect(box, 2.0) == (20, 40, 60, 80) and scale_rect(None, 2.0) is None


def test_render_fits_the_frame_to_the_screen_and_keeps_the_person_free():
    base = np.full((300, 400, 3), 90, np.uint8)
    person = (40, 150, 360, 290)
    image, key = render(base, overlay_of(_state(held_s=2.0)), person, canvas=(1280, 720))
    assert image.shape == (720, 1280, 3)
    assert np.all(image[300:, :150] == 0) and np.all(image[300:, -150:] == 0)  # black beside the 4:3 picture
    x0, y0, x1, y1 = scale_rect(person, 2.4)
    x0, x1 = x0 + 160, x1 + 160  # the picture is centred
    assert np.all(image[y0:y1, x0:x1] == 90), "nothing drawn over the person"
    assert image[:y0, 160:1120].min() < 90, "the panels are above the person"
    again, _ = render(base, overlay_of(_state()), person, prefer=key)
    assert again.shape == base.shape and not np.shares_memory(again, base) and np.all(base == 90)


def test_debug_shows_the_frame_rate_only_when_asked():
    assert overlay_of(_state(), fps=30.0).fps is None
    assert overlay_of(_state(), fps=30.0, debug=True).fps == 30.0


def test_end_screen_dims_the_frame_and_shows_the_count_and_message():
    base = np.full((300, 400, 3), 200, np.uint8)
    out = end_screen(base, _state(count=3, message="Well done!", finished=True), canvas=(800, 600))
    assert out.shape == (600, 800, 3)
    assert np.median(out) < 100  # dimmed
    yellow = (out[..., 2] > 200) & (out[..., 1] > 180) & (out[..., 0] < 160)
    assert (out > 250).all(axis=2).sum() > 1000 and yellow.sum() > 500  # the count in white, the words in yellow


def test_pause_can_be_set_and_toggled_from_another_thread():
    from posecount.coach.live import LiveCoach, LiveOptions
    from posecount.coach.speech import Speaker

    coach = LiveCoach(LiveOptions(exercise="bridge", window=False), speaker=Speaker(quiet=True))
    assert not coach.paused
    worker = threading.Thread(target=coach.toggle_pause)
    worker.start()
    worker.join()
    assert coach.paused
    coach.set_paused(False)
    assert not coach.paused and coach.toggle_pause() is True


@pytest.mark.skipif(sys.platform != "linux", reason="the display probe is for X (Linux)")
def test_no_window_without_a_reachable_display():
    assert display_problem({}) == "no display (DISPLAY is not set)"
    assert "cannot connect" in display_problem({"DISPLAY": ":5937"})  # no X server there
    assert not _socket_reachable(":5937")
    assert display_problem({"DISPLAY": ":x.y"}) is not None


def test_the_live_panels_name_the_set_and_time_frames_only_with_debug():
    state = _state(set_no=2, sets=3)
    shown = overlay_for(state, "nl", clock=[0.0, 0.1, 0.2, 0.3], debug=True)
    assert shown.label == "Serie 2 van 3" and shown.fps == pytest.approx(10.0) and shown.debug
    assert overlay_for(state, "en", clock=[0.0, 0.1, 0.2, 0.3]).fps is None
    assert overlay_for(_state(), "en").label == ""
