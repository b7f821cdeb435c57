"""Track transforms for the invariance tests: mirror image, tempo, frame rate (posecount.pose.transforms)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posecount.errors import InputError
from posecount.pose.landmarks import N_LANDMARKS, Landmark, PoseFrame
from posecount.pose.tracks import PoseTrack, TrackRecorder
from posecount.pose.transforms import MIRROR_ORDER, change_tempo, mirror, resample, retime

L = Landmark


def _pose(t: float, seed: int) -> PoseFrame:
    rng = np.random.default_rng(seed)
    return PoseFrame.from_arrays(t, rng.random((N_LANDMARKS, 2)), rng.normal(0, 0.3, (N_LANDMARKS, 3)),
                                 rng.random(N_LANDMARKS), rng.random(N_LANDMARKS), (320, 240))


def _track(n: int = 12, fps: float = 30.0, gap_every: int = 4) -> PoseTrack:
    rec = TrackRecorder((320, 240), fps, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for i in range(n):
        none = gap_every and i % gap_every == gap_every - 1
        rec.add(i / fps, None if none else _pose(i / fps, i), people=1)
    return rec.build(["a warning"])


def _twin(lm: Landmark) -> Landmark:
    parts = lm.name.split("_")
    swap = {"LEFT": "RIGHT", "RIGHT": "LEFT"}
    return Landmark["_".join(swap.get(p, p) for p in parts)]


def _frozen(track: PoseTrack) -> tuple:
    return track.t_s.copy(), track.landmarks.copy(), track.world.copy(), track.has_pose.copy()


# --- mirror --------------------------------------------------------------------------------

def test_mirroring_twice_is_the_identity():
    track = _track()
    back = mirror(mirror(track))
    np.testing.assert_array_equal(back.t_s, track.t_s)
    np.testing.assert_array_equal(back.has_pose, track.has_pose)
    # 1 - (1 - x) in float32 may differ from x in the last bit only
    np.testing.assert_allclose(back.landmarks, track.landmarks, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(back.world, track.world)
    assert (back.image_wh, back.fps, back.source) == (track.image_wh, track.fps, track.source)


def test_mirror_swaps_every_left_landmark_with_its_right_twin():
    pairs = [(lm, _twin(lm)) for lm in Landmark if "LEFT" in lm.name.split("_")]
    assert len(pairs) == 16  # eyes (3), ear, mouth, shoulder, elbow, wrist, pinky, index, thumb, hip,
    # knee, ankle, heel, foot index
    assert all(MIRROR_ORDER[int(a)] == int(b) and MIRROR_ORDER[int(b)] == int(a) for a, b in pairs)
    assert MIRROR_ORDER[int(L.NOSE)] == int(L.NOSE)
    assert sorted(MIRROR_ORDER) == list(range(N_LANDMARKS))  # a permutation
    track = _track(gap_every=0)
    m = mirror(track)
    for a, b in [*pairs, *((y, x) for x, y in pairs), (L.NOSE, L.NOSE)]:
        # image: the point named `a` in the mirror image is where `b` was, flipped left to right
        np.testing.assert_allclose(m.landmarks[:, a, 0], 1.0 - track.landmarks[:, b, 0], atol=1e-7)
        np.testing.assert_array_equal(m.landmarks[:, a, 1:], track.landmarks[:, b, 1:])  # y, z, vis, presence
        # world: the same point with x negated, y and z kept
        np.testing.assert_array_equal(m.world[:, a, 0], -track.world[:, b, 0])
        np.testing.assert_array_equal(m.world[:, a, 1:], track.world[:, b, 1:])


def test_mirror_keeps_frames_without_a_pose_and_leaves_the_input_alone():
    track = _track()
    before = _frozen(track)
    m = mirror(track)
    assert m.frames_with_pose == track.frames_with_pose and m.frame(3) is None
    for a, b in zip(before, _frozen(track)):
        np.testing.assert_array_equal(a, b)


def _raised_left_arm() -> PoseTrack:
    """A person facing the camera (their left on the image's right) with the left arm up."""
    xy = np.full((N_LANDMARKS, 2), 0.5)
    world = np.zeros((N_LANDMARKS, 3))
    for lm, (x, y) in {L.LEFT_SHOULDER: (0.6, 0.3), L.RIGHT_SHOULDER: (0.4, 0.3), L.LEFT_HIP: (0.57, 0.6),
                       L.RIGHT_HIP: (0.43, 0.6), L.LEFT_WRIST: (0.65, 0.05), L.RIGHT_WRIST: (0.38, 0.55),
                       L.NOSE: (0.5, 0.2)}.items():
        xy[lm] = (x, y)
        # world: x to the image right, y down, z away from the camera; the nose is nearest
        world[lm] = ((x - 0.5) * 2, (y - 0.6) * 2, -0.1 if lm == L.NOSE else 0.0)
    rec = TrackRecorder((640, 480), 30.0)
    rec.add(0.0, PoseFrame.from_arrays(0.0, xy, world))
    return rec.build()


def _handedness(world: np.ndarray) -> float:
    """Sign of (left - right shoulder) x (hips -> shoulders) . (towards the nose): the same for
    every real person; a mirror image labelled as the original would flip it."""
    across = world[L.LEFT_SHOULDER] - world[L.RIGHT_SHOULDER]
    up = (world[L.LEFT_SHOULDER] + world[L.RIGHT_SHOULDER] - world[L.LEFT_HIP] - world[L.RIGHT_HIP]) / 2
    forward = world[L.NOSE] - (world[L.LEFT_SHOULDER] + world[L.RIGHT_SHOULDER]) / 2
    return float(np.sign(np.dot(np.cross(across, up), forward)))


def test_the_persons_left_becomes_their_right_and_they_stay_a_person():
    track = _raised_left_arm()
    m = mirror(track)
    orig, mir = track.frame(0), m.frame(0)
    # The raised arm (high in the image) is the right one in the mirror, at the mirrored place.
    assert orig.image_xy[L.LEFT_WRIST][1] < orig.image_xy[L.RIGHT_WRIST][1]
    assert mir.image_xy[L.RIGHT_WRIST][1] < mir.image_xy[L.LEFT_WRIST][1]
    assert mir.image_xy[L.RIGHT_WRIST][0] == pytest.approx(1 - orig.image_xy[L.LEFT_WRIST][0])
    # Still facing the camera: a mirrored person's left shoulder is again on the image's right.
    assert mir.image_xy[L.LEFT_SHOULDER][0] > mir.image_xy[L.RIGHT_SHOULDER][0]
    # Only flipping x (no relabelling) would make a left-handed body; the mirror keeps a person.
    assert _handedness(mir.world_xyz) == _handedness(orig.world_xyz) != 0
    flipped_only = orig.world_xyz * np.array([-1.0, 1.0, 1.0])
    assert _handedness(flipped_only) == -_handedness(orig.world_xyz)


# --- tempo and frame rate ------------------------------------------------------------------

@pytest.mark.parametrize("tempo", [0.5, 2.0])
def test_retime_scales_the_time_and_keeps_every_frame(tempo):
    track = _track(12)
    track.t_s = track.t_s + 5.0  # starts later than 0: scaled about the first frame
    r = retime(track, tempo)
    assert len(r) == len(track) and r.t_s[0] == track.t_s[0]
    np.testing.assert_allclose(np.diff(r.t_s), np.diff(track.t_s) / tempo)
    assert r.fps == pytest.approx(track.fps * tempo)
    assert r.duration_s == pytest.approx(track.duration_s / tempo)
    np.testing.assert_array_equal(r.landmarks, track.landmarks)
    np.testing.assert_array_equal(r.has_pose, track.has_pose)


def test_a_non_positive_tempo_or_frame_rate_is_refused():
    with pytest.raises(InputError):
        retime(_track(), 0.0)
    with pytest.raises(InputError):
        resample(_track(), -1.0)
    with pytest.raises(InputError):
        resample(_track(), 10.0, method="cubic")


def test_resampling_to_a_divisor_rate_picks_the_recorded_frames():
    track = _track(30, gap_every=0)
    for method in ("linear", "nearest"):
        r = resample(track, 10.0, method)
        assert r.fps == 10.0 and len(r) == 10
        np.testing.assert_allclose(r.t_s, track.t_s[::3], atol=1e-12)
        np.testing.assert_array_equal(r.landmarks, track.landmarks[::3])
        np.testing.assert_array_equal(r.world, track.world[::3])


def test_upsampling_interpolates_between_poses_and_never_across_a_gap():
    track = _track(8, gap_every=4)  # frame 3 and 7 without a pose
    before = _frozen(track)
    r = resample(track, 60.0)
    assert len(r) == 15 and r.t_s[-1] == pytest.approx(track.t_s[-1])
    np.testing.assert_array_equal(r.landmarks[::2], track.landmarks)  # recorded frames kept exactly
    # between frames 0 and 1: the midpoint of the two poses
    mid = (track.landmarks[0].astype(float) + track.landmarks[1]) / 2
    np.testing.assert_allclose(r.landmarks[1], mid, rtol=1e-6)
    np.testing.assert_allclose(r.world[1], (track.world[0].astype(float) + track.world[1]) / 2, rtol=1e-6)
    # halfway between frame 2 (pose) and 3 (none), and between 3 and 4: the earlier one as is,
    # no pose made up across the gap
    assert r.has_pose.tolist() == [True] * 6 + [False, False] + [True] * 6 + [False]
    np.testing.assert_array_equal(r.landmarks[5], track.landmarks[2])
    for a, b in zip(before, _frozen(track)):
        np.testing.assert_array_equal(a, b)


def test_nearest_resampling_repeats_or_drops_recorded_frames():
    track = _track(9, gap_every=0)
    up = resample(track, 60.0, method="nearest")
    assert all(any(np.array_equal(f, g, equal_nan=True) for g in track.landmarks) for f in up.landmarks)
    down = resample(track, 12.0, method="nearest")
    assert all(any(np.array_equal(f, g, equal_nan=True) for g in track.landmarks) for f in down.landmarks)
    assert down.t_s[-1] <= track.t_s[-1] and len(down) == 4  # 0, 1/12, 2/12, 3/12 s of 8/30 s


def test_change_tempo_keeps_the_frame_rate():
    track = _track(31, gap_every=0)
    slow, fast = change_tempo(track, 0.5), change_tempo(track, 2.0)
    assert slow.fps == fast.fps == track.fps
    assert len(slow) == 61 and len(fast) == 16
    np.testing.assert_array_equal(fast.landmarks, track.landmarks[::2])
    np.testing.assert_array_equal(slow.landmarks[::2], track.landmarks)


# --- properties (hypothesis) -----------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 20), gap_every=st.integers(0, 5), seed=st.integers(0, 10_000))
def test_mirroring_any_track_twice_gives_it_back(n, gap_every, seed):
    rec = TrackRecorder((320, 240), 30.0, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for i in range(n):
        none = gap_every and i % gap_every == gap_every - 1
        rec.add(i / 30.0, None if none else _pose(i / 30.0, seed + i), people=1)
    track = rec.build([])
    back = mirror(mirror(track))
    np.testing.assert_allclose(back.landmarks, track.landmarks, atol=1e-6)
    np.testing.assert_allclose(back.world, track.world, atol=1e-6)
    assert (back.has_pose == track.has_pose).all()


@settings(max_examples=40, deadline=None)
@given(tempo=st.floats(0.5, 2.0), fps=st.sampled_from([10.0, 15.0, 25.0, 30.0, 60.0]))
def test_retiming_keeps_every_frame_and_scales_time(tempo, fps):
    track = _track(n=12, fps=fps)
    slower = retime(track, tempo)
    assert len(slower) == len(track)
    np.testing.assert_allclose(slower.t_s * tempo, track.t_s, rtol=1e-9, atol=1e-9)
