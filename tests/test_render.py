"""The mannequin renderer: deterministic frames, truthful signals, a well-formed truth JSON."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import numpy as np
import pytest

from calibration.mannequin.body import BodySize
from calibration.mannequin.motion import MotionScript, plan_reps, pose_at
from calibration.mannequin.poses import angle_deg, pose_bridge, pose_side_lying, supine_rest_and_top_deg, vec_angle_deg
from calibration.mannequin.truth import SIGNALS
from calibration.render import FIXTURE_DIR, TRUTH_SCHEMA, TRUTH_VERSION, frames, render
from calibration.scenarios import ALL, FIXTURES, Scenario

TINY = Scenario("tiny_bridge", MotionScript("bridge", reps=1, hold_s=0.5, rise_s=0.3, lower_s=0.3,
                                            lead_in_s=0.2, tail_s=0.2), width=160, height=120, fps=10, seed=5)


def _first_frames(sc: Scenario, n: int = 4) -> list[np.ndarray]:
    return [img for _, img, _ in itertools.islice(frames(sc), n)]


def test_same_seed_gives_identical_frames():
    a, b = _first_frames(TINY), _first_frames(TINY)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_another_seed_changes_the_frames():
    a, b = _first_frames(TINY, 1), _first_frames(replace(TINY, seed=6), 1)
    assert not np.array_equal(a[0], b[0])


def test_figure_is_drawn_over_the_room():
    img = _first_frames(replace(TINY, effects=replace(TINY.effects, noise_sigma=0.0)), 1)[0]
    # The figure adds many distinct colours to a room of a few smooth tones.
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 200


def test_bridge_top_puts_trunk_in_line_with_thighs():
    rest, top = supine_rest_and_top_deg(BodySize())
    assert 125 < rest < 150
    p = pose_bridge(BodySize(), 1.0)
    # In the sagittal plane (x, y) the shoulder, hip and knee line up at the top.
    side_view = angle_deg(p["l_shoulder"][:2], p["l_hip"][:2], p["l_knee"][:2])
    assert side_view == pytest.approx(180.0, abs=1.0)
    assert top > rest + 25


@pytest.mark.parametrize("down", ["left", "right"])
def test_side_raise_thigh_angle_follows_abduction(down):
    p = pose_side_lying(BodySize(), down, 30.0)
    assert vec_angle_deg(p["l_knee"] - p["l_hip"], p["r_knee"] - p["r_hip"]) == pytest.approx(28.0, abs=0.5)
    top = "r" if down == "left" else "l"
    assert p[f"{top}_knee"][1] > p[f"{'l' if top == 'r' else 'r'}_knee"][1]  # the top leg is up


def test_step_up_feet_reach_the_step_height():
    s = MotionScript("step-up", reps=1, side="right")
    reps, _ = plan_reps(s)
    b = BodySize()
    p = pose_at(s, reps, (reps[0].top_s + reps[0].hold_end_s) / 2, b)
    h = (p["r_ankle"][1] - b.ankle_height) / b.leg_length
    assert h == pytest.approx(0.18 / b.leg_length, abs=0.01)


def test_faults_decide_what_counts_and_which_flags():
    s = MotionScript("bridge", reps=4, hold_s=(6.0, 6.0, 3.0, 6.0), lower_s=0.8, faults={1: "partial"})
    reps, duration = plan_reps(s)
    assert [r.counts for r in reps] == [True, False, True, True]
    assert reps[1].flags == ("not_high_enough",)
    assert "hold_short" in reps[2].flags and "lowered_fast" in reps[0].flags
    assert duration == pytest.approx(reps[-1].end_s + s.tail_s)


def test_both_feet_together_is_reported_not_counted():
    # The leaflet's table: a step-up is "both feet up one at a time, then both down one at a time".
    reps, _ = plan_reps(MotionScript("step-up", reps=3, faults={1: "feet_together"}))
    assert [r.counts for r in reps] == [True, False, True]
    assert reps[1].flags == ("feet_together",)


def test_a_view_that_cannot_measure_the_exercise_expects_a_warning_not_reps(tmp_path):
    from_feet = replace(TINY, name="tiny_from_feet", view="feet")
    assert TINY.measurable and not from_feet.measurable
    _, truth_path = render(from_feet, tmp_path)
    truth = json.loads(truth_path.read_text())
    check_truth_schema(truth)
    assert truth["expects_warning"] is True and truth["expected_reps"] == 0
    assert sum(r["counts"] for r in truth["reps"]) == 1  # what the person did, for reference


def test_stretch_variant_alternates_legs():
    reps, _ = plan_reps(MotionScript("bridge", reps=3, variant="stretch-legs"))
    assert [r.flags for r in reps] == [("leg_stretched_left",), ("leg_stretched_right",), ("leg_stretched_left",)]


def test_scenario_names_are_unique_and_fixtures_small():
    names = [s.name for s in ALL]
    assert len(names) == len(set(names))
    for s in FIXTURES:
        _, dur = plan_reps(s.script)
        assert s.width * s.height <= 640 * 480 and dur <= 22.0, s.name


def test_truth_json_schema(tmp_path):
    video, truth_path = render(TINY, tmp_path)
    assert video.exists() and video.stat().st_size > 0
    truth = json.loads(truth_path.read_text())
    check_truth_schema(truth)
    assert truth["expected_reps"] == 1 and truth["exercise"] == "bridge"
    assert truth["n_frames"] == len(truth["frames"]["t_s"]) == round(truth["duration_s"] * truth["fps"])


def check_truth_schema(truth: dict) -> None:
    """Raises AssertionError when a truth document misses what the harness and tests read."""
    assert truth["schema"] == TRUTH_SCHEMA and truth["schema_version"] == TRUTH_VERSION
    assert truth["exercise"] in ("bridge", "side-raise", "step-up", None)
    assert isinstance(truth["expected_reps"], int) and truth["expected_reps"] >= 0
    for key in ("variant", "side", "fps", "width", "height", "duration_s", "view", "codec"):
        assert key in truth, key
    n = len(truth["frames"]["t_s"])
    for sig in SIGNALS:
        assert len(truth["frames"][sig]) == n, sig
    counted = sum(r["counts"] for r in truth["reps"])
    assert truth["expected_reps"] == (0 if truth.get("expects_warning") else counted)
    allowed = {"not_high_enough", "hold_short", "lowered_fast", "leg_put_down", "clamshell", "too_small",
               "foot_up_and_back", "feet_together", "leg_stretched_left", "leg_stretched_right"}
    for r in truth["reps"]:
        assert r["start_s"] < r["top_s"] <= r["hold_end_s"] < r["end_s"] <= truth["duration_s"]
        assert set(r["flags"]) <= allowed
        assert isinstance(r["counts"], bool)
        assert r["hold_script_s"] == pytest.approx(r["hold_end_s"] - r["top_s"], abs=1e-3)
        if truth["exercise"] in ("bridge", "side-raise"):
            # As a person times it: the slow ends of the rise and the lowering look like holding.
            assert r["hold_script_s"] <= r["hold_s"] < r["end_s"] - r["start_s"]
    if truth["exercise"] is None:
        assert truth["expected_reps"] == 0 and truth["reps"] == []


@pytest.mark.parametrize("name", ["step_up_front_view", "fx_step_up_front_left", "side_raise_left_3reps",
                                  "side_raise_right_3reps", "bridge_3reps_holds_5_10"])
def test_the_figure_is_a_person_not_its_mirror_image(name):
    # A person facing the camera has their left hip on the image's right, one facing away on
    # the left. (Built the other way round, MediaPipe named the other leg on every clip.)
    from calibration.render import _jitter, scene_for
    from calibration.scenarios import by_name

    sc = by_name(name)
    cam, _, _ = scene_for(sc)
    reps, _ = plan_reps(sc.script)
    p = pose_at(sc.script, reps, 0.0, sc.body, _jitter(sc.seed))
    (xl, _), (xr, _) = cam.project(np.stack([p["l_hip"], p["r_hip"]]))[0]
    facing = float(np.dot(p.face_dir, cam.position - p["head"])) > 0
    assert (xl > xr) == facing


def test_the_truth_times_a_hold_as_a_person_does():
    # Cosine-eased rise (1.5 s), still hold (5 s), eased lowering (2.5 s): by eye the slow ends
    # look like holding, the band adds the top quarter of both moves (tests.synth.expected_hold).
    from calibration.mannequin.truth import perceived_hold_s
    from tests.synth import expected_hold

    t = np.arange(0.0, 12.0, 1 / 60)
    up = np.clip((t - 1.0) / 1.5, 0, 1)
    down = np.clip((t - 7.5) / 2.5, 0, 1)
    v = 130.0 + 45.0 * ((0.5 - 0.5 * np.cos(np.pi * up)) - (0.5 - 0.5 * np.cos(np.pi * down)))
    held = perceived_hold_s(list(t), list(v), 1.0, 10.0)
    assert held == pytest.approx(expected_hold(5.0, 1.5, 2.5), abs=0.03)
    assert perceived_hold_s(list(t), list(v), 20.0, 30.0) is None


def test_a_step_ups_truth_hold_is_the_time_both_feet_stand_on_the_step():
    # The hand-labelled real step-ups time "standing on the step": from the trailing foot's landing
    # to the lead foot's first lift, not the scripted motionless part between them (posecount's
    # hold errors on the rendered step-ups were 0.5 s against 0.1-0.2 s on the real clips).
    from calibration.render import perceived_holds

    t = np.arange(0.0, 6.0, 1 / 30)
    step = 0.17
    lead = np.interp(t, [0.0, 1.0, 1.6, 3.6, 4.2, 6.0], [0.0, 0.0, step, step, 0.0, 0.0])
    trail = np.interp(t, [0.0, 1.4, 2.0, 3.0, 3.4, 6.0], [0.0, 0.0, step, step, 0.0, 0.0])
    signals = {"foot_height_left_leglen": list(lead), "foot_height_right_leglen": list(trail)}
    rep = {"start_s": 0.5, "end_s": 5.0, "hold_s": 0.4}
    timed = perceived_holds("step-up", [rep], list(t), signals)[0]
    # Both feet within 15 % of the step's height of its top: 1.91 s to 3.06 s (frames of 1/30 s).
    assert timed["hold_s"] == pytest.approx(1.15, abs=0.07)
    assert timed["hold_script_s"] == 0.4


def test_a_truth_hold_is_short_by_the_hold_people_time_not_the_scripted_one():
    # A still hold of 4.7 s between eased movements is timed about 5.6 s by eye, as posecount
    # times it: not "hold_short" (the leaflet's minimum is 5 s); a 3.4 s still hold (timed about
    # 4.3 s) is, and a "hold_short" from an older truth is taken back where the timed hold is long.
    from calibration.render import perceived_holds

    t = np.arange(0.0, 30.0, 1 / 30)
    reps = []
    for start, still in ((1.0, 4.7), (14.0, 3.4)):
        reps.append({"start_s": start, "end_s": start + 1.5 + still + 2.5, "hold_s": still, "counts": True,
                     "flags": ["hold_short"]})
    v = np.full_like(t, 130.0)
    for r in reps:
        top, down = r["start_s"] + 1.5, r["start_s"] + 1.5 + r["hold_s"]
        up = np.clip((t - r["start_s"]) / 1.5, 0, 1)
        low = np.clip((t - down) / 2.5, 0, 1)
        inside = (t >= r["start_s"]) & (t <= r["end_s"])
        v = np.where(inside, 130.0 + 45.0 * ((0.5 - 0.5 * np.cos(np.pi * up)) - (0.5 - 0.5 * np.cos(np.pi * low))), v)
        assert top < down
    timed = perceived_holds("bridge", reps, list(t), {"bridge_angle_image_deg": list(v)})
    assert timed[0]["hold_s"] >= 5.0 and "hold_short" not in timed[0]["flags"]
    assert timed[1]["hold_s"] < 5.0 and timed[1]["flags"] == ["hold_short"]
    assert [r["hold_script_s"] for r in timed] == [4.7, 3.4]


def test_old_truth_files_are_retimed_without_rendering(tmp_path):
    from calibration.render import retime

    fixture = json.loads((FIXTURE_DIR / "fx_bridge_side.json").read_text())
    old = dict(fixture, schema_version=1,
               reps=[{k: v for k, v in r.items() if k != "hold_script_s"} | {"hold_s": r["hold_script_s"]}
                     for r in fixture["reps"]])
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    assert retime(path)
    new = json.loads(path.read_text())
    assert new["schema_version"] == TRUTH_VERSION
    assert [r["hold_s"] for r in new["reps"]] == [r["hold_s"] for r in fixture["reps"]]
    assert all(r["hold_s"] > r["hold_script_s"] for r in new["reps"])
    (tmp_path / "notes.json").write_text("[1, 2]")
    assert not retime(tmp_path / "notes.json")


def test_a_second_person_is_drawn_and_the_truth_stays_the_patients():
    from calibration.mannequin.truth import truth_signals
    from calibration.render import scene_for
    from calibration.scenarios import Companion

    still = replace(TINY, effects=replace(TINY.effects, noise_sigma=0.0))
    helper = replace(still, companion=Companion(MotionScript("kneel", duration_s=5.0), offset_m=(0.3, -0.7),
                                                turn_deg=150.0))
    alone, both = list(itertools.islice(frames(still), 3)), list(itertools.islice(frames(helper), 3))
    assert all(not np.array_equal(a[1], b[1]) for a, b in zip(alone, both))
    cam = scene_for(still)[0]
    for (_, _, pa), (_, _, pb) in zip(alone, both):  # the posed figure (the patient) is the same
        assert truth_signals(pa, cam, still.body) == truth_signals(pb, cam, still.body)


def test_a_placed_figure_is_turned_then_shifted():
    body = BodySize()
    posed = pose_at(MotionScript("kneel"), [], 1.0, body)
    moved = posed.moved((0.5, -1.0), turn_deg=90.0)
    for name in ("pelvis", "head", "l_knee"):
        x, y, z = posed[name]
        # turned by 90 degrees about the vertical (x -> -z), then shifted along the floor
        assert np.allclose(moved[name], (z + 0.5, y, -x - 1.0), atol=1e-9)
    assert np.isclose(np.linalg.norm(moved.face_dir), 1.0)


# --- issue 15: scenarios for the bridge's own top, a low step and the head out of frame ----------

def _truth_peaks(sc: Scenario, key: str) -> tuple[float, list[float]]:
    """The scenario's rest (first frame) and each rep's peak of a truth signal, as imaged."""
    from calibration.mannequin.truth import truth_signals
    from calibration.render import scene_for

    reps, _ = plan_reps(sc.script)
    cam, _, _ = scene_for(sc)

    def at(t: float) -> float:
        return truth_signals(pose_at(sc.script, reps, t, sc.body), cam, sc.body)[key]

    return at(0.0), [at((r.top_s + r.hold_end_s) / 2) for r in reps]


def test_feet_nearer_the_buttocks_lower_the_bridges_rest_angle():
    rest95, top95 = supine_rest_and_top_deg(BodySize())
    rest80, top80 = supine_rest_and_top_deg(BodySize(), knee_rest_deg=80.0)
    assert rest80 < rest95 - 4 and top80 == pytest.approx(top95, abs=2.0)


def test_the_portrait_oblique_bridges_come_up_lower_the_first_time():
    from calibration.scenarios import by_name

    for name in ("bridge_portrait_oblique_low_first", "bridge_portrait_oblique_low_first_feet_near"):
        sc = by_name(name)
        # MediaPipe reads these clips' first bridges at 160.6 and 161.2 deg, the next ones at
        # 170.7-175.5 (issue 15: ~160 against 170-175); the exact projection reads a little lower.
        rest, peaks = _truth_peaks(sc, "bridge_angle_image_deg")
        later = float(np.median(peaks[1:]))
        assert 0.55 <= (peaks[0] - rest) / (later - rest) <= 0.8, (name, rest, peaks)
        assert min(peaks[1:]) >= peaks[0] + 7 and 150 <= peaks[0] <= 163, (name, peaks)
        reps, _ = plan_reps(sc.script)
        assert all(r.counts for r in reps) and reps[0].flags[0] == "not_high_enough"
        assert not any("not_high_enough" in r.flags for r in reps[1:])


def test_a_low_step_is_10_cm():
    from calibration.scenarios import by_name

    sc = by_name("step_up_low_step_10cm")
    _, peaks = _truth_peaks(sc, "foot_height_left_leglen")
    assert all(p == pytest.approx(0.10 / sc.body.scaled().leg_length, abs=0.01) for p in peaks)


def test_the_head_is_out_of_the_frame_and_the_feet_in_it():
    from calibration.render import scene_for
    from calibration.scenarios import by_name

    sc = by_name("step_up_front_head_out_of_frame")
    reps, _ = plan_reps(sc.script)
    cam, _, _ = scene_for(sc)
    for t in (0.0, (reps[0].top_s + reps[0].hold_end_s) / 2):
        p = pose_at(sc.script, reps, t, sc.body)
        px, depth = cam.project(np.stack([p["head"], p["l_hip"], p["r_hip"], p["l_toe"], p["r_toe"]]))
        chin = px[0, 1] + 0.8 * cam.focal_px * sc.body.scaled().head_radius / depth[0]
        assert chin < 0  # the face above the frame's top edge
        assert (px[1:, 1] > 0).all() and (px[1:, 1] < sc.height).all()  # hips and feet in the frame


@pytest.mark.parametrize("down", ["left", "right"])
def test_a_clamshell_opens_the_knee_and_leaves_the_foot(down):
    rest = pose_side_lying(BodySize(), down, 2.0, clamshell=True)
    open_ = pose_side_lying(BodySize(), down, 40.0, clamshell=True)
    assert vec_angle_deg(open_["l_knee"] - open_["l_hip"], open_["r_knee"] - open_["r_hip"]) == pytest.approx(40.0,
                                                                                                              abs=0.5)
    top = "r" if down == "left" else "l"
    assert np.allclose(open_[f"{top}_ankle"], rest[f"{top}_ankle"])  # the foot stays on the other
    assert open_[f"{top}_knee"][1] > rest[f"{top}_knee"][1] + 0.1  # the knee goes up


def test_a_fidgeting_figure_rolls_but_keeps_its_legs_a_little_apart():
    s = MotionScript("fidget", side="left", duration_s=20.0)
    opening, tilt = [], []
    for t in np.arange(0.0, 20.0, 0.25):
        p = pose_at(s, [], float(t), BodySize())
        opening.append(vec_angle_deg(p["l_knee"] - p["l_hip"], p["r_knee"] - p["r_hip"]))
        hips = p["r_hip"] - p["l_hip"]
        tilt.append(np.degrees(np.arctan2(hips[2], hips[1])))
    assert max(tilt) - min(tilt) > 15  # rolls forward and back
    assert max(opening) < 15  # the 3D angle between the thighs (a slid knee included): never a raise


def test_camera_height_and_distance_per_scenario_and_the_feet_of_a_person_lying_on_the_right():
    from calibration.render import scene_for
    from calibration.scenarios import by_name

    low = scene_for(by_name("side_raise_bent_front_floor_45"))[0]
    high = scene_for(by_name("side_raise_bent_front_table_30"))[0]
    assert low.position[1] == pytest.approx(0.25) and high.position[1] == pytest.approx(1.3)
    for name in ("side_raise_bent_feet_45", "side_raise_bent_feet_low_35"):  # lying on the left, the right
        sc = by_name(name)
        cam = scene_for(sc)[0]
        p = pose_at(sc.script, plan_reps(sc.script)[0], 0.0, sc.body)
        feet = (p["l_ankle"] + p["r_ankle"]) / 2
        assert np.linalg.norm(cam.position - feet) < np.linalg.norm(cam.position - p["head"])


def test_a_single_leg_bridge_draws_the_free_knee_up_and_alternates_legs():
    b = BodySize()
    top = pose_bridge(b, 1.0, drawn_r=1.0)
    assert angle_deg(top["r_shoulder"][:2], top["r_hip"][:2], top["r_knee"][:2]) == pytest.approx(95.0, abs=1.0)
    assert angle_deg(top["l_shoulder"][:2], top["l_hip"][:2], top["l_knee"][:2]) > 165.0  # the other carries it
    assert top["r_ankle"][1] > top["l_ankle"][1] + 0.3  # the free foot is off the floor
    half = pose_bridge(b, 0.0, drawn_r=0.5)
    assert np.linalg.norm(half["r_knee"] - half["r_hip"]) == pytest.approx(b.scaled().thigh)  # a leg keeps its length
    script = MotionScript("bridge", reps=2, hold_s=3.0, variant="single-leg")
    reps, _ = plan_reps(script)
    assert [r.drawn for r in reps] == ["right", "left"]
    mid_hold = pose_at(script, reps, (reps[1].top_s + reps[1].hold_end_s) / 2, b)
    assert mid_hold["l_ankle"][1] > mid_hold["r_ankle"][1] + 0.3


def test_knees_to_chest_draws_a_knee_up_in_turn_with_the_pelvis_down():
    script = MotionScript("lie", duration_s=8.0, variant="knees-to-chest")
    b = BodySize()
    rest = pose_bridge(b, 0.0)
    lifted = [pose_at(script, [], t, b) for t in (2.0, 5.5)]
    assert lifted[0]["r_ankle"][1] > rest["r_ankle"][1] + 0.3 and lifted[1]["l_ankle"][1] > rest["l_ankle"][1] + 0.3
    for p in lifted:
        assert p["l_hip"][1] == pytest.approx(rest["l_hip"][1], abs=0.01)  # the pelvis stays down
