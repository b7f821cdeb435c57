"""Pure scoring of rep counts against truth: per-clip outcomes and the totals of an evaluation.

No I/O, no model: numbers in, numbers out, so the metrics are unit-tested on hand-made data.

Definitions (the same as in the rep-counting literature where one exists):
- exact-count rate: share of target clips whose count equals the expected count;
- MAE: mean absolute count error over target clips;
- off-by-one rate (OBO): share of target clips whose count is within one of the expected count;
- hold error: |counted hold - true hold| per matched rep, seconds (reps matched by time
  overlap when both have times, else in order);
- false reps: reps counted on non-target clips, summed over the counters that were run;
- peak error: |counted peak - true peak| per matched rep, in the counter's unit (degrees of
  hip extension or thigh opening, leg lengths of foot height);
- side accuracy: share of matched reps whose side (side lain on, leading leg) is the true one,
  over the reps where both sides are known;
- form flags (where the truth lists them): per clip, the set of the leaflet's faults the truth
  has (`SCORED_FLAGS`, from every true rep, counted or not) against the set posecount reported
  (rep flags, rejection reasons, the stretched leg of the bridge's harder variant); flag
  recall = found / expected over all clips, false flags = reported but not true.

A clip filmed where the exercise cannot be measured (e.g. a bridge seen from the feet) expects
0 reps and a warning: it is exact only when both are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The faults and rules the synthetic truth labels, in posecount's own names.
SCORED_FLAGS = frozenset({"not_high_enough", "too_small", "hold_short", "lowered_fast", "leg_put_down", "clamshell",
                          "foot_up_and_back", "feet_together", "leg_stretched_left", "leg_stretched_right"})


@dataclass(frozen=True)
class RepTiming:
    """The part of a rep that scoring needs (true or counted)."""

    start_s: float | None
    end_s: float | None
    hold_s: float | None
    flags: tuple[str, ...] = ()
    side: str | None = None
    peak: float | None = None  # highest value of the counter's signal during the rep
    variant: str | None = None  # e.g. "leg-stretch" (the side is then the stretched leg)

    @property
    def form_flags(self) -> set[str]:
        """The rep's flags, plus the bridge's stretched leg as the truth names it."""
        extra = {f"leg_stretched_{self.side}"} if self.variant == "leg-stretch" and self.side else set()
        return set(self.flags) | extra


@dataclass(frozen=True)
class ClipOutcome:
    """One clip analysed as one exercise."""

    clip: str
    exercise: str  # the counter that ran
    target: bool  # the clip shows this exercise (False: a non-target clip for this counter)
    expected: int
    counted: int
    true_reps: tuple[RepTiming, ...] = ()  # the reps that should count
    counted_reps: tuple[RepTiming, ...] = ()
    rejected_reasons: tuple[str, ...] = ()
    frames: int = 0
    frames_with_pose: int = 0
    uncertain: bool = False  # the label says the count may be off
    expects_warning: bool = False  # the view does not allow a measurement: say so
    warned: bool = False  # the analysis gave at least one warning
    true_flags: frozenset[str] | None = None  # the truth's faults; None: the truth has none (hand labels)

    @property
    def error(self) -> int:
        return self.counted - self.expected

    @property
    def exact(self) -> bool:
        return self.error == 0 and (self.warned or not self.expects_warning)

    @property
    def hold_errors_s(self) -> list[float]:
        return [abs(c.hold_s - t.hold_s) for t, c in match_reps(self.true_reps, self.counted_reps)
                if c.hold_s is not None and t.hold_s is not None]

    @property
    def peak_errors(self) -> list[float]:
        return [abs(c.peak - t.peak) for t, c in match_reps(self.true_reps, self.counted_reps)
                if c.peak is not None and t.peak is not None]

    @property
    def side_hits(self) -> list[bool]:
        """Per matched rep with both sides known: whether the counted side is the true one."""
        return [c.side == t.side for t, c in match_reps(self.true_reps, self.counted_reps)
                if c.side and t.side]

    @property
    def expected_flags(self) -> list[str]:
        return sorted({f for r in self.true_reps for f in r.flags})

    @property
    def counted_flags(self) -> list[str]:
        return sorted({f for r in self.counted_reps for f in r.flags} | set(self.rejected_reasons))

    @property
    def reported_flags(self) -> frozenset[str]:
        """What posecount reported, in the truth's vocabulary (`SCORED_FLAGS` only)."""
        got = {f for r in self.counted_reps for f in r.form_flags} | set(self.rejected_reasons)
        return frozenset(got & SCORED_FLAGS)

    @property
    def flags_missed(self) -> list[str]:
        return sorted(self.true_flags - self.reported_flags) if self.true_flags is not None else []

    @property
    def flags_false(self) -> list[str]:
        return sorted(self.reported_flags - self.true_flags) if self.true_flags is not None else []


def _overlap(a: RepTiming, b: RepTiming) -> float:
    if None in (a.start_s, a.end_s, b.start_s, b.end_s):
        return 0.0
    return max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))  # type: ignore[type-var,operator]


def match_reps(true: tuple[RepTiming, ...] | list[RepTiming],
               counted: tuple[RepTiming, ...] | list[RepTiming]) -> list[tuple[RepTiming, RepTiming]]:
    """Pairs each true rep with at most one counted rep.

    With times on both sides: greedy by largest overlap (a pair must overlap). Without times
    (hand labels list only holds): in order, as far as the shorter list goes.
    """
    timed = all(r.start_s is not None and r.end_s is not None for r in [*true, *counted])
    if not timed:
        return list(zip(true, counted))
    cands = sorted(((_overlap(t, c), i, j) for i, t in enumerate(true) for j, c in enumerate(counted)),
                   reverse=True)
    used_t: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for ov, i, j in cands:
        if ov <= 0:
            break
        if i in used_t or j in used_c:
            continue
        used_t.add(i)
        used_c.add(j)
        pairs.append((i, j))
    return [(true[i], counted[j]) for i, j in sorted(pairs)]


@dataclass(frozen=True)
class Totals:
    """Scores over many clips; None where there was nothing to score."""

    target_clips: int
    exact_rate: float | None
    mae: float | None
    obo_rate: float | None
    mean_abs_hold_error_s: float | None
    non_target_runs: int
    false_reps: int
    clips_with_false_reps: int
    frames: int = 0
    pose_share: float | None = None
    frames_per_s: float | None = None
    side_accuracy: float | None = None
    mean_abs_peak_error: float | None = None
    flag_recall: float | None = None  # share of the truth's faults that were reported
    false_flags: int = 0  # faults reported that the truth does not have
    per_exercise: dict[str, Totals] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()
             if k != "per_exercise"}
        d["per_exercise"] = {k: v.to_dict() for k, v in self.per_exercise.items()}
        return d


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def summarize(outcomes: list[ClipOutcome], elapsed_s: float | None = None, by_exercise: bool = True) -> Totals:
    """Totals over clip outcomes. `elapsed_s`: processing time, for frames per second."""
    targets = [o for o in outcomes if o.target]
    others = [o for o in outcomes if not o.target]
    holds = [e for o in targets for e in o.hold_errors_s]
    flagged = [o for o in targets if o.true_flags is not None]
    n_true_flags = sum(len(o.true_flags or ()) for o in flagged)
    # A clip run through several counters is one clip's worth of frames.
    clip_frames = {o.clip: (o.frames, o.frames_with_pose) for o in outcomes}
    frames = sum(f for f, _ in clip_frames.values())
    per: dict[str, Totals] = {}
    if by_exercise:
        for ex in sorted({o.exercise for o in outcomes}):
            per[ex] = summarize([o for o in outcomes if o.exercise == ex], by_exercise=False)
    return Totals(
        target_clips=len(targets),
        exact_rate=_mean([float(o.exact) for o in targets]),
        mae=_mean([float(abs(o.error)) for o in targets]),
        obo_rate=_mean([float(abs(o.error) <= 1) for o in targets]),
        mean_abs_hold_error_s=_mean(holds),
        non_target_runs=len(others),
        false_reps=sum(o.counted for o in others),
        clips_with_false_reps=len({o.clip for o in others if o.counted > 0}),
        frames=frames,
        pose_share=(sum(p for _, p in clip_frames.values()) / frames) if frames else None,
        frames_per_s=(frames / elapsed_s) if elapsed_s and frames else None,
        side_accuracy=_mean([float(h) for o in targets for h in o.side_hits]),
        # Units differ between counters (degrees, leg lengths): one counter's clips only.
        mean_abs_peak_error=(_mean([e for o in targets for e in o.peak_errors])
                             if len({o.exercise for o in targets}) == 1 else None),
        flag_recall=(1.0 - sum(len(o.flags_missed) for o in flagged) / n_true_flags if n_true_flags else None),
        false_flags=sum(len(o.flags_false) for o in flagged),
        per_exercise=per,
    )
