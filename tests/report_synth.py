"""A synthetic exercise video with its pose track, for report and annotate tests without MediaPipe.

The figure is drawn from `tests.synth` poses on a smooth background, with a high-contrast
noise patch where the face is, so that a blur shows as a drop of pixel variance there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posecount.media.render import face_box
from posecount.pose.landmarks import FACE, SKELETON_EDGES, PoseFrame
from posecount.pose.tracks import PoseTrack, TrackRecorder
from tests import synth

FPS = 15.0


@dataclass(frozen=True)
class Clip:
    video: Path
    track_path: Path
    track: PoseTrack
    frames: list[tuple[float, PoseFrame | None]]


def two_bridges() -> synth.Keyframes:
    """A good bridge (6 s hold) and then one held too short (2 s)."""
    keys = synth.bridge_reps(1, hold_s=6.0, lower_s=2.5)
    t0 = keys[-1][0]
    keys += [(t0 + t, p) for t, p in synth.bridge_reps(1, hold_s=2.0, lower_s=2.5, first_rest_s=0.0)[1:]]
    return keys


def draw_scene(pose: PoseFrame | None, wh: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    w, h = wh
    ramp = np.linspace(90, 150, w, dtype=np.float32)
    img = np.repeat(np.repeat(ramp[None, :, None], h, axis=0), 3, axis=2).astype(np.uint8)
    if pose is None:
        return img
    p = pose.image_px
    for a, b in SKELETON_EDGES:
        cv2.line(img, tuple(np.round(p[a]).astype(int)), tuple(np.round(p[b]).astype(int)), (230, 230, 230), 6)
    centre = np.round(np.nanmean(p[list(FACE)], axis=0)).astype(int)
    face = rng.integers(0, 256, (h, w), dtype=np.uint8)
    mask = np.zeros((h, w), np.uint8)
    cv2.circle(mask, tuple(centre), 18, 255, -1)
    img[mask > 0] = np.repeat(face[mask > 0, None], 3, axis=1)  # a "face": detail a blur must remove
    return img


def make_clip(folder: Path, keys: synth.Keyframes | None = None, name: str = "synthetic_bridge") -> Clip:
    frames = synth.render(keys or two_bridges(), synth.bridge_pose, fps=FPS, cam=synth.CAM_BACK)
    wh = synth.CAM_BACK.image_wh
    video = folder / f"{name}.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), FPS, wh)
    assert writer.isOpened()
    recorder = TrackRecorder(wh, FPS, video.name, "synthetic", "0" * 64)
    rng = np.random.default_rng(3)
    for t, pose in frames:
        writer.write(draw_scene(pose, wh, rng))
        recorder.add(t, pose, 1)
    writer.release()
    track = recorder.build([])
    track_path = track.save(folder / f"{name}.npz")
    return Clip(video, Path(track_path), track, frames)


def face_variance(image: np.ndarray, pose: PoseFrame) -> float:
    """Grey-level variance inside the inner part of the face box (where the noise patch is)."""
    box = face_box(pose, (image.shape[1], image.shape[0]))
    assert box is not None
    centre = np.round(np.nanmean(pose.image_px[list(FACE)], axis=0)).astype(int)
    x, y = centre
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(float)
    # The upper-left part of the noise patch: the drawn neck lines run to the right of it.
    return float(grey[y - 14:y - 2, x - 14:x].var())


def handmade_result():
    """A bridge `AnalysisResult` written by hand (independent of the counter's tuning): rep 1 is
    clean (6 s hold, 2 s down), rep 2 was held 2 s ("hold_short"); one attempt was not counted."""
    from dataclasses import asdict

    from posecount.analysis import AnalysisResult, Rejected, Rep, Trace
    from posecount.settings import load_settings

    t = np.arange(0.0, 20.0, 1.0 / FPS)
    v = np.full_like(t, 130.0)
    reps = [Rep(1, 1.5, 2.5, 6.0, 10.5, 1.0, 2.0, 176.0, None, None, 1),
            Rep(2, 12.0, 13.0, 2.0, 17.0, 1.0, 2.0, 175.0, None, None, 1, ("hold_short",))]
    for r in reps:
        rise = (t >= r.start_s) & (t < r.top_s)
        v[rise] = 130 + 46 * (t[rise] - r.start_s) / r.rise_s
        v[(t >= r.top_s) & (t <= r.top_s + r.hold_s)] = r.peak
        down = (t > r.top_s + r.hold_s) & (t < r.end_s)
        v[down] = r.peak - (r.peak - 130) * (t[down] - r.top_s - r.hold_s) / r.lower_s
    thresholds = {"source": "/etc/posecount/thresholds.toml", **asdict(load_settings().bridge),
                  "personal_rest": 130.0, "personal_count": 160.0}
    return AnalysisResult("bridge", reps, [Rejected("not_high_enough", 18.0, 19.5, 150.0)], [], "hip_extension",
                          "deg", thresholds, Trace(t, v + 0.5, v, np.ones_like(t)))
