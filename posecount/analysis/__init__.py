"""The pure analysis core: signals, smoothing, counting and the leaflet's rules (no I/O)."""

from posecount.analysis.analyzer import EXERCISES, Analyzer, AutoAnalyzer, analyze_track, create_analyzer
from posecount.analysis.events import (
    Event,
    ExerciseChosen,
    HoldEnded,
    HoldTick,
    Rejected,
    Rep,
    RepCompleted,
    RepRejected,
    RepStarted,
    TopReached,
    TrackingPaused,
)
from posecount.analysis.result import AnalysisResult, SetSummary, Trace

__all__ = [
    "EXERCISES", "Analyzer", "AutoAnalyzer", "analyze_track", "create_analyzer",
    "Event", "ExerciseChosen", "HoldEnded", "HoldTick", "Rejected", "Rep", "RepCompleted",
    "RepRejected", "RepStarted", "TopReached", "TrackingPaused",
    "AnalysisResult", "SetSummary", "Trace",
]
