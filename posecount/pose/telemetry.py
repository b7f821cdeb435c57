"""Keeps MediaPipe's built-in usage telemetry on this machine.

mediapipe wheels after 0.10.21 carry an uploader (Google's "Clearcut" usage metrics) inside
the native library; it resolves and contacts a Google host from threads of its own, and
offers no switch to turn it off. Its HTTP client honours the standard proxy variables, so
before mediapipe is imported posecount points them, in its own process only, at a closed
port on loopback (`SINK`): the uploader's attempts end there, with no DNS query and no
packet off the machine. `tests/test_privacy_network.py` proves it under strace.

The only network use posecount makes on purpose (the announced model download and the pip
download that builds the model) must not go to the sink: those use `user_proxies()` and
`user_environ()`, the person's proxy settings as they were before posecount changed them.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request

SINK = "http://127.0.0.1:9"  # the discard port on loopback: closed on any ordinary machine
PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
NO_PROXY_VARS = ("NO_PROXY", "no_proxy")
LOOPBACK = "localhost,127.0.0.1,::1"

_user_env: dict[str, str] | None = None  # the person's proxy variables, saved by the first `keep_on_machine`


def keep_on_machine() -> None:
    """Points this process's proxy variables at `SINK` (idempotent); call before importing mediapipe."""
    global _user_env
    if _user_env is None:
        _user_env = {k: os.environ[k] for k in PROXY_VARS + NO_PROXY_VARS if k in os.environ}
    for key in PROXY_VARS:
        os.environ[key] = SINK
    for key in NO_PROXY_VARS:  # a "NO_PROXY=*" of the person's would let the uploader go direct;
        os.environ[key] = LOOPBACK  # loopback stays direct (a local Ray cluster's own gRPC)


def is_active() -> bool:
    return _user_env is not None and all(os.environ.get(k) == SINK for k in PROXY_VARS)


def user_environ() -> dict[str, str]:
    """This process's environment with the person's own proxy settings (for a download subprocess)."""
    env = dict(os.environ)
    if _user_env is None:
        return env
    for key in PROXY_VARS + NO_PROXY_VARS:
        env.pop(key, None)
    env.update(_user_env)
    return env


def user_proxies() -> dict[str, str]:
    """The person's proxies by scheme (`{"https": …, "no": …}`), as urllib would read them."""
    proxies: dict[str, str] = {}
    env = user_environ()
    for name in sorted(env, key=str.islower):  # lower-case names win, as in urllib
        if name.lower().endswith("_proxy") and env[name]:
            proxies[name.lower()[: -len("_proxy")]] = env[name]
    return proxies


def open_url(url: str, timeout_s: float):
    """`urlopen` with the person's own proxy settings (never the telemetry sink)."""
    proxies = user_proxies()
    host = urllib.parse.urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass_environment(host, proxies):
        proxies = {}
    proxies.pop("no", None)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
    return opener.open(url, timeout=timeout_s)
