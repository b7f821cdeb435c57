"""Pure transforms of a `PoseTrack`: its mirror image, another tempo, another frame rate.

They build the variants of a recorded track that a counter must count alike (the invariance
tests, issue 15): the same exercise filmed in a mirror, done slower or faster, or filmed
with another camera. None of them runs the model; each returns a new track and leaves the
given one untouched.

- `mirror`: the image flipped left to right. Normalised image x becomes 1 - x, world x is
  negated, and every left landmark trades places with its right twin (with its visibility
  and presence), so that the person's own left side becomes the right one, as MediaPipe
  would label a person seen in a mirror. y, image z and world y, z are kept.
- `retime`: the same frames at another tempo: timestamps are scaled about the first one
  (tempo 2: everything takes half as long) and the nominal frame rate with them (tempo 2
  keeps every frame, so a 30 fps clip becomes 60 fps). Combine with `resample` to keep the
  frame rate (`change_tempo`).
- `resample`: the track at another frame rate, over the same time span. Each new frame at
  t0 + k / fps is interpolated linearly between the two recorded frames around it (image
  and world landmarks, visibility and presence) when both have a pose; where one of them has
  none, the nearer recorded frame is taken as is (pose or no pose), so that no pose is
  invented across a gap (halfway between two frames: the earlier one). With
  `method="nearest"` every new frame is the nearest recorded one (what a slower camera sees;
  upsampling then repeats frames). Where a new time falls on a
  recorded frame, both methods give that frame exactly.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from posecount.errors import InputError
from posecount.pose.landmarks import N_LANDMARKS, Landmark
from posecount.pose.tracks import PoseTrack


def _mirror_order() -> np.ndarray:
    """Index permutation that swaps every LEFT_* landmark with its RIGHT_* twin (and MOUTH_*)."""
    order = np.arange(N_LANDMARKS)
    for lm in Landmark:
        name = lm.name
        for a, b in (("LEFT", "RIGHT"), ("RIGHT", "LEFT")):
            if a in name.split("_"):
                twin = Landmark["_".join(b if part == a else part for part in name.split("_"))]
                order[int(lm)] = int(twin)
    return order


MIRROR_ORDER = _mirror_order()


def mirror(track: PoseTrack) -> PoseTrack:
    """The track of the same scene seen in a mirror (see the module's doc); mirror(mirror(t)) == t."""
    lm = track.landmarks[:, MIRROR_ORDER, :].copy()
    lm[:, :, 0] = 1.0 - lm[:, :, 0]
    world = track.world[:, MIRROR_ORDER, :].copy()
    world[:, :, 0] = -world[:, :, 0]
    return dataclasses.replace(
        track, t_s=track.t_s.copy(), landmarks=lm.astype(track.landmarks.dtype), world=world.astype(track.world.dtype),
        has_pose=track.has_pose.copy(), people=None if track.people is None else track.people.copy(),
        warnings=list(track.warnings),
    )


def retime(track: PoseTrack, tempo: float) -> PoseTrack:
    """The same frames played at `tempo` times the speed (2: twice as fast, 0.5: half as fast)."""
    if not tempo > 0:
        raise InputError(f"tempo must be positive, not {tempo}")
    t0 = float(track.t_s[0]) if len(track.t_s) else 0.0
    return dataclasses.replace(
        track, t_s=t0 + (track.t_s - t0) / tempo, landmarks=track.landmarks.copy(), world=track.world.copy(),
        has_pose=track.has_pose.copy(), people=None if track.people is None else track.people.copy(),
        fps=track.fps * tempo, warnings=list(track.warnings),
    )


def resample(track: PoseTrack, fps: float, method: str = "linear") -> PoseTrack:
    """The track at `fps` frames a second over the same span (see the module's doc for `method`)."""
    if not fps > 0:
        raise InputError(f"frame rate must be positive, not {fps}")
    if method not in ("linear", "nearest"):
        raise InputError(f"unknown resampling method {method!r} (linear, nearest)")
    src = track.t_s
    n_src = len(src)
    if n_src == 0:
        return dataclasses.replace(track, fps=float(fps))
    t0, t_end = float(src[0]), float(src[-1])
    n = int(np.floor((t_end - t0) * fps + 1e-9)) + 1
    t_new = t0 + np.arange(n) / fps
    hi = np.clip(np.searchsorted(src, t_new, side="left"), 0, n_src - 1)  # first recorded frame at or after t
    lo = np.clip(hi - 1, 0, n_src - 1)
    exact = np.isclose(src[hi], t_new, rtol=0.0, atol=1e-9)
    lo = np.where(exact, hi, lo)
    span = src[hi] - src[lo]
    w = np.where(span > 0, (t_new - src[lo]) / np.where(span > 0, span, 1.0), 0.0)  # weight of `hi`
    w = np.clip(w, 0.0, 1.0)
    nearest = np.where(w > 0.5 + 1e-9, hi, lo)  # halfway: the earlier frame
    lm = track.landmarks[nearest].astype(np.float64)
    world = track.world[nearest].astype(np.float64)
    has_pose = track.has_pose[nearest].copy()
    if method == "linear":
        both = track.has_pose[lo] & track.has_pose[hi] & (lo != hi)
        if np.any(both):
            wb = w[both][:, None, None]
            lm[both] = (1 - wb) * track.landmarks[lo[both]] + wb * track.landmarks[hi[both]]
            world[both] = (1 - wb) * track.world[lo[both]] + wb * track.world[hi[both]]
            has_pose[both] = True
    people = None if track.people is None else np.asarray(track.people)[nearest].copy()
    return dataclasses.replace(
        track, t_s=t_new, landmarks=lm.astype(track.landmarks.dtype), world=world.astype(track.world.dtype),
        has_pose=has_pose, people=people, fps=float(fps), warnings=list(track.warnings),
    )


def change_tempo(track: PoseTrack, tempo: float, method: str = "linear") -> PoseTrack:
    """The movement at `tempo` times the speed, filmed at the track's own frame rate."""
    return resample(retime(track, tempo), track.fps, method)
