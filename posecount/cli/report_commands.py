"""The `report` and `annotate` commands; `register(app)` adds them to the posecount CLI."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from posecount import exercises
from posecount.cli.console import (
    Flag,
    LangOpt,
    ProfileOpt,
    err,
    frame_progress,
    model_for,
    out,
    profile_db,
    writable,
)
from posecount.errors import InputError, OutputError
from posecount.lang import default_lang
from posecount.storage import atomic_write, private_temp_path, publish

EXERCISE_HELP = "bridge, side-raise, step-up, or auto (recognise it from the video)."
VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov"}

ExerciseOpt = Annotated[str, typer.Option("--exercise", "-e", help=EXERCISE_HELP)]
BlurOpt = Annotated[bool, Flag(
    "--blur/--no-blur", help="Blur faces in every picture and video written (the default); "
    "--no-blur keeps them, e.g. for the patient's own copy.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", help="lite, full (default) or heavy, or a path to a .task file.", show_default=False)]
RotateOpt = Annotated[int, typer.Option(
    "--rotate", help="Turn frames clockwise by 0/90/180/270 degrees (for videos whose rotation metadata "
    "is missing).")]
ProgressOpt = Annotated[bool, Flag(help="Show a progress bar on stderr.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the report (.html).",
                                                show_default=False)]
PdfOpt = Annotated[Path | None, typer.Option(
    "--pdf", help="Also (or only) print the report to this PDF, with a local Chromium or Chrome (headless, "
    "offline).", show_default=False)]
RecordedOpt = Annotated[str | None, typer.Option(
    "--recorded", help="The day the video was recorded, YYYY-MM-DD (default: from the video's metadata, "
    "else the file's date).", show_default=False)]


def _write_text_atomic(path: Path, text: str) -> None:
    """Through a temporary file and a rename: never a half-written report."""
    atomic_write(path, text)


def _counted(run) -> str:
    """ "3 repetition(s) of bridge", or that no exercise was recognised."""
    return (f"{run.reps} repetition(s) of {run.exercise}" if exercises.find(run.exercise)
            else "no exercise recognised, nothing counted")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--recorded must be a date like 2026-11-28, not {text!r}") from None
    if day > date.today():
        raise InputError(f"--recorded is in the future ({day.isoformat()})")
    return day


def _outputs(output: Path | None, pdf: Path | None) -> str | None:
    """Checks the report's files before any work; the browser that will print the PDF, if asked for one."""
    if output is None and pdf is None:
        raise InputError("say where the report goes: -o FILE.html, --pdf FILE.pdf, or both")
    if output is not None:
        writable(output)
        if output.suffix.lower() not in (".html", ".htm"):
            raise OutputError(f"cannot write {output.name}: a report is an .html file (--pdf FILE.pdf for a PDF)")
    if pdf is None:
        return None
    from posecount.report.pdf import find_browser

    writable(pdf)
    if pdf.suffix.lower() != ".pdf":
        raise OutputError(f"cannot write {pdf.name}: --pdf needs a .pdf file name")
    return find_browser()  # a missing browser is one line now, not after minutes of analysis


def _write_report(html: str, output: Path | None, pdf: Path | None, browser: str | None) -> None:
    """The HTML to `output`, and printed to `pdf` (from a private temporary copy when no HTML is kept)."""
    if output is not None:
        _write_text_atomic(output, html)
    if pdf is None:
        return
    from posecount.report.pdf import html_to_pdf

    if output is not None:
        html_to_pdf(output, pdf, browser)
        return
    with tempfile.TemporaryDirectory(prefix="posecount-report-") as tmp:
        page = Path(tmp) / "report.html"
        _write_text_atomic(page, html)
        html_to_pdf(page, pdf, browser)


def report(
    sources: Annotated[list[str], typer.Argument(
        help="A video file, a pose track (.npz) made by `posecount track`, or a stored session of the profile: "
        "session:ID or session:latest (see `posecount history`). Several videos of one exercise: one report, "
        "a section per video, oldest recording first.", show_default=False, metavar="SOURCE")],
    output: OutputOpt = None,
    pdf: PdfOpt = None,
    exercise: ExerciseOpt = "auto",
    lang: LangOpt = None,
    blur: BlurOpt = True,
    video: Annotated[Path | None, typer.Option(
        "--video", help="With a pose track: its video, for pictures of each repetition "
        "(else stick figures).", show_default=False)] = None,
    profile: ProfileOpt = None,
    recorded: RecordedOpt = None,
    history: Annotated[bool, Flag(
        "--history/--no-history", help="With --profile: add today's target and the weekly trend of reps, holds "
        "and pain from the profile's history.")] = True,
    db: Annotated[Path | None, typer.Option(
        "--db", help="The profile's history file (default: the profile's own).", show_default=False)] = None,
    model: ModelOpt = None,
    rotate: RotateOpt = 0,
    progress: ProgressOpt = True,
    strict: Annotated[bool, Flag("--strict", help="Count only the repetitions that meet every rule of the "
                                 "leaflet; flagged ones are listed as not counted.")] = False,
) -> None:
    """Write a physiotherapist's report of a video, pose track or stored session.

    Summary against the leaflet, the movement over time, every repetition in a table and as a
    picture. One self-contained HTML file (no network, prints on A4), or a PDF; faces are blurred
    unless --no-blur. A video's report shows a history (today's target, the weekly trend) only
    with --profile: that profile's."""
    from posecount.report.texts import check_lang

    lang = check_lang(lang or default_lang())
    browser = _outputs(output, pdf)
    day = _day(recorded)
    if len(sources) > 1 and (video is not None or day is not None):
        raise InputError("--video and --recorded are for a report of one source: several are dated by their metadata")
    if profile is not None:
        profile, db = profile_db(db, profile)
    if video is not None and not video.is_file():
        raise InputError(f"video not found: {video}")
    label = Path(sources[0]).name if len(sources) == 1 else f"{len(sources)} videos"
    with frame_progress(f"analysing {label}", progress and err.is_terminal) as bar:
        opts = dict(exercise=exercise, lang=lang, blur=blur, model=model_for(sources[0], model), rotate=rotate,
                    progress=bar, history=None if history else False, db=db, strict=strict, profile=profile)
        result, runs = _make(sources, video, day, opts)
    _write_report(result.html, output, pdf, browser)
    for w in (w for run in runs for w in run.warnings):
        err.print(f"[bold yellow]warning:[/] {w}", soft_wrap=True)
    faces = "faces blurred" if blur else "faces NOT blurred"
    trend = f", a {result.trend_weeks}-week trend" if result.trend_weeks else ""
    whose = f" of profile {profile}" if profile is not None else ""
    where = " and ".join(str(p) for p in (output, pdf) if p is not None)
    out.print(f"{'; '.join(_counted(run) for run in runs)}; report{whose} with {result.keyframes} "
              f"picture(s){trend}, {faces}, written to {where}", soft_wrap=True, highlight=False)


def _make(sources: list[str], video: Path | None, day: date | None, opts: dict):
    """The report of one source, or of several side by side; with the analyses in the report's order."""
    from posecount.report.build import make_report
    from posecount.report.several import make_several_report

    if len(sources) == 1:
        result = make_report(sources[0], video=video, recorded=day, **opts)
        return result, [result.run]
    result = make_several_report(sources, **opts)
    return result, result.runs


def annotate(
    video: Annotated[Path, typer.Argument(help="The video to draw on.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the annotated video (.mp4).")],
    exercise: ExerciseOpt = "auto",
    lang: LangOpt = None,
    blur: BlurOpt = True,
    track: Annotated[Path | None, typer.Option(
        "--track", help="Poses of this video saved by `posecount track` (skips the pose model).",
        show_default=False)] = None,
    model: ModelOpt = None,
    rotate: RotateOpt = 0,
    progress: ProgressOpt = True,
) -> None:
    """Write the video with the skeleton, angle, count, hold timer and form flags drawn on it.

    Same frames and timing as the input; faces blurred unless --no-blur."""
    from posecount.pipeline import analyze
    from posecount.report.annotate import write_annotated
    from posecount.report.texts import check_lang

    lang = check_lang(lang or default_lang())
    writable(output)
    if output.suffix.lower() not in VIDEO_SUFFIXES:
        raise OutputError(f"cannot write {output.name}: give an .mp4 file name")
    if not video.is_file():
        from posecount.errors import SourceNotFound

        raise SourceNotFound(f"video not found: {video}")
    show = progress and err.is_terminal
    with frame_progress(f"analysing {video.name}", show) as bar:
        if track is not None:
            from posecount.pose.tracks import PoseTrack

            run = analyze(track, exercise=exercise, progress=bar)
            poses = PoseTrack.load(track)
        else:
            run = analyze(video, exercise=exercise, model=model_for(video, model), rotate=rotate, keep_track=True,
                          progress=bar)
            poses = run.track
    # Written beside the target and renamed at the end: an interrupted run leaves no broken video.
    tmp = private_temp_path(output)
    try:
        with frame_progress(f"drawing {output.name}", show) as bar:
            result = write_annotated(video, tmp, run.analysis, poses, blur=blur, lang=lang, rotate=rotate,
                                     progress=bar)
        publish(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    for w in [*run.warnings, *result.warnings]:
        err.print(f"[bold yellow]warning:[/] {w}", soft_wrap=True)
    faces = "faces blurred" if blur else "faces NOT blurred"
    out.print(f"{_counted(run)}; {result.frames} frames at {result.fps:.2f} fps, "
              f"{faces}, codec {result.codec_name}, written to {output}", soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    """Adds `report` and `annotate` as top-level commands of `app`."""
    app.command("report")(report)
    app.command("annotate")(annotate)
