"""MediaPipe pose estimation: the only module that imports mediapipe.

`PoseEstimator` wraps the Tasks API `PoseLandmarker` and turns its result into a
`PoseFrame` (or None when nobody is seen). MediaPipe's usage telemetry is kept on the
machine (see `telemetry`). Looking for a second person costs about
60 % more per frame, so the main landmarker tracks one person and a separate
two-person check runs only every `people_check_s` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posecount.errors import ModelError
from posecount.pose import models, telemetry
from posecount.pose.landmarks import N_LANDMARKS, PoseFrame

log = logging.getLogger(__name__)

RUNNING_MODES = ("video", "image")


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
    people_check_s: float | None = 2.0  # how often to look for a second person; None: never

    def __post_init__(self) -> None:
        if self.mode not in RUNNING_MODES:
            raise ValueError(f"mode must be one of {RUNNING_MODES}, not {self.mode!r}")
        for name in ("min_detection_confidence", "min_presence_confidence", "min_tracking_confidence"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, not {value}")


class PoseEstimator:
    """Landmarks of one person per frame. Use as a context manager.

    In "video" mode timestamps must increase; they are rounded to milliseconds for
    MediaPipe and nudged forward by 1 ms where rounding would repeat one.
    """

    def __init__(self, model: str | Path | models.ModelFile | None = None,
                 options: EstimatorOptions | None = None) -> None:
        self.options = options or EstimatorOptions()
        self.model = model if isinstance(model, models.ModelFile) else models.resolve(model)
        self._landmarker = self._create(num_poses=1, mode=self.options.mode)
        # Loaded now, with the main one: loading is set-up, not a cost of the first frame.
        self._people_checker = (None if self.options.people_check_s is None
                                else self._create(num_poses=2, mode="image"))
        self._last_ms = -1
        self._next_people_check_s = 0.0
        self.people_seen_max = 1 if self.options.people_check_s is None else 0
        self.multi_person_times: list[float] = []

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

    def detect(self, image_bgr: np.ndarray, t_s: float) -> PoseFrame | None:
        """The pose in one BGR frame at `t_s` seconds, or None if nobody is found."""
        import mediapipe as mp

        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        # The first call makes MediaPipe print its set-up notes to fd 2: keep them off the terminal.
        with quiet_native_stderr() if self._last_ms < 0 else contextlib.nullcontext():
            if self.options.mode == "video":
                ms = max(int(round(t_s * 1000.0)), self._last_ms + 1)
                self._last_ms = ms
                result = self._landmarker.detect_for_video(mp_image, ms)
            else:
                self._last_ms = max(self._last_ms, 0)
                result = self._landmarker.detect(mp_image)
        if self.options.people_check_s is not None and t_s >= self._next_people_check_s:
            self._next_people_check_s = t_s + self.options.people_check_s
            self._check_people(mp_image, t_s)
        return to_pose_frame(result, t_s, (image_bgr.shape[1], image_bgr.shape[0]))

    def _check_people(self, mp_image, t_s: float) -> None:
        first = self.people_seen_max == 0 and not self.multi_person_times
        with quiet_native_stderr() if first else contextlib.nullcontext():
            people = len(self._people_checker.detect(mp_image).pose_landmarks)
        self.people_seen_max = max(self.people_seen_max, people)
        if people > 1:
            self.multi_person_times.append(t_s)

    def close(self) -> None:
        with quiet_native_stderr():
            for task in (self._landmarker, self._people_checker):
                if task is not None:
                    task.close()
        self._landmarker = self._people_checker = None

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def to_pose_frame(result, t_s: float, image_wh: tuple[int, int]) -> PoseFrame | None:
    """The first person of a PoseLandmarkerResult as a PoseFrame."""
    if not result.pose_landmarks:
        return None
    norm = result.pose_landmarks[0]
    world = result.pose_world_landmarks[0] if result.pose_world_landmarks else None
    arr = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in norm], dtype=float)
    world_xyz = (np.array([(p.x, p.y, p.z) for p in world], dtype=float) if world
                 else np.full((N_LANDMARKS, 3), np.nan))
    return PoseFrame(
        t_s=float(t_s),
        image_xy=arr[:, :2],
        world_xyz=world_xyz,
        visibility=arr[:, 3],
        presence=arr[:, 4],
        image_wh=image_wh,
        image_z=arr[:, 2],
    )
