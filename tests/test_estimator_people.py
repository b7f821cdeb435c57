"""When the estimator looks for others and runs two poses, with stand-in landmarkers (no model loaded)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from posecount.pipeline import estimator_options
from posecount.pose import models
from posecount.pose.estimator import EstimatorOptions, PoseEstimator
from posecount.pose.persons import LYING, UPRIGHT, FollowSettings
from tests.synth import Camera, bridge_clip, hold, render, standing_from_params

FPS = 10.0


def as_result(poses) -> SimpleNamespace:
    """A PoseLandmarkerResult of `poses` (PoseFrames), as MediaPipe returns it."""
    def marks(p):
        return [SimpleNamespace(x=float(x), y=float(y), z=0.0, visibility=float(v), presence=float(q))
                for (x, y), v, q in zip(p.image_xy, p.visibility, p.presence)]
    world = [[SimpleNamespace(x=0.0, y=0.0, z=0.0)] * 33 for _ in poses]
    return SimpleNamespace(pose_landmarks=[marks(p) for p in poses], pose_world_landmarks=world)


class FakeTask:
    """A landmarker that finds, at time t (ms), whoever `people(t_s)` lists (up to `num_poses`; the
    one-person landmarker the last of them with `one_takes_last`, as when it jumps to a helper)."""

    def __init__(self, name: str, num_poses: int, people, calls: list, one_takes_last: bool = False) -> None:
        self.name, self.num_poses, self.people, self.calls = name, num_poses, people, calls
        self.one_takes_last = one_takes_last
        self.t_s = 0.0

    def _found(self, t_s: float) -> list:
        found = self.people(t_s)
        return found[-1:] if self.num_poses == 1 and self.one_takes_last else found[: self.num_poses]

    def detect_for_video(self, image, ms: int):
        self.calls.append((self.name, ms / 1000.0))
        return as_result(self._found(ms / 1000.0))

    def detect(self, image):
        self.calls.append((self.name, None))
        return as_result(self._found(self.t_s))

    def close(self) -> None:
        pass


@pytest.fixture
def scene(monkeypatch):
    """A patient doing bridges, and a helper standing by (from 2.0 s to 4.0 s unless told otherwise);
    `make(**options)` gives (estimator, calls, tasks, patient, helper)."""
    patient = dict(bridge_clip(1, fps=FPS))
    helper = dict(render(hold({"pelvis_lift": 0.0}, 10.0), standing_from_params, fps=FPS,
                         cam=Camera(origin=(560.0, 440.0), scale=0.8), fixed={"view": "front"}))
    calls: list = []
    tasks: list[FakeTask] = []
    fake_model = models.ModelFile(Path("fake.task"), "fake", "0" * 64, "explicit")

    def make(helper_s=(2.0, 4.0), one_takes_last=False, patient_s=(0.0, 99.0), **options):
        def people(t_s: float) -> list:
            key = round(t_s * FPS) / FPS
            here = ([patient.get(key)] if patient_s[0] <= key < patient_s[1] else []) + \
                ([helper[key]] if helper_s[0] <= key < helper_s[1] else [])
            return [p for p in here if p is not None]

        def create(self, num_poses: int, mode: str):
            task = FakeTask(f"{num_poses} {mode}", num_poses, people, calls, one_takes_last)
            tasks.append(task)
            return task

        monkeypatch.setattr(PoseEstimator, "_create", create)
        est = PoseEstimator(fake_model, EstimatorOptions(follow=FollowSettings(posture=LYING), **options))
        return est, calls, tasks, patient, helper
    return make


def feed(est, tasks, until_s: float):
    image = np.zeros((48, 64, 3), np.uint8)
    out = []
    for i in range(int(until_s * FPS)):
        t = i / FPS
        for task in tasks:
            task.t_s = t
        out.append((t, est.detect(image, t)))
    return out


def test_alone_one_pose_a_frame_and_a_look_every_second(scene):
    est, calls, tasks, patient, _ = scene(people_check_s=1.0)
    out = feed(est, tasks, 1.95)
    assert [name for name, _ in calls].count("1 video") == len(out)
    assert [t for name, t in calls if name == "2 image"] == [None, None]  # at 0 s and 1 s
    assert all(p is not None and np.allclose(p.image_xy, patient[round(t * FPS) / FPS].image_xy) for t, p in out)
    assert est.people_seen_max == 1 and est.follower.summary() is None


def test_several_people_two_poses_a_frame_until_calm_then_one_again(scene):
    est, calls, tasks, patient, _ = scene(people_check_s=1.0, calm_s=1.45)
    out = feed(est, tasks, 7.0)
    two = sorted(t for name, t in calls if name == "2 video")
    # the look at 2.0 s finds the helper; two poses a frame from the next frame until 1.45 s after
    # the last frame with two people (3.9 s), then one pose a frame and a look every second again
    assert two[0] == pytest.approx(2.1) and two[-1] == pytest.approx(5.3)
    assert all(name == "1 video" for name, t in calls if t is not None and t >= 5.35)
    for t, p in out:  # always the patient, never the helper standing by
        assert p is not None and np.allclose(p.image_xy, patient[round(t * FPS) / FPS].image_xy), t
    assert est.people_seen_max == 2
    assert est.follower.summary().startswith("several people were in view (between 2.0 s and 3.9 s)")


def test_a_jump_of_the_one_person_pose_makes_it_look_at_once(scene):
    """The one-person landmarker jumps to a helper who came in at 2.5 s, between two periodic looks:
    the jump itself sets off a look, so the helper's pose is never taken for the patient's."""
    est, calls, tasks, patient, _ = scene(helper_s=(2.5, 9.0), one_takes_last=True, people_check_s=2.0)
    out = feed(est, tasks, 4.0)
    looks = [i for i, (name, _) in enumerate(calls) if name == "2 image"]
    assert len(looks) == 3  # at 0 s, 2 s, and at the jump (2.5 s)
    assert calls[looks[-1] - 1] == ("1 video", pytest.approx(2.5))
    for t, p in out:
        assert p is not None and np.allclose(p.image_xy, patient[round(t * FPS) / FPS].image_xy), t


def test_while_the_patient_is_away_the_helpers_pose_is_looked_past_every_misfit_period(scene):
    """The helper left alone stands, which a bridge does not: a look every `misfit_check_s` (the
    patient may be back any moment), never one on every frame."""
    est, calls, tasks, _, _ = scene(helper_s=(1.0, 9.0), patient_s=(0.0, 3.0), people_check_s=2.0, calm_s=1.0)
    out = feed(est, tasks, 9.0)
    assert all(p is None for t, p in out if t >= 3.0)  # the helper stands: never taken for the patient
    looks = [t for (name, _), t in zip(calls, _times(calls)) if name == "2 image" and t >= 3.5]
    every = est.options.misfit_check_s
    assert 0.8 * 5.5 / every <= len(looks) <= 5.5 / every + 2 and np.mean(np.diff(looks)) >= 0.9 * every


def _times(calls) -> list[float]:
    """The frame time of every call (a look in image mode happens in the frame of the call before it)."""
    out, last = [], 0.0
    for _, t in calls:
        last = last if t is None else t
        out.append(last)
    return out


def test_never_looking_for_others_keeps_one_pose_a_frame(scene):
    est, calls, tasks, _, _ = scene(people_check_s=None)
    feed(est, tasks, 5.0)
    assert {name for name, _ in calls} == {"1 video"}
    assert est.follower.summary() is None


def test_the_person_to_follow_comes_from_the_exercise():
    assert estimator_options("bridge").follow.posture == LYING
    assert estimator_options("side_raise").follow.posture == LYING
    assert estimator_options("step-up").follow.posture == UPRIGHT
    assert estimator_options("auto").follow.posture is None and estimator_options(None).follow.posture is None


def test_the_settings_key_changes_with_what_shapes_a_track():
    keys = {estimator_options(ex).key() for ex in ("bridge", "side-raise")}
    assert len(keys) == 1  # both follow the person lying down: one track serves both
    assert estimator_options("bridge").key() != estimator_options("step-up").key() != estimator_options(None).key()
    assert EstimatorOptions(people_check_s=1.0).key() != EstimatorOptions().key()
    assert len(EstimatorOptions().key()) == 12
