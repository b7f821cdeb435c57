"""Renders labelled synthetic clips: a video and its ground-truth JSON (same stem) per scenario.

    python -m calibration.render --all [--out DIR]      # the full set, into the cache by default
    python -m calibration.render --fixtures             # the committed fixtures (tests/fixtures/videos)
    python -m calibration.render --people               # a second person in view (helper, bystander)
    python -m calibration.render --scenario NAME --png  # one clip, plus a contact sheet to look at

Deterministic: the same scenario (and seed) gives the same frames and the same truth.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import cv2
import numpy as np

from calibration.mannequin.body import Posed
from calibration.mannequin.camera import Camera, place_camera
from calibration.mannequin.draw import FigurePainter, Look, paint_far_to_near
from calibration.mannequin.motion import MIN_HOLD_S, STEP, MotionScript, RepPlan, plan_reps, pose_at
from calibration.mannequin.scene import Box, Room, apply_effects, render_background
from calibration.mannequin.truth import SIGNALS, hold_signal, perceived_hold_s, truth_signals
from calibration.scenarios import ALL, FIXTURES, FULL, PEOPLE, SIDE_VIEWS, Scenario, by_name

log = logging.getLogger(__name__)

TRUTH_SCHEMA = "posecount-synthetic-truth"
TRUTH_VERSION = 4  # 2: a rep's hold_s is the perceived hold, hold_script_s the scripted one; 3: step-ups too;
# 4: "hold_short" by the perceived hold
FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "videos"
CODECS = ("avc1", "mp4v")  # H.264 where the OpenCV build has an encoder, else MPEG-4 part 2


def default_out_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("posecount")) / "synthetic"


# Where the camera looks and from how far, per activity (target x, y; distance; camera height).
_FRAMING = {
    "bridge": ((0.15, 0.25), 2.05, 0.75),
    "lie": ((0.15, 0.25), 2.05, 0.75),
    "side-raise": ((-0.15, 0.28), 2.05, 0.85),  # lying on the left; mirrored for the right
    "fidget": ((-0.15, 0.28), 2.05, 0.85),  # lying on the side, like the side raise
    "step-up": ((0.22, 0.85), 3.0, 1.0),
    "stand": ((0.0, 0.85), 3.0, 1.0),
    "squat": ((0.0, 0.8), 3.0, 1.0),
    "walk": ((0.0, 0.85), 4.6, 1.0),
}


def scene_for(sc: Scenario) -> tuple[Camera, Room, np.ndarray]:
    (tx, ty), dist, cam_h = sc.framing or _FRAMING[sc.activity]
    view = sc.view
    if sc.activity in ("side-raise", "fidget"):
        if sc.script.variant == "straight-leg":  # the straight leg reaches ~0.6 m further
            tx, dist = 0.0, dist * 1.12
        if sc.script.side == "right":
            tx = -tx  # the head lies towards +x
            if view == "feet":  # ...and the feet towards -x
                view = "head"
    target = np.array([tx, ty, 0.0])
    hfov = 60.0
    if sc.height > sc.width:  # portrait phone: narrower horizontal view, so step back
        hfov, dist = 48.0, dist * 1.45
    if sc.view == "feet":
        dist, cam_h = dist * 1.1, cam_h + 0.35
    dist *= sc.distance_scale
    if sc.camera_height_m is not None:
        cam_h = sc.camera_height_m
    cam = place_camera(view, target, dist * sc.body.scale, cam_h, sc.width, sc.height, hfov)
    lying = sc.activity in ("bridge", "lie", "side-raise", "fidget")
    room = Room(mat=(-1.05, 1.05, -0.45, 0.45) if lying else None,
                step=Box(STEP["x0"], STEP["x1"], STEP["z0"], STEP["z1"], sc.script.step_m)
                if sc.activity == "step-up" else None)
    return cam, room, target


def _jitter(seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 7919).normal(0, 1, 3)


def frames(sc: Scenario) -> Iterator[tuple[float, np.ndarray, Posed]]:
    """(t_s, BGR image, posed figure) for every frame of a scenario."""
    reps, duration = plan_reps(sc.script)
    cam, room, target = scene_for(sc)
    look = Look.from_seed(sc.seed if sc.look_seed is None else sc.look_seed)
    bg = render_background(cam, room, look, target, sc.seed)
    painter = FigurePainter(cam, sc.body, look)
    other = sc.companion
    other_painter = None if other is None else FigurePainter(cam, other.body, Look.from_seed(other.look_seed))
    other_reps = [] if other is None else plan_reps(other.script)[0]
    rng = np.random.default_rng(sc.seed)
    shake = np.zeros(3)
    jit = _jitter(sc.seed)
    n = int(round(duration * sc.fps))
    for i in range(n):
        t = i / sc.fps
        pose = pose_at(sc.script, reps, t, sc.body, jit)
        img = bg.copy()
        prims = painter.primitives(pose)
        if other is not None and other_painter is not None:  # one depth order for both figures
            placed = pose_at(other.script, other_reps, t, other.body).moved(other.offset_m, other.turn_deg)
            prims += other_painter.primitives(placed)
        paint_far_to_near(img, prims)
        yield t, apply_effects(img, sc.effects, t, duration, rng, shake), pose


BITS_PER_PIXEL = 0.045  # ~410 kbit/s at 640x480, 30 fps: flat shaded figures compress well


def bitrate_for(width: int, height: int, fps: float) -> int:
    return int(width * height * fps * BITS_PER_PIXEL)


def truth_track(sc: Scenario):
    """A perfect pose track of a scenario: the drawn joints as MediaPipe landmarks (no model)."""
    from calibration.mannequin.landmarks import landmarks_3d, to_mediapipe
    from posecount.pose.landmarks import PoseFrame
    from posecount.pose.tracks import TrackRecorder

    reps, duration = plan_reps(sc.script)
    cam, _, _ = scene_for(sc)
    jit = _jitter(sc.seed)
    rec = TrackRecorder((sc.width, sc.height), sc.fps, f"{sc.name}.mp4", model="mannequin-truth")
    for i in range(int(round(duration * sc.fps))):
        t = i / sc.fps
        norm, world = to_mediapipe(landmarks_3d(pose_at(sc.script, reps, t, sc.body, jit), sc.body), cam)
        ones = np.ones(len(norm))
        frame = PoseFrame(t, norm[:, :2], world, ones, ones, (sc.width, sc.height), norm[:, 2])
        rec.add(t, frame, people=1)
    return rec.build()


def open_writer(path: Path, fps: float, size: tuple[int, int]) -> tuple[cv2.VideoWriter, str]:
    """A video writer with the first codec this OpenCV build can encode, at a modest bitrate."""
    params = [cv2.VIDEOWRITER_PROP_BITRATE, bitrate_for(size[0], size[1], fps)]
    for codec in CODECS:
        w = cv2.VideoWriter(str(path), cv2.CAP_FFMPEG, cv2.VideoWriter_fourcc(*codec), fps, size, params)
        if w.isOpened():
            return w, codec
        w.release()
    raise RuntimeError(f"OpenCV cannot write {path.suffix} video with any of {CODECS}")


def truth_document(sc: Scenario, reps: list[RepPlan], duration: float, t_s: list[float],
                   signals: dict[str, list[float]], codec: str, video_name: str) -> dict:
    s: MotionScript = sc.script
    counted = sum(r.counts for r in reps)
    return {
        "schema": TRUTH_SCHEMA,
        "schema_version": TRUTH_VERSION,
        "video": video_name,
        "scenario": sc.name,
        "seed": sc.seed,
        "exercise": sc.exercise,
        "activity": sc.activity,
        "expected_reps": counted if sc.measurable else 0,
        "expects_warning": not sc.measurable,
        "variant": s.variant if sc.exercise else None,
        "side": s.side if sc.exercise in ("side-raise", "step-up") else None,
        "side_meaning": {"side-raise": "side lain on", "step-up": "leading leg"}.get(sc.exercise or ""),
        "view": sc.view,
        "fps": sc.fps,
        "width": sc.width,
        "height": sc.height,
        "duration_s": round(duration, 4),
        "n_frames": len(t_s),
        "codec": codec,
        "leg_length_m": round(sc.body.scaled().leg_length, 4),
        "script": {k: v for k, v in asdict(s).items() if k != "faults"}
        | {"faults": {str(k): v for k, v in s.faults.items()}},
        "effects": asdict(sc.effects),
        "reps": perceived_holds(sc.exercise, [r.to_dict() for r in reps], t_s, signals),
        "frames": {"t_s": [round(t, 5) for t in t_s]} | {k: [round(v, 3) for v in vals] for k, vals in signals.items()},
    }


def perceived_holds(exercise: str | None, reps: list[dict], t_s: list[float],
                    signals: dict[str, list[float]]) -> list[dict]:
    """Each rep's `hold_s` as a person times it (`truth.HOLD_LEVEL`; the step-up: both feet on the
    step); the scripted motionless hold stays as `hold_script_s`. A counted rep is "hold_short" when
    that perceived hold is under the leaflet's minimum, as posecount reports it (by the scripted
    hold, a 4.95 s still hold timed 5.7 s by eye was "short" while its truth said 5.7 s)."""
    series = hold_signal(exercise, signals)
    least = MIN_HOLD_S.get(exercise or "")
    out = []
    for r in reps:
        r = dict(r)
        r["hold_script_s"] = r.pop("hold_script_s", r["hold_s"])
        held = perceived_hold_s(t_s, series, r["start_s"], r["end_s"]) if series is not None else None
        r["hold_s"] = round(held, 4) if held is not None else r["hold_script_s"]
        if least is not None and r.get("counts", True):
            flags = [f for f in r.get("flags", []) if f != "hold_short"]
            r["flags"] = flags + ["hold_short"] if r["hold_s"] < least - 1e-9 else flags
        out.append(r)
    return out


def retime(path: Path) -> bool:
    """Rewrites the holds of an older truth JSON from its own truth signals (no re-render)."""
    doc = json.loads(path.read_text())
    if not isinstance(doc, dict) or doc.get("schema") != TRUTH_SCHEMA or "frames" not in doc:
        return False
    frames = doc["frames"]
    doc["reps"] = perceived_holds(doc.get("exercise"), doc["reps"], frames["t_s"], frames)
    doc["schema_version"] = TRUTH_VERSION
    path.write_text(json.dumps(doc, indent=1) + "\n")
    return True


def render_truth_only(sc: Scenario, out_dir: Path) -> tuple[Path, Path]:
    """The truth JSON of a scenario without its video (for perfect tracks)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reps, duration = plan_reps(sc.script)
    cam, _, _ = scene_for(sc)
    jit = _jitter(sc.seed)
    t_s = [i / sc.fps for i in range(int(round(duration * sc.fps)))]
    signals: dict[str, list[float]] = {k: [] for k in SIGNALS}
    for t in t_s:
        for k, v in truth_signals(pose_at(sc.script, reps, t, sc.body, jit), cam, sc.body).items():
            signals[k].append(v)
    doc = truth_document(sc, reps, duration, t_s, signals, "none", f"{sc.name}.truth.npz")
    path = out_dir / f"{sc.name}.truth.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    return path.with_suffix(".npz"), path


def render(sc: Scenario, out_dir: Path, contact_sheet: bool = False) -> tuple[Path, Path]:
    """Writes `<name>.mp4` and `<name>.json` into out_dir; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    video = out_dir / f"{sc.name}.mp4"
    reps, duration = plan_reps(sc.script)
    cam, _, _ = scene_for(sc)
    part = video.with_name(video.stem + ".part.mp4")
    writer, codec = open_writer(part, sc.fps, (sc.width, sc.height))
    t_s: list[float] = []
    signals: dict[str, list[float]] = {k: [] for k in SIGNALS}
    sheet: list[np.ndarray] = []
    n = int(round(duration * sc.fps))
    try:
        for i, (t, img, pose) in enumerate(frames(sc)):
            writer.write(img)
            t_s.append(t)
            for k, v in truth_signals(pose, cam, sc.body).items():
                signals[k].append(v)
            if contact_sheet and i % max(1, n // 12) == 0 and len(sheet) < 12:
                sheet.append(cv2.resize(img, (sc.width // 2, sc.height // 2)))
    finally:
        writer.release()
    part.replace(video)
    doc = truth_document(sc, reps, duration, t_s, signals, codec, video.name)
    truth = video.with_suffix(".json")
    truth.write_text(json.dumps(doc, indent=1) + "\n")
    if contact_sheet and sheet:
        while len(sheet) % 4:
            sheet.append(np.zeros_like(sheet[0]))
        rows = [np.hstack(sheet[i:i + 4]) for i in range(0, len(sheet), 4)]
        cv2.imwrite(str(video.with_suffix(".sheet.png")), np.vstack(rows))
    log.info("rendered %s (%d frames, %s)", video, len(t_s), codec)
    return video, truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.render", description=__doc__.split("\n")[0])
    ap.add_argument("--all", action="store_true",
                    help="render every scenario (not the fixtures, not the second-person ones)")
    ap.add_argument("--side-views", action="store_true",
                    help="render the side raises seen from every view (issue 15), also in --all")
    ap.add_argument("--fixtures", action="store_true", help="render the committed fixtures")
    ap.add_argument("--people", action="store_true", help="render the scenarios with a second person in view")
    ap.add_argument("--scenario", action="append", default=[], help="render this scenario (repeatable)")
    ap.add_argument("--out", type=Path, help="output folder (default: the user cache, or the fixture folder)")
    ap.add_argument("--png", action="store_true", help="also write a contact sheet per clip")
    ap.add_argument("--truth-tracks", action="store_true",
                    help="write <name>.truth.npz perfect pose tracks (no video, no model) instead of videos")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ap.add_argument("--retime", type=Path, metavar="DIR",
                    help="update the truth JSONs in DIR to this truth version (holds) without re-rendering")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.retime:
        done = [p.name for p in sorted(args.retime.glob("*.json")) if not p.name.endswith(".check.json")
                and retime(p)]
        log.info("retimed %d truth files in %s", len(done), args.retime)
        return 0
    if args.list:
        for s in ALL:
            reps, dur = plan_reps(s.script)
            print(f"{s.name:40s} {s.exercise or '-':10s} reps={sum(r.counts for r in reps):2d} "
                  f"{dur:5.1f}s {s.width}x{s.height}@{s.fps:g} {s.view}{'  [fixture]' if s.fixture else ''}")
        return 0
    chosen: list[Scenario] = []
    if args.all:
        chosen += list(FULL) + list(SIDE_VIEWS)
    if args.side_views and not args.all:
        chosen += list(SIDE_VIEWS)
    if args.fixtures:
        chosen += list(FIXTURES)
    if args.people:
        chosen += list(PEOPLE)
    chosen += [by_name(n) for n in args.scenario]
    if not chosen:
        ap.error("say what to render: --all, --side-views, --fixtures, --people or --scenario NAME")
    for sc in chosen:
        out = args.out or (FIXTURE_DIR if sc.fixture else default_out_dir())
        if args.truth_tracks:
            track = truth_track(sc)
            path = track.save(out / f"{sc.name}.truth.npz")
            _, truth = render_truth_only(sc, out)
            log.info("wrote %s and %s", path, truth.name)
        else:
            render(sc, out, contact_sheet=args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
