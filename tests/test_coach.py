"""The live coach's pure parts: cue texts, event → cue, placement, speech that never blocks, capture."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from posecount.analysis.events import HoldEnded, HoldTick, Rejected, Rep, RepCompleted, RepRejected, TopReached
from posecount.coach.capture import LatestFrame
from posecount.coach.cues import SHOWN, TEXTS, Cue, CueSettings, cues_for_events, say, show
from posecount.coach.placement import ReadyGate, check_placement
from posecount.coach.speech import Speaker
from posecount.media.sources import VideoSource
from posecount.pose.landmarks import N_LANDMARKS, PoseFrame
from posecount.pose.landmarks import Landmark as L
from posecount.settings import load_settings, with_overrides
from tests.conftest import write_video


def _rep(index: int, flags: tuple[str, ...] = (), side: str | None = None) -> Rep:
    return Rep(index, 0.0, 1.0, 5.0, 7.0, 1.0, 2.0, 176.0, side, None, 1, flags)


def test_both_languages_have_every_text():
    assert TEXTS["nl"].keys() == TEXTS["en"].keys()
    for lang in ("nl", "en"):
        assert all(TEXTS[lang][k].strip() for k in TEXTS[lang])
    assert say("lower_slowly", "nl") == "Langzaam zakken"
    assert say("exercise_chosen", "nl", exercise="side-raise") == "Ik zie: been zijwaarts heffen"
    with pytest.raises(ValueError):
        say("done", "de")


def test_every_text_has_short_ascii_words_for_the_screen():
    assert SHOWN["nl"].keys() == SHOWN["en"].keys() == TEXTS["en"].keys()
    for lang in ("nl", "en"):
        for key, text in SHOWN[lang].items():
            assert text.isascii() and len(text) <= 24, f"{lang} {key}: {text!r}"
    assert show("count", "en", n=3) == "" and show("hold_left", "nl", s=2) == ""  # their panels show them
    assert show("done", "nl") == "Goed gedaan!" and show("hold_longer", "en") == "Hold longer"


def test_a_completed_rep_is_counted_out_loud_with_its_correction():
    events = [RepCompleted(7.0, _rep(3, flags=("lowered_fast",)))]
    cues = cues_for_events(events, CueSettings("nl"), reps_so_far=2)
    assert [c.text for c in cues] == ["3", "Langzaam zakken"]
    assert all(c.urgent for c in cues)


@pytest.mark.parametrize("reason,key", [("foot_up_and_back", "one_foot"), ("feet_together", "one_foot"),
                                        ("not_high_enough", "higher"), ("too_small", "too_small")])
def test_a_rejected_attempt_gets_its_correction(reason, key):
    # The reasons are the counters' own names (one vocabulary with Rep.flags and the truth).
    rej = Rejected(reason, 0.0, 2.0, 0.3, None)
    cues = cues_for_events([RepRejected(2.0, reason, rej)], CueSettings("en"), reps_so_far=0)
    assert [c.key for c in cues] == [key]


def test_a_leg_put_down_between_side_raises_is_corrected():
    cues = cues_for_events([RepCompleted(7.0, _rep(2, flags=("leg_put_down",), side="left"))],
                           CueSettings("en"), reps_so_far=1)
    assert [c.text for c in cues] == ["2", "Keep the leg up, don't rest it"]


def test_hold_counts_down_to_the_target_then_says_lower():
    settings = CueSettings("en", hold_target_s=5.0)
    ticks = [HoldTick(1.0 + s, float(s)) for s in range(1, 6)]
    spoken = [c.text for ev in [TopReached(1.0, 170.0), *ticks] for c in cues_for_events([ev], settings, 0)]
    assert spoken == ["Hold", "4", "3", "2", "1", "And down, slowly"]


@pytest.mark.parametrize("lang,words", [("en", "Hold it a little longer next time"),
                                        ("nl", "Houd het de volgende keer iets langer vast")])
def test_lowering_before_the_hold_goal_asks_for_a_longer_hold(lang, words):
    settings = CueSettings(lang, hold_target_s=5.0)
    early = cues_for_events([HoldEnded(4.0, 2.6)], settings, 0)
    assert [(c.key, c.text, c.urgent) for c in early] == [("hold_longer", words, True)]
    assert early[0].screen == show("hold_longer", lang) != words  # short on the screen
    assert cues_for_events([HoldEnded(7.0, 4.6)], settings, 0) == []  # the countdown had said "down"
    assert cues_for_events([HoldEnded(4.0, 2.6)], CueSettings(lang), 0) == []  # no hold asked


def test_cues_carry_their_screen_words():
    cues = cues_for_events([TopReached(1.0, 170.0), RepCompleted(7.0, _rep(1, flags=("lowered_fast",)))],
                           CueSettings("nl"), 0)
    assert [(c.text, c.screen) for c in cues] == [("Vasthouden", "Vasthouden"), ("1", ""),
                                                 ("Langzaam zakken", "Langzaam zakken")]
    assert Cue("x", "spoken").screen == "spoken"  # a cue made by hand shows its words


def test_reaching_the_target_is_announced_once():
    settings = CueSettings("en", target=2)
    first = cues_for_events([RepCompleted(3.0, _rep(1))], settings, 0)
    second = cues_for_events([RepCompleted(9.0, _rep(2))], settings, 1)
    assert [c.key for c in first] == ["count"]
    assert [c.key for c in second] == ["count", "target_reached"]


def _pose(points: dict[int, tuple[float, float]], wh=(640, 480)) -> PoseFrame:
    xy = np.full((N_LANDMARKS, 2), 0.5)
    for idx, (x, y) in points.items():
        xy[idx] = (x / wh[0], y / wh[1])
    return PoseFrame.from_arrays(0.0, xy, image_wh=wh)


def _lying_side_view(shoulder_gap_px: float = 10.0) -> PoseFrame:
    return _pose({L.LEFT_SHOULDER: (150, 300), L.RIGHT_SHOULDER: (150 + shoulder_gap_px, 298),
                  L.LEFT_HIP: (330, 300), L.RIGHT_HIP: (335, 298), L.LEFT_KNEE: (430, 220),
                  L.RIGHT_KNEE: (435, 218), L.LEFT_ANKLE: (500, 310), L.RIGHT_ANKLE: (505, 308)})


def test_placement_accepts_a_side_view_bridge_and_explains_a_front_view():
    assert check_placement(_lying_side_view(), "bridge").ok
    front = _lying_side_view(shoulder_gap_px=150)
    assert check_placement(front, "bridge").problem == "turn_side"


def test_placement_wants_the_whole_body_and_light():
    cut = _pose({L.LEFT_SHOULDER: (150, 300), L.RIGHT_SHOULDER: (155, 300), L.LEFT_HIP: (330, 300),
                 L.RIGHT_HIP: (335, 300), L.LEFT_KNEE: (630, 220), L.RIGHT_KNEE: (639, 220),
                 L.LEFT_ANKLE: (700, 310), L.RIGHT_ANKLE: (705, 310)})
    assert check_placement(cut, "bridge").problem == "get_in_view"
    assert check_placement(None, "bridge").problem == "get_in_view"
    assert check_placement(_lying_side_view(), "bridge", brightness=12.0).problem == "more_light"


def test_placement_reads_its_limits_from_the_settings():
    darker = with_overrides(load_settings(), "placement", min_brightness_grey=10.0)
    assert check_placement(_lying_side_view(), "bridge", brightness=12.0, settings=darker).ok
    wider = with_overrides(load_settings(), "bridge", side_view_ratio_max=2.0)
    assert check_placement(_lying_side_view(shoulder_gap_px=150), "bridge", settings=wider).ok


def test_side_raise_wants_the_front_of_the_body():
    stacked = _pose({L.LEFT_SHOULDER: (200, 320), L.RIGHT_SHOULDER: (205, 200), L.LEFT_HIP: (400, 320),
                     L.RIGHT_HIP: (400, 220), L.LEFT_KNEE: (520, 330), L.RIGHT_KNEE: (520, 250),
                     L.LEFT_ANKLE: (600, 330), L.RIGHT_ANKLE: (600, 280)})
    assert check_placement(stacked, "side-raise").ok
    assert check_placement(_lying_side_view(2.0), "side-raise").problem == "face_camera"


def test_ready_gate_needs_a_steady_good_placement():
    gate = ReadyGate(hold_s=1.0)
    good, bad = check_placement(_lying_side_view(), "bridge"), check_placement(None, "bridge")
    assert not gate.update(0.0, good) and not gate.update(0.6, good)
    assert not gate.update(0.8, bad)  # interrupted: starts again
    assert not gate.update(1.0, good) and not gate.update(1.9, good)
    assert gate.update(2.0, good) and gate.update(2.1, bad)  # once open it stays open


def test_speaking_never_blocks_the_loop_and_drops_only_droppable_cues():
    release = threading.Event()
    heard: list[str] = []

    def slow_voice(text: str) -> None:
        heard.append(text)
        release.wait(2.0)

    speaker = Speaker(backend=slow_voice)
    started = time.perf_counter()
    speaker.say(Cue("count", "1"))
    time.sleep(0.05)  # the voice is now busy with "1"
    speaker.say(Cue("count", "2"))
    speaker.say(Cue("hold", "Hold", urgent=False))  # busy: dropped
    speaker.say(Cue("count", "3"))
    assert time.perf_counter() - started < 0.5
    release.set()
    speaker.close()
    assert heard == ["1", "2", "3"]


def test_quiet_speaker_says_nothing():
    heard: list[str] = []
    speaker = Speaker(quiet=True, backend=heard.append)
    speaker.say(Cue("count", "1"))
    speaker.close()
    assert heard == [] and speaker.spoken == []


def test_capture_hands_over_every_frame_when_not_realtime(tmp_path):
    grabber = LatestFrame(VideoSource(write_video(tmp_path / "v.mp4", n_frames=40)), realtime=False).start()
    got = []
    while (frame := grabber.get()) is not None:
        got.append(frame.index)
        time.sleep(0.002)
    grabber.stop()
    assert got == list(range(40)) and grabber.dropped == 0


def test_capture_drops_frames_a_slow_loop_cannot_take(tmp_path):
    grabber = LatestFrame(VideoSource(write_video(tmp_path / "v.mp4", n_frames=30, fps=100)), realtime=True)
    grabber.start()
    got = []
    while (frame := grabber.get()) is not None:
        got.append(frame.index)
        time.sleep(0.05)  # a loop at 20 frames/s against a 100 fps source
    grabber.stop()
    assert got == sorted(got) and got[-1] == 29  # the newest frame is never lost
    assert grabber.dropped > 10 and len(got) + grabber.dropped == 30


def test_language_defaults_to_the_system_language():
    from posecount.lang import default_lang

    assert default_lang({"LANG": "nl_NL.UTF-8"}) == "nl"
    assert default_lang({"LANG": "nl_BE.UTF-8", "LC_ALL": "en_GB.UTF-8"}) == "en"  # LC_ALL wins
    assert default_lang({"LANGUAGE": "nl:en", "LANG": "en_US.UTF-8"}) == "nl"
    assert default_lang({"LANG": "C.UTF-8"}) == "en" and default_lang({}) == "en"
    assert default_lang({"LANG": "en_US.UTF-8", "POSECOUNT_LANG": "nl"}) == "nl"
