"""The leaflet's weekly plan over simulated months of history (pure: no database, no model)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest

from posecount.analysis.events import Rep
from posecount.errors import InputError
from posecount.progress.plan import Reason, make_plan, todays_target, week_start
from posecount.progress.records import SessionRecord
from posecount.progress.rules import (
    DEFAULT_SETTINGS,
    PlanSettings,
    level_from_analysis,
    load_plan_settings,
    plan_settings,
)
from posecount.progress.simulate import WeekScript, default_story, simulate

MONDAY = date(2026, 9, 7)


def targets_by_week(weeks, exercise="bridge", side=None):
    return [next(t for t in w.plan.targets if (t.exercise, t.side) == (exercise, side)) for w in weeks]


def session(day: date, exercise: str, variant: str, reps_per_set=(5,), side=None, pain=None, effort=2.0,
            flags=(), kind="analysis", rep_variant=None) -> SessionRecord:
    reps = []
    for set_no, n in enumerate(reps_per_set, start=1):
        reps += [Rep.unmeasured(len(reps) + 1, side, set_no, flags, rep_variant) for _ in range(n)]
    return SessionRecord(datetime.combine(day, time(9)).astimezone(), exercise, variant, tuple(reps), pain, effort,
                         kind=kind)


def test_a_new_person_starts_where_the_leaflet_starts():
    plan = make_plan([], MONDAY)
    got = {(t.exercise, t.side): (t.reps, t.sets, t.variant, t.change) for t in plan.targets}
    assert got == {("bridge", None): (3, 1, "basic", "start"),
                   ("side-raise", "left"): (3, 1, "bent-leg", "start"),
                   ("side-raise", "right"): (3, 1, "bent-leg", "start"),
                   ("step-up", None): (5, 1, "single-set", "start")}
    assert plan.session_due and plan.sessions_this_week == 0
    assert {t.hold_s for t in plan.targets if t.exercise == "bridge"} == {5.0}


def test_steady_light_progress_adds_two_a_week_then_the_harder_variant_restarts_at_3():
    weeks, _ = simulate([WeekScript(effort=2.0, pain=1)] * 8, MONDAY)
    bridge = targets_by_week(weeks)
    assert [t.reps for t in bridge] == [3, 5, 7, 9, 11, 3, 5, 7]
    assert [t.variant for t in bridge][4:6] == ["basic", "leg-stretch"]
    assert bridge[5].change == "harder" and bridge[5].reason.code == "harder_next"
    assert (bridge[5].reason.level, bridge[5].reason.start, bridge[5].reason.easy) == ("leg-stretch", 3, True)
    assert "starting again at 3" in bridge[5].explain()  # a golden English sentence
    step = targets_by_week(weeks, "step-up")
    assert [(t.sets, t.reps) for t in step] == [(1, 5), (1, 7), (1, 9), (1, 11), (3, 10), (3, 10), (3, 10), (3, 10)]
    assert step[5].change == "keep" and step[5].reason.code == "end_of_plan" and step[5].reason.level == "3x10"
    assert "bottle of water" in step[5].explain() and "flesje water" in step[5].explain("nl")


def test_moderate_effort_adds_one_a_week():
    weeks, _ = simulate([WeekScript(effort=3.0)] * 6, MONDAY)
    assert [t.reps for t in targets_by_week(weeks)] == [3, 4, 5, 6, 7, 8]
    assert all((t.reason.code, t.reason.step, t.reason.feel) == ("up", 1, "easy") for t in targets_by_week(weeks)[1:])
    assert all("one more" in t.explain() for t in targets_by_week(weeks)[1:])


def test_without_effort_scores_the_harder_variant_waits_for_the_top_of_the_range():
    weeks, _ = simulate([WeekScript(effort=None)] * 15, MONDAY)
    bridge = targets_by_week(weeks)
    assert max(t.reps for t in bridge if t.variant == "basic") == DEFAULT_SETTINGS.max_reps
    assert bridge[-1].variant == "leg-stretch"


def test_a_missed_week_holds_the_level_and_then_progress_resumes():
    story = [WeekScript(), WeekScript(), WeekScript(days=()), WeekScript(days=()), WeekScript(), WeekScript()]
    bridge = targets_by_week(simulate(story, MONDAY)[0])
    assert [t.reps for t in bridge] == [3, 5, 7, 7, 7, 9]
    assert [(t.reason.code, t.reason.weeks) for t in bridge[3:5]] == [("missed_weeks", 1), ("missed_weeks", 2)]
    assert "no bridges last week" in bridge[3].explain() and "for 2 weeks" in bridge[4].explain()
    assert "geen bruggetjes" in bridge[3].explain("nl")
    assert bridge[3].change == bridge[4].change == "hold"


def test_rising_pain_never_increases_and_keeps_rising_means_see_the_physio():
    story = [WeekScript(pain=2), WeekScript(pain=2), WeekScript(pain=4), WeekScript(pain=6), WeekScript(pain=8),
             WeekScript(pain=2), WeekScript(pain=2)]
    weeks, _ = simulate(story, MONDAY)
    bridge = targets_by_week(weeks)
    assert [t.reps for t in bridge] == [3, 5, 7, 7, 7, 7, 9]
    assert [t.consult_physio for t in bridge] == [False, False, False, False, True, True, False]
    assert [t.reason.code for t in bridge[3:6]] == ["pain_raised", "pain_consult", "pain_consult"]
    assert (bridge[3].reason.pain, bridge[3].reason.pain_before) == (4, 2)
    assert [t.reason.weeks for t in bridge[4:6]] == [2, 3]
    assert "consult your physiotherapist" in bridge[4].explain() and "fysiotherapeut" in bridge[4].explain("nl")
    assert [w.plan.consult_physio for w in weeks] == [t.consult_physio for t in bridge]


def test_pain_that_stays_up_holds_until_it_is_back_down():
    story = [WeekScript(pain=2), WeekScript(pain=2), WeekScript(pain=5), WeekScript(pain=5), WeekScript(pain=5),
             WeekScript(pain=3), WeekScript(pain=2), WeekScript(pain=2)]
    bridge = targets_by_week(simulate(story, MONDAY)[0])
    assert [t.reps for t in bridge] == [3, 5, 7, 7, 7, 7, 7, 9]
    assert [t.consult_physio for t in bridge] == [False, False, False, False, True, True, False, False]
    r4, r6 = bridge[4].reason, bridge[6].reason
    assert (r4.code, r4.pain, r4.pain_before, r4.pain_previous, r4.weeks) == ("pain_consult", 5, 2, 5, 2)
    assert (r6.code, r6.pain, r6.pain_previous, r6.pain_before) == ("pain_falling", 3, 5, 2)
    # golden English sentences
    assert "has stayed higher (5 against 2 before, 2 weeks in a row)" in bridge[4].explain()
    assert "coming down (3 after 5) but is still above its usual 2" in bridge[6].explain()
    assert bridge[7].change == "up"


def test_pain_within_the_usual_range_does_not_hold():
    weeks, _ = simulate([WeekScript(pain=3), WeekScript(pain=2), WeekScript(pain=3), WeekScript(pain=3)], MONDAY)
    assert [t.reps for t in targets_by_week(weeks)] == [3, 5, 7, 9]


def test_hard_effort_holds_and_says_so():
    weeks, _ = simulate([WeekScript(), WeekScript(effort=6.0), WeekScript()], MONDAY)
    bridge = targets_by_week(weeks)
    assert [t.reps for t in bridge] == [3, 5, 5]
    assert (bridge[2].reason.code, bridge[2].reason.effort, bridge[2].reason.reps) == ("felt_hard", 6, 5)
    assert "effort 6 of 10" in bridge[2].explain() and "inspanning 6 van 10" in bridge[2].explain("nl")


def test_fewer_than_three_sessions_hold_the_level():
    weeks, _ = simulate([WeekScript(days=(0, 3)), WeekScript()], MONDAY)
    assert [t.reps for t in targets_by_week(weeks)] == [3, 3]
    why = targets_by_week(weeks)[1].reason
    assert (why.code, why.sessions, why.sessions_min) == ("too_few_sessions", 2, 3)


def test_missing_the_target_holds_the_level():
    weeks, _ = simulate([WeekScript(), WeekScript(short_by=2), WeekScript()], MONDAY)
    bridge = targets_by_week(weeks)
    assert [t.reps for t in bridge] == [3, 5, 5]
    assert (bridge[2].reason.code, bridge[2].reason.met, bridge[2].reason.sessions) == ("not_met", 0, 3)
    assert "0 of 3 sessions reached 5" in bridge[2].explain()


def test_sides_of_the_side_raise_progress_separately():
    story = [WeekScript(), WeekScript(flags={("side-raise", "right"): ("leg_put_down",)}), WeekScript()]
    weeks, history = simulate(story, MONDAY)
    left, right = targets_by_week(weeks, "side-raise", "left"), targets_by_week(weeks, "side-raise", "right")
    assert [t.reps for t in left] == [3, 5, 7]
    assert [t.reps for t in right] == [3, 5, 5]
    why = right[2].reason
    assert (why.code, why.side, why.flag, why.flagged, why.counted) == ("form_remarks", "right", "leg_put_down", 15, 15)
    assert "putting the leg down" in right[2].explain() and "right side" in right[2].explain()
    assert "been neergelegd" in right[2].explain("nl") and "rechterzij" in right[2].explain("nl")
    # Without a side, the live coach gets the more cautious of the two.
    lowest = todays_target(history, "side-raise", today=MONDAY + timedelta(weeks=2))
    assert (lowest.side, lowest.reps) == ("right", 5)


def test_a_measured_video_of_both_sides_is_judged_per_side():
    # Left at the harder level (straight leg), right still bent: one video holds both.
    reps = tuple([Rep.unmeasured(i, "left", 1, (), "straight-leg") for i in range(1, 4)]
                 + [Rep.unmeasured(i, "right", 1, (), "bent-leg") for i in range(4, 9)])
    day = MONDAY
    hist = [SessionRecord(datetime.combine(day + timedelta(days=d), time(9)).astimezone(), "side-raise",
                          "bent-leg", reps, 1, 2.0, kind="analysis") for d in (0, 2, 4)]
    nxt = MONDAY + timedelta(weeks=1)
    left = todays_target(hist, "side-raise", "left", nxt)
    right = todays_target(hist, "side-raise", "right", nxt)
    assert (left.variant, left.reps, left.change) == ("straight-leg", 3, "harder")
    assert (right.variant, right.reps, right.change) == ("bent-leg", 5, "up")


def test_step_up_sets_must_all_reach_ten():
    s = DEFAULT_SETTINGS
    days = [MONDAY + timedelta(days=d) for d in (0, 2, 4)]
    # Get to 3x10 first: a history that ends the single-set level easily at 10.
    start = [session(d - timedelta(weeks=1), "step-up", "3x10", (10, 10, 10)) for d in days]
    short = start + [session(d, "step-up", "3x10", (10, 10, 6)) for d in days]
    full = start + [session(d, "step-up", "3x10", (10, 10, 10), effort=5.0) for d in days]
    nxt = MONDAY + timedelta(weeks=1)
    t_short, t_full = todays_target(short, "step-up", today=nxt), todays_target(full, "step-up", today=nxt)
    assert (t_short.sets, t_short.reps, t_short.change) == (s.step_up_sets, s.step_up_set_reps, "hold")
    assert (t_short.reason.code, t_short.reason.met, t_short.reason.sets, t_short.reason.reps) == ("not_met", 0, 3, 10)
    assert "0 of 3 sessions reached 3 × 10" in t_short.explain()
    assert "3 sets van 10 keer" in t_short.explain("nl")
    assert t_full.change == "hold" and t_full.reason.code == "felt_hard"
    assert level_from_analysis("step-up", [None] * 30, [10, 10, 10]) == "3x10"
    assert level_from_analysis("step-up", [None] * 26, [10, 10, 6]) == "3x10"
    assert level_from_analysis("step-up", [None] * 12, [12]) == "single-set"
    assert level_from_analysis("step-up", [None] * 9, [5, 2, 2]) == "single-set"  # pauses in a short series


def test_doing_the_harder_variant_early_moves_the_plan_along():
    hist = [session(MONDAY + timedelta(days=d), "bridge", "leg-stretch", (4,)) for d in (0, 2, 4)]
    t = todays_target(hist, "bridge", today=MONDAY + timedelta(weeks=1))
    assert (t.variant, t.reps, t.change) == ("leg-stretch", 3, "harder")
    assert (t.reason.code, t.reason.level, t.reason.start) == ("did_harder", "leg-stretch", 3)
    # ... but not while pain is up.
    calm = [session(MONDAY - timedelta(weeks=1) + timedelta(days=d), "bridge", "basic", (3,), pain=1)
            for d in (0, 2, 4)]
    sore = [session(MONDAY + timedelta(days=d), "bridge", "leg-stretch", (4,), pain=5) for d in (0, 2, 4)]
    t = todays_target(calm + sore, "bridge", today=MONDAY + timedelta(weeks=1))
    assert (t.variant, t.change, t.reason.code) == ("basic", "hold", "pain_raised")
    # Going back to the easier variant keeps the plan's level.
    back = hist + [session(MONDAY + timedelta(weeks=1, days=d), "bridge", "basic", (8,)) for d in (0, 2, 4)]
    t = todays_target(back, "bridge", today=MONDAY + timedelta(weeks=2))
    assert (t.variant, t.reps, t.change) == ("leg-stretch", 3, "hold") and t.reason.code == "did_easier"
    assert "easier variant" in t.explain() and "lichtere variant" in t.explain("nl")


def test_flagged_reps_hold_but_hand_written_sessions_are_not_judged_on_form():
    weeks, _ = simulate([WeekScript(flags={("bridge", None): ("hold_short",)})] * 2, MONDAY)
    assert [t.reps for t in targets_by_week(weeks)] == [3, 3]
    assert (targets_by_week(weeks)[1].reason.code, targets_by_week(weeks)[1].reason.flag) == ("form_remarks",
                                                                                              "hold_short")
    assert "a hold that was too short" in targets_by_week(weeks)[1].explain()
    manual = [session(MONDAY + timedelta(days=d), "bridge", "basic", (3,), kind="manual") for d in (0, 2, 4)]
    assert todays_target(manual, "bridge", today=MONDAY + timedelta(weeks=1)).reps == 5


def test_the_plan_only_moves_on_mondays_and_ignores_input_order():
    _, history = simulate([WeekScript()] * 3, MONDAY)
    wednesday = MONDAY + timedelta(weeks=2, days=2)
    shuffled = history[:]
    random.Random(1).shuffle(shuffled)
    assert make_plan(history, wednesday).targets == make_plan(shuffled, wednesday).targets

    def what(plan):
        return [(t.reps, t.sets, t.variant, t.change, t.explain()) for t in plan.targets]

    assert what(make_plan(history, wednesday)) == what(make_plan(history, MONDAY + timedelta(weeks=2)))


def test_whether_a_session_is_due():
    _, history = simulate([WeekScript(days=(0, 1, 2, 3, 4))], MONDAY)
    assert make_plan(history, MONDAY + timedelta(days=2)).trained_today
    assert make_plan(history, MONDAY + timedelta(days=2)).targets[0].done_this_week == (3, 3, 3)
    assert not make_plan(history, MONDAY + timedelta(days=2)).session_due
    saturday = make_plan(history, MONDAY + timedelta(days=5))
    assert (saturday.sessions_this_week, saturday.session_due) == (5, False)
    assert (saturday.due_reason.code, saturday.due_reason.sessions) == ("max_sessions", 5)
    assert "rest" in saturday.explain_due() and "rust" in saturday.explain_due("nl")
    _, one = simulate([WeekScript(days=(0,))], MONDAY)
    sunday = make_plan(one, MONDAY + timedelta(days=6))
    assert sunday.session_due and sunday.due_reason == Reason("due_behind", sessions=1, sessions_min=3)
    friday = make_plan(one, MONDAY + timedelta(days=4))
    assert friday.session_due and friday.due_reason == Reason("due", sessions=1, sessions_min=3, sessions_max=5)
    assert "1 of 3–5 done" in friday.explain_due()
    saturday = make_plan(one, MONDAY + timedelta(days=5))
    assert saturday.session_due and saturday.due_reason == Reason("due_tight", sessions=1, needed=2, days_left=2)
    assert "2 more are needed in the 2 days left" in saturday.explain_due()


def test_every_reason_is_one_plain_sentence():
    weeks, _ = simulate(default_story(), MONDAY)
    reasons = [t.explain() for w in weeks for t in w.plan.targets]
    assert len(reasons) == 36
    for r in reasons:
        assert r[0].isupper() and r.endswith(".") and ". " not in r, r
    for r in (t.explain("nl") for w in weeks for t in w.plan.targets):  # Dutch: short sentences
        assert r[0].isupper() and r.endswith(".") and "{" not in r, r
    assert {t.change for w in weeks for t in w.plan.targets} == {"start", "up", "hold", "harder", "keep"}


def test_week_start_is_monday():
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_unknown_exercise_and_side_are_refused():
    with pytest.raises(InputError):
        todays_target([], "squat")
    with pytest.raises(ValueError):
        todays_target([], "side-raise", side="up")


def test_settings_file_mirrors_the_defaults_and_rejects_nonsense(tmp_path):
    assert load_plan_settings() == DEFAULT_SETTINGS == plan_settings()
    bad = tmp_path / "p.toml"
    bad.write_text("[plan]\nbridge_start = 4\n")
    with pytest.raises(InputError, match="unknown key"):
        load_plan_settings(bad)
    with pytest.raises(InputError):
        PlanSettings(sessions_min_per_week=6, sessions_max_per_week=5)
    custom = PlanSettings(bridge_start_reps=5, step_large=3)
    weeks, _ = simulate([WeekScript()] * 2, MONDAY, settings=custom)
    assert [t.reps for t in targets_by_week(weeks)] == [5, 8]
