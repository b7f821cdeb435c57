"""End to end through MediaPipe: the analysis contract on real and synthetic videos (slow)."""

from __future__ import annotations

import json

import pytest

from posecount.cli import main
from posecount.pipeline import analyze, record_track
from posecount.pose.tracks import PoseTrack

pytestmark = pytest.mark.slow

CONTRACT_KEYS = {"exercise", "reps", "repetitions", "frames", "frames_with_pose", "fps", "duration_s",
                 "model", "warnings"}
REP_KEYS = {"start_s", "end_s", "hold_s", "side", "flags"}


def _json_run(capsys, *args: str) -> dict:
    code = main(["analyze", *args, "--json", "--no-progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)  # stdout holds the JSON document and nothing else


def test_video_without_a_person_gives_zero_reps_and_a_warning(capsys, small_video):
    result = _json_run(capsys, str(small_video), "--exercise", "bridge")
    assert result["reps"] == 0 and result["frames_with_pose"] == 0 and result["frames"] == 30
    assert any("no person" in w for w in result["warnings"])


def test_real_bridge_clip_fulfils_the_contract(capsys, shared_videos):
    result = _json_run(capsys, str(shared_videos / "bridge_lena_1.mp4"), "--exercise", "bridge")
    assert CONTRACT_KEYS <= result.keys()
    assert isinstance(result["reps"], int) and result["reps"] == len(result["repetitions"])
    for rep in result["repetitions"]:
        assert REP_KEYS <= rep.keys()
        assert rep["start_s"] < rep["end_s"]
    assert result["frames"] == 392 and result["frames_with_pose"] >= 0.95 * result["frames"]
    assert result["fps"] == pytest.approx(30.0)
    assert result["duration_s"] == pytest.approx(392 / 30, abs=0.1)
    assert result["model"] == "pose_landmarker_full"


def test_track_replay_counts_the_same_as_the_video(tmp_path, shared_videos):
    clip = shared_videos / "bridge_tbf_1.mp4"
    from_video = analyze(clip, exercise="bridge", keep_track=True)
    path = from_video.track.save(tmp_path / "tbf.npz")
    from_track = analyze(path, exercise="bridge")
    assert from_track.frames == from_video.frames
    assert from_track.frames_with_pose == from_video.frames_with_pose
    assert from_track.to_dict()["repetitions"] == from_video.to_dict()["repetitions"]
    assert PoseTrack.load(path).model_sha256 == from_video.model_sha256


def test_track_command_writes_a_loadable_track(capsys, tmp_path, shared_videos):
    out = tmp_path / "side.npz"
    code = main(["track", str(shared_videos / "side_raise_chloe_2.mp4"), "-o", str(out), "--no-progress"])
    assert code == 0, capsys.readouterr().err
    track = PoseTrack.load(out)
    assert len(track) == 32 and track.source == "side_raise_chloe_2.mp4"
    assert "/" not in track.source  # no directories: tracks may be shared with a physiotherapist


def test_portrait_phone_clip_keeps_its_orientation(shared_videos):
    track = record_track(shared_videos / "bridge_nd_1.mp4")
    assert track.image_wh == (360, 640)
    assert track.frames_with_pose >= 0.9 * len(track)
