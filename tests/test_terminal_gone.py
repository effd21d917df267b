"""The terminal goes away under the app: it saves what it has and leaves, every time.

A window closed, ``tmux kill-server``, an SSH connection dropped: the kernel hangs the terminal up
(SIGHUP and SIGCONT, reads return nothing, writes fail). The app must then save what was typed,
let go of the profile's lock and exit within two seconds, even when Textual's own shutdown waits
forever for the dead terminal (it used to, about one time in five). Otherwise every later launch
says the profile is already open.

Each scenario runs many times, because the old hang depended on timing. Every process started
here is ended (process group and tmux server) even when a test fails.

Timing: the app promises 2 s from the hang-up. The tests measure from just before the terminal
is closed to the moment the process is gone, which also counts tmux's own teardown and, on a
loaded machine, scheduling delays of a few hundred milliseconds; hence SLACK on top.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from harness_pty import LAUNCHER, PtyApp, child_env, plain, welcomed_data_dir
from safeground.storage import ProfileLocked, ProgressStore
from test_crash import SEED, _answer, _open_page, _progress_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals, signals and tmux are POSIX")

#: What the app promises after a hang-up, and what the measurement may add on a busy machine.
PROMISE = 2.0
SLACK = 1.0
#: SIGTERM waits a little longer for the usual shutdown (the terminal is worth restoring).
SIGTERM_PROMISE = 2.6
TMUX_RUNS = 10
PTY_RUNS = 10

#: Loaded by the app's Python through PYTHONPATH (see ``_hooks``), to make it get stuck on
#: purpose where the real hang happened, so that only the watchdog can end it.
HOOKS = r"""
import os, threading
stuck = os.environ.get("SG_TEST_STUCK", "")
if stuck == "shutdown":
    # Textual's shutdown waits forever for a terminal that is gone (it did, in Queue.put).
    from textual.drivers import linux_driver
    def stop_application_mode(self):
        threading.Event().wait()
    linux_driver.LinuxDriver.stop_application_mode = stop_application_mode
elif stuck == "loop":
    # The app's loop stops for good right after taking an answer, before the autosave tick.
    from safeground import session
    answer = session.Session.answer
    def stuck_answer(self, chapter, page, field, value):
        answer(self, chapter, page, field, value)
        if "stuck-here" in str(value):
            open(os.environ["SG_TEST_STUCK_FLAG"], "w").close()  # tell the test
            threading.Event().wait()
    session.Session.answer = stuck_answer
"""


# -- helpers -----------------------------------------------------------------------------------


def _seeded(tmp_path: Path) -> Path:
    data_dir = welcomed_data_dir(tmp_path / "data")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    return data_dir


def _alive(pid: int) -> bool:
    """Running (not gone and not a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _gone_after(started: float, is_gone: Callable[[], bool], limit: float) -> float | None:
    """Seconds from ``started`` until ``is_gone()``, or None if not gone within ``limit``."""
    while time.monotonic() - started < limit:
        if is_gone():
            return time.monotonic() - started
        time.sleep(0.01)
    return None


def _lock_is_free(data_dir: Path) -> bool:
    store = ProgressStore(data_dir, "default", "safe-ground")
    try:
        store.acquire_lock()
    except ProfileLocked:
        return False
    store.release_lock()
    return True


def _kill_group(pid: int) -> None:
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
        except OSError:
            pass


@pytest.fixture
def reaper():
    """Collects what a test starts (PtyApps, tmux servers, pids) and ends it all afterwards."""
    started: list[Callable[[], None]] = []
    yield started.append
    for end in reversed(started):
        end()


def _pty_app(reaper, data_dir: Path, env: dict[str, str] | None = None) -> PtyApp:
    app = PtyApp(data_dir, env=env)

    def end() -> None:
        _kill_group(app.pid)  # the app's own session: anything it started goes with it
        app.close()

    reaper(end)
    return app


def _hooks(tmp_path: Path, data_dir: Path, stuck: str) -> dict[str, str]:
    folder = tmp_path / "hooks"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(HOOKS, encoding="utf-8")
    pythonpath = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")]))
    flag = str(tmp_path / "stuck")
    return child_env(data_dir, PYTHONPATH=pythonpath, SG_TEST_STUCK=stuck, SG_TEST_STUCK_FLAG=flag)


def _type_words(app, data_dir: Path, words: str) -> None:
    """Open the page, make sure the cursor is in the answer, type ``words`` and wait until they
    are drawn (so the app has them), not until they are saved."""
    _cursor_in_answer(app, data_dir)
    app.write(words)
    app.wait_for(words.split()[-1], timeout=10)


def _cursor_in_answer(app, data_dir: Path) -> None:
    _open_page(app)
    path = _progress_path(data_dir)
    deadline = time.monotonic() + 15
    while not _answer(path):  # the first key may come before the answer has the cursor
        assert time.monotonic() < deadline, f"typing never reached {path}:\n{app.text()[-1500:]}"
        app.write("k")
        _gone_after(time.monotonic(), lambda: bool(_answer(path)), 0.7)  # an autosave tick and a write


def _saved_in_full(data_dir: Path, words: str) -> bool:
    """The answer is the letters typed to find the cursor, then every one of ``words``."""
    return re.fullmatch("k+" + re.escape(words), _answer(_progress_path(data_dir))) is not None


class TmuxApp:
    """The app as the only program in a window of a tmux server of its own: as ``PtyApp`` for
    typing and reading, plus the server to kill."""

    def __init__(self, folder: Path, data_dir: Path, reaper):
        self.socket = folder / "tmux.sock"
        self.env = child_env(data_dir, HOME=str(folder))
        self.env.pop("TMUX", None)
        self.pid = 0
        reaper(self.close)
        # Given as separate arguments, tmux runs the command itself, with no shell in between.
        self.tmux("new-session", "-d", "-s", "sg", "-x", "100", "-y", "30", sys.executable, "-c", LAUNCHER)
        self.pid = int(self.tmux("display-message", "-p", "-t", "sg", "#{pane_pid}").strip())

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, env=self.env, timeout=20
        )
        if result.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {result.stderr}")
        return result.stdout

    def text(self) -> str:
        return plain(self.tmux("capture-pane", "-p", "-t", "sg").encode())

    def wait_for(self, wanted: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while wanted not in self.text():
            if not _alive(self.pid):
                raise AssertionError(f"safeground exited before {wanted!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {wanted!r}:\n{self.text()}")
            time.sleep(0.05)

    @property
    def output(self) -> str:
        """What the window shows now: it differs from an earlier look once the app has drawn."""
        return self.text()

    def write(self, keys: str) -> None:
        self.tmux("send-keys", "-t", "sg", "-l", "--", keys)

    def kill_server(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, env=self.env, timeout=20)

    def close(self) -> None:
        self.kill_server()
        if self.pid:
            _kill_group(self.pid)


# -- tmux kill-server --------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_tmux_kill_server_saves_and_exits_every_time(tmp_path, reaper):
    times = []
    for run in range(TMUX_RUNS):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        data_dir = _seeded(folder)
        app = TmuxApp(folder, data_dir, reaper)
        words = f" closed with kill-server zebra{run}x"
        _type_words(app, data_dir, words)
        started = time.monotonic()
        app.kill_server()
        took = _gone_after(started, lambda app=app: not _alive(app.pid), PROMISE + SLACK)
        assert took is not None, f"run {run}: still running {PROMISE + SLACK} s after the terminal went away"
        assert _saved_in_full(data_dir, words), f"run {run}: the typed words were not saved"
        assert _lock_is_free(data_dir), f"run {run}: the profile is still locked"
        times.append(took)
    print(f"kill-server: gone after {min(times):.2f}-{max(times):.2f} s over {len(times)} runs")


# -- the pseudo-terminal closed ------------------------------------------------------------------


def _close_terminal(app: PtyApp) -> float:
    """Close the only handle on the terminal's side: the kernel hangs it up."""
    started = time.monotonic()
    os.close(app.master)
    app.master = -1
    return started


def test_a_closed_terminal_saves_and_exits_every_time(tmp_path, reaper):
    times = []
    for run in range(PTY_RUNS):
        data_dir = _seeded(tmp_path / f"run{run}")
        app = _pty_app(reaper, data_dir)
        words = f" the window closed quokka{run}x"
        _type_words(app, data_dir, words)
        started = _close_terminal(app)
        took = _gone_after(started, lambda app=app: app.process.poll() is not None, PROMISE + SLACK)
        assert took is not None, f"run {run}: still running {PROMISE + SLACK} s after the terminal closed"
        assert _saved_in_full(data_dir, words), f"run {run}: the typed words were not saved"
        assert _lock_is_free(data_dir), f"run {run}: the profile is still locked"
        times.append(took)
    print(f"closed pty: gone after {min(times):.2f}-{max(times):.2f} s over {len(times)} runs")


# -- when Textual's shutdown or the app's loop is stuck: the watchdog ---------------------------


def test_a_stuck_shutdown_still_ends_within_two_seconds_after_the_hang_up(tmp_path, reaper):
    data_dir = _seeded(tmp_path)
    app = _pty_app(reaper, data_dir, env=_hooks(tmp_path, data_dir, "shutdown"))
    words = " typed before a stuck shutdown okapi"
    _type_words(app, data_dir, words)
    started = _close_terminal(app)
    took = _gone_after(started, lambda: app.process.poll() is not None, PROMISE + SLACK)
    assert took is not None, f"Textual's stuck shutdown kept the app running for {PROMISE + SLACK} s"
    saved = _answer(_progress_path(data_dir))
    assert app.process.returncode == 0, (
        f"the watchdog ends with 0 once all is saved (gone after {took:.2f} s; saved {saved!r})"
    )
    assert _saved_in_full(data_dir, words), f"saved {saved!r}"
    assert _lock_is_free(data_dir)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_ends_the_app_even_while_its_loop_is_stuck(tmp_path, reaper, signum):
    """The loop stops right after taking the words, before any autosave: the signal's handler
    still runs, and the watchdog saves them itself."""
    data_dir = _seeded(tmp_path)
    app = _pty_app(reaper, data_dir, env=_hooks(tmp_path, data_dir, "loop"))
    words = " stuck-here"
    _cursor_in_answer(app, data_dir)
    app.write(words)
    stuck = tmp_path / "stuck"
    assert _gone_after(time.monotonic(), stuck.exists, 10) is not None, "the loop never took the words"
    time.sleep(0.7)  # more than an autosave tick: none can run, the loop is stuck
    assert "stuck-here" not in _answer(_progress_path(data_dir)), "the loop was meant to be stuck"
    started = app.signal(signum)
    limit = (SIGTERM_PROMISE if signum == signal.SIGTERM else PROMISE) + SLACK
    took = _gone_after(started, lambda: app.process.poll() is not None, limit)
    assert took is not None, f"still running {limit} s after the signal"
    assert _saved_in_full(data_dir, words)
    assert _lock_is_free(data_dir)


# -- the "already open" screen, when the other one lost its terminal ----------------------------

#: A Safe Ground stuck the way the old hang left it: holding the lock, deaf to SIGHUP and SIGTERM.
STUCK_HOLDER = r"""
import fcntl, os, signal, sys, termios, time
fcntl.ioctl(0, termios.TIOCSCTTY, 0)
for signum in (signal.SIGHUP, signal.SIGTERM):
    signal.signal(signum, signal.SIG_IGN)
from safeground.storage import ProgressStore
store = ProgressStore(sys.argv[1], "default", "safe-ground")
store.acquire_lock()
os.write(1, b"holding\n")  # one write: its terminal is closed as soon as it is read
while True:
    time.sleep(1)
"""
SHIFT_TAB = "\x1b[Z"


def test_a_safe_ground_whose_terminal_closed_can_be_ended_from_the_locked_screen(tmp_path, reaper):
    data_dir = _seeded(tmp_path)
    master, slave = os.openpty()
    holder = subprocess.Popen(
        [sys.executable, "-c", STUCK_HOLDER, str(data_dir)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env=child_env(data_dir),
    )
    os.close(slave)
    reaper(lambda: (_kill_group(holder.pid), holder.wait(10)))
    seen = b""
    while b"holding\r\n" not in seen:
        seen += os.read(master, 1024)
    os.close(master)  # its terminal closes; it keeps running, and keeps the lock
    assert not _lock_is_free(data_dir)

    app = _pty_app(reaper, data_dir)
    app.wait_for("This profile is already open")
    app.wait_for("terminal was closed")
    app.wait_for("End that Safe Ground")
    assert f"pid {holder.pid}" in app.text() and "Open read-only" in app.text()
    app.write(SHIFT_TAB + SHIFT_TAB + "\r")  # from "Quit", back past "Open read-only", to "End ..."
    app.wait_for("pages complete", timeout=15)  # SIGTERM ignored, SIGKILL after 3 s, then opened
    assert holder.wait(5) == -signal.SIGKILL
    lock = data_dir / "default" / "safe-ground.lock"
    assert f"pid {app.pid}" in lock.read_text(encoding="utf-8")
    app.signal(signal.SIGTERM)
    assert app.wait(10) == 0
