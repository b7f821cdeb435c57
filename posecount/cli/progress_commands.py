"""`posecount plan`, `log` and `history`: the weekly plan and the history on the command line.

`register(app)` adds the three commands to the main typer app; each is a thin skin over
`plan`, `history`, `summary` and `chart`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from posecount import exercises
from posecount.cli.console import Flag, LangOpt, ProfileOpt, err, out, profile_db
from posecount.errors import InputError
from posecount.lang import default_lang
from posecount.progress.chart import save_png, text_bar
from posecount.progress.history import ENV_DB, add_session, check_scores, load_sessions, manual_session
from posecount.progress.plan import Plan, make_plan, todays_target, week_start
from posecount.progress.plan_texts import TEXTS, amount, level_label, long_date, number, side_words
from posecount.progress.records import SessionRecord
from posecount.progress.rules import plan_settings
from posecount.progress.summary import CSV_COLUMNS, TRACKS, session_row, summarise_weeks
from posecount.storage import atomic_write

DbOpt = Annotated[Path | None, typer.Option(
    "--db", help=f"The history database (default: history.sqlite3 in the user data folder, or ${ENV_DB}).",
    show_default=False)]
PainOpt = Annotated[int | None, typer.Option(
    "--pain", min=0, max=10, help="Pain after the set, 0 (none) to 10 (worst imaginable).", show_default=False)]
EffortOpt = Annotated[float | None, typer.Option(
    "--effort", min=0, max=10, help="How hard it was on the Borg CR10 scale: 0 nothing, 2 light, 3 moderate, "
    "5 hard, 7 very hard, 10 extremely hard.", show_default=False)]
SIDE_WORDS = {None: "", "left": "lying on the left side", "right": "lying on the right side"}


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{what} must be a date like 2026-11-26, not '{text}'") from exc


def _when(text: str | None) -> datetime:
    """`--when`: a date, or a date and time; local time."""
    if text is None:
        return datetime.now().astimezone()
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError as exc:
        raise InputError(f"--when must look like 2026-11-26 or '2026-11-26 18:30', not '{text}'") from exc
    if value.tzinfo is None and len(text.strip()) <= 10:
        value = value.replace(hour=12)  # a bare date: midday keeps it on that day in any time zone shift
    value = value if value.tzinfo else value.astimezone()
    if value.date() > date.today():
        raise InputError(f"--when is in the future ({value:%d %b %Y}): record a set after doing it")
    return value


def _target_cell(t, lang: str) -> str:
    words = amount(t.reps, t.sets, lang)
    return TEXTS[lang]["hold_cell"].format(amount=words, hold_s=number(t.hold_s, lang)) if t.hold_s else words


def _this_week(plan: Plan, lang: str) -> str:
    s, w = plan_settings(), TEXTS[lang]
    return w["this_week"].format(sessions=plan.sessions_this_week, sessions_min=s.sessions_min_per_week,
                                 sessions_max=s.sessions_max_per_week,
                                 sessions_word=w["session_one" if plan.sessions_this_week == 1 else "session_many"])


def print_plan(plan: Plan, console: Console = out, lang: str = "en") -> None:
    """Today's plan as a table, then the week's sessions and whether one is due, in `lang`."""
    w = TEXTS[lang]
    table = Table(title=w["plan_title"].format(date=long_date(plan.today, lang)), title_justify="left",
                  show_lines=True)
    # Trained today: the targets are for the next session, not for another set today.
    for col in ("col_exercise", "col_next" if plan.trained_today else "col_today", "col_done", "col_why"):
        table.add_column(w[col], overflow="fold")
    for t in plan.targets:
        name = level_label(t.exercise, t.variant, lang) + (f" ({side_words(t.side, lang)})" if t.side else "")
        style = "bold red" if t.consult_physio else ("green" if t.change in ("up", "harder") else "")
        done = ", ".join(map(str, t.done_this_week)) or "–"
        why = escape(t.explain(lang))
        table.add_row(name, _target_cell(t, lang), done, f"[{style}]{why}[/]" if style else why)
    console.print(table)
    console.print(f"{_this_week(plan, lang)} {escape(plan.explain_due(lang))}")
    if plan.consult_physio:
        console.print(f"[bold red]{w['consult']}[/]")


def _plan(
    db: DbOpt = None,
    on: Annotated[str | None, typer.Option("--date", help="Plan for this day (YYYY-MM-DD) instead of "
                                           "today, from the sessions before it.", show_default=False)] = None,
    as_json: Annotated[bool, Flag("--json", help="Print the plan as one JSON document (reasons as codes "
                                  "and numbers).")] = False,
    lang: LangOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Today's targets from the leaflet's weekly plan and your history, each with the reason."""
    from posecount.report.texts import check_lang

    lang = check_lang(lang or default_lang())
    _, db = profile_db(db, profile)
    today = _day(on, "--date") or date.today()
    history = [s for s in load_sessions(db) if s.day <= today]
    plan = make_plan(history, today)
    if as_json:
        sys.stdout.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    print_plan(plan, lang=lang)
    if not history:
        out.print(escape(TEXTS[lang]["no_sessions"]))


def _reps_per_set(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError as exc:
        raise InputError(f"--reps must be a number, or numbers per set like 10,10,8; not '{text}'") from exc
    if not values or any(v < 0 or v > 200 for v in values):
        raise InputError(f"--reps must be between 0 and 200 per set, not '{text}'")
    return values


def _log(
    exercise: Annotated[str, typer.Argument(help="bridge, side-raise or step-up.", show_default=False)],
    reps: Annotated[str, typer.Option("--reps", "-r", help="Repetitions done; per set as 10,10,8. Side raise: "
                                      "per side.", show_default=False)],
    side: Annotated[str | None, typer.Option("--side", help="Side raise: the side you lay on: left, right "
                                             "or both (default: both).", show_default=False)] = None,
    variant: Annotated[str | None, typer.Option("--variant", help="bridge: basic or leg-stretch; side-raise: "
                                                "bent-leg or straight-leg; step-up: single-set or 3x10 "
                                                "(default: what the plan asks today).",
                                                show_default=False)] = None,
    pain: PainOpt = None,
    effort: EffortOpt = None,
    when: Annotated[str | None, typer.Option("--when", help="When it was done: 2026-11-26 or "
                                             "'2026-11-26 18:30' (default: now).", show_default=False)] = None,
    note: Annotated[str, typer.Option("--note", help="A note for yourself or your physiotherapist.")] = "",
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Record a set done without the camera, with your pain and effort."""
    name, db = profile_db(db, profile)
    ex = exercises.get(exercise)
    exercise = ex.name
    if not ex.per_side and side is not None:
        raise InputError("--side is for the side raise only (the side you lay on)")
    if ex.per_side:
        side = side or "both"
        if side not in ("left", "right", "both"):
            raise InputError(f"--side must be left, right or both, not '{side}'")
    check_scores(pain, effort)
    per_set = _reps_per_set(reps)
    started = _when(when)
    history = load_sessions(db)
    sides = ("left", "right") if side == "both" else (side,)
    if variant is not None:
        plan_settings().level_index(exercise, variant)  # a clear message for a wrong name
        variants = {sd: variant for sd in sides}
    else:
        before = [s for s in history if s.started_at.replace(tzinfo=None) < started.replace(tzinfo=None)]
        variants = {sd: todays_target(before, exercise, sd, started.date()).variant for sd in sides}
    # Both sides in one session when they are at the same level; else one session per side.
    groups = [(side, variants[sides[0]])] if len(set(variants.values())) == 1 else list(variants.items())
    for sd, level in groups:
        session = manual_session(exercise, per_set, sd, level, pain, effort, started, note)
        sid = add_session(session, db)
        where = f", {SIDE_WORDS[sd]}" if sd in SIDE_WORDS and sd else (", each side" if sd == "both" else "")
        out.print(f"Recorded session {sid}: {exercise} ({level}) {'+'.join(map(str, per_set))}{where}"
                  f"{'' if pain is None else f', pain {pain}'}{'' if effort is None else f', effort {effort:g}'}"
                  f" on {started:%a %d %b %Y %H:%M}.")
    out.print(escape(progress_note(exercise, db)))
    out.print(f"History of profile {escape(name)}: {escape(str(db))}")


def _cell(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _reps_cell(s: SessionRecord) -> str:
    if len(s.sides) == 2 and exercises.get(s.exercise).per_side:
        return f"{s.count('left')} L + {s.count('right')} R"
    return "+".join(map(str, s.set_counts())) or "0"


def _sessions_table(sessions: list[SessionRecord], rows: list[dict], first: date, wide: bool) -> Table:
    """One row per session; at 80 columns the variant and the session's origin are left out
    (both are in `--csv`) and pain and effort share a column, so that no word is cut."""
    table = Table(title=f"Sessions since {first:%d %b %Y}", title_justify="left")
    cols = (("when", "exercise", "variant", "side", "reps", "hold s", "remarks", "pain", "effort", "from") if wide
            else ("when", "exercise", "side", "reps", "hold s", "remarks", "pain/effort"))
    for col in cols:
        table.add_column(col, justify="right" if col in ("reps", "hold s", "pain", "effort") else "left",
                         no_wrap=col in ("when", "exercise", "side", "reps", "hold s"))
    for s, row in zip(sessions, rows):
        remarks = f"{row['flagged_reps']}/{row['reps']}: {row['flags']}" if row["flagged_reps"] else (
            "ok" if s.measured else "–")
        side = str(row["side"] or "–")
        if wide:
            table.add_row(f"{s.started_at:%a %d %b %H:%M}", s.exercise, s.variant, side, _reps_cell(s),
                          _cell(row["mean_hold_s"]), remarks, _cell(s.pain, 0), _cell(s.effort), s.kind)
        else:
            table.add_row(f"{s.started_at:%d %b %H:%M}", s.exercise, side, _reps_cell(s), _cell(row["mean_hold_s"]),
                          remarks, f"{_cell(s.pain, 0)}/{_cell(s.effort)}")
    return table


def _write_csv(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, buf.getvalue())


def _history(
    weeks: Annotated[int, typer.Option("--weeks", "-w", min=1, max=520, help="How many weeks back, "
                                       "this week included.")] = 8,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Also write the sessions to this CSV file.",
                                                  show_default=False)] = None,
    png_path: Annotated[Path | None, typer.Option("--png", help="Also draw the weekly chart (reps, hold, "
                                                  "pain) into this PNG file.", show_default=False)] = None,
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Your sessions and a weekly chart of reps, hold times and pain."""
    name, db = profile_db(db, profile)
    today = date.today()
    first = week_start(today) - timedelta(weeks=weeks - 1)
    sessions = [s for s in load_sessions(db) if first <= s.day <= today]
    rows = [session_row(s) for s in sessions]

    table = _sessions_table(sessions, rows, first, wide=out.width >= 110)
    if sessions:
        out.print(table)
    else:
        out.print(f"No sessions in the last {weeks} week{'s' if weeks != 1 else ''} "
                  f"(history of profile {escape(name)}: {escape(str(db))}).")

    summary = summarise_weeks(sessions, today, weeks)
    # Bars on the scale of the leaflet's goal, so that their length shows the way still to go.
    top = max([v for w in summary for v in w.best_reps.values() if v] + [plan_settings().max_reps])
    chart = Table(title="Per week: most reps in one set (× sets), mean hold, mean pain", title_justify="left")
    chart.add_column("week of")
    chart.add_column("days", justify="right")
    for _, _, label in TRACKS:
        chart.add_column(label)
    chart.add_column("hold s B/R", justify="right")
    chart.add_column("pain")
    for w in summary:
        hold = "/".join(_cell(v) for v in w.mean_hold_s.values())
        reps_cells = [f"{v:>2}{f'×{w.best_sets[k]}' if (w.best_sets[k] or 0) > 1 else '  '} "
                      f"[cyan]{text_bar(v, top, 8)}[/]" if v else "–" for k, v in w.best_reps.items()]
        pain = f"{w.pain:>3.1f} [red]{text_bar(w.pain, 10, 5)}[/]" if w.pain is not None else "–"
        chart.add_row(f"{w.monday:%d %b}", str(w.training_days), *reps_cells, hold, pain)
    if sessions:
        out.print(chart)

    if csv_path is not None:
        _write_csv(csv_path, rows)
        out.print(f"sessions written to {escape(str(csv_path))}")
    if png_path is not None:
        save_png(summary, png_path)
        out.print(f"chart written to {escape(str(png_path))}")


def ask_scores(console: Console = err) -> tuple[int | None, float | None]:
    """Asks pain (0-10) and effort (Borg CR10) in the terminal after a set; Enter skips either."""
    from rich.prompt import Prompt

    def ask(question: str, cast, low: float, high: float):
        while True:
            answer = Prompt.ask(question, console=console, default="", show_default=False).strip()
            if not answer:
                return None
            try:
                value = cast(answer.replace(",", "."))
            except ValueError:
                value = None
            if value is not None and low <= value <= high:
                return value
            console.print(f"please give a number from {low:g} to {high:g}, or press Enter to skip")

    pain = ask("Pain now, 0 (none) to 10 (worst)? [Enter skips]", int, 0, 10)
    effort = ask("How hard was it, 0 (nothing) 2 (light) 3 (moderate) 5 (hard) to 10? [Enter skips]", float, 0, 10)
    return pain, effort


def progress_note(exercise: str, db: Path | str | None = None, today: date | None = None, lang: str = "en") -> str:
    """One line after a saved set: this week's sessions of `exercise` against today's target, in `lang`."""
    today = today or date.today()
    plan = make_plan([s for s in load_sessions(db) if s.day <= today], today)
    ex, w = exercises.get(exercise), TEXTS[lang]
    parts = []
    for t in (t for t in plan.targets if exercises.get(t.exercise) is ex):
        side = f" ({w[t.side]})" if t.side else ""
        done = ", ".join(map(str, t.done_this_week)) or w["note_none"]
        parts.append(w["note_item"].format(label=level_label(t.exercise, t.variant, lang), side=side, done=done,
                                           amount=amount(t.reps, t.sets, lang)))
    return f"{'; '.join(parts)}. {plan.explain_due(lang)}"


def register(app: typer.Typer) -> None:
    """Adds `plan`, `log` and `history` to the posecount app."""
    app.command("plan")(_plan)
    app.command("log")(_log)
    app.command("history")(_history)


__all__ = ["DbOpt", "EffortOpt", "PainOpt", "ask_scores", "print_plan", "progress_note", "register"]
