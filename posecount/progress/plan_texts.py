"""Every word of the plan, in English and Dutch: its reasons, and the words around them.

One table per language (`TEXTS`): a sentence per reason code (`reasons.CODES`), then the
pieces those sentences are built from, then the plan's table and notes on the command line.
`explain(reason, lang)` is pure: a `Reason` and a language in, one or two plain sentences
out. The Dutch speaks as the leaflet does, but with "je", in short sentences. Exercise
names, nouns and level labels come from the exercise registry; form flags from
`report.texts` (one flag table for the report, the video and the plan).
"""

from __future__ import annotations

import string
from datetime import date

from posecount import exercises
from posecount.exercises import Level
from posecount.lang import LANGUAGES
from posecount.progress.reasons import Reason
from posecount.progress.rules import PlanSettings, plan_settings
from posecount.report.texts import flag_text

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # one sentence per reason code
        "start": "This is where the leaflet starts: {start} {start_noun}{each_side}, a little more every week.",
        "missed_weeks": "You did no {nouns}{where} {span}, so stay at {amount} to pick up where you left off.",
        "pain_raised": "Your pain was higher last week ({pain} against {pain_before} before), so do not increase: "
                       "stay at {amount}.",
        "pain_falling": "Your pain is coming down ({pain} after {pain_previous}) but is still above its usual "
                        "{pain_before}, so stay at {amount} until it is back.",
        "pain_consult": "Your pain {trend} ({pain} against {pain_before} before, {weeks} weeks in a row), so do not "
                        "increase: stay at {amount} and consult your physiotherapist.",
        "did_harder": "Last week you already did the harder variant ({level}){where}, so the plan continues from "
                      "there at {start}.",
        "did_easier": "Last week you did the easier variant{where}, so stay at {amount} of the {level}.",
        "too_few_sessions": "Last week you did {sessions} {sessions_word}{where}, fewer than the {sessions_min} the "
                            "leaflet asks, so stay at {amount}.",
        "not_met": "Last week {met} of {sessions} sessions{where} reached {amount}, so stay at {amount} until most do.",
        "form_remarks": "Last week {flagged} of {counted} repetitions{where} had a form remark (most often {flag}), "
                        "so stay at {amount} and take care of the form.",
        "felt_hard": "It felt hard last week (effort {effort} of 10), so stay at {amount} until it gets easier.",
        "harder_next": "{did}, so the next step is the harder variant: {level}, starting {start_at}.",
        "end_of_plan": "You do {amount}{where} {easily}, the end of the leaflet's plan: keep it up "
                       "{sessions_min}–{sessions_max} times a week{extra}.",
        "stay_until_easy": "You reached {amount}{where} {how}; stay at {amount} until it feels easy (effort "
                           "{effort_easy_max} of 10 or less).",
        "up": "Last week {met} of {sessions} sessions{where} reached {amount} {how} and {feel}, so {more} this week.",
        "trained_today": "You trained today, so the next session is for another day.",
        "max_sessions": "You did {sessions} sessions this week, the leaflet's most: rest today.",
        "due_behind": "A session is due today: {sessions} done this week, fewer than the {sessions_min} the "
                      "leaflet asks.",
        "due_tight": "A session is due today: {sessions} done this week, and {needed} more are needed in the "
                     "{days_left} {days_word} left.",
        "due": "A session is due today: {sessions} of {sessions_min}–{sessions_max} done this week.",
        # the pieces
        "amount_one": "{reps}", "amount_sets": "{sets} × {reps}",
        "where": " lying on your {side_word} side", "left": "left", "right": "right",
        "each_side": " on each side",
        "span_one": "last week", "span_many": "for {weeks} weeks",
        "trend_risen": "has risen again", "trend_stayed": "has stayed higher",
        "how_measured": "with good form", "how_planned": "as planned",
        "feel_light": "it felt light", "feel_easy": "it felt easy", "feel_not_hard": "it was not hard",
        "more_1": "one more", "more_2": "two more", "more_n": "{step} more",
        "easily": "easily", "regularly": "regularly",
        "did_easy": "You did {amount}{where} easily {how}",
        "did_top": "You reached {amount}{where} {how}, the top of the leaflet's {easy_min}–{max_reps}",
        "start_again": "again at {start}", "start_sets": "{next_sets} × {start}",
        "extra": "; to make it a little harder {hint}",
        "session_one": "session", "session_many": "sessions", "day_one": "day", "day_many": "days",
        "decimal": ".",
        # the plan on the command line
        "plan_title": "Plan for {date}",
        "col_exercise": "exercise", "col_today": "today", "col_next": "next session",
        "col_done": "done this week", "col_why": "why",
        "side_lying": "lying on the {side_word} side",
        "hold_cell": "{amount}, hold {hold_s} s",
        "this_week": "This week: {sessions} {sessions_word} (the leaflet: {sessions_min}–{sessions_max} a week).",
        "consult": "Your pain keeps rising: keep to this level and consult your physiotherapist.",
        "no_sessions": "No sessions recorded yet: after a set, record it with `posecount log` (or save an analysis).",
        "note_item": "{label}{side}: this week {done}; target {amount}",
        "note_none": "none",
        "weekdays": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
        "months": "January February March April May June July August September October November December",
        "date": "{weekday} {day:02d} {month} {year}",
    },
    "nl": {
        "start": "Zo begint de folder: {start} {start_noun}{each_side}, en elke week iets meer.",
        "missed_weeks": "Je hebt {span} geen {nouns}{where} gedaan. Blijf dus bij {amount}, dan pak je de draad "
                        "weer op.",
        "pain_raised": "Je pijn was vorige week hoger ({pain}, daarvoor {pain_before}). Doe dus niet meer: blijf "
                       "bij {amount}.",
        "pain_falling": "Je pijn neemt af ({pain}, de week ervoor {pain_previous}), maar is nog hoger dan normaal "
                        "({pain_before}). Blijf bij {amount} tot de pijn weer zo laag is.",
        "pain_consult": "Je pijn {trend} ({pain}, daarvoor {pain_before}; {weeks} weken achter elkaar). Doe niet "
                        "meer: blijf bij {amount} en overleg met je fysiotherapeut.",
        "did_harder": "Vorige week deed je al de zwaardere variant ({level}){where}. Het schema gaat daar verder, "
                      "met {start} keer.",
        "did_easier": "Vorige week deed je de lichtere variant{where}. Blijf bij {amount} ({level}).",
        "too_few_sessions": "Vorige week oefende je {sessions} keer{where}, minder dan de {sessions_min} keer die "
                            "de folder vraagt. Blijf dus bij {amount}.",
        "not_met": "Vorige week lukte het je {met} van de {sessions} keer om {amount}{where} te doen. Blijf bij "
                   "{amount} tot het meestal lukt.",
        "form_remarks": "Vorige week hadden {flagged} van de {counted} herhalingen{where} een aandachtspunt "
                        "(meestal: {flag}). Blijf bij {amount} en let goed op de uitvoering.",
        "felt_hard": "Het was vorige week zwaar (inspanning {effort} van 10). Blijf bij {amount} tot het "
                     "makkelijker gaat.",
        "harder_next": "{did}. De volgende stap is de zwaardere variant: {level}. Begin {start_at}.",
        "end_of_plan": "Je doet {amount}{where} {easily}: dat is het einde van het schema uit de folder. Blijf "
                       "het {sessions_min} tot {sessions_max} keer per week doen{extra}.",
        "stay_until_easy": "Je haalde {amount}{where} {how}. Blijf bij {amount} tot het makkelijk gaat "
                           "(inspanning {effort_easy_max} van 10 of minder).",
        "up": "Vorige week lukte het je {met} van de {sessions} keer om {amount}{where} te doen, {how}, en {feel}. "
              "Deze week doe je er {more} bij.",
        "trained_today": "Je hebt vandaag al geoefend. De volgende keer is op een andere dag.",
        "max_sessions": "Je oefende deze week al {sessions} keer, het meeste wat de folder vraagt. Vandaag rust je.",
        "due_behind": "Vandaag is een oefendag: deze week {sessions} keer gedaan, minder dan de {sessions_min} "
                      "keer die de folder vraagt.",
        "due_tight": "Vandaag is een oefendag: deze week {sessions} keer gedaan, en er zijn nog {needed} keer "
                     "nodig in de {days_left} {days_word} die over zijn.",
        "due": "Vandaag is een oefendag: deze week {sessions} van de {sessions_min} tot {sessions_max} keer gedaan.",
        "amount_one": "{reps} keer", "amount_sets": "{sets} sets van {reps} keer",
        "where": " op je {side_word}", "left": "linkerzij", "right": "rechterzij",
        "each_side": " op elke zij",
        "span_one": "vorige week", "span_many": "{weeks} weken lang",
        "trend_risen": "is weer gestegen", "trend_stayed": "blijft hoger",
        "how_measured": "met een goede uitvoering", "how_planned": "zoals gepland",
        "feel_light": "het voelde licht", "feel_easy": "het voelde makkelijk", "feel_not_hard": "het was niet zwaar",
        "more_1": "één", "more_2": "twee", "more_n": "{step}",
        "easily": "makkelijk", "regularly": "regelmatig",
        "did_easy": "Je deed {amount}{where} makkelijk {how}",
        "did_top": "Je haalde {amount}{where} {how}: het meeste van de {easy_min} tot {max_reps} keer uit de folder",
        "start_again": "weer met {start} keer", "start_sets": "met {next_sets} sets van {start} keer",
        "extra": ". Om het wat zwaarder te maken, {hint}",
        "session_one": "keer", "session_many": "keer", "day_one": "dag", "day_many": "dagen",
        "decimal": ",",
        "plan_title": "Schema voor {date}",
        "col_exercise": "oefening", "col_today": "vandaag", "col_next": "volgende keer",
        "col_done": "deze week gedaan", "col_why": "waarom",
        "side_lying": "op de {side_word}",
        "hold_cell": "{amount}, {hold_s} s vasthouden",
        "this_week": "Deze week: {sessions} {sessions_word} geoefend (de folder: {sessions_min} tot {sessions_max} "
                     "keer per week).",
        "consult": "Je pijn blijft stijgen: blijf op dit niveau en overleg met je fysiotherapeut.",
        "no_sessions": "Nog geen oefeningen bewaard: schrijf een serie op met `posecount log` (of bewaar een "
                       "analyse).",
        "note_item": "{label}{side}: deze week {done}; doel {amount}",
        "note_none": "nog niets",
        "weekdays": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
        "months": "januari februari maart april mei juni juli augustus september oktober november december",
        "date": "{weekday} {day} {month} {year}",
    },
}


def number(x: float, lang: str) -> str:
    """3, 4.5 (English) or 4,5 (Dutch): whole numbers without decimals, else one."""
    text = f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
    return text.replace(".", TEXTS[lang]["decimal"])


def amount(reps: int, sets: int | None, lang: str) -> str:
    """"3 × 10" or "7" (English); "3 sets van 10 keer" or "7 keer" (Dutch)."""
    key = "amount_sets" if (sets or 1) > 1 else "amount_one"
    return TEXTS[lang][key].format(reps=reps, sets=sets)


def level_of(exercise: str, name: str, settings: PlanSettings | None = None) -> Level:
    """The level called `name` of `exercise` (from the registry's ladder)."""
    settings = settings or plan_settings()
    return settings.levels(exercise)[settings.level_index(exercise, name)]


def level_label(exercise: str, name: str, lang: str, settings: PlanSettings | None = None) -> str:
    return level_of(exercise, name, settings).label_in(lang)


def side_words(side: str | None, lang: str) -> str:
    """"lying on the left side" / "op de linkerzij"; nothing without a side."""
    return TEXTS[lang]["side_lying"].format(side_word=TEXTS[lang][side]) if side else ""


def long_date(day: date, lang: str) -> str:
    t = TEXTS[lang]
    return t["date"].format(weekday=t["weekdays"].split()[day.weekday()], day=day.day,
                            month=t["months"].split()[day.month - 1], year=day.year)


_WORDED = ("exercise", "side", "level", "flag", "feel")  # names that a sentence says in words, never as they are


class _Words(dict):
    """A reason's fields as words, and the pieces its sentence asks for, made when asked."""

    def __init__(self, reason: Reason, lang: str, settings: PlanSettings | None) -> None:
        super().__init__({k: number(v, lang) if isinstance(v, float) else v for k, v in reason.values().items()
                          if k not in _WORDED})
        self.reason, self.lang, self.t, self.settings = reason, lang, TEXTS[lang], settings

    def __missing__(self, key: str) -> str:
        r, t, lang = self.reason, self.t, self.lang
        ex = exercises.get(r.exercise) if r.exercise else None
        pieces = {
            "amount": lambda: amount(r.reps, r.sets, lang),
            "where": lambda: t["where"].format(side_word=t[r.side]) if ex and ex.per_side and r.side else "",
            "each_side": lambda: t["each_side"] if ex and ex.per_side else "",
            "start_noun": lambda: ex.noun(r.start, lang),
            "nouns": lambda: ex.noun(2, lang),
            "level": lambda: self._level().label_in(lang),
            "span": lambda: t["span_one" if r.weeks == 1 else "span_many"].format(weeks=r.weeks),
            "trend": lambda: t["trend_risen" if r.pain > r.pain_previous else "trend_stayed"],
            "how": lambda: t["how_measured" if r.measured else "how_planned"],
            "feel": lambda: t[f"feel_{r.feel}"],
            "more": lambda: t.get(f"more_{r.step}", t["more_n"]).format(step=r.step),
            "easily": lambda: t["easily" if r.easy else "regularly"],
            "did": lambda: t["did_easy" if r.easy else "did_top"].format_map(self),
            "next_sets": lambda: self._level().sets,
            "start_at": lambda: t["start_sets" if self._level().sets > 1 else "start_again"].format_map(self),
            "extra": lambda: t["extra"].format(hint=self._level().hint_in(lang)) if self._level().hint_in(lang)
            else "",
            "flag": lambda: flag_text(r.flag, lang).phrase,
            "sessions_word": lambda: t["session_one" if r.sessions == 1 else "session_many"],
            "days_word": lambda: t["day_one" if r.days_left == 1 else "day_many"],
        }
        if key not in pieces:
            raise KeyError(f"reason {r.code!r} has no value {key!r}")
        self[key] = value = pieces[key]()
        return value

    def _level(self) -> Level:
        return level_of(self.reason.exercise, self.reason.level, self.settings)


def explain(reason: Reason, lang: str = "en", settings: PlanSettings | None = None) -> str:
    """The reason in plain words in `lang` ("en" or "nl"); `settings` for the level labels
    (default: the settings in force)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return TEXTS[lang][reason.code].format_map(_Words(reason, lang, settings))


def placeholders(text: str) -> set[str]:
    """The `{names}` a text asks for (for tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


__all__ = ["TEXTS", "amount", "explain", "level_label", "level_of", "long_date", "number", "placeholders",
           "side_words"]
