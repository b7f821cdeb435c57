"""Every word the app shows, in Dutch and English (the page asks for one language's table)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "posecount", "today": "Today", "start": "Start", "reps": "repetitions",
        "per_side": "per side", "sides": "left {l}, right {r}", "sets": "sets of", "hold": "hold {s} s",
        "last_sessions": "Last sessions",
        "no_sessions": "No sessions yet.", "progress": "Progress", "profile": "Profile",
        "new_profile": "New profile", "add": "Add", "physio": "Physiotherapist", "home": "Home",
        "pause": "Pause", "resume": "Go on", "stop": "Stop", "mute": "Sound off", "unmute": "Sound on",
        "placement": "Put the laptop here", "i_see_you": "I can see you",
        "waiting_camera": "Starting the camera…", "get_ready": "Get into the start position",
        "counting": "Counting", "paused": "Paused", "rest": "Rest", "hold_left": "hold",
        "done_title": "Well done", "pain_q": "How much pain did you feel? (0 = none, 10 = worst)",
        "effort_q": "How hard was it? (0 = nothing, 10 = extremely hard)", "saved": "Saved in your history.",
        "back_home": "Back to the start", "next_time": "next time {n}", "held": "held {a}–{b} s",
        "held_one": "held {a} s", "session_kept": "What you did is saved.",
        "camera_stopped": "The camera stopped (unplugged?).",
        "camera_busy": "Another tab is using the camera. Close it first, or continue there.",
        "open_video": "Open a video", "drop_video": "Drop a video here or choose one",
        "analysing": "Analysing", "report": "Report", "print_pdf": "Print / PDF", "recorded": "recorded",
        "videos_of": "Videos of this profile", "due": "A session is due today.",
        "not_due": "No session needed today.", "side_left": "lying on your left side",
        "side_right": "lying on your right side", "switch_sides": "Now the other side",
        "debug": "Details", "error": "Something went wrong", "exercise": "Exercise", "date": "Date",
        "pain": "Pain", "count": "Count", "chart_empty": "The chart fills in after your first sessions.",
        "lang": "Nederlands",
    },
    "nl": {
        "title": "posecount", "today": "Vandaag", "start": "Begin", "reps": "herhalingen",
        "per_side": "per kant", "sides": "links {l}, rechts {r}", "sets": "series van", "hold": "{s} s vasthouden",
        "last_sessions": "Laatste keren", "no_sessions": "Nog niets geoefend.", "progress": "Voortgang",
        "profile": "Profiel", "new_profile": "Nieuw profiel", "add": "Toevoegen", "physio": "Fysiotherapeut",
        "home": "Start", "pause": "Pauze", "resume": "Verder", "stop": "Stoppen", "mute": "Geluid uit",
        "unmute": "Geluid aan", "placement": "Zet de laptop hier", "i_see_you": "Ik zie je",
        "waiting_camera": "De camera start…", "get_ready": "Ga in de beginhouding liggen of staan",
        "counting": "Tellen", "paused": "Gepauzeerd", "rest": "Rust", "hold_left": "vasthouden",
        "done_title": "Goed gedaan", "pain_q": "Hoeveel pijn had je? (0 = geen, 10 = ergst denkbaar)",
        "effort_q": "Hoe zwaar was het? (0 = niets, 10 = heel erg zwaar)", "saved": "Opgeslagen.",
        "back_home": "Terug naar het begin", "next_time": "volgende keer {n}",
        "held": "{a}–{b} s vastgehouden", "held_one": "{a} s vastgehouden",
        "session_kept": "Wat je gedaan hebt is bewaard.",
        "camera_stopped": "De camera stopte (losgeraakt?).",
        "camera_busy": "Een ander tabblad gebruikt de camera. Sluit dat eerst, of ga daar verder.",
        "open_video": "Video openen", "drop_video": "Sleep een video hierheen of kies er een",
        "analysing": "Bezig met analyseren", "report": "Verslag", "print_pdf": "Afdrukken / PDF",
        "recorded": "opgenomen", "videos_of": "Video's van dit profiel", "due": "Vandaag oefenen.",
        "not_due": "Vandaag hoef je niet te oefenen.", "side_left": "op je linkerzij",
        "side_right": "op je rechterzij", "switch_sides": "Nu de andere kant", "debug": "Details",
        "error": "Er ging iets mis", "exercise": "Oefening", "date": "Datum", "pain": "Pijn",
        "count": "Aantal", "chart_empty": "De grafiek vult zich na de eerste keren.", "lang": "English",
    },
}

LANGUAGES = tuple(TEXTS)


def texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["en"])
