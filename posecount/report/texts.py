"""Every sentence the report and the annotated video show, in Dutch and English.

Plain words for a physiotherapist and a patient: each form flag says what happened and
what to do about it. Texts drawn into video frames (`short`) are ASCII only, because
OpenCV's fonts have no accents or degree sign.
"""

from __future__ import annotations

from dataclasses import dataclass

from posecount import exercises
from posecount.errors import InputError

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class FlagText:
    short: str  # a few ASCII words for a video frame
    what: str  # what happened, in a sentence
    advice: str  # what to do about it
    phrase: str = ""  # what happened, as words inside a sentence (the plan's "most often ...")


UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "Exercise report",
        "subtitle": "{exercise} — {source}",
        "generated": "Made by posecount {version} on {date}. Nothing was sent anywhere.",
        "profile": "Profile: {name}",
        "recorded": "recorded {date} ({how})",
        "recorded_metadata": "from the video", "recorded_file": "file date", "recorded_given": "as given",
        "recorded_history": "from the history",
        "several_subtitle": "{exercise} — {n} videos side by side, oldest first",
        "several_span": "recorded {first} to {last}", "several_one_day": "recorded {date}",
        "summary": "Summary against the leaflet",
        "reps_done": "Repetitions counted",
        "target": "Target",
        "target_start": "{start} to start with, adding a little every week up to {goal_min}–{goal_max}",
        "target_side": "{start} lying on the left and {start} on the right side to start with, "
                       "adding a little every week up to {goal_min}–{goal_max}",
        "target_sets": "{start} to start with, up to {goal_min}–{goal_max}; later 3 sets of 10",
        "target_today": "Today's target (plan): {amount}",
        "holds": "Holds at the top",
        "holds_range": "{n_ok} of {n} within {lo:g}–{hi:g} s (median {median:.1f} s)",
        "holds_min": "{n_ok} of {n} at least {lo:g} s (median {median:.1f} s)",
        "holds_none": "no hold asked for",
        "sides": "Sides",
        "sides_value": "left {left}, right {right}",
        "sides_unknown": "not known",
        "side_left": "left", "side_right": "right",
        "consult_physio": "The plan advises talking to the physiotherapist (pain went up).",
        "side_meaning_bridge": "stretched leg",
        "side_meaning_side-raise": "side lain on",
        "side_meaning_step-up": "leading leg",
        "variant": "Variant",
        "sets": "Sets",
        "sets_value": "{n} ({counts})",
        "flags": "What to work on",
        "flags_none": "No form problems were found.",
        "flag_reps": "repetition(s) {reps}",
        "not_counted": "Not counted",
        "warnings": "Notes on the recording",
        "signal": "The movement over time",
        "signal_caption": "{signal} per frame ({unit}). Grey: each repetition; red: a repetition with a "
                          "form flag; green bar: the hold at the top; hatched: an attempt that was not counted; "
                          "dashed lines: the levels used.",
        "table": "Repetitions",
        "col_index": "#",
        "col_set": "Set",
        "col_start": "Start (s)",
        "col_peak": "Peak ({unit})",
        "col_hold": "Hold (s)",
        "col_rise": "Up (s)",
        "col_lower": "Down (s)",
        "col_side": "Side",
        "col_variant": "Variant",
        "col_flags": "Flags",
        "ok": "ok",
        "keyframes": "Each repetition at its top",
        "keyframe_caption": "Repetition {index} at {t:.1f} s: {value}",
        "keyframes_none": "No video frames: the source is a pose track, so a stick figure is shown.",
        "faces_blurred": "Faces are blurred.",
        "faces_shown": "Faces are NOT blurred (--no-blur).",
        "no_reps": "No repetition was counted.",
        "trend": "Weekly trend",
        "method": "How this was measured",
        "method_text": "Pose landmarks from {model} on {frames} frames ({with_pose} with a person, "
                       "{duration:.1f} s at {fps:.1f} fps). Thresholds: {thresholds}.",
        "level_count": "counting level",
        "level_rest": "rest level",
        "level_up": "foot up",
        "level_down": "foot down",
        "page": "page",
        "trend_reps": "repetitions",
        "trend_hold": "mean hold (s)",
        "trend_pain": "mean pain (0–10)",
        "trend_week": "week starting",
        "trend_sessions": "sessions",
        "trend_flagged": "flagged",
        "trend_caption": "The last {weeks} week(s) of {exercise} in the history ({sessions} sessions).",
        "stored_session": "Session {id} from the history, {when} ({kind}).",
        "pain_effort": "Pain / effort after the set",
        "kind_analysis": "measured from a video", "kind_live": "measured live", "kind_manual": "written by hand",
    },
    "nl": {
        "title": "Oefenverslag",
        "subtitle": "{exercise} — {source}",
        "generated": "Gemaakt door posecount {version} op {date}. Er is niets verstuurd.",
        "profile": "Profiel: {name}",
        "recorded": "opgenomen op {date} ({how})",
        "recorded_metadata": "uit de video", "recorded_file": "datum van het bestand", "recorded_given": "opgegeven",
        "recorded_history": "uit de geschiedenis",
        "several_subtitle": "{exercise} — {n} video's naast elkaar, de oudste eerst",
        "several_span": "opgenomen van {first} tot {last}", "several_one_day": "opgenomen op {date}",
        "summary": "Samenvatting volgens de folder",
        "reps_done": "Getelde herhalingen",
        "target": "Doel",
        "target_start": "{start} om mee te beginnen, elke week iets meer tot {goal_min}–{goal_max}",
        "target_side": "{start} op de linkerzij en {start} op de rechterzij om mee te beginnen, "
                       "elke week iets meer tot {goal_min}–{goal_max}",
        "target_sets": "{start} om mee te beginnen, tot {goal_min}–{goal_max}; later 3 series van 10",
        "target_today": "Doel voor vandaag (schema): {amount}",
        "holds": "Vasthouden bovenin",
        "holds_range": "{n_ok} van {n} binnen {lo:g}–{hi:g} s (mediaan {median:.1f} s)",
        "holds_min": "{n_ok} van {n} minstens {lo:g} s (mediaan {median:.1f} s)",
        "holds_none": "geen vasthouden gevraagd",
        "sides": "Zijden",
        "sides_value": "links {left}, rechts {right}",
        "sides_unknown": "niet bekend",
        "side_left": "links", "side_right": "rechts",
        "consult_physio": "Het schema raadt aan de fysiotherapeut te raadplegen (de pijn nam toe).",
        "side_meaning_bridge": "gestrekt been",
        "side_meaning_side-raise": "zij waarop gelegen",
        "side_meaning_step-up": "eerste been",
        "variant": "Variant",
        "sets": "Series",
        "sets_value": "{n} ({counts})",
        "flags": "Aandachtspunten",
        "flags_none": "Er zijn geen problemen met de uitvoering gevonden.",
        "flag_reps": "herhaling(en) {reps}",
        "not_counted": "Niet geteld",
        "warnings": "Opmerkingen over de opname",
        "signal": "De beweging in de tijd",
        "signal_caption": "{signal} per beeld ({unit}). Grijs: elke herhaling; rood: een herhaling met een "
                          "aandachtspunt; groene balk: het vasthouden bovenin; gearceerd: een poging die niet "
                          "geteld is; stippellijnen: de gebruikte niveaus.",
        "table": "Herhalingen",
        "col_index": "#",
        "col_set": "Serie",
        "col_start": "Start (s)",
        "col_peak": "Hoogste ({unit})",
        "col_hold": "Vast (s)",
        "col_rise": "Omhoog (s)",
        "col_lower": "Omlaag (s)",
        "col_side": "Zijde",
        "col_variant": "Variant",
        "col_flags": "Aandachtspunten",
        "ok": "goed",
        "keyframes": "Elke herhaling op het hoogste punt",
        "keyframe_caption": "Herhaling {index} op {t:.1f} s: {value}",
        "keyframes_none": "Geen videobeelden: de bron is een houdingsbestand, daarom een lijnfiguur.",
        "faces_blurred": "Gezichten zijn onherkenbaar gemaakt.",
        "faces_shown": "Gezichten zijn NIET onherkenbaar gemaakt (--no-blur).",
        "no_reps": "Er is geen herhaling geteld.",
        "trend": "Verloop per week",
        "method": "Hoe dit gemeten is",
        "method_text": "Lichaamspunten van {model} in {frames} beelden ({with_pose} met een persoon, "
                       "{duration:.1f} s bij {fps:.1f} beelden/s). Drempels: {thresholds}.",
        "level_count": "telniveau",
        "level_rest": "rustniveau",
        "level_up": "voet omhoog",
        "level_down": "voet omlaag",
        "page": "pagina",
        "trend_reps": "herhalingen",
        "trend_hold": "gem. vasthouden (s)",
        "trend_pain": "gem. pijn (0–10)",
        "trend_week": "week vanaf",
        "trend_sessions": "sessies",
        "trend_flagged": "met aandachtspunt",
        "trend_caption": "De laatste {weeks} week/weken {exercise} in de geschiedenis ({sessions} sessies).",
        "stored_session": "Sessie {id} uit de geschiedenis, {when} ({kind}).",
        "pain_effort": "Pijn / inspanning na de serie",
        "kind_analysis": "gemeten uit een video", "kind_live": "live gemeten", "kind_manual": "met de hand ingevuld",
    },
}

def exercise_title(exercise: str, lang: str) -> str:
    """An exercise's heading in `lang` (from the exercise registry); unknown names as they are."""
    ex = exercises.find(exercise)
    return ex.title(lang) if ex else exercise

SIGNAL_NAMES = {
    "en": {"hip_extension": "Hip extension (shoulder–hip–knee angle)",
           "thigh_abduction": "Leg opening (angle between the thighs)",
           "foot_height": "Foot height above the floor"},
    "nl": {"hip_extension": "Heupstrekking (hoek schouder–heup–knie)",
           "thigh_abduction": "Beenopening (hoek tussen de bovenbenen)",
           "foot_height": "Voethoogte boven de vloer"},
}

UNITS = {"en": {"deg": "°", "leg lengths": "leg lengths"}, "nl": {"deg": "°", "leg lengths": "beenlengtes"}}
SIDES = {"en": {"left": "left", "right": "right", None: "–"}, "nl": {"left": "links", "right": "rechts", None: "–"}}
VARIANTS = {
    "en": {"leg-stretch": "leg stretched in turn (harder)", "single-leg": "single-leg bridge",
           "bent-leg": "top leg bent", "straight-leg": "top leg straight (harder)", None: "basic"},
    "nl": {"leg-stretch": "om en om been gestrekt (zwaarder)", "single-leg": "brug op één been",
           "bent-leg": "bovenste been gebogen", "straight-leg": "bovenste been gestrekt (zwaarder)",
           None: "basis"},
}

FLAGS: dict[str, dict[str, FlagText]] = {
    "en": {
        "hold_short": FlagText("hold too short", "The top was held for less than {hold_min:g} s.",
                               "Hold the top position for {hold_min:g}{hold_range} seconds; count out loud.",
                               phrase="a hold that was too short"),
        "hold_long": FlagText("hold too long", "The top was held for longer than {hold_max:g} s.",
                              "Lower after {hold_max:g} seconds at most; a longer hold does not help more.",
                              phrase="a hold that was too long"),
        # lower_s is the visible movement (top band to rest band), about half of the whole way
        # down: the advice does not quote it as a duration to aim for.
        "lowered_fast": FlagText("lowered too fast",
                                 "The visible way down, from the top to the rest position, took less "
                                 "than {lower_min:g} s.",
                                 "Lower slowly and under control, all the way down.",
                                 phrase="lowering too fast"),
        "not_alternating": FlagText("same leg twice", "The same leg was stretched twice in a row.",
                                    "Stretch the left and the right leg in turn.",
                                    phrase="stretching the same leg twice in a row"),
        "bottom_leg_straight": FlagText("bottom leg straight", "The bottom leg was straight too.",
                                        "Keep the bottom leg bent for a stable position.",
                                        phrase="a straight bottom leg"),
        "clamshell": FlagText("top foot stayed down", "The top foot stayed on the bottom one: a clamshell, "
                              "counted as the bent-leg raise.",
                              "Lift the whole top leg, knee and foot together.",
                              phrase="the top foot staying down (a clamshell)"),
        "leg_put_down": FlagText("leg put down", "The leg was put down between repetitions.",
                                 "Lower the leg slowly but do not rest it on the other leg until the "
                                 "series is done.",
                                 phrase="putting the leg down between repetitions"),
        "feet_together": FlagText("feet together", "Both feet moved at the same time.",
                                  "Step up and down one foot at a time.",
                                  phrase="stepping with both feet together"),
    },
    "nl": {
        "hold_short": FlagText("te kort vastgehouden", "Bovenin korter dan {hold_min:g} s vastgehouden.",
                               "Houd de bovenste stand {hold_min:g}{hold_range} seconden vast; tel hardop.",
                               phrase="te kort vastgehouden"),
        "hold_long": FlagText("te lang vastgehouden", "Bovenin langer dan {hold_max:g} s vastgehouden.",
                              "Zak na hoogstens {hold_max:g} seconden; langer vasthouden helpt niet meer.",
                              phrase="te lang vastgehouden"),
        "lowered_fast": FlagText("te snel gezakt",
                                 "Het zichtbare zakken, van boven tot de rusthouding, duurde korter dan "
                                 "{lower_min:g} s.",
                                 "Laat rustig en gecontroleerd zakken, helemaal tot beneden.",
                                 phrase="te snel gezakt"),
        "not_alternating": FlagText("twee keer zelfde been", "Twee keer achter elkaar hetzelfde been gestrekt.",
                                    "Strek om en om het linker- en het rechterbeen.",
                                    phrase="twee keer achter elkaar hetzelfde been gestrekt"),
        "bottom_leg_straight": FlagText("onderste been gestrekt", "Het onderste been was ook gestrekt.",
                                        "Houd het onderste been gebogen; dat geeft een stevige houding.",
                                        phrase="onderste been ook gestrekt"),
        "clamshell": FlagText("bovenste voet bleef liggen", "De bovenste voet bleef op de onderste liggen: "
                              "een clamshell, geteld als beenheffing met gebogen been.",
                              "Til het hele bovenste been op, knie en voet samen.",
                              phrase="bovenste voet bleef liggen (clamshell)"),
        "leg_put_down": FlagText("been neergelegd", "Het been werd tussen de herhalingen neergelegd.",
                                 "Laat het been rustig zakken, maar leg het pas neer als de serie klaar is.",
                                 phrase="been neergelegd tussen de herhalingen"),
        "feet_together": FlagText("voeten tegelijk", "Beide voeten bewogen tegelijk.",
                                  "Stap met één voet tegelijk op en af.",
                                  phrase="met beide voeten tegelijk gestapt"),
    },
}

REJECTIONS = {
    "en": {
        "not_high_enough": "not high enough", "too_small": "movement too small", "too_fast": "too fast",
        "posture": "not in the starting position", "tracking_lost": "the person was lost from view",
        "ended_before_down": "the video ended at the top", "ended_mid_rise": "the video ended on the way up",
        "foot_up_and_back": "one foot went up and came back", "feet_together": "both feet together",
        "ended_on_step": "the video ended on the step",
        "ended_mid_step": "the video ended mid-step",
        "moved_away_or_closer": "walked towards or away from the camera",
        "strict": "counted strictly: a rule of the leaflet was not met",
    },
    "nl": {
        "not_high_enough": "niet hoog genoeg", "too_small": "beweging te klein", "too_fast": "te snel",
        "posture": "niet in de beginhouding", "tracking_lost": "de persoon was uit beeld",
        "ended_before_down": "de video stopte bovenin", "ended_mid_rise": "de video stopte tijdens het omhoog gaan",
        "foot_up_and_back": "één voet ging op en weer terug", "feet_together": "beide voeten tegelijk",
        "ended_on_step": "de video stopte op de trede",
        "ended_mid_step": "de video stopte halverwege een stap",
        "moved_away_or_closer": "liep naar de camera toe of ervan weg",
        "strict": "streng geteld: een regel uit de folder werd niet gehaald",
    },
}

# Words drawn into video frames (ASCII).
VIDEO = {
    "en": {"reps": "reps", "set": "set", "hold": "hold", "hip": "hip", "opening": "opening", "foot": "foot",
           "leg_lengths": "LL"},
    "nl": {"reps": "herh", "set": "serie", "hold": "vast", "hip": "heup", "opening": "opening", "foot": "voet",
           "leg_lengths": "BL"},
}


def check_lang(lang: str) -> str:
    key = lang.strip().lower()
    if key not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return key


def flag_text(flag: str, lang: str) -> FlagText:
    """The texts of a flag; an unknown flag (a newer analysis) reads as its own name."""
    words = flag.replace("_", " ")
    return FLAGS[lang].get(flag) or FlagText(words, words, "", words)


def rejection_text(reason: str, lang: str) -> str:
    return REJECTIONS[lang].get(reason, reason.replace("_", " "))
