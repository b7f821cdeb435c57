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


def strace_exe() -> str | None:
    return shutil.which("strace")


def run_traced(args: list[str], trace_file: Path, env: dict[str, str] | None = None,
               timeout_s: float = 300.0, stdin: str = "") -> tuple[subprocess.CompletedProcess, list[Attempt]]:
    """Runs `args` under strace; its result and the network attempts of it and all its threads/children."""
    exe = strace_exe()
    assert exe, "strace is not installed (apt install strace)"
    cmd = [exe, "-f", "-qq", "-e", f"trace={SYSCALLS}", "-o", str(trace_file), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, input=stdin,
                          env=env if env is not None else dict(os.environ))
    return proc, network_attempts(trace_file.read_text(errors="replace"))


def posecount_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "posecount", *args]
