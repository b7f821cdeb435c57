"""A real app server on a free loopback port, run in a thread for a test (uvicorn, as `posecount app`)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import uvicorn

from posecount.app.server import AppConfig, create_app
from posecount.cli.app_commands import _bind


@dataclass
class Running:
    base: str
    token: str
    port: int
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def call(self, path: str, body: dict | None = None, method: str | None = None, token: bool = True,
             headers: dict | None = None) -> tuple[int, object]:
        """(status, JSON or text) of one request; the token as a query parameter unless `token=False`."""
        sep = "&" if "?" in path else "?"
        url = self.base + path + (f"{sep}token={self.token}" if token else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"),
                                     headers={"content-type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, raw, kind = res.status, res.read(), res.headers.get("content-type", "")
        except urllib.error.HTTPError as exc:
            status, raw, kind = exc.code, exc.read(), exc.headers.get("content-type", "")
        return status, json.loads(raw) if "json" in kind else raw.decode(errors="replace")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def start(source: str = "0", profile: str = "default", lang: str = "en", realtime: bool = True,
          abandoned_s: float = 20.0) -> Running:
    sock = _bind(0)
    port = sock.getsockname()[1]
    token = "test-token-" + str(port)
    web = create_app(AppConfig(token=token, port=port, source=source, profile=profile, lang=lang, realtime=realtime,
                               abandoned_s=abandoned_s))
    server = uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the app server did not start"
    return Running(f"http://127.0.0.1:{port}", token, port, server, thread)
