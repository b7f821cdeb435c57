"""The `posecount` command: a thin skin over the library; every error becomes one line."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from posecount import __version__, exercises
from posecount.cli.console import (
    Flag,
    ProfileOpt,
    byte_progress,
    err,
    frame_progress,
    model_for,
    out,
    profile_db,
    writable,
)
from posecount.cli.progress_commands import DbOpt, EffortOpt, PainOpt
from posecount.errors import InputError, PosecountError
from posecount.storage import atomic_write

app = typer.Typer(
    name="posecount",
    help="Counts and checks the hip-osteoarthritis exercises (bridge, side-lying leg raise, "
    "step-up) in a video or from a webcam, with MediaPipe pose estimation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List, fetch and locate the pose models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

EXERCISE_HELP = "bridge, side-raise, step-up, or auto (recognise it from the video)."
MODEL_HELP = "lite, full (default) or heavy, or a path to a .task file (also: POSECOUNT_MODEL)."
SourceArg = Annotated[str, typer.Argument(
    help="A video file (mp4, mov, avi, webm, mkv), a folder of images, a camera index, or a pose "
    "track (.npz) made by `posecount track`.", show_default=False)]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help=MODEL_HELP, show_default=False)]
RotateOpt = Annotated[int, typer.Option(
    "--rotate", help="Turn frames clockwise by 0/90/180/270 degrees, for videos whose rotation "
    "metadata is missing (metadata is honoured by itself).")]


def _version(value: bool) -> None:
    if value:
        out.print(f"posecount {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, Flag("--verbose", "-v", help="Log what happens on stderr.")] = False,
    version: Annotated[bool | None, Flag("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _print_table(result: dict) -> None:
    unit = (result.get("signal") or {}).get("unit", "")
    what = (f"{result['exercise']} — {result['reps']} repetition(s)" if exercises.find(result["exercise"])
            else "no exercise recognised — nothing counted")
    title = f"{result['source']}: {what}"
    table = Table(title=title, title_justify="left")
    reps = result.get("repetitions", [])
    levels = any(rep.get("variant") for rep in reps)  # a harder level in the set: say which reps
    cols = ("#", "side", *(("level",) if levels else ()), "set", "start s", "hold s", "rise s", "lower s",
            f"peak {unit}".strip(), "flags")
    for col in cols:
        table.add_column(col, justify="left" if col in ("side", "level", "flags") else "right",
                         overflow="fold" if col == "flags" else "ellipsis")
    for rep in reps:
        level = (rep.get("variant") or "basic",) if levels else ()
        table.add_row(str(rep.get("index", "")), rep.get("side") or "–", *level, str(rep.get("set") or "–"),
                      _fmt(rep.get("start_s")), _fmt(rep.get("hold_s")), _fmt(rep.get("rise_s")),
                      _fmt(rep.get("lower_s")), _fmt(rep.get("peak")),
                      ", ".join(f.replace("_", " ") for f in rep.get("flags", [])) or "ok")
    out.print(table)
    for rej in result.get("rejected", []):
        reason = str(rej.get("reason", rej) if isinstance(rej, dict) else rej).replace("_", " ")
        when = f" at {rej['start_s']:.1f} s" if isinstance(rej, dict) and rej.get("start_s") is not None else ""
        out.print(f"[yellow]not counted{when}:[/] {reason}")
    out.print(f"{result['frames']} frames, a person in {result['frames_with_pose']}; "
              f"{result['duration_s']:.1f} s at {result['fps']:.1f} fps; model {result['model']}; "
              f"{result['processing_fps']:.0f} frames/s")
    for w in result.get("warnings", []):
        out.print(f"[bold yellow]warning:[/] {w}")


@app.command()
def analyze(
    source: SourceArg,
    exercise: Annotated[str, typer.Option("--exercise", "-e", help=EXERCISE_HELP)] = "auto",
    as_json: Annotated[bool, Flag("--json", help="Print one JSON document on stdout (the "
                                          "analysis contract) and nothing else there.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the JSON here.")] = None,
    save_track: Annotated[Path | None, typer.Option("--save-track", help="Also save the poses as "
                                                       "a track (.npz) to re-analyse without the model.")] = None,
    model: ModelOpt = None,
    rotate: RotateOpt = 0,
    progress: Annotated[bool, Flag(help="Show a progress bar on stderr.")] = True,
    save: Annotated[bool, Flag("--save", help="Store the session in the history (see `posecount "
                                       "history` and `posecount plan`).")] = False,
    pain: PainOpt = None,
    effort: EffortOpt = None,
    db: DbOpt = None,
    strict: Annotated[bool, Flag("--strict", help="Count only the repetitions that meet every rule of the "
                                 "leaflet (for a physiotherapist); flagged ones are listed as not counted.")] = False,
    profile: ProfileOpt = None,
) -> None:
    """Count and check the repetitions of one exercise in a video or pose track."""
    from posecount.pipeline import analyze as run_analysis

    _, db = profile_db(db, profile)  # a wrong profile fails before minutes of analysis
    for path in (output, save_track):
        if path is not None:
            writable(path)
    with frame_progress(f"analysing {Path(source).name}", progress and err.is_terminal) as bar:
        run = run_analysis(source, exercise=exercise, model=model_for(source, model), rotate=rotate,
                           keep_track=save_track is not None, progress=bar, strict=strict)
    result = run.to_dict()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if output is not None:
        _write_text(output, text + "\n")
    if save_track is not None and run.track is not None:
        run.track.save(save_track)
    note = _save_to_history(result, db, pain, effort, kind="analysis") if save else None
    if as_json:
        sys.stdout.write(text + "\n")
    else:
        _print_table(result)
        for path, what in ((output, "result"), (save_track, "pose track")):
            if path is not None:
                out.print(f"{what} written to {path}")
    if note:
        err.print(note)
    if run.interrupted:
        raise typer.Exit(130)


def _save_to_history(result: dict, db: Path, pain: int | None, effort: float | None, kind: str,
                     lang: str = "en") -> str:
    """Stores a session in the history `db`; returns the line that tells where it went and what is
    next (the plan's part in `lang`)."""
    from posecount.cli.progress_commands import progress_note
    from posecount.progress.history import save_analysis

    if exercises.find(result.get("exercise")) is None:
        return "not saved to the history: no exercise was recognised"
    session_id = save_analysis(result, db, pain=pain, effort=effort, kind=kind)
    return f"saved to the history as session {session_id} ({db}). " + progress_note(result["exercise"], db, lang=lang)


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, text)


@app.command()
def live(
    exercise: Annotated[str, typer.Option("--exercise", "-e", help=EXERCISE_HELP)] = "auto",
    camera: Annotated[int, typer.Option("--camera", help="Webcam index.")] = 0,
    source: Annotated[str | None, typer.Option(
        "--source", help="A video file to play as if it were the camera (at its own frame rate).")] = None,
    target: Annotated[int | None, typer.Option(
        "--target", min=1, help="Repetitions to do (per side for the side raise); the session ends there.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the spoken and shown cues: nl or en (default: your system's language, "
        "or POSECOUNT_LANG).", show_default=False)] = None,
    model: ModelOpt = None,
    window: Annotated[bool, Flag(help="Show the camera window (space pauses, q or Esc quits).")] = True,
    windowed: Annotated[bool, Flag("--windowed", help="A window instead of the full screen.")] = False,
    debug: Annotated[bool, Flag("--debug", help="Also show the frame rate and the measured value.")] = False,
    quiet: Annotated[bool, Flag("--quiet", help="No speech (cues are still shown).")] = False,
    record: Annotated[Path | None, typer.Option("--record", help="Also save the poses as a track (.npz).")]
    = None,
    realtime: Annotated[bool, Flag(help="Play a --source file at its own speed, dropping frames "
                                           "when behind, like a camera.")] = True,
    save: Annotated[bool, Flag(help="Store the session in the history and ask for pain and effort "
                                       "afterwards (Enter skips).")] = True,
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Count along live in front of a webcam, hands-free, with spoken cues in Dutch or English."""
    from posecount import profiles
    from posecount.coach.cues import LANGUAGES
    from posecount.coach.live import LiveCoach, LiveOptions
    from posecount.lang import default_lang

    exercise = exercises.parse(exercise)  # a typo is one line naming every choice, "auto" too
    name, db = profile_db(db, profile)
    lang = lang or default_lang()
    if lang not in LANGUAGES:
        raise InputError(f"unknown language '{lang}': choose nl or en")
    if record is not None:
        writable(record)
    if target is None and exercise != "auto":
        target = _planned_target(exercise, db, lang)
    window = window and _display_ok()
    opts = LiveOptions(exercise=exercise, source=source if source is not None else str(camera), target=target,
                       lang=lang, model=model_for(None, model), window=window, quiet=quiet, record=record,
                       realtime=realtime, fullscreen=not windowed, debug=debug,
                       sessions_dir=profiles.sessions_folder(name))
    result = LiveCoach(opts).run()
    summary = result.run.to_dict()
    _print_table(summary)
    if result.frames_dropped:
        out.print(f"{result.frames_dropped} of {result.frames_read} frames were dropped to keep up")
    out.print(f"session ended ({result.end_reason}); saved to {result.saved_to}")
    if save and summary["reps"] > 0:
        from posecount.cli.progress_commands import ask_scores

        pain, effort = ask_scores() if sys.stdin.isatty() else (None, None)
        out.print(_save_to_history(summary, db, pain, effort, kind="live", lang=lang))
    if result.end_reason == "interrupted":
        raise typer.Exit(130)


def _display_ok() -> bool:
    """Whether a window can be opened; else one line saying why (the session goes on without)."""
    from posecount.coach.window import display_problem

    problem = display_problem()
    if problem is not None:
        err.print(f"posecount: {problem}: counting without a window", markup=False, highlight=False, soft_wrap=True)
    return problem is None


def _planned_target(exercise: str, db: Path, lang: str = "en") -> int | None:
    """Today's target from the weekly plan (per side for the side raise)."""
    from posecount.progress.history import load_sessions
    from posecount.progress.plan import todays_target

    target = todays_target(load_sessions(db), exercise)
    err.print(f"today's target: {target.amount} — {target.explain(lang)}")
    return target.reps * max(target.sets, 1)


@app.command()
def track(
    source: SourceArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the track (.npz).")],
    model: ModelOpt = None,
    rotate: RotateOpt = 0,
    exercise: Annotated[str, typer.Option(
        "--exercise", "-e", help="With several people in view, follow the one doing this exercise "
        "(bridge, side-raise, step-up; auto: whoever fits best).")] = "auto",
    progress: Annotated[bool, Flag(help="Show a progress bar on stderr.")] = True,
) -> None:
    """Save every frame's pose landmarks to a track, to analyse again without the model."""
    from posecount.pipeline import record_track

    exercise = exercises.parse(exercise)
    writable(output)
    with frame_progress(f"tracking {Path(source).name}", progress and err.is_terminal) as bar:
        result = record_track(source, model=model_for(source, model), rotate=rotate, progress=bar,
                              exercise=exercise)
    path = result.save(output)
    for w in result.warnings:
        err.print(f"[bold yellow]warning:[/] {w}")
    out.print(f"{len(result)} frames ({result.frames_with_pose} with a person) written to {path}")


@models_app.command("list")
def models_list() -> None:
    """Show the models, and which are cached."""
    from posecount.pose import models

    table = Table(title=f"pose models (cache: {models.cache_dir()})", title_justify="left")
    for col in ("name", "cached", "sha256", "how to get it"):
        table.add_column(col)
    for name in models.MODEL_NAMES:
        cached = models.cached_model(name)
        how = "download, or built from the mediapipe wheel offline" if name == "full" else "download only"
        table.add_row(name, "yes" if cached else "no", cached.sha256[:16] + "…" if cached else "–", how)
    out.print(table)
    env = os.environ.get(models.ENV_MODEL)
    if env:
        out.print(f"{models.ENV_MODEL} is set: {env} is used instead of these")


@models_app.command("fetch")
def models_fetch(
    name: Annotated[str, typer.Argument(help="lite, full or heavy.")] = "full",
    force: Annotated[bool, Flag(help="Fetch again even when a good copy is cached.")] = False,
) -> None:
    """Download the model (or build the full one offline) into the cache."""
    from posecount.pose import models

    if name not in models.MODEL_NAMES:
        raise PosecountError(f"unknown model '{name}': choose one of {', '.join(models.MODEL_NAMES)}")
    found = None if force else models.cached_model(name)
    if found is None:
        update, bar = byte_progress(f"fetching {models.file_name(name)}", err.is_terminal)
        with bar:
            found = models.fetch(name, progress=update)
    out.print(f"{found.path} ({found.origin}, sha256 {found.sha256})")


@models_app.command("path")
def models_path(model: Annotated[str, typer.Argument(help=MODEL_HELP)] = "full") -> None:
    """Print the path of the model that would be used (fetching it if needed)."""
    from posecount.pose import models

    out.print(str(models.resolve(model).path), soft_wrap=True)


def _register_commands() -> None:
    """Commands that live beside their library code: plan/log/history, report/annotate."""
    from posecount.cli.app_commands import register as register_app
    from posecount.cli.batch_commands import register as register_batch
    from posecount.cli.data_commands import register as register_data
    from posecount.cli.profile_commands import register as register_profiles
    from posecount.cli.progress_commands import register as register_progress
    from posecount.cli.report_commands import register as register_report

    register_progress(app)
    register_report(app)
    register_data(app)
    register_profiles(app)
    register_batch(app)
    register_app(app)


_register_commands()


def main(argv: list[str] | None = None) -> int:
    """Runs the app; PosecountError, usage errors and Ctrl-C become one line on stderr."""
    os.umask(0o077)  # whatever posecount or a library writes is the user's only (health data)
    try:
        code = app(args=argv, standalone_mode=False)  # click returns typer.Exit's code here, not raises
    except PosecountError as exc:
        err.print(f"posecount: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        err.print("posecount: interrupted", markup=False)
        return 130
    except Exception as exc:  # noqa: BLE001 — the promise is: never a traceback
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # a usage error (click's kind)
            err.print(f"posecount: error: {exc.format_message()} (see posecount --help)", markup=False,
                      highlight=False, soft_wrap=True)
            return int(exc.exit_code)
        if os.environ.get("POSECOUNT_DEBUG"):
            raise
        err.print(f"posecount: internal error: {type(exc).__name__}: {exc} "
                  "(run with POSECOUNT_DEBUG=1 for details, and please report it)",
                  markup=False, highlight=False, soft_wrap=True)
        return 1
    return code if isinstance(code, int) else 0


def run() -> None:
    sys.exit(main())
