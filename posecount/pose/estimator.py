"""MediaPipe pose estimation: the only module that imports mediapipe.

`PoseEstimator` wraps the Tasks API `PoseLandmarker` and turns its result into the patient's
`PoseFrame` (or None when the patient is not seen): with several people in view,
`posecount.pose.follow` chooses. MediaPipe's usage telemetry is kept on the machine (see
`telemetry`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from posecount.errors import ModelError
from posecount.pose import models, persons, telemetry
from posecount.pose.follow import PersonFollower
from posecount.pose.landmarks import N_LANDMARKS, PoseFrame
from posecount.pose.persons import FollowSettings, distinct

log = logging.getLogger(__name__)

RUNNING_MODES = ("video", "image")
VERSION = 2  # raise when what the estimator gives changes for the same options: track caches are keyed by it


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silences the C++ log lines MediaPipe writes straight to file descriptor 2."""
    if os.environ.get("POSECOUNT_DEBUG"):
        yield
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    try:
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


@dataclass(frozen=True)
class EstimatorOptions:
    """How the landmarker runs; the confidences are MediaPipe's own defaults."""

    mode: str = "video"  # "video": one stream with increasing timestamps; "image": independent frames
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    people_check_s: float | None = 2.0  # how often the one-person tracker looks for others (and whenever
    # its pose jumps away from the person followed); None: never
    calm_s: float = 5.0  # after the last frame with several people, back to the one-person tracker
    misfit_check_s: float = 0.5  # how often to look while the one pose found has the wrong posture
    follow: FollowSettings = field(default_factory=FollowSettings)  # which person is the patient

    def __post_init__(self) -> None:
        if self.mode not in RUNNING_MODES:
            raise ValueError(f"mode must be one of {RUNNING_MODES}, not {self.mode!r}")
        for name in ("min_detection_confidence", "min_presence_confidence", "min_tracking_confidence"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, not {value}")

    def key(self) -> str:
        """A short hash of everything here that shapes a pose track (for track caches)."""
        doc = {"options": asdict(self), "estimator": VERSION, "persons": persons.VERSION}
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:12]


class PoseEstimator:
    """Landmarks of the patient per frame. Use as a context manager.

    One person's landmarker runs on every frame; a two-person look in image mode checks for
    others every `people_check_s`, whenever the one-person pose jumps away from the person
    followed, and every `misfit_check_s` while that pose has not the exercise's posture (a
    two-person landmarker costs about 60 % more per frame, one look about 1.7 frames' worth).
    Once several people are seen, a two-person landmarker runs on every frame until `calm_s`
    after the last sighting of several, and a `PersonFollower` chooses the
    patient among them (None while the patient is hidden). In "video" mode timestamps must increase;
    they are rounded to milliseconds for MediaPipe and nudged forward by 1 ms where rounding
    would repeat one.
    """

    def __init__(self, model: str | Path | models.ModelFile | None = None,
                 options: EstimatorOptions | None = None) -> None:
        self.options = options or EstimatorOptions()
        self.model = model if isinstance(model, models.ModelFile) else models.resolve(model)
        self._landmarker = self._create(num_poses=1, mode=self.options.mode)
        # Loaded now, with the main one: loading is set-up, not a cost of the first frame.
        self._people_checker = (None if self.options.people_check_s is None
                                else self._create(num_poses=2, mode="image"))
        self._several_landmarker = None  # loaded when several people are first seen
        self._warm: set[int] = set()
        self._last_ms = -1
        self._next_people_check_s = self._next_jump_check_s = 0.0
        self._last_look_s = -math.inf
        self._several_until_s = -math.inf
        self.follower = PersonFollower(self.options.follow)
        self.people_seen_max = 1 if self.options.people_check_s is None else 0

    def _create(self, num_poses: int, mode: str):
        telemetry.keep_on_machine()  # before mediapipe loads: its usage uploader stays on loopback
        from mediapipe.tasks.python import BaseOptions, vision

        running = vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE
        opts = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model.path)),
            running_mode=running,
            num_poses=num_poses,
            min_pose_detection_confidence=self.options.min_detection_confidence,
            min_pose_presence_confidence=self.options.min_presence_confidence,
            min_tracking_confidence=self.options.min_tracking_confidence,
        )
        try:
            with quiet_native_stderr():
                return vision.PoseLandmarker.create_from_options(opts)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"MediaPipe cannot load the model {self.model.path.name}: {exc}") from exc

    @property
    def model_name(self) -> str:
        return self.model.name

    @property
    def multi_person_times(self) -> list[float]:
        """Times of the frames in which several people were seen."""
        return self.follower.several_s

    def detect(self, image_bgr: np.ndarray, t_s: float) -> PoseFrame | None:
        """The patient's pose in one BGR frame at `t_s` seconds, or None if not found."""
        import mediapipe as mp

        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        wh = (image_bgr.shape[1], image_bgr.shape[0])
        pose = self.follower.choose(t_s, self._people(mp_image, t_s, wh))
        self.people_seen_max = max(self.people_seen_max, self.follower.count)
        if self.follower.count > 1:
            self._several_until_s = t_s + self.options.calm_s
        return pose

    def _people(self, mp_image, t_s: float, wh: tuple[int, int]) -> list[PoseFrame]:
        """Everyone the landmarkers found in this frame (one person while alone)."""
        if t_s < self._several_until_s:
            if self._several_landmarker is None:
                self._several_landmarker = self._create(num_poses=2, mode=self.options.mode)
            found = to_pose_frames(self._run(self._several_landmarker, mp_image, t_s), t_s, wh)
        else:
            found = to_pose_frames(self._run(self._landmarker, mp_image, t_s), t_s, wh)
            if self._look_now(t_s, found):
                others = to_pose_frames(self._run(self._people_checker, mp_image, t_s, image=True), t_s, wh)
                found = others if len(distinct(others, self.options.follow)) > 1 else found
        return found

    def _look_now(self, t_s: float, found: list[PoseFrame]) -> bool:
        """Whether to look for others in this frame: every `people_check_s`; when the one-person
        pose jumps away from the person followed (such looks at most every half period: while the
        patient is away, the pose of someone else may jump on every frame); and `misfit_check_s`
        after the last look while the one pose found has not the exercise's posture (a helper
        standing by a bridge: MediaPipe's one-person tracker may hold on to them while the patient
        lies beside them, and one two-person look does not always find both)."""
        every = self.options.people_check_s
        if every is None:
            return False
        look = False
        if t_s >= self._next_people_check_s:
            self._next_people_check_s = t_s + every
            look = True
        elif t_s >= self._next_jump_check_s and self.follower.jumped(t_s, found):
            self._next_people_check_s, self._next_jump_check_s = t_s + every, t_s + every / 2
            look = True
        elif t_s - self._last_look_s >= self.options.misfit_check_s and self.follower.misfits(found):
            look = True
        if look:
            self._last_look_s = t_s
        return look

    def _run(self, task, mp_image, t_s: float, image: bool = False):
        # A task's first call makes MediaPipe print its set-up notes to fd 2, and the two-person ones
        # log warnings later on: keep them off the terminal (the one-person task runs bare: speed).
        quiet = id(task) not in self._warm or task is not self._landmarker
        with quiet_native_stderr() if quiet else contextlib.nullcontext():
            self._warm.add(id(task))
            if image or self.options.mode == "image":
                self._last_ms = max(self._last_ms, 0)
                return task.detect(mp_image)
            ms = max(int(round(t_s * 1000.0)), self._last_ms + 1)
            self._last_ms = ms
            return task.detect_for_video(mp_image, ms)

    def close(self) -> None:
        with quiet_native_stderr():
            for task in (self._landmarker, self._people_checker, self._several_landmarker):
                if task is not None:
                    task.close()
        self._landmarker = self._people_checker = self._several_landmarker = None

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def to_pose_frame(result, t_s: float, image_wh: tuple[int, int]) -> PoseFrame | None:
    """The first person of a PoseLandmarkerResult as a PoseFrame."""
    found = to_pose_frames(result, t_s, image_wh, limit=1)
    return found[0] if found else None


def to_pose_frames(result, t_s: float, image_wh: tuple[int, int], limit: int | None = None) -> list[PoseFrame]:
    """Every person of a PoseLandmarkerResult as a PoseFrame, in MediaPipe's order."""
    out = []
    for i, norm in enumerate(result.pose_landmarks[:limit]):
        world = result.pose_world_landmarks[i] if len(result.pose_world_landmarks or []) > i else None
        arr = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in norm], dtype=float)
        world_xyz = (np.array([(p.x, p.y, p.z) for p in world], dtype=float) if world
                     else np.full((N_LANDMARKS, 3), np.nan))
        out.append(PoseFrame(t_s=float(t_s), image_xy=arr[:, :2], world_xyz=world_xyz, visibility=arr[:, 3],
                             presence=arr[:, 4], image_wh=image_wh, image_z=arr[:, 2]))
    return out
