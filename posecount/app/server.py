"""The app's routes (Starlette): the page, its API, the live frames, the physiotherapist's videos.

Every request passes `security.Guard` first (Host on loopback, the start's token). The camera has
one owner, the browser tab that started the session; others are told so (409). A session whose tab
has gone quiet for `ABANDONED_S` is stopped and saved; so is one running when the server stops.
"""

from __future__ import annotations

import contextlib
import logging
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from posecount import exercises, profiles
from posecount.app import home, video_jobs
from posecount.app.coach_session import CoachSession, SessionRequest
from posecount.app.security import COOKIE, HEADER, Guard
from posecount.app.texts import LANGUAGES, texts
from posecount.errors import PosecountError
from posecount.progress.rules import plan_settings
from posecount.storage import private_dir

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
ABANDONED_S = 20.0  # a session nobody has looked at for this long was left: stop and save it
MAX_UPLOAD_BYTES = 4 << 30


@dataclass
class AppConfig:
    token: str
    port: int
    source: str = "0"  # camera index, or a video file played as the camera
    profile: str = profiles.DEFAULT
    lang: str = "en"
    model: str | None = None
    debug: bool = False
    realtime: bool = True
    abandoned_s: float = ABANDONED_S


@dataclass
class AppState:
    config: AppConfig
    session: CoachSession | None = None
    jobs: dict[str, video_jobs.VideoJob] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class GuardMiddleware:
    """Refuses requests without the token (401) or with a Host that is not ours (403)."""

    def __init__(self, app, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        why = self.guard.check(request.headers.get("host"), request.query_params.get("token"),
                               request.headers.get(HEADER), request.headers.get("cookie"))
        if why is not None:
            status = 403 if why == "host" else 401
            text = "wrong Host" if why == "host" else "open the app with the link posecount printed (it has a token)"
            return await Response(text, status_code=status, media_type="text/plain")(scope, receive, send)

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start" and request.query_params.get("token"):
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", f"{COOKIE}={self.guard.token}; Path=/; HttpOnly; "
                                               f"SameSite=Strict".encode()))
                message = {**message, "headers": headers}
            await send(message)
        return await self.app(scope, receive, send_with_cookie)


# -- helpers --------------------------------------------------------------------------------------
def _profile(request: Request, state: AppState) -> str:
    return profiles.require(request.query_params.get("profile") or state.config.profile)


def _lang(request: Request, state: AppState) -> str:
    lang = request.query_params.get("lang") or state.config.lang
    return lang if lang in LANGUAGES else "en"


def _sessions(profile: str) -> list:
    from posecount.progress.history import load_sessions, resolve_db_path

    return load_sessions(resolve_db_path(None, profile))


def _owned(request: Request, state: AppState) -> CoachSession | JSONResponse:
    session = state.session
    if session is None:
        return _error("no session", 404)
    if session.owner != request.query_params.get("client", ""):
        return _error(texts(_lang(request, state))["camera_busy"], 409)
    session.seen()
    return session


# -- pages and plain data -------------------------------------------------------------------------
async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})


async def config_route(request: Request) -> JSONResponse:
    state: AppState = request.app.state.app
    lang = _lang(request, state)
    return JSONResponse({
        "lang": lang, "languages": list(LANGUAGES), "texts": texts(lang), "profile": state.config.profile,
        "profiles": profiles.list_profiles(), "debug": state.config.debug,
        "rest_s": plan_settings().rest_between_sets_s,
        "exercises": [{"name": e.name, "title": e.title(lang), "start_position": e.start_position,
                       "per_side": e.per_side, "set_size": e.set_size} for e in exercises.all()]})


async def home_route(request: Request) -> JSONResponse:
    state: AppState = request.app.state.app
    try:
        profile = _profile(request, state)
        return JSONResponse({"profile": profile, **home.home_data(_sessions(profile), _lang(request, state))})
    except PosecountError as exc:
        return _error(str(exc))


async def profiles_route(request: Request) -> JSONResponse:
    if request.method == "POST":
        body = await request.json()
        try:
            name = profiles.create(str(body.get("name", "")))
        except PosecountError as exc:
            return _error(str(exc))
        return JSONResponse({"profile": name, "profiles": profiles.list_profiles()})
    return JSONResponse({"profiles": profiles.list_profiles()})


# -- the live session -----------------------------------------------------------------------------
def _planned_target(profile: str, exercise: str) -> tuple[int | None, str | None]:
    from posecount.progress.plan import todays_target

    t = todays_target(_sessions(profile), exercise)
    return t.reps * max(t.sets, 1), t.side


async def session_start(request: Request) -> JSONResponse:
    state: AppState = request.app.state.app
    body = await request.json()
    client, lang = str(body.get("client", "")), _lang(request, state)
    with state.lock:
        current = state.session
        if current is not None and current.running:
            if current.owner != client:
                return _error(texts(lang)["camera_busy"], 409)
            return JSONResponse(current.state())
        try:
            profile = profiles.require(body.get("profile") or state.config.profile)
            exercise = exercises.get(str(body.get("exercise", ""))).name
            target, side = _planned_target(profile, exercise)
            if body.get("target"):
                target = int(body["target"])
            from posecount.progress.history import resolve_db_path

            request_ = SessionRequest(exercise, target, lang, profile, state.config.source,
                                      profiles.sessions_folder(profile), resolve_db_path(None, profile), side,
                                      state.config.model, state.config.realtime)
            state.session = CoachSession(request_, client).start()
        except (PosecountError, ValueError) as exc:
            return _error(str(exc))
    return JSONResponse(state.session.state())


async def session_state(request: Request) -> JSONResponse:
    state: AppState = request.app.state.app
    session = _owned(request, state)
    return session if isinstance(session, JSONResponse) else JSONResponse(session.state())


def session_frame(request: Request) -> Response:
    """The newest frame (JPEG) once newer than `after`; when the camera gave it and when it was ready
    (pose found, skeleton drawn) in X-Captured-At and X-Shown-At (ms since the epoch)."""
    state: AppState = request.app.state.app
    session = _owned(request, state)
    if isinstance(session, JSONResponse):
        return session
    seq, jpeg, captured_at, shown_at = session.frame_after(int(request.query_params.get("after", "0") or 0))
    if jpeg is None:
        return Response(status_code=204, headers={"x-frame": str(seq)})
    return Response(jpeg, media_type="image/jpeg",
                    headers={"x-frame": str(seq), "x-shown-at": f"{shown_at * 1000:.1f}",
                             "x-captured-at": f"{captured_at * 1000:.1f}",
                             "cache-control": "no-store"})


FRAME_HEADER = struct.Struct(">ddII")  # captured at (ms), ready at (ms), frame number, JPEG length


def session_stream(request: Request) -> Response:
    """The frames as one long response: each a 24-byte header (`FRAME_HEADER`) and the JPEG. One
    request for the whole session, so no frame waits for a new request."""
    state: AppState = request.app.state.app
    session = _owned(request, state)
    if isinstance(session, JSONResponse):
        return session

    def frames():
        seq = 0
        while not state.stopping.is_set():
            seq, jpeg, captured_at, shown_at = session.frame_after(seq)
            if jpeg is not None:
                yield FRAME_HEADER.pack(captured_at * 1000, shown_at * 1000, seq, len(jpeg)) + jpeg
            elif session.finished:
                return
    return StreamingResponse(frames(), media_type="application/octet-stream", headers={"cache-control": "no-store"})


async def session_control(request: Request) -> JSONResponse:
    """pause / mute / stop / scores / close, named by the path."""
    state: AppState = request.app.state.app
    session = _owned(request, state)
    if isinstance(session, JSONResponse):
        return session
    body = await request.json() if (await request.body()) else {}
    action = request.path_params["action"]
    try:
        if action == "pause":
            session.pause(bool(body.get("paused")))
        elif action == "mute":
            session.mute(bool(body.get("muted")))
        elif action == "stop":
            session.stop("stopped", wait_s=None)
        elif action == "scores":
            session.set_scores(body.get("pain"), body.get("effort"))
        elif action == "close":
            session.stop("closed")
            with state.lock:
                if state.session is session:
                    state.session = None
            return JSONResponse({"closed": True})
        else:
            return _error(f"unknown action {action}", 404)
    except PosecountError as exc:
        return _error(str(exc))
    return JSONResponse(session.state())


# -- the physiotherapist's videos ----------------------------------------------------------------
def _job(request: Request, state: AppState) -> video_jobs.VideoJob | None:
    job_id = request.path_params["job"]
    if job_id in state.jobs:
        return state.jobs[job_id]
    profile = _profile(request, state)
    return next((j for j in video_jobs.load_jobs(profiles.folder(profile)) if j.id == job_id), None)


async def videos(request: Request) -> JSONResponse:
    state: AppState = request.app.state.app
    try:
        profile = _profile(request, state)
    except PosecountError as exc:
        return _error(str(exc))
    if request.method == "PUT":
        return await _upload(request, state, profile)
    stored = {j.id: j for j in video_jobs.load_jobs(profiles.folder(profile))}
    stored.update({k: j for k, j in state.jobs.items() if j.folder.parent.parent == profiles.folder(profile)})
    return JSONResponse({"profile": profile, "videos": [j.to_dict() for j in
                                                        sorted(stored.values(), key=lambda j: (j.recorded, j.id))]})


async def _upload(request: Request, state: AppState, profile: str) -> JSONResponse:
    name = request.query_params.get("name") or "video.mp4"
    recorded = _recorded(request.query_params.get("modified"))
    folder = profiles.folder(profile)
    job = video_jobs.new_job(folder, name, recorded)
    size = 0
    private_dir(job.video.parent)
    with open(job.video, "wb") as fh:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                return _error("the video is larger than 4 GB", 413)
            fh.write(chunk)
    if size == 0:
        return _error("the file is empty")
    state.jobs[job.id] = job
    exercise = request.query_params.get("exercise") or "auto"
    video_jobs.start_job(job, exercise, _lang(request, state), profile, _sessions(profile), state.config.model)
    return JSONResponse(job.to_dict())


def _recorded(modified_ms: str | None) -> date | None:
    """The recording date: the file's own date as the browser reports it (ms since the epoch)."""
    try:
        return datetime.fromtimestamp(float(modified_ms) / 1000).date() if modified_ms else None
    except (ValueError, OverflowError, OSError):
        return None


async def video_item(request: Request) -> Response:
    state: AppState = request.app.state.app
    try:
        job = _job(request, state)
    except PosecountError as exc:
        return _error(str(exc))
    if job is None:
        return _error("no such video", 404)
    part = request.path_params.get("part")
    if part is None:
        return JSONResponse(job.to_dict())
    files = {"report.html": "text/html", "annotated.mp4": "video/mp4", "analysis.json": "application/json"}
    path = job.folder / part
    if part not in files or not path.is_file():
        return _error("not there (yet)", 404)
    return FileResponse(path, media_type=files[part])


# -- the app --------------------------------------------------------------------------------------
def _watch(state: AppState) -> None:
    """Stops (and so saves) a session whose tab has gone quiet."""
    while not state.stopping.wait(min(2.0, state.config.abandoned_s / 2)):
        session = state.session
        if session is not None and session.running and \
                time.monotonic() - session.last_seen > state.config.abandoned_s:
            log.warning("the session's tab has gone quiet: stopping and saving it")
            session.stop("tab closed", wait_s=None)


def create_app(config: AppConfig) -> Starlette:
    state = AppState(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        threading.Thread(target=_watch, args=(state,), name="posecount-app-watch", daemon=True).start()
        try:
            yield
        finally:  # the server stops (Ctrl-C): what was counted is saved
            state.stopping.set()
            if state.session is not None and state.session.running:
                state.session.stop("server stopped", wait_s=15.0)

    routes = [
        Route("/", index), Route("/api/config", config_route), Route("/api/home", home_route),
        Route("/api/profiles", profiles_route, methods=["GET", "POST"]),
        Route("/api/session/start", session_start, methods=["POST"]),
        Route("/api/session/state", session_state), Route("/api/session/frame", session_frame),
        Route("/api/session/stream", session_stream),
        Route("/api/session/{action}", session_control, methods=["POST"]),
        Route("/api/videos", videos, methods=["GET", "PUT"]),
        Route("/api/videos/{job}", video_item), Route("/api/videos/{job}/{part}", video_item),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.app = state
    app.add_middleware(GuardMiddleware, guard=Guard(config.token, config.port))
    return app
