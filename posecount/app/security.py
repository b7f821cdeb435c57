"""Who may talk to the app: a random token per start (as Jupyter does) and a Host check.

Every request needs the token, given once in the URL (`?token=…`) and then carried by a cookie
(or the `X-Posecount-Token` header). The Host header must name the loopback address the server
listens on, which closes DNS rebinding: a page on another site whose name resolves to 127.0.0.1
still sends its own name as Host.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

COOKIE = "posecount_token"
HEADER = "x-posecount-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Guard:
    """Checks one request's Host and token; pure (no server needed)."""

    token: str
    port: int

    def host_ok(self, host: str | None) -> bool:
        if not host:
            return False
        allowed = {f"{name}:{self.port}" for name in LOOPBACK_NAMES}
        if self.port == 80:
            allowed |= set(LOOPBACK_NAMES)
        return host.strip().lower() in allowed

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def check(self, host: str | None, query_token: str | None, header_token: str | None,
              cookie_header: str | None) -> str | None:
        """None if the request may pass, else why not ("host" or "token")."""
        if not self.host_ok(host):
            return "host"
        if self.token_ok(query_token) or self.token_ok(header_token):
            return None
        return None if self.token_ok(token_from_cookie(cookie_header)) else "token"


def token_from_cookie(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # a malformed cookie header is just no token
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else None
