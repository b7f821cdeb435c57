"""posecount's counting policy, in one place.

A movement that is the exercise and comes back to the start position is **counted**. What
falls short of the leaflet (not quite in line, a short hold, a fast lowering, the leg put
down between raises, a clamshell instead of lifting the whole leg ...) is a **flag on that
counted repetition**, never a reason to leave it out: a patient told "3" after doing 4 stops
trusting the coach. Not counted are only:

- movements that are **not this exercise** (another posture, a jerk too brief to be a
  movement, walking towards the camera);
- **shallow** rises that do not come most of the way to the person's own top (the counting
  level is learnt from the person's rest position and their rise; for the bridge a rise short
  of it still counts, flagged "not_high_enough", from `top_frac` of the way to the median of
  the person's counted bridges, see counter.py);
- **incomplete** ones: no return to the start (the video ended, tracking was lost);
- what the **leaflet's own definition excludes**: a step-up with both feet together ("both
  feet up one at a time, then both down one at a time").

A physiotherapist may ask for `strict` counting: then only repetitions without any flag
count, and the flagged ones are listed as not counted ("strict", with their flags).
"""

from __future__ import annotations

from dataclasses import replace

from posecount.analysis.events import Rejected
from posecount.analysis.result import AnalysisResult

NOT_THE_EXERCISE = "not the exercise"
SHALLOW = "shallow"
INCOMPLETE = "incomplete"
EXCLUDED_BY_LEAFLET = "excluded by the leaflet"
STRICT = "strict"

# Every reason a counter may give for not counting an attempt, and the policy's ground for it.
NOT_COUNTED: dict[str, str] = {
    "posture": NOT_THE_EXERCISE,
    "too_fast": NOT_THE_EXERCISE,  # shorter than a repetition can be: a jerk or a tracking glitch
    "moved_away_or_closer": NOT_THE_EXERCISE,  # the body's size changed: walking, not stepping up
    "foot_up_and_back": NOT_THE_EXERCISE,  # one foot lifted and put back: no step onto the step
    "not_high_enough": SHALLOW,
    "too_small": SHALLOW,
    "ended_before_down": INCOMPLETE,
    "ended_mid_rise": INCOMPLETE,
    "ended_mid_step": INCOMPLETE,
    "ended_on_step": INCOMPLETE,
    "tracking_lost": INCOMPLETE,
    "feet_together": EXCLUDED_BY_LEAFLET,
    "strict": STRICT,
}


def ground(reason: str) -> str:
    """Why an attempt with this rejection reason is not counted (KeyError: a reason outside the policy)."""
    return NOT_COUNTED[reason]


def strict(result: AnalysisResult) -> AnalysisResult:
    """The result with only the repetitions that meet every rule; flagged ones become not counted."""
    kept = [r for r in result.reps if not r.flags]
    dropped = [Rejected("strict", r.start_s, r.end_s, r.peak, r.side, ", ".join(r.flags))
               for r in result.reps if r.flags]
    renumbered = [replace(r, index=i) for i, r in enumerate(kept, start=1)]
    rejected = sorted([*result.rejected, *dropped], key=lambda a: a.start_s)
    return replace(result, reps=renumbered, rejected=rejected, counting="strict")
