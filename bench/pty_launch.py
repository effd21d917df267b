"""Start a program in a pseudo-terminal and time it until it says it is ready.

The program is given the write end of a pipe in SAFEGROUND_BENCH_READY_FD and writes a line to it
once its first screen is drawn; the clock runs from just before the process is spawned until that
line arrives. Everything the program draws is read (and thrown away) as it comes, as a terminal
would, so the program never blocks on a full pty buffer. The program is then killed: what it does
after being ready is not part of start-up.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
from pathlib import Path
from time import perf_counter

READY_FD_ENV = "SAFEGROUND_BENCH_READY_FD"


class NotReady(RuntimeError):
    """The program exited, or took too long, without saying it was ready."""


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment both apps start with: ours, minus Textual's developer switches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": env.get("LANG", "C.UTF-8")})
    env.pop(READY_FD_ENV, None)
    if extra:
        env.update(extra)
    return env


def time_to_ready(
    argv: list[str],
    env: dict[str, str],
    *,
    cwd: Path | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
) -> float:
    """Seconds from spawning ``argv`` in a ``size`` pty until it writes to the ready descriptor."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    ready_read, ready_write = os.pipe()
    env = dict(env, **{READY_FD_ENV: str(ready_write)})
    output = bytearray()
    process = None
    try:
        start = perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            pass_fds=(ready_write,),
            start_new_session=True,
        )
        os.close(slave)
        slave = -1
        os.close(ready_write)
        ready_write = -1
        deadline = start + timeout
        while True:
            remaining = deadline - perf_counter()
            if remaining <= 0:
                raise NotReady(f"{argv} was not ready after {timeout:.0f} s")
            readable, _, _ = select.select([master, ready_read], [], [], remaining)
            if ready_read in readable:
                if os.read(ready_read, 64):
                    return perf_counter() - start
                raise NotReady(f"{argv} exited without drawing its first screen:\n{_tail(output)}")
            if master in readable:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the program has gone
                    chunk = b""
                if not chunk:
                    process.wait(timeout=5)
                    raise NotReady(
                        f"{argv} exited ({process.returncode}) without drawing its first screen:\n{_tail(output)}"
                    )
                output += chunk
                del output[:-8192]
    finally:
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        for descriptor in (master, slave, ready_read, ready_write):
            if descriptor >= 0:
                try:
                    os.close(descriptor)
                except OSError:
                    pass


def _tail(output: bytes) -> str:
    text = output.decode("utf-8", "replace")
    return text[-2000:]
