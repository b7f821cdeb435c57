"""Watches a command for network attempts with `strace -f` (connect, sendto, sendmsg, sendmmsg).

An attempt is any IPv4/IPv6 connection or datagram to an address off the loopback, and any
DNS packet (port 53) wherever it goes: a query to a local resolver still leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SYSCALLS = "connect,sendto,sendmsg,sendmmsg"
_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"')


@dataclass(frozen=True)
class Attempt:
    address: str
    port: int
    line: str


def _is_loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "0.0.0.0", "::") or address.startswith("::ffff:127.")


def network_attempts(trace: str) -> list[Attempt]:
    """The network attempts in an strace log (the format of `strace -f -e trace=SYSCALLS`)."""
    found: list[Attempt] = []
    for line in trace.splitlines():
        if not any(f"{call}(" in line for call in SYSCALLS.split(",")):
            continue
        for pattern in (_INET, _INET6):
            for port, address in pattern.findall(line):
                if int(port) == 53 or not _is_loopback(address):
                    found.append(Attempt(address, int(port), line.strip()[:300]))
    return found


# A route probe: `connect` on a UDP socket sends nothing (the kernel only picks the route and the
# local address), and Chromium does it to learn whether IPv6 is reachable, flags or not. Telling
# it apart needs the socket's type and every write to it: trace these calls too.
PROBE_SYSCALLS = SYSCALLS + ",socket,write,writev,close"
_SOCKET = re.compile(r"^(\d+)\s+(?:socket\(AF_INET6?, (SOCK_\w+).*?\)\s*=\s*(\d+)|<\.\.\. socket resumed>.*=\s*(\d+))")
_PENDING = re.compile(r"^(\d+)\s+socket\(AF_INET6?, (SOCK_\w+).*<unfinished")
_CALL_FD = re.compile(r"^(\d+)\s+(connect|sendto|sendmsg|sendmmsg|write|writev|close)\((\d+)[,)\s]")


def attempts_but_route_probes(trace: str) -> tuple[list[Attempt], list[Attempt]]:
    """The network attempts, and apart from them the UDP route probes: a connect of a datagram
    socket (not to port 53) after which that thread sends nothing on the socket."""
    kinds: dict[tuple[str, str], str] = {}  # (thread, fd) -> SOCK_DGRAM / SOCK_STREAM
    pending: dict[str, str] = {}
    watched: dict[tuple[str, str], Attempt] = {}  # probed sockets still open
    probes: list[Attempt] = []
    attempts: list[Attempt] = []
    for line in trace.splitlines():
        if m := _PENDING.match(line):
            pending[m[1]] = m[2]
        elif m := _SOCKET.match(line):
            kinds[(m[1], m[3] or m[4])] = m[2] or pending.pop(m[1], "")
        elif m := _CALL_FD.match(line):
            key = (m[1], m[3])
            if m[2] == "close":
                kinds.pop(key, None)
                watched.pop(key, None)
                continue
            if key in watched:  # data sent on a probed socket: it was an attempt after all
                attempts.append(watched[key])
                probes.remove(watched.pop(key))
            found = network_attempts(line)
            if m[2] == "connect" and found and kinds.get(key, "").startswith("SOCK_DGRAM") and found[0].port != 53:
                watched[key] = found[0]
                probes.append(found[0])
            else:
                attempts += found
    return attempts, probes


def strace_exe() -> str | None:
    return shutil.which("strace")


def run_traced(args: list[str], trace_file: Path, env: dict[str, str] | None = None,
               timeout_s: float = 300.0, stdin: str = "",
               syscalls: str = SYSCALLS) -> tuple[subprocess.CompletedProcess, list[Attempt]]:
    """Runs `args` under strace; its result and the network attempts of it and all its threads/children."""
    exe = strace_exe()
    assert exe, "strace is not installed (apt install strace)"
    cmd = [exe, "-f", "-qq", "-e", f"trace={syscalls}", "-o", str(trace_file), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, input=stdin,
                          env=env if env is not None else dict(os.environ))
    return proc, network_attempts(trace_file.read_text(errors="replace"))


def posecount_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "posecount", *args]
