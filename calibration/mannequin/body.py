"""Body sizes and the named 3D joints of one posed figure (metres, world frame: y up, floor at y=0)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# Joint names; "l_"/"r_" are the person's own left and right.
JOINTS: tuple[str, ...] = (
    "head", "neck", "chest", "pelvis",
    "l_shoulder", "r_shoulder", "l_elbow", "r_elbow", "l_wrist", "r_wrist", "l_hand", "r_hand",
    "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l_heel", "r_heel",
    "l_toe", "r_toe",
)


@dataclass(frozen=True)
class BodySize:
    """Segment lengths and radii in metres, proportions of an adult (~1.72 m at scale 1)."""

    scale: float = 1.0
    thigh: float = 0.44
    shank: float = 0.42
    ankle_height: float = 0.07
    foot: float = 0.21
    heel_back: float = 0.05
    hip_half_width: float = 0.095
    trunk: float = 0.50  # pelvis centre to shoulder line
    shoulder_half_width: float = 0.18
    neck: float = 0.10
    head_radius: float = 0.105
    upper_arm: float = 0.30
    forearm: float = 0.26
    hand: float = 0.18
    # Radii of the tapered limbs (start, end).
    thigh_r: tuple[float, float] = (0.085, 0.055)
    shank_r: tuple[float, float] = (0.055, 0.040)
    upper_arm_r: tuple[float, float] = (0.050, 0.038)
    forearm_r: tuple[float, float] = (0.038, 0.030)
    torso_depth: float = 0.11  # half depth front-back at the chest
    girth: float = 1.0  # widens torso and limbs (body size option)

    def scaled(self) -> BodySize:
        """All lengths multiplied by `scale`, radii also by `girth`."""
        s, g = self.scale, self.girth
        lengths = {k: getattr(self, k) * s for k in (
            "thigh", "shank", "ankle_height", "foot", "heel_back", "trunk", "neck",
            "head_radius", "upper_arm", "forearm", "hand")}
        widths = {k: getattr(self, k) * s * g for k in (
            "hip_half_width", "shoulder_half_width", "torso_depth")}
        radii = {k: tuple(r * s * g for r in getattr(self, k)) for k in (
            "thigh_r", "shank_r", "upper_arm_r", "forearm_r")}
        return replace(self, scale=1.0, girth=1.0, **lengths, **widths, **radii)

    @property
    def leg_length(self) -> float:
        """Hip joint to floor when standing straight: the unit of step-up heights."""
        return self.thigh + self.shank + self.ankle_height


@dataclass
class Posed:
    """One posed figure: joint positions plus the head's orientation (unit vectors)."""

    joints: dict[str, np.ndarray]
    face_dir: np.ndarray  # where the nose points
    head_up: np.ndarray  # from chin to crown

    def __getitem__(self, name: str) -> np.ndarray:
        return self.joints[name]

    def as_array(self) -> np.ndarray:
        return np.stack([self.joints[n] for n in JOINTS])

    def moved(self, offset_m: tuple[float, float], turn_deg: float = 0.0) -> Posed:
        """The figure turned by `turn_deg` about the vertical through the origin, then shifted
        by (x, z) metres along the floor (a second person placed in the scene)."""
        a = np.radians(turn_deg)
        rot = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
        shift = np.array([offset_m[0], 0.0, offset_m[1]])
        return Posed({k: rot @ v + shift for k, v in self.joints.items()}, rot @ self.face_dir, rot @ self.head_up)
