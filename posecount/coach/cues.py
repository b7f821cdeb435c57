"""What the coach says and shows, in Dutch and English, and which analysis events say what.

Pure: events and state in, `Cue`s out. The Dutch is written as a physiotherapist would
say it to a patient (informal "je"), not translated word for word. Each spoken text has a
short one for the screen (`SHOWN`), to be read from a mat a few metres away; the count and
the hold's seconds show nothing there (their panels show them).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from posecount import exercises
from posecount.analysis.events import (
    Event,
    ExerciseChosen,
    HoldEnded,
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
        "hold_longer": "Hold it a little longer next time",
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
        "set_of": "Set {n} of {m}",
    },
    "nl": {
        "count": "{n}",
        "hold": "Vasthouden",
        "hold_left": "{s}",
        "hold_done": "En rustig weer omlaag",
        "hold_longer": "Houd het de volgende keer iets langer vast",
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
        "set_of": "Serie {n} van {m}",
    },
}

# What the screen shows for each text: short, ASCII (OpenCV draws no accents), "" for nothing.
SHOWN: dict[str, dict[str, str]] = {
    "en": {
        "count": "", "hold": "Hold", "hold_left": "", "hold_done": "And down, slowly",
        "hold_longer": "Hold longer", "lower_slowly": "Slowly down", "higher": "A bit higher",
        "too_small": "Leg a bit higher", "leg_rested": "Keep the leg up", "one_foot": "Both feet on the step",
        "switch_sides": "Switch sides", "rest": "Rest a moment", "done": "Well done!",
        "target_reached": "{n} done!", "get_in_view": "Whole body in view", "turn_side": "Side to the camera",
        "face_camera": "Front to the camera", "more_light": "More light, please", "ready": "I see you: start",
        "lost": "I can't see you", "exercise_chosen": "{exercise}", "paused": "Paused", "set_of": "Set {n} of {m}",
    },
    "nl": {
        "count": "", "hold": "Vasthouden", "hold_left": "", "hold_done": "Rustig omlaag",
        "hold_longer": "Langer vasthouden", "lower_slowly": "Langzaam zakken", "higher": "Iets hoger",
        "too_small": "Been iets hoger", "leg_rested": "Been omhoog houden", "one_foot": "Beide voeten op de trede",
        "switch_sides": "Andere zij", "rest": "Even rust", "done": "Goed gedaan!",
        "target_reached": "{n} keer gedaan!", "get_in_view": "Helemaal in beeld",
        "turn_side": "Zijkant naar de camera", "face_camera": "Voorkant naar de camera",
        "more_light": "Meer licht graag", "ready": "Ik zie je: begin maar", "lost": "Ik zie je niet",
        "exercise_chosen": "{exercise}", "paused": "Pauze", "set_of": "Serie {n} van {m}",
    },
}
HOLD_SLACK_S = 0.5  # a hold this close to the goal counts as held (the countdown's "0" comes as early)

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
    """One thing to say and show: a text key, its words, whether it may be dropped when busy,
    and its words on the screen (None: the spoken words)."""

    key: str
    text: str
    urgent: bool = True
    shown: str | None = None

    @property
    def screen(self) -> str:
        return self.text if self.shown is None else self.shown


def _fill(texts: dict[str, dict[str, str]], key: str, lang: str, values: dict[str, object]) -> str:
    if lang not in texts:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    if "exercise" in values:  # an exercise's name as it is spoken
        ex = exercises.find(str(values["exercise"]))
        values = {**values, "exercise": ex.spoken.get(lang, ex.name) if ex else values["exercise"]}
    return texts[lang][key].format(**values)


def say(key: str, lang: str = "en", **values: object) -> str:
    """The words for `key` in `lang`, with `values` filled in."""
    return _fill(TEXTS, key, lang, values)


def show(key: str, lang: str = "en", **values: object) -> str:
    """The screen's short words for `key` in `lang` (plain ASCII)."""
    text = _fill(SHOWN, key, lang, values)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def cue(key: str, lang: str = "en", urgent: bool = True, **values: object) -> Cue:
    """The cue for `key`: its spoken and its shown words."""
    return Cue(key, say(key, lang, **values), urgent, show(key, lang, **values))


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
    goal = settings.hold_target_s
    for ev in events:
        if isinstance(ev, ExerciseChosen):
            cues.append(cue("exercise_chosen", lang, urgent=False, exercise=ev.exercise))
        elif isinstance(ev, TopReached):
            cues.append(cue("hold", lang, urgent=False))
        elif isinstance(ev, HoldTick) and goal:
            left = round(goal - ev.held_s)
            if left > 0:
                cues.append(cue("hold_left", lang, urgent=False, s=left))
            elif left == 0:
                cues.append(cue("hold_done", lang, urgent=False))
        elif isinstance(ev, HoldEnded) and goal and ev.held_s < goal - HOLD_SLACK_S:
            cues.append(cue("hold_longer", lang))  # lowered before the countdown reached 0
        elif isinstance(ev, RepCompleted):
            n += 1
            cues.append(cue("count", lang, n=n))
            cues += _flag_cue(ev.rep.flags, lang)
            if settings.target and n == settings.target:
                cues.append(cue("target_reached", lang, n=n))
        elif isinstance(ev, RepRejected):
            cues += _flag_cue((ev.reason,), lang)
        elif isinstance(ev, TrackingPaused):
            cues.append(cue("lost", lang, urgent=False))
    return cues


def _flag_cue(flags: tuple[str, ...], lang: str) -> list[Cue]:
    """The one correction for these flags, if any."""
    for flag, key in FLAG_CUES:
        if flag in flags:
            return [cue(key, lang)]
    return []
