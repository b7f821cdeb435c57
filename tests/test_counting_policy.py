"""The counting policy (posecount.analysis.policy): every reason not to count has a ground; --strict."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from posecount.analysis import policy
from posecount.cli import main
from posecount.pose.tracks import TrackRecorder
from posecount.report.texts import REJECTIONS
from tests import synth

PACKAGE = Path(__file__).resolve().parents[1] / "posecount"


def _reasons_in_the_code() -> set[str]:
    """Every string a counter passes as a rejection reason (to _reject, pause, or Verdict(reject=...))."""
    found: set[str] = set()
    for path in [*PACKAGE.glob("analysis/*.py"), *PACKAGE.glob("exercises/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):  # def pause(self, t_s, reason="tracking_lost")
                named = node.args.args[-len(node.args.defaults):] if node.args.defaults else []
                args = [d for a, d in zip(named, node.args.defaults) if a.arg == "reason"]
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                args = {"_reject": node.args[:1], "pause": node.args[1:2]}.get(name, [])
                args = [*args, *(k.value for k in node.keywords if k.arg in ("reject", "reason"))]
            else:
                continue
            for a in args:
                for c in ast.walk(a):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.islower():
                        found.add(c.value)
    return found


def test_every_reason_not_to_count_is_grounded_in_the_policy_and_worded_in_both_languages():
    reasons = _reasons_in_the_code()
    assert {"posture", "not_high_enough", "feet_together", "tracking_lost", "ended_before_down"} <= reasons
    assert reasons <= set(policy.NOT_COUNTED), reasons - set(policy.NOT_COUNTED)
    for lang in ("en", "nl"):
        assert set(policy.NOT_COUNTED) <= set(REJECTIONS[lang])
    assert policy.ground("feet_together") == policy.EXCLUDED_BY_LEAFLET


def _track(tmp_path: Path, frames) -> Path:
    rec = TrackRecorder((640, 480), 15.0, "clip.mp4", "pose_landmarker_full", "ab" * 32)
    for t_s, pose in frames:
        rec.add(t_s, pose, people=1)
    return rec.build([]).save(tmp_path / "run.npz")


def test_strict_counts_only_reps_that_meet_every_rule(tmp_path, capsys):
    # Three bridges held 2 s: every one counted, each flagged "hold_short" (the leaflet asks 5 s).
    track = _track(tmp_path, synth.bridge_clip(3, hold_s=2.0))
    assert main(["analyze", str(track), "--exercise", "bridge", "--json"]) == 0
    standard = json.loads(capsys.readouterr().out)
    assert standard["reps"] == 3 and standard["counting"] == "standard"
    assert all("hold_short" in r["flags"] for r in standard["repetitions"])
    assert main(["analyze", str(track), "--exercise", "bridge", "--json", "--strict"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert strict["reps"] == 0 and strict["counting"] == "strict"
    assert [r["reason"] for r in strict["rejected"]].count("strict") == 3
    assert all("hold_short" in r["detail"] for r in strict["rejected"] if r["reason"] == "strict")


def test_strict_keeps_and_renumbers_the_reps_without_flags(tmp_path, capsys):
    track = _track(tmp_path, synth.bridge_clip(2, hold_s=6.0))
    assert main(["analyze", str(track), "--exercise", "bridge", "--json", "--strict"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert strict["reps"] == 2 and [r["index"] for r in strict["repetitions"]] == [1, 2]
