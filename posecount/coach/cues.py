"""What the coach says and shows, in Dutch and English, and which analysis events say what.

Pure: events and state in, `Cue`s out. The Dutch is written as a physiotherapist would
say it to a patient (informal "je"), not translated word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

from posecount import exercises
from posecount.analysis.events import (
    Event,
    ExerciseChosen,
    HoldTick,
    RepCompleted,
    RepRejected,
    TopReached,
    TrackingPaused,
)
from posecount.lang import LANGUAGES

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "count": "{n}",
        "hold": "Hold",
        "hold_left": "{s}",
        "hold_done": "And down, slowly",
        "lower_slowly": "Slowly down",
        "higher": "A bit higher",
        "too_small": "Lift the leg a bit higher",
        "leg_rested": "Keep the leg up, don't rest it",
        "one_foot": "Both feet onto the step, one at a time",
        "switch_sides": "Now switch sides",
        "rest": "Rest a moment",
        "done": "Well done, that's all for today",
        "target_reached": "{n} done. Well done!",
        "get_in_view": "Make sure your whole body is in view",
        "turn_side": "Turn so the camera sees you from the side",
        "face_camera": "Lie so that the camera sees your front",
        "more_light": "It is too dark, turn on a light",
        "ready": "Good, I can see you. Start when you are ready",
        "lost": "I can't see you any more",
        "exercise_chosen": "I see: {exercise}",
        "paused": "Paused",
    },
    "nl": {
        "count": "{n}",
        "hold": "Vasthouden",
        "hold_left": "{s}",
        "hold_done": "En rustig weer omlaag",
        "lower_slowly": "Langzaam zakken",
        "higher": "Iets hoger",
        "too_small": "Til je been iets hoger op",
        "leg_rested": "Houd je been omhoog, leg het niet neer",
        "one_foot": "Zet beide voeten op de trede, één voor één",
        "switch_sides": "Draai nu op je andere zij",
        "rest": "Even rust",
        "done": "Goed gedaan, dat was het voor vandaag",
        "target_reached": "{n} keer gedaan. Goed zo!",
        "get_in_view": "Zorg dat je helemaal in beeld bent",
        "turn_side": "Ga zo liggen dat de camera je van opzij ziet",
        "face_camera": "Ga zo liggen dat de camera je voorkant ziet",
        "more_light": "Het is te donker, doe een lamp aan",
        "ready": "Goed, ik zie je. Begin maar wanneer je klaar bent",
        "lost": "Ik zie je niet meer",
        "exercise_chosen": "Ik zie: {exercise}",
        "paused": "Pauze",
    },
}

# Flags of a completed or rejected repetition → the cue that helps most (first match wins).
FLAG_CUES = (
    ("lowered_fast", "lower_slowly"),
    ("not_high_enough", "higher"),
    ("too_small", "too_small"),
    ("leg_put_down", "leg_rested"),
    ("foot_up_and_back", "one_foot"),
    ("feet_together", "one_foot"),
)


@dataclass(frozen=True)
class Cue:
    """One thing to say (and show): a text key, its words, and whether it may be dropped when busy."""

    key: str
    text: str
    urgent: bool = True


def say(key: str, lang: str = "en", **values: object) -> str:
    """The words for `key` in `lang`, with `values` filled in."""
    if lang not in TEXTS:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    text = TEXTS[lang][key]
    if "exercise" in values:  # an exercise's name as it is spoken
        ex = exercises.find(str(values["exercise"]))
        values = {**values, "exercise": ex.spoken.get(lang, ex.name) if ex else values["exercise"]}
    return text.format(**values)


@dataclass(frozen=True)
class CueSettings:
    lang: str = "en"
    hold_target_s: float | None = None  # count down to this while holding
    target: int | None = None  # repetitions wanted (per side for the side raise)


def cues_for_events(events: list[Event], settings: CueSettings, reps_so_far: int) -> list[Cue]:
    """The cues for one frame's events; `reps_so_far` counts repetitions before these events."""
    lang = settings.lang
    cues: list[Cue] = []
    n = reps_so_far
    for ev in events:
        if isinstance(ev, ExerciseChosen):
            cues.append(Cue("exercise_chosen", say("exercise_chosen", lang, exercise=ev.exercise), urgent=False))
        elif isinstance(ev, TopReached):
            cues.append(Cue("hold", say("hold", lang), urgent=False))
        elif isinstance(ev, HoldTick):
            goal = settings.hold_target_s
            if goal:
                left = round(goal - ev.held_s)
                if left > 0:
                    cues.append(Cue("hold_left", say("hold_left", lang, s=left), urgent=False))
                elif left == 0:
                    cues.append(Cue("hold_done", say("hold_done", lang), urgent=False))
        elif isinstance(ev, RepCompleted):
            n += 1
            cues.append(Cue("count", say("count", lang, n=n)))
            cue = _flag_cue(ev.rep.flags, lang)
            if cue:
                cues.append(cue)
            if settings.target and n == settings.target:
                cues.append(Cue("target_reached", say("target_reached", lang, n=n)))
        elif isinstance(ev, RepRejected):
            cue = _flag_cue((ev.reason,), lang)
            if cue:
                cues.append(cue)
        elif isinstance(ev, TrackingPaused):
            cues.append(Cue("lost", say("lost", lang), urgent=False))
    return cues


def _flag_cue(flags: tuple[str, ...], lang: str) -> Cue | None:
    for flag, key in FLAG_CUES:
        if flag in flags:
            return Cue(key, say(key, lang))
    return None
