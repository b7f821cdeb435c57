"""The plan's words: every reason code in every language, with no key missing and nothing left unfilled."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from posecount import exercises
from posecount.lang import LANGUAGES
from posecount.progress.plan_texts import TEXTS, amount, explain, long_date, number, placeholders
from posecount.progress.reasons import CODES, FEELS, Reason

# Sample values for every code, and for the codes whose wording branches, each branch.
SAMPLES = {
    "start": [Reason("start", "bridge", start=3), Reason("start", "side-raise", start=1)],
    "missed_weeks": [Reason("missed_weeks", "bridge", reps=5, weeks=1),
                     Reason("missed_weeks", "side-raise", "left", reps=5, weeks=3)],
    "pain_raised": [Reason("pain_raised", "bridge", reps=7, pain=4.5, pain_before=2.0)],
    "pain_falling": [Reason("pain_falling", "step-up", reps=9, pain=3.0, pain_before=2.0, pain_previous=5.0)],
    "pain_consult": [Reason("pain_consult", "bridge", reps=7, pain=6.0, pain_before=2.0, pain_previous=4.0, weeks=2),
                     Reason("pain_consult", "bridge", reps=7, pain=5.0, pain_before=2.0, pain_previous=5.0, weeks=3)],
    "did_harder": [Reason("did_harder", "side-raise", "right", reps=8, level="straight-leg", start=3)],
    "did_easier": [Reason("did_easier", "step-up", reps=10, sets=3, level="3x10")],
    "too_few_sessions": [Reason("too_few_sessions", "bridge", reps=4, sessions=1, sessions_min=3),
                         Reason("too_few_sessions", "side-raise", "left", reps=4, sessions=2, sessions_min=3)],
    "not_met": [Reason("not_met", "step-up", reps=10, sets=3, met=0, sessions=3)],
    "form_remarks": [Reason("form_remarks", "side-raise", "right", reps=5, flagged=9, counted=15, flag="leg_put_down"),
                     Reason("form_remarks", "bridge", reps=5, flagged=9, counted=15, flag="something_new")],
    "felt_hard": [Reason("felt_hard", "bridge", reps=5, effort=6.0)],
    "harder_next": [Reason("harder_next", "bridge", reps=11, level="leg-stretch", start=3, easy=True, measured=True,
                           easy_min=10, max_reps=15),
                    Reason("harder_next", "step-up", reps=15, level="3x10", start=10, easy=False, measured=False,
                           easy_min=10, max_reps=15)],
    "end_of_plan": [Reason("end_of_plan", "step-up", reps=10, sets=3, level="3x10", easy=True, sessions_min=3,
                           sessions_max=5),
                    Reason("end_of_plan", "bridge", reps=15, level="leg-stretch", easy=False, sessions_min=3,
                           sessions_max=5)],
    "stay_until_easy": [Reason("stay_until_easy", "bridge", reps=15, measured=True, effort_easy_max=3.0)],
    "up": [Reason("up", "side-raise", "left", reps=3, met=3, sessions=3, measured=True, feel=f, step=s)
           for f, s in zip(FEELS, (2, 1, 3))],
    "trained_today": [Reason("trained_today", sessions=2)],
    "max_sessions": [Reason("max_sessions", sessions=5)],
    "due_behind": [Reason("due_behind", sessions=0, sessions_min=3)],
    "due_tight": [Reason("due_tight", sessions=1, needed=2, days_left=2),
                  Reason("due_tight", sessions=2, needed=1, days_left=1)],
    "due": [Reason("due", sessions=1, sessions_min=3, sessions_max=5)],
}


def test_every_code_has_samples_and_a_sentence_in_every_language():
    assert set(SAMPLES) == set(CODES)
    for lang in LANGUAGES:
        assert set(CODES) <= set(TEXTS[lang]), lang
    assert set(TEXTS["en"]) == set(TEXTS["nl"])  # one table per language, the same keys


@pytest.mark.parametrize("code", CODES)
def test_every_reason_reads_in_dutch_and_english(code):
    for reason in SAMPLES[code]:
        en, nl = explain(reason, "en"), explain(reason, "nl")
        for text in (en, nl):
            assert "{" not in text and "}" not in text and "None" not in text, text
            assert text[0].isupper() and text.endswith("."), text
            assert "_" not in text, text  # flag and feel codes are worded, never shown as they are
        assert en != nl


def test_the_templates_ask_only_for_known_values():
    known = {f.name for f in fields(Reason)} | {
        "amount", "where", "each_side", "start_noun", "nouns", "span", "trend", "how", "feel", "more", "easily",
        "did", "next_sets", "start_at", "extra", "flag", "sessions_word", "days_word"}
    for lang in LANGUAGES:
        for code in CODES:
            assert placeholders(TEXTS[lang][code]) <= known, (lang, code)


def test_names_are_worded_per_language():
    r = Reason("form_remarks", "side-raise", "right", reps=5, flagged=9, counted=15, flag="leg_put_down")
    assert explain(r, "en") == ("Last week 9 of 15 repetitions lying on your right side had a form remark (most often "
                                "putting the leg down between repetitions), so stay at 5 and take care of the form.")
    assert explain(r, "nl") == ("Vorige week hadden 9 van de 15 herhalingen op je rechterzij een aandachtspunt "
                                "(meestal: been neergelegd tussen de herhalingen). Blijf bij 5 keer en let goed op "
                                "de uitvoering.")
    harder = Reason("did_harder", "bridge", reps=8, level="leg-stretch", start=3)
    assert "bridge, stretching the left and right leg in turn" in explain(harder, "en")
    assert "bruggetje, om en om je linker- en rechterbeen gestrekt" in explain(harder, "nl")
    # the registry's nouns, in the language asked for
    for ex in exercises.all():
        assert ex.noun(2, "nl") in explain(Reason("missed_weeks", ex.name, reps=3, weeks=1), "nl")


def test_numbers_amounts_and_dates_per_language():
    assert (number(4.5, "en"), number(4.5, "nl"), number(6.0, "nl")) == ("4.5", "4,5", "6")
    assert (amount(7, 1, "en"), amount(10, 3, "en")) == ("7", "3 × 10")
    assert (amount(7, None, "nl"), amount(10, 3, "nl")) == ("7 keer", "3 sets van 10 keer")
    from datetime import date
    assert long_date(date(2026, 12, 7), "en") == "Monday 07 December 2026"
    assert long_date(date(2026, 12, 7), "nl") == "maandag 7 december 2026"


def test_a_reason_is_json_ready_data():
    r = Reason("pain_consult", "bridge", reps=7, pain=6.0, pain_before=2.0, pain_previous=4.0, weeks=2)
    data = json.loads(json.dumps(r.to_dict()))
    assert data == {"code": "pain_consult", "exercise": "bridge", "reps": 7, "pain": 6.0, "pain_before": 2.0,
                    "pain_previous": 4.0, "weeks": 2}
    assert Reason.from_dict(data) == r
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("because")
    with pytest.raises(ValueError, match="unknown language"):
        explain(r, "de")
