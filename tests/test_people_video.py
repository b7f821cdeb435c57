"""Two people in a video, through MediaPipe (slow): the fixture bridge with a helper kneeling at the knees.

The clip is rendered on the fly (`calibration.scenarios.FX_PEOPLE`: the committed fixture
`fx_bridge_side` with a second figure); in it MediaPipe's one-person landmarker follows the helper.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from posecount.pipeline import analyze
from posecount.pose.persons import look

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "videos"


@pytest.fixture(scope="module")
def two_people(tmp_path_factory) -> Path:
    from calibration.render import render
    from calibration.scenarios import by_name

    video, _ = render(by_name("fx_bridge_helper_kneeling"), tmp_path_factory.mktemp("people"))
    return video


def test_the_patients_bridges_are_counted_and_the_helper_is_not_followed(two_people):
    run = analyze(two_people, exercise="bridge", keep_track=True)
    alone = json.loads((FIXTURES / "fx_bridge_side.json").read_text())
    assert run.reps == alone["expected_reps"] == 2  # as on the fixture without the helper
    assert any(w.startswith("several people were in view") for w in run.to_dict()["warnings"])
    tilts = np.array([look(p).tilt for _, p in run.track.frames() if p is not None])
    assert np.mean((tilts > 55) & (tilts < 125)) > 0.85  # lying down: the patient, not the kneeling helper
