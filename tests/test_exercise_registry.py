"""The exercise as a type: every layer reads the registry, and a fourth exercise is one registration."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from posecount import exercises
from posecount.analysis.analyzer import create_analyzer
from posecount.cli import main
from posecount.coach.placement import check_placement
from posecount.errors import InputError
from posecount.pose.tracks import TrackRecorder
from posecount.progress.rules import level_from_analysis, plan_settings
from posecount.progress.summary import TRACKS
from posecount.report.texts import exercise_title
from tests import synth


def test_the_three_exercises_and_their_aliases():
    assert exercises.names() == ("bridge", "side-raise", "step-up")
    assert exercises.get(" Side_Raise ").name == "side-raise" and exercises.get("stepup").name == "step-up"
    assert exercises.parse("AUTO") == "auto"
    with pytest.raises(InputError, match="choose one of auto, bridge, side-raise, step-up"):
        exercises.parse("squat")
    with pytest.raises(InputError, match="choose one of bridge, side-raise, step-up$"):
        exercises.get("squat")


def test_every_exercise_has_both_languages_and_consistent_plan_numbers():
    plan = plan_settings()
    for ex in exercises.all():
        for lang in ("en", "nl"):
            assert ex.titles[lang] and ex.spoken[lang] and all(ex.nouns[lang])
        levels = ex.levels(plan)
        assert len(levels) == 2 and levels[0].start_reps == getattr(plan, ex.start_key)
        assert (ex.hold_goal_s(plan) is not None) == (levels[0].hold_s is not None)


@pytest.fixture
def fourth_exercise():
    """A throw-away fourth exercise: the bridge's measurement under another name, lying on the back."""
    bridge = exercises.get("bridge")
    ex = exercises.register(replace(bridge, name="hip-lift", titles={"en": "Hip lift", "nl": "Heupheffen"},
                                    nouns={"en": ("hip lift", "hip lifts"), "nl": ("heupheffing", "heupheffingen")},
                                    spoken={"en": "hip lift", "nl": "heupheffen"}, aliases=("hiplift",)))
    yield ex
    exercises.unregister("hip-lift")


def test_a_fourth_exercise_reaches_every_layer_by_registering_alone(fourth_exercise, tmp_path, capsys):
    assert "hip-lift" in exercises.names()
    frames = synth.bridge_clip(3)
    # analysis: named, counted, and a candidate of `auto`
    analyzer = create_analyzer("hiplift")
    for t_s, pose in frames:
        analyzer.update(t_s, pose)
    analyzer.finish()
    assert analyzer.name == "hip-lift" and analyzer.result().count == 3
    assert "hip-lift" in create_analyzer("auto").analyzers
    # the CLI: a choice of --exercise, and the analysis contract names it
    rec = TrackRecorder((640, 480), 15.0, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for t_s, pose in frames:
        rec.add(t_s, pose, people=1)
    track = rec.build([]).save(tmp_path / "run.npz")
    assert main(["analyze", str(track), "--exercise", "hip-lift", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["exercise"], result["reps"], result["signal"]["name"]) == ("hip-lift", 3, "hip_extension")
    # plan, summary, report texts, placement
    assert plan_settings().levels("hip-lift")[0].name == "basic"
    assert level_from_analysis("hip-lift", ["leg-stretch", "leg-stretch"]) == "leg-stretch"
    assert exercise_title("hip-lift", "nl") == "Heupheffen"
    assert check_placement(frames[0][1], "hip-lift").problem == check_placement(frames[0][1], "bridge").problem
    assert ("hip-lift", None, "hip-lift") not in TRACKS  # computed at import: the registry is read once there


def test_a_name_can_be_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        exercises.register(exercises.get("bridge"))


def test_live_auto_names_the_chosen_exercise():
    analyzer = create_analyzer("auto")
    assert analyzer.name == "auto"
    for t_s, pose in synth.bridge_clip(2):
        analyzer.update(t_s, pose)
    assert analyzer.name == "bridge"
