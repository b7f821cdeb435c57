"""Telling people apart in pose landmarks, and how much each looks like the patient (pure: no MediaPipe).

A `Look` is what is read from one pose once (core landmarks, body size, trunk tilt); a `Person`
is one identity over time (running scores, movement, travel). `posecount.pose.follow` holds the
rules of the choice. Posture is the trunk's angle in the image: `LYING` for the bridge and the
side raise, `UPRIGHT` for the step-up (a video turned by 90 degrees swaps the two).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame

LYING, UPRIGHT = "lying", "upright"
VERSION = 2  # raise when a choice changes: pose-track caches are keyed by it

# Shoulders, hips, knees, ankles: the body every exercise is measured on.
CORE = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP,
        L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE]
# Bones between CORE's landmarks: trunk sides, thighs, shins, the shoulder and the hip line.
BONES = ((0, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7), (0, 1), (2, 3))
MOVING_BODY = 0.025  # movement (body sizes) from which a person counts as exercising: real exercises
# measured 0.03-0.2, people keeping still 0.005-0.015 (MediaPipe's jitter)
FULL_MOVE_BODY = 0.05  # movement that earns the whole bonus of a choice
MOVEMENT_EVERY_S = 0.25  # movement over a 4 s window changes little from frame to frame
TRAVEL_BODY = 0.5  # a centre that went farther over the window walks (or slid away), not exercising in place


@dataclass(frozen=True)
class FollowSettings:
    """How people are told apart and which one is followed (distances in body sizes)."""

    posture: str | None = None  # LYING, UPRIGHT or None (any posture fits)
    match_body: float = 0.5  # a person moves at most this far from one frame to the next...
    drift_body_per_s: float = 1.0  # ... plus this much per second unseen,
    max_match_body: float = 1.5  # but never more: farther is someone else
    same_body: float = 0.15  # two poses closer than this are one person found twice
    on_body: float = 0.05  # ... as is a pose whose landmarks lie this close to the other's bones
    # (median, body sizes): MediaPipe's second pose on a lone figure, its joints on the wrong
    # limbs, lay 0.008-0.045 from the first's skeleton; helpers kneeling at a patient 0.06 and more
    lost_s: float = 3.0  # the patient unseen this long: choose again among those who fit
    settle_s: float = 2.0  # a patient followed for less than this may still be exchanged for a better one
    switch_s: float = 0.5  # a patient whose posture does not fit gives way to one who fits this long
    window_s: float = 4.0  # movement is judged over this much history
    ema_s: float = 1.0  # time constant of the running scores
    min_quality: float = 0.5  # a landmark below this visibility / presence is not a sighting
    upright_max_tilt_deg: float = 35.0  # trunk within this of the image vertical: upright
    lying_min_tilt_deg: float = 55.0  # trunk at least this far from it: lying

    def __post_init__(self) -> None:
        if self.posture not in (None, LYING, UPRIGHT):
            raise ValueError(f"posture must be {LYING!r}, {UPRIGHT!r} or None, not {self.posture!r}")


# ---------------------------------------------------------------- one pose

@dataclass(frozen=True)
class Look:
    """What the follower reads from one pose, computed once."""

    pose: PoseFrame
    core: np.ndarray  # (8, 2) pixels of the core landmarks as given (seen or guessed)
    seen: np.ndarray  # (8,) visible, present and inside the frame
    size: float  # shoulder to ankle along the body, pixels (NaN: unknown)
    centre: np.ndarray  # (2,) mean of the core landmarks, pixels
    tilt: float  # the trunk's angle from the image vertical, 0..180 (0: head up); NaN: not seen
    shape: np.ndarray  # (8, 2) core landmarks around the centre, in body sizes: what changes as one moves


def look(pose: PoseFrame, min_quality: float = 0.5) -> Look:
    xy = pose.image_xy[CORE]
    core = xy * np.asarray(pose.image_wh, float)
    q = np.fmin(pose.visibility[CORE], pose.presence[CORE])
    seen = (q >= min_quality) & ((xy > -0.05) & (xy < 1.05)).all(axis=1)  # NaN compares False
    bones = np.linalg.norm(np.diff(core.reshape(4, 2, 2), axis=0), axis=2)  # (3, 2): trunk, thigh, shin per side
    longest = float(np.nansum(bones, axis=0).max())
    size = longest if longest > 1.0 else math.nan
    given = ~np.isnan(core[:, 0])
    centre = core[given].mean(axis=0) if given.any() else np.full(2, math.nan)
    tilt = math.nan
    if seen[:2].any() and seen[2:4].any():
        trunk = core[2:4][seen[2:4]].mean(axis=0) - core[0:2][seen[0:2]].mean(axis=0)
        tilt = math.degrees(math.atan2(abs(trunk[0]), trunk[1]))  # head up: hips below the shoulders
    return Look(pose, core, seen, size, centre, tilt, (core - centre) / size)


def distance_body(a: Look, b: Look, shift_px: np.ndarray | None = None) -> float:
    """How far apart two poses are, in body sizes: the median distance of their core landmarks (`a`'s
    moved by `shift_px`, where it is expected now) plus the difference of their sizes (log ratio);
    inf when there is nothing to compare."""
    pa = a.core if shift_px is None else a.core + shift_px
    d = np.linalg.norm(pa - b.core, axis=1)
    d = d[~np.isnan(d)]
    if d.size == 0 or math.isnan(a.size) or math.isnan(b.size):
        return math.inf
    return float(np.median(d)) / ((a.size + b.size) / 2) + abs(math.log(a.size / b.size))


def posture_fit(lk: Look, cfg: FollowSettings) -> float:
    """1 when the trunk has the wanted posture, 0 when clearly not, 0.5 when unknown or in between."""
    if cfg.posture is None:
        return 1.0
    if math.isnan(lk.tilt):
        return 0.5
    upright = lk.tilt <= cfg.upright_max_tilt_deg
    lying = cfg.lying_min_tilt_deg <= lk.tilt <= 180.0 - cfg.lying_min_tilt_deg
    if not (upright or lying):
        return 0.5
    return 1.0 if (cfg.posture == UPRIGHT) == upright else 0.0


def frame_score(lk: Look, cfg: FollowSettings) -> float:
    """How much one pose looks like the filmed patient, 0..4.5: posture (x2), completeness, size,
    and being central across the image (x0.5; people at the edge are more often bystanders)."""
    w, h = lk.pose.image_wh
    diag = math.hypot(w, h)
    size_share = min(1.0, 1.5 * lk.size / diag) if diag > 0 and not math.isnan(lk.size) else 0.0
    x = float(lk.centre[0]) / w if w > 0 else math.nan
    central = max(0.0, 1.0 - 2.0 * abs(x - 0.5)) if not math.isnan(x) else 0.0
    return 2.0 * posture_fit(lk, cfg) + float(np.mean(lk.seen)) + size_share + 0.5 * central


def on_skeleton(a: Look, b: Look) -> float:
    """How far `a`'s seen core landmarks lie from `b`'s bones (trunk sides, thighs, shins, the
    shoulder and hip lines): their median distance in `b`'s body sizes, whatever the labels
    (inf when there is nothing to compare)."""
    pts = a.core[a.seen]
    ends = [(b.core[i], b.core[j]) for i, j in BONES if not np.isnan(b.core[[i, j]]).any()]
    if not len(pts) or not ends or math.isnan(b.size):
        return math.inf
    p0 = np.array([e[0] for e in ends])  # (bones, 2)
    d = np.array([e[1] for e in ends]) - p0
    rel = pts[:, None, :] - p0[None]  # (points, bones, 2)
    t = np.clip((rel * d).sum(axis=2) / np.maximum((d * d).sum(axis=1), 1e-9), 0.0, 1.0)
    gap = np.linalg.norm(rel - t[..., None] * d[None], axis=2).min(axis=1)
    return float(np.median(gap)) / b.size


def same_person(a: Look, b: Look, cfg: FollowSettings = FollowSettings()) -> bool:
    """Two poses of one person: close landmark for landmark, or one lying on the other's bones
    (a second, garbled fit of the same figure: its labels on the wrong limbs)."""
    return (distance_body(a, b) <= cfg.same_body
            or min(on_skeleton(a, b), on_skeleton(b, a)) < cfg.on_body)


def distinct_looks(looks: Sequence[Look], cfg: FollowSettings = FollowSettings()) -> list[Look]:
    """The looks without doubles (one person found twice): of two the more complete stays, then the
    larger (a garbled fit is folded up)."""
    if len(looks) < 2:
        return list(looks)
    kept: list[Look] = []
    for lk in sorted(looks, key=lambda lk: (-float(np.mean(lk.seen)), -np.nan_to_num(lk.size))):
        if not any(same_person(lk, k, cfg) for k in kept):
            kept.append(lk)
    return [lk for lk in looks if any(lk is k for k in kept)]  # in the order given


def distinct(poses: Sequence[PoseFrame], cfg: FollowSettings = FollowSettings()) -> list[PoseFrame]:
    """The poses without doubles (see `distinct_looks`)."""
    if len(poses) < 2:
        return list(poses)
    return [lk.pose for lk in distinct_looks([look(p, cfg.min_quality) for p in poses], cfg)]


# ---------------------------------------------------------------- one person over time

@dataclass
class Person:
    """One identity: where it was last seen, how it moves and how well it has fitted so far."""

    id: int
    last: Look
    seen_s: float
    since_s: float  # first seen
    score: float  # running frame_score
    posture: float  # running posture_fit
    size_px: float  # running body size
    history: deque = field(default_factory=deque)  # (t_s, Look) over the window
    velocity_px_s: np.ndarray = field(default_factory=lambda: np.zeros(2))
    moved: bool = False  # has moved in place like someone exercising
    _movement: float | None = None  # last worked out at _movement_s (None: never)
    _movement_s: float = -math.inf

    @classmethod
    def first_seen(cls, pid: int, t_s: float, lk: Look, cfg: FollowSettings) -> Person:
        person = cls(pid, lk, t_s, t_s, frame_score(lk, cfg), posture_fit(lk, cfg), lk.size)
        person.history.append((t_s, lk))
        return person

    @property
    def pose(self) -> PoseFrame:
        return self.last.pose

    def expected_shift(self, t_s: float) -> np.ndarray:
        """How far its landmarks should have gone by `t_s` (pixels): at its recent speed if it is
        walking, nowhere if it exercises in place (a step forth is followed by a step back)."""
        if not self.walking():
            return np.zeros(2)
        return self.velocity_px_s * max(t_s - self.seen_s, 0.0)

    def update(self, t_s: float, lk: Look, cfg: FollowSettings, scored: bool = True) -> None:
        """A new sighting; `scored=False` only remembers it (the one-person path: scores come later)."""
        dt = max(t_s - self.seen_s, 0.0)
        k = 1.0 - math.exp(-dt / cfg.ema_s)
        if not math.isnan(lk.size):
            self.size_px = lk.size if math.isnan(self.size_px) else self.size_px + k * (lk.size - self.size_px)
        if scored:
            self.score += k * (frame_score(lk, cfg) - self.score)
            self.posture += k * (posture_fit(lk, cfg) - self.posture)
            step = lk.centre - self.last.centre
            if dt > 0 and not np.isnan(step).any():
                kv = 1.0 - math.exp(-dt / (cfg.ema_s / 2))
                self.velocity_px_s = self.velocity_px_s + kv * (step / dt - self.velocity_px_s)
        self.last, self.seen_s = lk, t_s
        self.history.append((t_s, lk))
        while self.history[0][0] < t_s - cfg.window_s:
            self.history.popleft()

    def rescore(self, cfg: FollowSettings) -> None:
        """Running scores from the remembered sightings (after the one-person path kept none)."""
        recent = [lk for t, lk in self.history if t >= self.seen_s - cfg.ema_s]
        self.score = float(np.mean([frame_score(lk, cfg) for lk in recent]))
        self.posture = float(np.mean([posture_fit(lk, cfg) for lk in recent]))

    def travel(self) -> float:
        """How far the centre has gone from where it was at the start of the window, in body sizes."""
        d = float(np.linalg.norm(self.last.centre - self.history[0][1].centre)) / self.size_px
        return d if not math.isnan(d) else 0.0

    def walking(self) -> bool:
        return self.travel() > TRAVEL_BODY

    def movement(self) -> float:
        """How much the body's shape changed over the window, in body sizes: the mean over the core
        landmarks of the range (10th to 90th percentile) each covered around the body's centre (0:
        motionless or walking, since a centre that travels more than `TRAVEL_BODY` is not an
        exercise done in place); worked out at most every `MOVEMENT_EVERY_S`; sets `moved` from
        `MOVING_BODY` on."""
        if self._movement is None or self.seen_s - self._movement_s >= MOVEMENT_EVERY_S:
            shapes = np.stack([lk.shape for _, lk in self.history])
            shapes = shapes[~np.isnan(shapes).any(axis=(1, 2))]
            value = 0.0
            if len(shapes) > 1 and not self.walking():
                ranked = np.sort(shapes, axis=0)
                lo, hi = ranked[int(0.1 * (len(ranked) - 1))], ranked[int(round(0.9 * (len(ranked) - 1)))]
                value = float(np.mean(np.hypot(*(hi - lo).T)))
            self._movement, self._movement_s = value, self.seen_s
            self.moved = self.moved or value >= MOVING_BODY
        return self._movement

    def choice_score(self) -> float:
        """Running score plus a bonus for moving in place (at most 1, from `FULL_MOVE_BODY` on:
        movement weighs as much as a complete body, half as much as the posture)."""
        return self.score + min(1.0, self.movement() / FULL_MOVE_BODY)
