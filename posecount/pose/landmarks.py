"""The 33 MediaPipe pose landmarks and `PoseFrame`, one person in one frame.

Left and right are the person's own sides, as MediaPipe names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np

N_LANDMARKS = 33


class Landmark(IntEnum):
    """Indices of MediaPipe's BlazePose landmarks (the person's left/right)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


FACE = tuple(range(0, 11))

# Bones drawn for a skeleton overlay (pairs of landmark indices).
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 23), (12, 24), (23, 24),
    (11, 13), (13, 15), (12, 14), (14, 16),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
    (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
    (0, 11), (0, 12),
)


@dataclass(frozen=True)
class PoseFrame:
    """One person in one frame.

    `image_xy` is normalised to the frame (x right, y down, 0..1, may exceed the
    frame slightly); multiply by `image_wh` for pixels before measuring angles,
    since a normalised frame is not square. NaN marks a point that was not given.
    """

    t_s: float
    image_xy: np.ndarray  # (33, 2) normalised image coordinates
    world_xyz: np.ndarray  # (33, 3) metres, hip-centred (MediaPipe world landmarks)
    visibility: np.ndarray  # (33,) 0..1, likely to be visible (not occluded)
    presence: np.ndarray  # (33,) 0..1, likely to be inside the frame
    image_wh: tuple[int, int]  # width, height in pixels of the analysed image
    image_z: np.ndarray | None = None  # (33,) MediaPipe's relative depth, same scale as x

    @cached_property
    def image_px(self) -> np.ndarray:
        """(33, 2) landmark positions in pixels (computed once per frame; read-only)."""
        px = self.image_xy * np.asarray(self.image_wh, dtype=float)
        px.setflags(write=False)
        return px

    def point_px(self, lm: Landmark | int) -> np.ndarray:
        return self.image_px[int(lm)]

    @classmethod
    def from_arrays(
        cls,
        t_s: float,
        image_xy: np.ndarray,
        world_xyz: np.ndarray | None = None,
        visibility: np.ndarray | None = None,
        presence: np.ndarray | None = None,
        image_wh: tuple[int, int] = (640, 480),
    ) -> PoseFrame:
        """Build a frame from arrays, filling what is not given (handy for synthetic data)."""
        image_xy = np.asarray(image_xy, dtype=float).reshape(N_LANDMARKS, 2)
        world = (
            np.full((N_LANDMARKS, 3), np.nan)
            if world_xyz is None
            else np.asarray(world_xyz, dtype=float).reshape(N_LANDMARKS, 3)
        )
        vis = np.ones(N_LANDMARKS) if visibility is None else np.asarray(visibility, float)
        pres = np.ones(N_LANDMARKS) if presence is None else np.asarray(presence, float)
        return cls(float(t_s), image_xy, world, vis, pres, (int(image_wh[0]), int(image_wh[1])))
