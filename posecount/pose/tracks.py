"""Recorded pose tracks: a video's landmarks saved to a versioned `.npz`, replayed without the model.

Layout of format version 1 (all arrays, N = number of frames read from the source):

| key              | shape / type     | meaning                                                  |
|------------------|------------------|----------------------------------------------------------|
| `format`         | str              | always "posecount-track"                                 |
| `format_version` | int              | 1                                                        |
| `t_s`            | (N,) float64     | seconds from the start of the source, strictly increasing|
| `landmarks`      | (N, 33, 5) float32 | normalised image x, y, z, visibility, presence; NaN where no pose |
| `world`          | (N, 33, 3) float32 | world landmarks in metres, hip-centred; NaN where no pose |
| `has_pose`       | (N,) bool        | a person was found in that frame                         |
| `people`         | (N,) int8        | people seen in that frame (-1 where not checked)         |
| `image_wh`       | (2,) int32       | width, height of the analysed image in pixels            |
| `fps`            | float            | nominal frame rate of the source                         |
| `source`         | str              | file name of the source (no directory: privacy)          |
| `model`          | str              | model name, e.g. "pose_landmarker_full"                  |
| `model_sha256`   | str              | SHA-256 of the model file                                |
| `warnings`       | (K,) str         | what the source or estimator warned about                |
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from posecount.errors import InputError, OutputError, SourceNotFound
from posecount.pose.landmarks import N_LANDMARKS, PoseFrame
from posecount.storage import atomic_write

FORMAT = "posecount-track"
FORMAT_VERSION = 1


@dataclass
class PoseTrack:
    """All landmarks of one source, in memory (about 1 kB a frame)."""

    t_s: np.ndarray
    landmarks: np.ndarray
    world: np.ndarray
    has_pose: np.ndarray
    image_wh: tuple[int, int]
    fps: float
    source: str = ""
    model: str = ""
    model_sha256: str = ""
    people: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.t_s)
        if self.landmarks.shape != (n, N_LANDMARKS, 5) or self.world.shape != (n, N_LANDMARKS, 3):
            raise InputError(
                f"pose track arrays do not match: {n} timestamps, landmarks {self.landmarks.shape}, "
                f"world {self.world.shape}"
            )
        if self.people is None:
            self.people = np.full(n, -1, dtype=np.int8)

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def frames_with_pose(self) -> int:
        return int(np.count_nonzero(self.has_pose))

    @property
    def duration_s(self) -> float:
        if len(self.t_s) == 0:
            return 0.0
        step = 1.0 / self.fps if self.fps > 0 else 0.0
        return float(self.t_s[-1] - self.t_s[0] + step)

    def frame(self, i: int) -> PoseFrame | None:
        """The pose at index `i`, or None where no person was found."""
        if not self.has_pose[i]:
            return None
        lm = self.landmarks[i].astype(float)
        return PoseFrame(
            t_s=float(self.t_s[i]),
            image_xy=lm[:, :2],
            world_xyz=self.world[i].astype(float),
            visibility=lm[:, 3],
            presence=lm[:, 4],
            image_wh=self.image_wh,
            image_z=lm[:, 2],
        )

    def frames(self) -> Iterator[tuple[float, PoseFrame | None]]:
        """Replays the track: (t_s, pose or None) per frame."""
        for i in range(len(self.t_s)):
            yield float(self.t_s[i]), self.frame(i)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")

        def write(fh) -> None:
            np.savez_compressed(
                fh,
                format=np.array(FORMAT),
                format_version=np.array(FORMAT_VERSION),
                t_s=self.t_s.astype(np.float64),
                landmarks=self.landmarks.astype(np.float32),
                world=self.world.astype(np.float32),
                has_pose=self.has_pose.astype(bool),
                people=np.asarray(self.people, dtype=np.int8),
                image_wh=np.asarray(self.image_wh, dtype=np.int32),
                fps=np.array(float(self.fps)),
                source=np.array(self.source),
                model=np.array(self.model),
                model_sha256=np.array(self.model_sha256),
                warnings=np.array(self.warnings, dtype=str),
            )

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write the pose track to {path}: {exc.strerror or exc}") from exc
        atomic_write(path, write)
        return path

    @classmethod
    def load(cls, path: str | Path) -> PoseTrack:
        path = Path(path)
        if not path.exists():
            raise SourceNotFound(f"pose track not found: {path}")
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data.get("format", "")) != FORMAT:
                    raise InputError(f"{path.name} is not a posecount pose track")
                version = int(data["format_version"])
                if version > FORMAT_VERSION:
                    raise InputError(
                        f"{path.name} is a version {version} pose track; this posecount reads "
                        f"up to version {FORMAT_VERSION}: upgrade posecount"
                    )
                wh = data["image_wh"]
                return cls(
                    t_s=data["t_s"].astype(np.float64),
                    landmarks=data["landmarks"],
                    world=data["world"],
                    has_pose=data["has_pose"].astype(bool),
                    people=data["people"],
                    image_wh=(int(wh[0]), int(wh[1])),
                    fps=float(data["fps"]),
                    source=str(data["source"]),
                    model=str(data["model"]),
                    model_sha256=str(data["model_sha256"]),
                    warnings=[str(w) for w in data["warnings"]],
                )
        except InputError:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{path.name} is not a readable pose track ({exc})") from exc


class TrackRecorder:
    """Collects (t_s, pose) pairs as they stream by, then builds a `PoseTrack`."""

    def __init__(self, image_wh: tuple[int, int], fps: float, source: str = "",
                 model: str = "", model_sha256: str = "") -> None:
        self.image_wh, self.fps, self.source = image_wh, fps, source
        self.model, self.model_sha256 = model, model_sha256
        self._t: list[float] = []
        self._lm: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._people: list[int] = []

    def add(self, t_s: float, pose: PoseFrame | None, people: int = -1) -> None:
        self._t.append(t_s)
        self._people.append(people)
        if pose is None:
            self._lm.append(np.full((N_LANDMARKS, 5), np.nan, np.float32))
            self._world.append(np.full((N_LANDMARKS, 3), np.nan, np.float32))
        else:
            z = pose.image_z if pose.image_z is not None else np.full(N_LANDMARKS, np.nan)
            lm = np.concatenate(
                [pose.image_xy, z[:, None], pose.visibility[:, None], pose.presence[:, None]],
                axis=1,
            )
            self._lm.append(lm.astype(np.float32))
            self._world.append(pose.world_xyz.astype(np.float32))

    def build(self, warnings: list[str] | None = None) -> PoseTrack:
        n = len(self._t)
        lm = np.stack(self._lm) if n else np.zeros((0, N_LANDMARKS, 5), np.float32)
        world = np.stack(self._world) if n else np.zeros((0, N_LANDMARKS, 3), np.float32)
        return PoseTrack(
            t_s=np.asarray(self._t, dtype=np.float64),
            landmarks=lm,
            world=world,
            has_pose=~np.isnan(lm[:, 0, 0]) if n else np.zeros(0, bool),
            people=np.asarray(self._people, dtype=np.int8),
            image_wh=self.image_wh,
            fps=self.fps,
            source=self.source,
            model=self.model,
            model_sha256=self.model_sha256,
            warnings=list(warnings or []),
        )
