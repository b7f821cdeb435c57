"""Pose tracks: the on-disk layout round-trips and bad files give clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.errors import InputError, SourceNotFound
from posecount.pose.landmarks import N_LANDMARKS, Landmark, PoseFrame
from posecount.pose.tracks import FORMAT_VERSION, PoseTrack, TrackRecorder


def _pose(t: float, seed: int) -> PoseFrame:
    rng = np.random.default_rng(seed)
    return PoseFrame.from_arrays(t, rng.random((N_LANDMARKS, 2)), rng.random((N_LANDMARKS, 3)),
                                 rng.random(N_LANDMARKS), rng.random(N_LANDMARKS), (320, 240))


def _recorded(n: int = 10) -> PoseTrack:
    rec = TrackRecorder((320, 240), 30.0, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for i in range(n):
        rec.add(i / 30, None if i % 4 == 3 else _pose(i / 30, i), people=1)
    return rec.build(["a warning"])


def test_round_trip_keeps_every_value(tmp_path):
    track = _recorded()
    path = track.save(tmp_path / "run.npz")
    back = PoseTrack.load(path)
    assert len(back) == 10 and back.frames_with_pose == 8
    assert back.image_wh == (320, 240) and back.fps == 30.0
    assert (back.source, back.model, back.model_sha256) == ("clip.mp4", "pose_landmarker_full", "ab" * 32)
    assert back.warnings == ["a warning"]
    np.testing.assert_allclose(back.t_s, track.t_s)
    original, replayed = _pose(0.0, 0), back.frame(0)
    np.testing.assert_allclose(replayed.image_xy, original.image_xy, rtol=1e-6)
    np.testing.assert_allclose(replayed.world_xyz, original.world_xyz, rtol=1e-6)
    np.testing.assert_allclose(replayed.visibility, original.visibility, rtol=1e-6)
    assert back.frame(3) is None


def test_replay_yields_every_frame_in_order(tmp_path):
    back = PoseTrack.load(_recorded(12).save(tmp_path / "t.npz"))
    times = [t for t, _ in back.frames()]
    assert times == sorted(times) and len(times) == 12
    assert [p is None for _, p in back.frames()].count(True) == 3


def test_pixels_respect_the_aspect_ratio():
    xy = np.zeros((N_LANDMARKS, 2))
    xy[Landmark.LEFT_HIP] = (0.5, 0.5)
    pose = PoseFrame.from_arrays(0.0, xy, image_wh=(640, 360))
    assert tuple(pose.point_px(Landmark.LEFT_HIP)) == (320.0, 180.0)


def test_missing_and_foreign_files_are_clear_errors(tmp_path):
    with pytest.raises(SourceNotFound):
        PoseTrack.load(tmp_path / "nope.npz")
    bogus = tmp_path / "bogus.npz"
    np.savez(bogus, something=np.arange(3))
    with pytest.raises(InputError, match="not a posecount pose track"):
        PoseTrack.load(bogus)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(InputError, match="not a readable pose track"):
        PoseTrack.load(text)


def test_newer_format_version_is_refused(tmp_path):
    path = _recorded().save(tmp_path / "t.npz")
    data = dict(np.load(path))
    data["format_version"] = np.array(FORMAT_VERSION + 1)
    np.savez(path, **data)
    with pytest.raises(InputError, match="upgrade posecount"):
        PoseTrack.load(path)
