"""Counting accuracy on the hand-counted real clips in ../shared/videos (slow: MediaPipe on every clip).

The same numbers `python -m calibration.evaluate ../shared/videos --labels …/labels.json` prints;
here they guard against a change that makes the counters worse on real people.
"""

from __future__ import annotations

import json

import pytest

from calibration.evaluate import TrackSource, clips_from_labels, evaluate

pytestmark = [pytest.mark.slow, pytest.mark.shared]


@pytest.fixture(scope="module")
def outcomes(shared_videos, tmp_path_factory):
    labels = json.loads((shared_videos / "labels.json").read_text())
    clips = clips_from_labels(labels, shared_videos)
    found, _ = evaluate(clips, TrackSource(tmp_path_factory.mktemp("tracks")))
    for o in found:
        print(f"{o.clip:24} {o.exercise:10} {'target' if o.target else 'other ':6} "
              f"expected {o.expected:2} counted {o.counted:2}{' (label uncertain)' if o.uncertain else ''}")
    return found


def test_no_repetitions_counted_in_other_exercises_and_negatives(outcomes):
    wrong = [(o.clip, o.exercise, o.counted) for o in outcomes if not o.target and o.counted]
    assert len([o for o in outcomes if not o.target]) >= 30  # 13 clips x 3 counters
    assert wrong == []


def test_target_clips_with_a_certain_label_are_counted_exactly(outcomes):
    certain = [o for o in outcomes if o.target and not o.uncertain]
    assert len(certain) >= 6
    off = [(o.clip, o.expected, o.counted) for o in certain if o.counted != o.expected]
    assert all(abs(c - e) <= 1 for _, e, c in off), off  # never off by more than one
    assert len(off) <= 0.1 * len(certain), off  # exact on at least 90 %
