"""The `app` command: the browser app on 127.0.0.1 (see `posecount.app`); `register(app)` adds it."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from posecount.cli.console import Flag, err, out, provide_model
from posecount.errors import InputError, OutputError, SourceNotFound
from posecount.lang import default_lang

DEFAULT_PORT = 8765
PORTS_TRIED = 20  # without --port, the next free one of DEFAULT_PORT… is taken


def _bind(port: int | None) -> socket.socket:
    """A listening socket on loopback: `port`, else the first free one from DEFAULT_PORT."""
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    for p in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", p))
            sock.listen(64)
            return sock
        except OSError as exc:
            sock.close()
            if port is not None or exc.errno != errno.EADDRINUSE:
                why = "the port is taken by another program" if exc.errno == errno.EADDRINUSE else exc.strerror
                raise OutputError(f"cannot listen on 127.0.0.1:{p}: {why}; choose another with --port") from exc
    raise OutputError(f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORTS_TRIED - 1} are all taken; choose one with --port")


def _source(source: Path | None, camera: int) -> str:
    if source is None:
        return str(camera)
    if not source.is_file():
        raise SourceNotFound(f"video not found: {source}")
    return str(source.resolve())


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_command(
        port: Annotated[int | None, typer.Option("--port", min=1, max=65535, help=(
            f"Port on 127.0.0.1 (default: the first free one from {DEFAULT_PORT})."), show_default=False)] = None,
        source: Annotated[Path | None, typer.Option(
            "--source", help="A video file to play as if it were the camera.", show_default=False)] = None,
        camera: Annotated[int, typer.Option("--camera", help="Webcam index.")] = 0,
        profile: Annotated[str | None, typer.Option(
            "--profile", help="The profile to open (default: POSECOUNT_PROFILE, else 'default').",
            show_default=False)] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="nl or en (default: your system's language).",
                                                 show_default=False)] = None,
        browser: Annotated[bool, Flag("--browser/--no-browser", help="Open the app in the web browser.")] = True,
        debug: Annotated[bool, Flag("--debug", help="Show frame rate and raw values on the exercise screen.")] = False,
        install_launcher: Annotated[bool, Flag(
            "--install-launcher", help="Add a posecount entry to the desktop's menu, then stop.")] = False,
    ) -> None:
        """Start the app in the web browser: today's plan, a coached session, the history; a
        physiotherapist's view of recorded videos. Listens on 127.0.0.1 only; Ctrl-C stops it
        (a session in progress is saved)."""
        from posecount import profiles

        if install_launcher:
            from posecount.app.launcher import install

            for path in install():
                out.print(f"added {path}")
            return
        lang = lang or default_lang()
        if lang not in ("nl", "en"):
            raise InputError(f"unknown language '{lang}': choose nl or en")
        chosen = profiles.require(profile)
        src = _source(source, camera)
        provide_model(None)  # the model before the server: a missing one is fetched or reported now
        _serve(_bind(port), src, chosen, lang, browser, debug)


def _serve(sock: socket.socket, source: str, profile: str, lang: str, browser: bool, debug: bool) -> None:
    import uvicorn

    from posecount.app.security import new_token
    from posecount.app.server import AppConfig, create_app

    port = sock.getsockname()[1]
    token = new_token()
    url = f"http://127.0.0.1:{port}/?token={token}"
    web = create_app(AppConfig(token=token, port=port, source=source, profile=profile, lang=lang, debug=debug))
    out.print(f"posecount app: {url}", soft_wrap=True)
    out.print("Ctrl-C stops it.")
    if browser:
        import webbrowser

        if not webbrowser.open(url):
            err.print("no web browser found: open the address above in one")
    server = uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="on", timeout_graceful_shutdown=5))
    server.run(sockets=[sock])
