"""The labelled synthetic clips: every scenario the issue asks for, and the small committed fixtures.

A scenario is a motion script plus how it is filmed. Names say what happens, so a failing
clip in the evaluation table explains itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from calibration.mannequin.body import BodySize
from calibration.mannequin.motion import EXERCISES, MotionScript
from calibration.mannequin.scene import Effects

PORTRAIT = (480, 854)
HD = (1280, 720)

# Views from which an exercise cannot be measured: filmed from the feet, the hip angle of a
# bridge and the opening of the legs in a side raise lie along the camera's line of sight.
# The correct answer there is no count and a warning that says why (issue: "warn honestly
# when the camera view does not allow a measurement ... instead of counting noise").
# A side raise seen from the feet is measurable (issue 15: "the side raise from every view"): the
# top knee rises across the image, square to the line of sight.
UNMEASURABLE_VIEWS = {"bridge": frozenset({"feet"})}


@dataclass(frozen=True)
class Companion:
    """A second person in the scene (a helper, a bystander): drawn, never counted."""

    script: MotionScript  # "stand" or "walk"
    offset_m: tuple[float, float] = (0.5, -1.0)  # x, z on the floor, added after turning
    turn_deg: float = 0.0  # about the vertical (0: faces +x like every standing figure)
    body: BodySize = field(default_factory=BodySize)
    look_seed: int = 977


@dataclass(frozen=True)
class Scenario:
    """One clip: what the person does and how the camera sees it."""

    name: str
    script: MotionScript
    view: str = "side"
    width: int = 640
    height: int = 480
    fps: float = 30.0
    seed: int = 0
    effects: Effects = field(default_factory=Effects)
    body: BodySize = field(default_factory=BodySize)
    look_seed: int | None = None  # clothing and room colours; defaults to the seed
    fixture: bool = False  # small enough to commit under tests/fixtures/videos
    companion: Companion | None = None  # a second person in view
    # ((target x, y), distance, camera height) in metres instead of the activity's framing: e.g. a
    # camera close and low enough to leave the head out of the frame
    framing: tuple[tuple[float, float], float, float] | None = None
    camera_height_m: float | None = None  # None: the activity's usual height (render.py)
    distance_scale: float = 1.0  # times the activity's usual camera distance

    @property
    def exercise(self) -> str | None:
        return self.script.exercise if self.script.exercise in EXERCISES else None

    @property
    def activity(self) -> str:
        return self.script.exercise

    @property
    def measurable(self) -> bool:
        """Whether a counter can see the exercise from this view (else: 0 reps and a warning)."""
        return self.view not in UNMEASURABLE_VIEWS.get(self.exercise or "", frozenset())


def _b(**kw) -> MotionScript:
    return MotionScript("bridge", **kw)


def _s(**kw) -> MotionScript:
    kw.setdefault("hold_s", 3.0)
    kw.setdefault("rise_s", 1.2)
    kw.setdefault("lower_s", 1.8)
    kw.setdefault("pause_s", 0.8)
    return MotionScript("side-raise", **kw)


def _u(**kw) -> MotionScript:
    kw.setdefault("hold_s", 0.6)
    kw.setdefault("rise_s", 1.8)
    kw.setdefault("lower_s", 1.8)
    kw.setdefault("pause_s", 0.7)
    return MotionScript("step-up", **kw)


SHAKY = Effects(noise_sigma=3.0, blur_px=1.0, shake_px=3.0, light_change=0.25)
PHONE = Effects(noise_sigma=2.5, shake_px=1.5)  # a hand-held phone

FULL: tuple[Scenario, ...] = (
    # bridge
    Scenario("bridge_3reps_holds_5_10", _b(reps=3, hold_s=(5.0, 7.5, 10.0)), seed=1),
    Scenario("bridge_12reps_short_holds", _b(reps=12, hold_s=2.0, rise_s=1.0, lower_s=1.5, pause_s=1.0), seed=2),
    Scenario("bridge_slow_lowering", _b(reps=3, hold_s=5.0, lower_s=4.0), seed=3),
    Scenario("bridge_fast_lowering", _b(reps=3, hold_s=5.0, lower_s=0.6), seed=4),
    Scenario("bridge_partial_rep", _b(reps=4, hold_s=5.0, faults={1: "partial"}), seed=5),
    Scenario("bridge_stretch_legs_variant", _b(reps=4, hold_s=6.0, variant="stretch-legs"), seed=6),
    # single-leg bridges, the free knee drawn up, left and right in turn (bridge_nd_3's kind)
    Scenario("bridge_single_leg_drawn_up", _b(reps=3, hold_s=3.0, variant="single-leg"), seed=47),
    Scenario("bridge_single_leg_drawn_up_portrait_oblique", _b(reps=3, hold_s=3.0, variant="single-leg"),
             view="oblique-30", width=PORTRAIT[0], height=PORTRAIT[1], seed=46, effects=PHONE),
    Scenario("bridge_other_side", _b(reps=3, hold_s=5.0), view="side-other", seed=7),
    Scenario("bridge_oblique_plus30", _b(reps=3, hold_s=5.0), view="oblique+30", seed=8),
    Scenario("bridge_oblique_minus30", _b(reps=3, hold_s=5.0), view="oblique-30", seed=9),
    Scenario("bridge_from_feet", _b(reps=3, hold_s=5.0), view="feet", seed=10),
    Scenario("bridge_portrait_phone", _b(reps=3, hold_s=6.0), width=PORTRAIT[0], height=PORTRAIT[1], seed=11,
             effects=Effects(noise_sigma=2.5, shake_px=1.5)),
    # Issue 15 "strict gates": a portrait phone held obliquely; the first bridge comes most of the way
    # up (~160 deg), the later ones to 170-175 deg. The first counts (flagged), a half-rise does not.
    Scenario("bridge_portrait_oblique_low_first", _b(reps=4, hold_s=5.0, lifts=(0.55, 0.78, 0.84, 0.8),
                                                     faults={0: "low"}),
             view="oblique+30", width=PORTRAIT[0], height=PORTRAIT[1], seed=13, effects=PHONE),
    Scenario("bridge_portrait_oblique_low_first_feet_near",
             _b(reps=4, hold_s=5.0, lifts=(0.48, 0.7, 0.75, 0.72), knee_rest_deg=80.0, faults={0: "low"}),
             view="oblique-30", width=PORTRAIT[0], height=PORTRAIT[1], seed=14, effects=PHONE),
    Scenario("bridge_portrait_oblique_partial_first", _b(reps=4, hold_s=5.0, faults={0: "partial"}),
             view="oblique+30", width=PORTRAIT[0], height=PORTRAIT[1], seed=15, effects=PHONE),
    Scenario("bridge_hd_60fps_shaky", _b(reps=3, hold_s=5.0), width=HD[0], height=HD[1], fps=60, seed=12,
             effects=SHAKY, body=BodySize(scale=0.92, girth=1.2)),
    # side-lying leg raise
    Scenario("side_raise_left_3reps", _s(reps=3, side="left"), seed=21),
    Scenario("side_raise_right_3reps", _s(reps=3, side="right"), seed=22),
    Scenario("side_raise_straight_leg_variant", _s(reps=3, side="left", variant="straight-leg"), seed=23),
    Scenario("side_raise_leg_rested_between", _s(reps=4, side="right", faults={0: "leg_rested", 1: "leg_rested"}),
             seed=24),
    Scenario("side_raise_small_raises", _s(reps=5, side="left", faults={1: "small", 3: "small"}), seed=25),
    Scenario("side_raise_oblique_minus30", _s(reps=3, side="left"), view="oblique-30", seed=26),
    Scenario("side_raise_portrait_shaky", _s(reps=3, side="right"), width=PORTRAIT[0], height=PORTRAIT[1],
             seed=27, effects=SHAKY, body=BodySize(scale=1.08)),
    # step-up
    Scenario("step_up_lead_right_side", _u(reps=5, side="right"), seed=31),
    Scenario("step_up_lead_left_side", _u(reps=5, side="left"), view="side-other", seed=32),
    Scenario("step_up_3x10_with_rests", _u(reps=10, sets=3, rest_s=8.0, side="right", rise_s=1.4, lower_s=1.4,
                                           pause_s=0.4), seed=33),
    Scenario("step_up_one_foot_only", _u(reps=5, side="right", faults={1: "one_foot_only", 3: "one_foot_only"}),
             seed=34),
    Scenario("step_up_feet_together", _u(reps=4, side="left", faults={2: "feet_together"}), seed=35),
    Scenario("step_up_front_view", _u(reps=5, side="right"), view="front", seed=36),
    # Issue 15: a low step (10 cm, ~0.11 leg lengths) from the side and the front, and a camera so
    # close and low that the head is out of the frame (and the shoulders too, on the step).
    Scenario("step_up_low_step_10cm", _u(reps=5, side="left", step_m=0.10), seed=38),
    Scenario("step_up_low_step_10cm_front", _u(reps=5, side="right", step_m=0.10, faults={2: "feet_together"}),
             view="front", seed=39),
    Scenario("step_up_front_feet_together", _u(reps=4, side="left", faults={1: "feet_together"}), view="front",
             seed=30),
    Scenario("step_up_front_head_out_of_frame", _u(reps=4, side="right"), view="front", seed=40,
             framing=((0.22, 0.62), 1.9, 0.62)),
    # Seen from the front with the camera above hip height, a foot stepping onto the step comes
    # towards the camera and hardly rises in the image (kept from the held-out sweeps:
    # sweep11010, a 15 cm step, counted 0 of 3 as feet together; sweep10007, a 10 cm step with the
    # camera close and looking down, 1 of 5 as feet up and back).
    Scenario("step_up_front_camera_above", _u(reps=3, side="left", step_m=0.15, hold_s=1.2, rise_s=1.9,
                                              lower_s=2.0, pause_s=0.45), view="front", seed=11010,
             camera_height_m=1.09, distance_scale=0.92, body=BodySize(scale=1.08, girth=0.94),
             effects=Effects(noise_sigma=1.3, blur_px=1.0, light_change=0.1)),
    Scenario("step_up_front_low_step_close_camera", _u(reps=5, side="left", step_m=0.10, hold_s=1.25, rise_s=1.75,
                                                       lower_s=2.2, pause_s=0.75), view="front", width=HD[0],
             height=HD[1], fps=15, seed=10007, camera_height_m=1.36, body=BodySize(scale=1.06, girth=0.9),
             effects=Effects(noise_sigma=1.9, blur_px=1.0, light_change=0.24)),
    Scenario("step_up_oblique_hd_60fps", _u(reps=5, side="left"), view="oblique+30", width=HD[0], height=HD[1],
             fps=60, seed=37, effects=SHAKY),
    # non-targets: zero reps for every counter
    Scenario("negative_standing_still", MotionScript("stand", duration_s=12.0), seed=41),
    Scenario("negative_walking_across", MotionScript("walk", duration_s=7.0), seed=42),
    Scenario("negative_lying_still", MotionScript("lie", duration_s=15.0), seed=43),
    # on the back, a knee drawn to the chest and put down, left and right in turn, the pelvis down
    Scenario("negative_knees_to_chest", MotionScript("lie", duration_s=16.0, variant="knees-to-chest"), seed=45),
    Scenario("negative_squats", MotionScript("squat", duration_s=14.0), seed=44),
)

# The side raise from every view (issue 15, items 3 and 7): bent-leg raises seen from the front (the
# camera facing the chest), from behind and from the feet; the straight-leg variant hovering a few
# degrees above the other leg between raises (the leaflet's "lower without resting it": each raise
# counts); the leg put down between 4 raises (4, flagged); a clamshell (counted as the bent-leg
# raise); a person fidgeting on the side (0 reps). Camera height from the floor to a table top
# looking down, distance and amplitude (25-50 deg of abduction) vary, so that what is learnt is
# the view, not one framing.
SIDE_VIEWS: tuple[Scenario, ...] = (
    Scenario("side_raise_bent_front_floor_45", _s(reps=3, side="left", top_deg=45.0), seed=61,
             camera_height_m=0.25),
    Scenario("side_raise_bent_front_table_30", _s(reps=3, side="right", top_deg=30.0), seed=62,
             camera_height_m=1.3, distance_scale=0.85),
    Scenario("side_raise_bent_behind_45", _s(reps=3, side="left", top_deg=45.0), view="side-other", seed=63),
    Scenario("side_raise_bent_behind_table_far_25", _s(reps=4, side="right", top_deg=25.0), view="side-other",
             seed=64, camera_height_m=1.2, distance_scale=1.3),
    Scenario("side_raise_bent_feet_45", _s(reps=3, side="left", top_deg=45.0), view="feet", seed=65),
    Scenario("side_raise_bent_feet_low_35", _s(reps=3, side="right", top_deg=35.0), view="feet", seed=66,
             camera_height_m=0.45, distance_scale=0.9),
    Scenario("side_raise_straight_hover_front_35", _s(reps=4, side="left", variant="straight-leg", top_deg=35.0,
                                                      hover_deg=7.0), seed=67, camera_height_m=0.5),
    Scenario("side_raise_straight_hover_table_25", _s(reps=3, side="right", variant="straight-leg", top_deg=25.0,
                                                      hover_deg=6.0), seed=68, camera_height_m=1.25,
             distance_scale=1.1),
    Scenario("side_raise_bent_put_down_4", _s(reps=4, side="left", top_deg=45.0,
                                              faults={0: "leg_rested", 1: "leg_rested", 2: "leg_rested"}),
             seed=69),
    Scenario("side_raise_clamshell_front_50", _s(reps=3, side="left", variant="clamshell", top_deg=50.0), seed=70,
             camera_height_m=0.6),
    Scenario("side_raise_clamshell_behind_high_35", _s(reps=3, side="right", variant="clamshell", top_deg=35.0),
             view="side-other", seed=71, camera_height_m=1.2),
    # Kept from the held-out sweeps (2026-12-02, sixth session). A straight-leg raise of a large
    # figure in a portrait frame (sweep9017: 2 of 3): the shoulders and hips stack less than the
    # posture limit while the leg is up, and MediaPipe loses the leg for 0.2 s in a hold.
    Scenario("side_raise_straight_portrait_stacked_low", _s(reps=3, side="left", variant="straight-leg",
                                                            top_deg=28.0, hover_deg=4.6, hold_s=3.0, rise_s=1.45,
                                                            lower_s=0.9, pause_s=1.57),
             width=480, height=854, fps=30, seed=9017, camera_height_m=0.81,
             body=BodySize(scale=1.08, girth=1.17), effects=Effects(noise_sigma=3.3)),
    Scenario("negative_fidget_on_side", MotionScript("fidget", side="left", duration_s=20.0), seed=72),
    Scenario("negative_fidget_on_side_table", MotionScript("fidget", side="right", duration_s=20.0), seed=73,
             camera_height_m=1.3, distance_scale=0.9),
)

# A second person in view: the counter must follow the patient (issue 15). Not in FULL: rendered with
# `--people` (or `--scenario NAME`).
KNEELING_HELPER = Companion(MotionScript("kneel", duration_s=60.0), offset_m=(0.9, -0.7), turn_deg=150.0)
PEOPLE: tuple[Scenario, ...] = (
    Scenario("bridge_helper_kneeling", _b(reps=3, hold_s=5.0), seed=51, companion=KNEELING_HELPER),
    Scenario("side_raise_helper_kneeling", _s(reps=3, side="left"), seed=52,
             companion=Companion(MotionScript("kneel", duration_s=60.0), offset_m=(0.6, -0.75), turn_deg=200.0)),
    Scenario("step_up_bystander_standing", _u(reps=4, side="right"), seed=53,
             companion=Companion(MotionScript("stand", duration_s=60.0), offset_m=(-1.3, -0.6), turn_deg=-60.0)),
    Scenario("step_up_helper_walks_past", _u(reps=4, side="left"), seed=54,
             companion=Companion(MotionScript("walk", duration_s=20.0), offset_m=(0.0, -1.0))),
)

# Small clips committed as test fixtures: 640x480 or less, at most ~20 s.
FIXTURES: tuple[Scenario, ...] = (
    Scenario("fx_bridge_side", _b(reps=2, hold_s=5.0, rise_s=1.2, lower_s=2.0, pause_s=1.0, lead_in_s=1.0,
                                  tail_s=1.0), seed=101, fixture=True),
    Scenario("fx_bridge_partial_oblique", _b(reps=2, hold_s=5.0, rise_s=1.2, lower_s=2.0, pause_s=1.0,
                                             lead_in_s=1.0, tail_s=1.0, faults={1: "partial"}),
             view="oblique+30", seed=102, fixture=True),
    Scenario("fx_side_raise_left", _s(reps=3, side="left", lead_in_s=1.0, tail_s=1.0), seed=103, fixture=True),
    Scenario("fx_side_raise_right_straight_small", _s(reps=3, side="right", variant="straight-leg",
                                                      lead_in_s=1.0, tail_s=1.0, faults={1: "small"}),
             seed=104, fixture=True),
    Scenario("fx_step_up_side_one_foot", _u(reps=4, side="right", lead_in_s=1.0, tail_s=1.0,
                                            faults={2: "one_foot_only"}), seed=105, fixture=True),
    Scenario("fx_step_up_front_left", _u(reps=3, side="left", lead_in_s=1.0, tail_s=1.0), view="front",
             seed=106, fixture=True),
    Scenario("fx_negative_walking", MotionScript("walk", duration_s=7.0), seed=107, fixture=True),
    Scenario("fx_negative_squats", MotionScript("squat", duration_s=9.0), seed=108, fixture=True),
)

# The committed bridge fixture with a helper kneeling at the knees (rendered by the tests, not committed);
# in this look MediaPipe's one-person landmarker follows the helper from the first frame.
FX_PEOPLE: tuple[Scenario, ...] = (
    replace(FIXTURES[0], name="fx_bridge_helper_kneeling", fixture=False,
            companion=replace(KNEELING_HELPER, look_seed=11)),
)

ALL: tuple[Scenario, ...] = FULL + SIDE_VIEWS + FIXTURES + PEOPLE + FX_PEOPLE


def by_name(name: str) -> Scenario:
    for s in ALL:
        if s.name == name:
            return s
    raise KeyError(f"no scenario named {name!r}")


def with_resolution(s: Scenario, width: int, height: int) -> Scenario:
    return replace(s, width=width, height=height)
