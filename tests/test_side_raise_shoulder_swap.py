"""The side raise's trunk-roll rule against MediaPipe swapping the shoulders' labels."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests import synth
from tests.synth import CAM_SIDE, render, run, side_lying_pose


def _shoulders_swapped(pose, keep_depth: bool):
    """The same pose with the shoulders' labels swapped, as MediaPipe does in some frames seen
    from behind: the image points trade places; in the world the line flips, whole or (the
    depth kept) in x and y only."""
    from posecount.pose.landmarks import Landmark as L

    sh = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]
    xy, w = pose.image_xy.copy(), pose.world_xyz.copy()
    xy[sh] = xy[sh[::-1]]
    swapped = w[sh[::-1]].copy()
    if keep_depth:
        swapped[:, 2] = w[sh][:, 2]
    w[sh] = swapped
    return replace(pose, image_xy=xy, world_xyz=w)


@pytest.mark.parametrize("keep_depth", [False, True], ids=["whole_line", "depth_kept"])
def test_shoulder_labels_swapped_while_the_leg_is_down_is_no_roll(keep_depth):
    # sweep2015 (filmed from behind): in the rest frames the shoulder line read ~100 deg away
    # from the top's, the upper shoulder labelled as the lower one, and both genuine raises
    # were rejected as "the trunk rolled". Which shoulder is on top cannot change while lying
    # on the side, so frames with the other one on top are not compared.
    keys = synth.side_raise_reps(2, open_deg=25.0)
    frames = render(keys, side_lying_pose, cam=CAM_SIDE, fixed={"lying_on": "left"}, jitter_px=0.5)
    swapped = [(t, _shoulders_swapped(p, keep_depth) if synth.sample(keys, t)["abduction_deg"] < 5.0 else p)
               for t, p in frames]
    result, _ = run(swapped, "side-raise")
    assert result.count == 2
