"""Run the real ``safeground`` in a pseudo-terminal: type into it, read what it draws, kill it.

The app runs as a person runs it: its own process, its own session with the pseudo-terminal as its
controlling terminal, ``safeground.cli.main`` as the entry point. Tests use it for what an
in-process Pilot cannot show: SIGKILL at any moment, SIGTERM and SIGHUP, two processes on one
profile, and what is left on the terminal afterwards.

``prefix`` runs the app through another command that execs it (``unshare``, say), so the pid
is still the app's. A test may ask for slow saves (``slow_saves=SECONDS``): the child then pauses, after each real
``fsync`` and ``link``, for up to that long, so that a kill can land while a temp file or a staged
backup exists. Nothing else about the app is changed.

Every child is reaped, even when a test fails: the child leads its own process group, ``close()``
(also run by ``with`` and, for any app a test forgot, by the session guard in conftest.py) kills
that whole group with SIGKILL and waits for it. Waits are on conditions with generous deadlines
(``WAIT``): on a loaded machine the app is slower, never different, and a deadline only matters
when something is really wrong.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from safeground.settings import Settings

#: Seconds to wait for something that takes well under a second on a quiet machine. Generous:
#: on a loaded shared machine it can take many times longer, and only a real failure waits it out.
WAIT = 60.0

#: Every PtyApp not closed yet, so that nothing a test started outlives the test run.
_LIVE: set[PtyApp] = set()


def live_apps() -> list[PtyApp]:
    """The apps started and not closed yet (the session guard in conftest.py closes them)."""
    return list(_LIVE)


#: Run in the child before the app. It makes the pty the controlling terminal (so closing it
#: sends SIGHUP, as closing a terminal window does) and applies the optional slow saves.
LAUNCHER = r"""
import os, sys
try:
    import fcntl, termios
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
except OSError:
    pass
slow = float(os.environ.get("SAFEGROUND_TEST_SLOW_SAVES") or 0)
if slow:
    import random, time
    real_fsync, real_link = os.fsync, os.link
    def fsync(fd):
        real_fsync(fd)
        time.sleep(random.uniform(slow / 4, slow))
    def link(src, dst, *args, **kwargs):
        real_link(src, dst, *args, **kwargs)
        time.sleep(random.uniform(0, slow / 2))
    os.fsync, os.link = fsync, link
from safeground.cli import main
sys.exit(main(sys.argv[1:]))
"""

_ANSI = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[=>78cDEHMNOZ])"
)

ENTER = "\r"
TAB = "\t"
ESCAPE = "\x1b"
F12 = "\x1b[24~"
CTRL_Q = "\x11"


def children_of(pid: int) -> list[int]:
    """Every living descendant of ``pid`` (Linux /proc; empty elsewhere)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if entry.name.isdigit():
            try:
                # The field after the command name, which may itself hold spaces and parentheses.
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def end_processes(pids: Iterable[int], grace: float = 5.0) -> list[int]:
    """SIGKILL whichever of ``pids`` still run after ``grace`` seconds; returns those it killed.
    Zombies (ended, waiting for their parent) count as ended."""
    pids = list(pids)
    deadline = time.monotonic() + grace
    while True:
        running = [pid for pid in pids if _running(pid)]
        if not running or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for pid in running:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return running


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def plain(output: bytes) -> str:
    """What was drawn, without escape sequences: good enough to look for words."""
    return _ANSI.sub(b"", output).decode("utf-8", "replace")


def welcomed_data_dir(data_dir: Path, profile: str = "default") -> Path:
    """A data folder whose profile has already seen the first-run note."""
    Settings(welcomed=True).save(Path(data_dir) / profile)
    return Path(data_dir)


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A plain environment for the child: the data folder, a real terminal type, nothing inherited
    that could change how Textual draws (no NO_COLOR, no TEXTUAL_* settings from the shell)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NO_COLOR", "PYTEST", "COLUMNS", "LINES"))
    }
    env.update({"SAFEGROUND_DATA_DIR": str(data_dir), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    env.update(extra)
    return env


class PtyApp:
    """One ``safeground`` process in its own pseudo-terminal."""

    def __init__(
        self,
        data_dir: Path,
        args: Iterable[str] = (),
        *,
        size: tuple[int, int] = (100, 30),
        slow_saves: float = 0.0,
        env: dict[str, str] | None = None,
        prefix: Iterable[str] = (),
        umask: int = -1,
    ):
        self.data_dir = Path(data_dir)
        master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = env if env is not None else child_env(self.data_dir)
        if slow_saves:
            environment["SAFEGROUND_TEST_SLOW_SAVES"] = str(slow_saves)
        self.started = time.monotonic()
        self._closed = False
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-c", LAUNCHER, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            close_fds=True,
            umask=umask,
        )
        _LIVE.add(self)
        os.close(slave)
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        # The app blocks once the terminal's buffer is full, so its output is always read.
        self._reader = threading.Thread(target=self._read, name=f"pty-{self.process.pid}", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                if self._closed:
                    return
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child's side is closed
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    # -- reading -----------------------------------------------------------------------------

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def text(self) -> str:
        return plain(self.output)

    def wait_for(self, wanted: str | Callable[[], bool], timeout: float = WAIT) -> None:
        """Wait until ``wanted`` (a word on screen, or a condition) shows up; fail clearly if not."""
        check = (lambda: wanted in self.text()) if isinstance(wanted, str) else wanted
        deadline = time.monotonic() + timeout
        while not check():
            if self.process.poll() is not None:
                time.sleep(0.1)  # let the reader catch the last words
                if check():
                    return
                raise AssertionError(
                    f"safeground exited ({self.process.returncode}) before {wanted!r}:\n{self.text()[-2000:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {wanted!r}:\n{self.text()[-2000:]}")
            time.sleep(0.01)

    # -- typing ------------------------------------------------------------------------------

    def write(self, data: str | bytes) -> float:
        """Send keys; returns the moment they were handed to the terminal."""
        os.write(self.master, data.encode("utf-8") if isinstance(data, str) else data)
        return time.monotonic()

    # -- ending ------------------------------------------------------------------------------

    def signal(self, signum: int) -> float:
        os.kill(self.process.pid, signum)
        return time.monotonic()

    def wait(self, timeout: float = WAIT) -> int:
        """The child's exit status once it has ended; fails clearly (the child is killed at close)
        if it is still running after ``timeout`` seconds."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"safeground still running after {timeout} s:\n{self.text()[-2000:]}") from None

    def close(self) -> None:
        """End the child and anything it started (SIGKILL to its process group: nothing here needs
        more, tests that want a clean exit send SIGTERM and wait first), reap it, close the terminal.
        Safe to call more than once."""
        _LIVE.discard(self)
        self._kill_group()
        try:
            self.process.wait(WAIT)
        except subprocess.TimeoutExpired:  # pragma: no cover - a child that ignores SIGKILL
            pass
        self._closed = True
        self._reader.join(5)
        if self.master >= 0:
            try:
                os.close(self.master)
            except OSError:
                pass
            self.master = -1

    def _kill_group(self) -> None:
        # The child leads its own group (start_new_session), so this reaches whatever it started
        # too. A group's id is not reused while any member lives; once all are gone this is ESRCH.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
