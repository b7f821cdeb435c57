"""Invariance (issue 15, item 5): the count must not depend on how the exercise was filmed.

Checked on recorded pose tracks (`posecount.pose.transforms`), so each variant costs an
analysis, not a MediaPipe run:

- mirror image (image x -> 1 - x, left and right landmarks swapped, world x negated): the same
  count, every rep's side swapped (left <-> right, None stays None), under every counter (the
  others count 0 on the clip and its mirror image: a bridge counter counts no side raise);
- tempo 0.5x and 2x at the clip's own frame rate (`change_tempo`), and frame rates 10, 15 and
  60 fps at the clip's own tempo (`resample`, linear between recorded poses): the same count,
  on the target clips.

The real tracks are MediaPipe's, computed once per session by `pose_tracks` (conftest.py, shared
with test_accuracy_shared.py; POSECOUNT_TEST_TRACK_CACHE names a warm cache), hence `slow`. The
synthetic clips at the end run in the fast suite.

Where a tempo change is not the same exercise for a rule that is in seconds by design, the case
is skipped with the reason (computed from the clip, never by name):
- a faster tempo at the same frame rate is the original movement seen at fps / tempo; taken
  below 10 fps (the low end of the frame-rate range) there is too little left to count;
- tracking gaps are bridged up to `tracking.max_gap_s` (issue 5): a gap that a tempo change
  stretches over, or shrinks under, that limit is a different clip;
- an attempt that lasts at least `min_rep_s` but would last less at the new tempo is rejected
  as too fast by design.
Clips that still break invariance are strict expected failures (KNOWN_BREAKS): the test turns
red once a change fixes them, until the entry is removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from calibration.evaluate import EXERCISES, Clip, clip_from_truth, clips_from_labels
from posecount.analysis.analyzer import analyze_track
from posecount.pose.tracks import PoseTrack, TrackRecorder
from posecount.pose.transforms import change_tempo, mirror, resample
from posecount.settings import load_settings
from tests import synth
from tests.conftest import FIXTURE_VIDEOS, SHARED_VIDEOS

TEMPOS = (0.5, 2.0)
FRAME_RATES = (10.0, 15.0, 60.0)
MIN_EFFECTIVE_FPS = 10.0
SWAP = {"left": "right", "right": "left", None: None}

# (clip, variant) -> why it still breaks invariance. Strict: a fix turns the test red.
KNOWN_BREAKS: dict[tuple[str, str], str] = {
    ("clamshell_cur_1", "tempo 2.0"): (
        "issue 15: the 6th clamshell closes in the clip's last tenths of a second (87 % down at the "
        "last frame); at double tempo fewer frames of its lowering remain and the end-of-source check "
        "cannot tell it from a knee left open: 6 -> 5"),
}


# --- the clips ------------------------------------------------------------------------------

def _shared_clips() -> list[Clip]:
    path = SHARED_VIDEOS / "labels.json"
    return clips_from_labels(json.loads(path.read_text()), SHARED_VIDEOS) if path.is_file() else []


def _fixture_clips() -> list[Clip]:
    clips = []
    for truth_path in sorted(FIXTURE_VIDEOS.glob("*.json")):
        if truth_path.name.endswith(".check.json") or not truth_path.with_suffix(".mp4").exists():
            continue
        clips.append(clip_from_truth(truth_path.with_suffix(".mp4"), json.loads(truth_path.read_text())))
    return clips


CLIPS = {c.name: c for c in [*_fixture_clips(), *_shared_clips()]}


def _marks(clip: Clip, variant: str = "") -> list:
    marks = [pytest.mark.slow]  # MediaPipe, unless the session's cache is warm
    if Path(clip.path).parent == SHARED_VIDEOS:
        marks.append(pytest.mark.shared)
    if (clip.name, variant) in KNOWN_BREAKS:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BREAKS[(clip.name, variant)]))
    return marks


MIRROR_CASES = [pytest.param(c.name, ex, id=f"{c.name}-{ex}", marks=_marks(c, "mirror"))
                for c in CLIPS.values() for ex in EXERCISES]
OTHER_COUNTER_CASES = [pytest.param(c.name, ex, id=f"{c.name}-{ex}", marks=_marks(c, "other counter"))
                       for c in CLIPS.values() for ex in EXERCISES if ex != c.exercise]
TEMPO_CASES = [pytest.param(c.name, k, id=f"{c.name}-{k}x", marks=_marks(c, f"tempo {k}"))
               for c in CLIPS.values() if c.exercise for k in TEMPOS]
FPS_CASES = [pytest.param(c.name, f, id=f"{c.name}-{f:g}fps", marks=_marks(c, f"{f:g} fps"))
             for c in CLIPS.values() if c.exercise for f in FRAME_RATES]


# --- analyses, each done once ---------------------------------------------------------------

@dataclass(frozen=True)
class Counted:
    count: int
    sides: list[str | None]
    result: object


class Analyses:
    """Analyses of a clip's track and its variants, memoised for the module."""

    def __init__(self, tracks) -> None:
        self.tracks = tracks
        self._done: dict[tuple[str, str, str], Counted] = {}

    def track(self, name: str) -> PoseTrack:
        clip = CLIPS[name]
        if Path(clip.path).parent == SHARED_VIDEOS and not Path(clip.path).exists():
            pytest.skip("../shared/videos is not beside the project")
        return self.tracks.track(clip)

    def __call__(self, name: str, exercise: str, variant: str = "original") -> Counted:
        key = (name, exercise, variant)
        if key not in self._done:
            track = self.track(name)
            if variant == "mirror":
                track = mirror(track)
            elif variant.startswith("tempo "):
                track = change_tempo(track, float(variant.split()[1]))
            elif variant.endswith(" fps"):
                track = resample(track, float(variant.split()[0]))
            res = analyze_track(track, exercise)
            self._done[key] = Counted(res.count, [r.side for r in res.reps], res)
        return self._done[key]


@pytest.fixture(scope="module")
def analysed(pose_tracks) -> Analyses:
    return Analyses(pose_tracks)


# --- when a tempo change is a different exercise by design ------------------------------------

def _unusable_runs(res) -> list[float]:
    """Spans (first to last frame) of the runs of frames the counter could not use."""
    t, bad = res.trace.t_s, np.isnan(res.trace.raw)
    spans, start = [], None
    for i in range(len(t)):
        if bad[i] and start is None:
            start = i
        if start is not None and (not bad[i] or i == len(t) - 1):
            end = i if bad[i] else i - 1
            spans.append(float(t[end] - t[start]))
            start = None
    return spans


def tempo_not_comparable(track: PoseTrack, res, exercise: str, tempo: float) -> str | None:
    """Why the clip at `tempo` is not the same exercise for the counter's rules (None: it is)."""
    settings = load_settings()
    if tempo > 1 and track.fps / tempo < MIN_EFFECTIVE_FPS:
        return (f"at {tempo}x and {track.fps:.3g} fps the movement is sampled as at {track.fps / tempo:.3g} fps, "
                f"below {MIN_EFFECTIVE_FPS:g}")
    limits = {"tracking.max_gap_s": settings.tracking.max_gap_s,
              "counter.resume_gap_max_s": settings.counter.resume_gap_max_s,
              "counter.attempt_gap_max_s": settings.counter.attempt_gap_max_s,
              "step_up.climb_gap_max_s": settings.step_up.climb_gap_max_s}
    for span in _unusable_runs(res):
        for name, limit in limits.items():
            if (span > limit) != (span / tempo > limit):
                return (f"a {span:.2f} s tracking gap becomes {span / tempo:.2f} s: the other side of the "
                        f"{limit} s gap rule ({name})")
    min_rep = getattr(getattr(settings, exercise.replace("-", "_")), "min_rep_s", 0.0)
    if tempo > 1 and min_rep > 0:
        for a in [*res.reps, *res.rejected]:
            d = a.end_s - a.start_s
            if d >= min_rep > d / tempo:
                return f"a {d:.2f} s attempt becomes {d / tempo:.2f} s, under min_rep_s = {min_rep} s"
    return None


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "exercise"), MIRROR_CASES)
def test_mirror_image_counts_the_same_with_sides_swapped(analysed, name, exercise):
    orig, mir = analysed(name, exercise), analysed(name, exercise, "mirror")
    assert (mir.count, mir.sides) == (orig.count, [SWAP[s] for s in orig.sides]), (
        f"{name} as {exercise}: {orig.count} {orig.sides}, mirrored {mir.count} {mir.sides}")


@pytest.mark.parametrize(("name", "exercise"), OTHER_COUNTER_CASES)
def test_other_counters_count_nothing(analysed, name, exercise):
    """Specificity on every clip, the targets of other counters included (issue 15)."""
    found = analysed(name, exercise)
    assert found.count == 0, f"{name} ({CLIPS[name].exercise or 'no exercise'}) counted {found.count} as {exercise}"


@pytest.mark.parametrize(("name", "tempo"), TEMPO_CASES)
def test_tempo_does_not_change_the_count(analysed, name, tempo):
    ex = CLIPS[name].exercise
    orig = analysed(name, ex)
    why = tempo_not_comparable(analysed.track(name), orig.result, ex, tempo)
    if why:
        pytest.skip(why)
    changed = analysed(name, ex, f"tempo {tempo:g}")
    assert changed.count == orig.count, f"{name} at {tempo}x: {changed.count}, at 1x: {orig.count}"


@pytest.mark.parametrize(("name", "fps"), FPS_CASES)
def test_frame_rate_does_not_change_the_count(analysed, name, fps):
    ex = CLIPS[name].exercise
    orig, changed = analysed(name, ex), analysed(name, ex, f"{fps:g} fps")
    assert changed.count == orig.count, f"{name} at {fps:g} fps: {changed.count}, as filmed: {orig.count}"


def test_every_clip_is_checked():
    """Nothing silently left out: every fixture (and every shared clip, when present) has cases."""
    names = {p.values[0] for p in MIRROR_CASES}
    fixtures = {p.stem for p in FIXTURE_VIDEOS.glob("*.mp4")}
    assert fixtures and fixtures <= names
    if (SHARED_VIDEOS / "labels.json").is_file():
        labelled = {e["file"].rsplit(".", 1)[0] for e in json.loads((SHARED_VIDEOS / "labels.json").read_text())}
        assert labelled <= names
    assert {n for n, _ in KNOWN_BREAKS} <= set(CLIPS) or not (SHARED_VIDEOS / "labels.json").is_file()


# --- synthetic clips (fast suite) -----------------------------------------------------------

def _as_track(frames, fps: float) -> PoseTrack:
    rec = TrackRecorder(frames[0][1].image_wh if frames[0][1] else (640, 480), fps)
    for t, pose in frames:
        rec.add(t, pose)
    return rec.build()


SYNTH_FPS = 24.0  # every variant frame rate (10, 15, 60) is a real resampling
SYNTHETIC = {  # name: (frames, exercise, count); two reps each, to stay fast
    "bridge": (lambda: synth.bridge_clip(2, fps=SYNTH_FPS, jitter_px=1.0, hold_s=3.0), "bridge", 2),
    "bridge-single-leg-left": (lambda: synth.render(synth.bridge_reps(2, hold_s=3.0), synth.bridge_pose,
                                                    fps=SYNTH_FPS, fixed={"stretch": "left"}), "bridge", 2),
    "side-raise-lying-left": (lambda: synth.side_clip(2, lying_on="left", fps=SYNTH_FPS, jitter_px=1.0),
                              "side-raise", 2),
    "side-raise-lying-right": (lambda: synth.side_clip(2, lying_on="right", fps=SYNTH_FPS), "side-raise", 2),
    "step-up-side": (lambda: synth.step_clip(2, fps=SYNTH_FPS, jitter_px=1.0), "step-up", 2),
    "step-up-front-right-lead": (lambda: synth.step_clip(2, view="front", fps=SYNTH_FPS, lead="right"),
                                 "step-up", 2),
}


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_synthetic_clips_are_counted_alike_mirrored_faster_slower_and_at_any_frame_rate(name):
    make, exercise, expected = SYNTHETIC[name]
    track = _as_track(make(), SYNTH_FPS)
    orig = analyze_track(track, exercise)
    assert orig.count == expected
    mir = analyze_track(mirror(track), exercise)
    assert [SWAP[r.side] for r in orig.reps] == [r.side for r in mir.reps]
    assert mir.count == expected
    for tempo in TEMPOS:
        assert analyze_track(change_tempo(track, tempo), exercise).count == expected, f"tempo {tempo}"
    for fps in FRAME_RATES:
        assert analyze_track(resample(track, fps), exercise).count == expected, f"{fps} fps"


def test_the_mirror_swaps_the_side_a_synthetic_person_lies_on():
    """The synthetic mirror camera keeps the labels (an image flip); the track mirror is a real
    mirror: the person lying on the left becomes one lying on the right."""
    left = _as_track(synth.side_clip(2, lying_on="left", fps=15.0), 15.0)
    res = analyze_track(mirror(left), "side-raise")
    assert res.count == 2 and {r.side for r in res.reps} == {"right"}
    assert res.sides == {"left": 0, "right": 2, "unknown": 0}
