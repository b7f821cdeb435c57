"""Typed, frozen settings for the analysis core, loaded from the packaged `config/thresholds.toml`.

The TOML is the single source of the numbers (each commented with its origin); the
defaults below only mirror it so that a missing key never silently changes behaviour:
`load_settings` rejects unknown keys and fills missing ones from these defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from posecount import config
from posecount.errors import InputError

DEFAULT_PATH = Path(__file__).resolve().parent / "config" / config.THRESHOLDS  # the packaged copy


@dataclass(frozen=True)
class TrackingSettings:
    min_quality: float = 0.5
    max_gap_s: float = 0.5
    unusable_warn_fraction: float = 0.3
    set_break_s: float = 12.0
    auto_decide_s: float = 3.0
    median_window_s: float = 0.15
    median_min_readings: float = 3.0
    frame_margin_frac: float = 0.02
    min_in_plane_frac: float = 0.45
    posture_warn_frac: float = 0.5
    turned_warn_frac: float = 0.5
    sideways_tilt_deg: float = 60.0


@dataclass(frozen=True)
class CounterSettings:
    """The rise counter's own timings, shared by the one-signal exercises (bridge, side raise)."""

    rest_window_s: float = 8.0
    rest_pct: float = 20.0
    rest_min_readings: float = 5.0
    typical_rise_frac: float = 0.5
    idle_keep_s: float = 2.0
    hover_base_max_frac: float = 0.5
    close_timeout_s: float = 1.0
    resume_gap_max_s: float = 1.0
    arm_still_s: float = 1.0
    attempt_gap_max_s: float = 1.0
    arm_still_frac: float = 0.25
    rest_still_s: float = 0.3
    closing_turn_frac: float = 0.1
    settled_s: float = 0.2
    settled_drop_frac: float = 0.1
    plateau_smooth_s: float = 0.5
    plateau_slope_window_s: float = 0.5


@dataclass(frozen=True)
class RiseSettings:
    """Thresholds of a one-signal exercise whose value rises at the top (bridge, side raise)."""

    min_cutoff_hz: float
    beta: float
    d_cutoff_hz: float
    rest_default_deg: float
    rest_min_deg: float
    rest_max_deg: float
    count_rise_deg: float
    count_min_deg: float
    count_max_deg: float
    start_frac: float
    abort_frac: float
    end_frac: float
    near_rest_frac: float
    report_min_frac: float
    hold_hysteresis_deg: float
    hold_level_frac: float
    hold_still_frac: float
    hold_min_s: float
    hold_max_s: float
    lower_min_s: float
    min_rep_s: float
    posture_min_frac: float
    # A rise short of the counting level counts (flagged) from this share of the way to the
    # person's own top; 0: off (see analysis/counter.py).
    top_frac: float = 0.0
    # Once the person's own top is known (the median peak of their last counted reps), the
    # counting level is this share of the way from the rest to it, and at least
    # `count_top_min_rise_deg` above the rest; 0: off (rest + count_rise_deg throughout).
    count_top_frac: float = 0.0
    count_top_min_rise_deg: float = 0.0
    # A rep below its end level ends only once it stayed down this long or reached the rest;
    # back up at its hold sooner, the hold goes on (a mix-up; analysis/lowering.py); 0: off.
    min_dip_s: float = 0.0
    min_lower_to_rest_s: float = 0.0


@dataclass(frozen=True)
class BridgeSettings(RiseSettings):
    min_cutoff_hz: float = 1.5
    beta: float = 0.015
    d_cutoff_hz: float = 1.0
    rest_default_deg: float = 130.0
    rest_min_deg: float = 95.0
    rest_max_deg: float = 150.0
    count_rise_deg: float = 30.0
    count_min_deg: float = 158.0
    count_max_deg: float = 166.0
    start_frac: float = 0.3
    abort_frac: float = 0.15
    end_frac: float = 0.5
    near_rest_frac: float = 0.15
    report_min_frac: float = 0.55
    hold_hysteresis_deg: float = 4.0
    hold_level_frac: float = 0.85
    hold_still_frac: float = 0.0
    hold_min_s: float = 5.0
    hold_max_s: float = 10.0
    lower_min_s: float = 0.5
    min_rep_s: float = 0.8
    posture_min_frac: float = 0.6
    knee_bent_max_deg: float = 145.0
    knee_offset_min: float = 0.3
    hip_offset_min: float = -0.35
    side_stacked_min: float = 0.35
    side_lift_min: float = 0.1
    side_trunk_turn_min_deg: float = 6.0
    stretch_knee_min_deg: float = 140.0
    stretch_diff_deg: float = 25.0
    stretch_min_share: float = 0.25
    support_diff_deg: float = 35.0
    lifted_hip_diff_deg: float = 25.0
    drawn_swap_min_frac: float = 0.1
    stretch_misread_min_s: float = 2.0
    side_view_ratio_max: float = 0.6
    top_frac: float = 0.58


@dataclass(frozen=True)
class SideRaiseSettings(RiseSettings):
    min_cutoff_hz: float = 1.5
    beta: float = 0.02
    d_cutoff_hz: float = 1.0
    rest_default_deg: float = 0.0
    rest_min_deg: float = -30.0
    rest_max_deg: float = 25.0
    count_rise_deg: float = 15.0
    count_min_deg: float = 0.0
    count_max_deg: float = 40.0
    start_frac: float = 0.35
    abort_frac: float = 0.2
    end_frac: float = 0.5
    near_rest_frac: float = 0.25
    report_min_frac: float = 0.45
    hold_hysteresis_deg: float = 3.0
    hold_level_frac: float = 0.85
    hold_still_frac: float = 0.0
    hold_min_s: float = 3.0
    hold_max_s: float = 0.0
    lower_min_s: float = 0.5
    min_rep_s: float = 1.0
    posture_min_frac: float = 0.6
    count_top_frac: float = 0.5
    count_top_min_rise_deg: float = 8.0
    put_down_margin_deg: float = 3.0
    put_down_min_s: float = 0.3
    trunk_horizontal_max_deg: float = 45.0
    knee_bent_max_deg: float = 150.0
    hip_flexed_max_deg: float = 165.0
    straight_knee_min_deg: float = 150.0
    stacked_min: float = 0.35
    stacked_sideways_min: float = 0.25
    knee_sideways_min: float = 0.75
    max_open_deg: float = 90.0
    front_view_ratio_min: float = 0.35
    along_body_ratio_max: float = 2.0
    along_trunk_max_hips: float = 1.5
    stacked_tilt_max_deg: float = 30.0
    along_trunk_in_plane_max: float = 0.9
    hip_width_min_thighs: float = 0.2
    hip_axes_max_deg: float = 45.0
    hip_memory_s: float = 2.0
    clamshell_foot_frac: float = 0.4
    trunk_roll_max_frac: float = 0.6
    roll_thigh_open_min_deg: float = 10.0
    min_dip_s: float = 0.45
    min_lower_to_rest_s: float = 0.3
    closed_image_max_deg: float = 3.0


@dataclass(frozen=True)
class StepUpSettings:
    min_cutoff_hz: float = 2.0
    beta: float = 1.0
    d_cutoff_hz: float = 1.0
    up_leglen: float = 0.12
    down_leglen: float = 0.07
    low_step_up_leglen: float = 0.09
    on_step_pelvis_frac: float = 0.6
    pelvis_rise_min_leglen: float = 0.06
    min_lag_s: float = 0.25
    together_gap_leglen: float = 0.03
    together_gap_side_leglen: float = 0.10
    together_knee_gap_leglen: float = 0.04
    front_low_step_up_leglen: float = 0.06
    front_low_step_pelvis_leglen: float = 0.04
    together_lookback_s: float = 1.5
    front_view_facing_min: float = 0.7
    min_top_s: float = 0.2
    on_top_frac: float = 0.9
    max_scale_change: float = 0.25
    baseline_window_s: float = 10.0
    trunk_vertical_max_deg: float = 35.0
    standing_knee_min_deg: float = 140.0
    standing_leg_tilt_max_deg: float = 30.0
    posture_min_frac: float = 0.6
    gap_memory_s: float = 30.0
    floor_pct: float = 10.0
    hang_pct: float = 90.0
    climb_gap_max_s: float = 1.5
    back_grace_s: float = 1.0


@dataclass(frozen=True)
class AutoSettings:
    """The `auto` choice between the exercises, from votes for their start positions."""

    recognised_share_min: float = 0.2
    choose_share_min: float = 0.6


@dataclass(frozen=True)
class PostureSettings:
    """Which start position one frame shows (`analysis.posture.classify`, for `auto`)."""

    upright_max_tilt_deg: float = 35.0
    lying_min_tilt_deg: float = 50.0
    side_hip_spread_frac: float = 0.25
    back_knee_max_deg: float = 140.0


@dataclass(frozen=True)
class PlacementSettings:
    """Whether the person is placed so that the exercise can be measured (live coach)."""

    min_presence_frac: float = 0.5
    edge_frac: float = 0.01
    min_brightness_grey: float = 40.0
    ready_hold_s: float = 1.5


@dataclass(frozen=True)
class Settings:
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    counter: CounterSettings = field(default_factory=CounterSettings)
    bridge: BridgeSettings = field(default_factory=BridgeSettings)
    side_raise: SideRaiseSettings = field(default_factory=SideRaiseSettings)
    step_up: StepUpSettings = field(default_factory=StepUpSettings)
    auto: AutoSettings = field(default_factory=AutoSettings)
    posture: PostureSettings = field(default_factory=PostureSettings)
    placement: PlacementSettings = field(default_factory=PlacementSettings)
    source: str = "defaults"  # the file's name, never its path (results are shared)
    sha256: str = ""  # of the file's bytes: which thresholds made a result

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy (recorded with every result: which thresholds made it)."""
        return asdict(self)


_SECTIONS = {f.name: f for f in fields(Settings) if f.name not in ("source", "sha256")}
_SECTION_TYPES = {
    "tracking": TrackingSettings,
    "counter": CounterSettings,
    "bridge": BridgeSettings,
    "side_raise": SideRaiseSettings,
    "step_up": StepUpSettings,
    "auto": AutoSettings,
    "posture": PostureSettings,
    "placement": PlacementSettings,
}


def _section(name: str, cls: type, values: Any, file: str) -> Any:
    if not isinstance(values, dict):
        raise InputError(f"{file}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InputError(f"{file}: unknown key(s) in [{name}]: {', '.join(unknown)}")
    return cls(**{key: config.check_number(file, name, key, value) for key, value in values.items()})


def load_settings(path: str | Path | None = None) -> Settings:
    """Reads the thresholds (default: the packaged `thresholds.toml`, or $POSECOUNT_THRESHOLDS)."""
    toml = config.read(config.THRESHOLDS, path)
    unknown = sorted(set(toml.data) - set(_SECTIONS))
    if unknown:
        raise InputError(f"{toml.name}: unknown section(s): {', '.join(unknown)}")
    parts = {name: _section(name, _SECTION_TYPES[name], toml.data.get(name, {}), toml.name)
             for name in _SECTION_TYPES}
    return Settings(**parts, source=toml.name, sha256=toml.sha256)


def with_overrides(settings: Settings, section: str, **values: float) -> Settings:
    """A copy with some thresholds of one section changed (used by tuning and tests)."""
    if section not in _SECTION_TYPES:
        raise InputError(f"unknown settings section: {section}")
    return replace(settings, **{section: replace(getattr(settings, section), **values)})
