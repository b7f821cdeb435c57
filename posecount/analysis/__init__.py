"""The pure analysis core: signals, smoothing, counting and the leaflet's rules (no I/O).

    PoseFrame --signals.py (side_signals.py)--> Measurement (value, quality, posture ok)
              --smoothing.py (One Euro)--> counter.py / stepping.py --> events
              --the exercise's judge (posecount/exercises/: posture, variant, faults)--> Rep / Rejected
    rise.py: the plumbing shared by the exercises measured as one rising signal.
    analyzer.py: one `update(t_s, pose)` per frame, gaps, warnings, `auto`, `result()` (import it
    from `posecount.analysis.analyzer`: it reads the exercise registry, which builds on this package).

Left and right are always the person's own sides (MediaPipe's labels), never the image's.
Thresholds come from `posecount/config/thresholds.toml` via `posecount.settings`.
"""

from posecount.analysis.events import (
    Event,
    ExerciseChosen,
    HoldEnded,
    HoldTick,
    Rejected,
    Rep,
    RepCompleted,
    RepRecounted,
    RepRejected,
    RepStarted,
    TopReached,
    TrackingPaused,
)
from posecount.analysis.result import AnalysisResult, SetSummary, Trace

__all__ = [
    "Event", "ExerciseChosen", "HoldEnded", "HoldTick", "Rejected", "Rep", "RepCompleted",
    "RepRecounted", "RepRejected", "RepStarted", "TopReached", "TrackingPaused",
    "AnalysisResult", "SetSummary", "Trace",
]
