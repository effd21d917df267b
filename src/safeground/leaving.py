"""Leaving is guaranteed: the signals that ask the app to go, and the watchdog that makes sure it does.

On SIGTERM, SIGHUP or a terminal that went away (see ``terminal_input``), the app saves and exits
as usual, and an :class:`ExitWatchdog` saves and ends the process itself if that has not happened
within a moment, whatever Textual's shutdown is waiting for. No Textual here: the app hands in
what to call.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable
from time import monotonic
from types import FrameType
from typing import Any

#: After a hang-up, how long the usual way out (save, restore the terminal, exit) may take before
#: the watchdog saves and ends the process; with its save, leaving takes under two seconds.
HANGUP_GRACE = 1.0
#: After SIGTERM the terminal is usually still there and worth restoring, so a little longer.
SIGTERM_GRACE = 2.0
#: How long the watchdog waits for the last save before ending the process.
WATCHDOG_SAVE_TIMEOUT = 0.6


def is_our_safeground(pid: int) -> bool:
    """Whether ``pid`` is a Safe Ground run by this same account (never end anything else)."""
    try:
        if os.stat(f"/proc/{pid}").st_uid != os.getuid():
            return False
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"safeground" in cmdline.read()
    except (OSError, AttributeError):
        return False


class ExitWatchdog:
    """Ends the process a moment after it was asked to leave, if it has not left by then.

    Textual's shutdown writes to the terminal and can wait forever for one that is gone; the
    process would then keep the profile locked for good. Once armed, this daemon thread waits
    ``grace`` seconds, then saves what is pending (``save(timeout)``), lets go of the lock
    (``release()``) and calls ``os._exit``: 0 when everything was saved, 1 when not.

    :meth:`arm` may be called from a signal handler or any thread, so it takes no lock: it only
    sets a number and writes a byte to a pipe the thread waits on.
    """

    def __init__(self, save: Callable[[float], bool], release: Callable[[], None]):
        self._save = save
        self._release = release
        self._deadline: float | None = None
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._thread = threading.Thread(target=self._run, name="safeground-exit-watchdog", daemon=True)
        self._thread.start()

    def arm(self, grace: float) -> None:
        """Leave within ``grace`` seconds (an earlier deadline wins over a later one)."""
        deadline = monotonic() + grace
        if self._deadline is None or deadline < self._deadline:
            self._deadline = deadline
        try:
            os.write(self._wake_write, b"!")
        except OSError:
            pass  # the pipe is full: the thread has been woken already

    @property
    def armed(self) -> bool:
        return self._deadline is not None

    def close(self) -> None:
        """Stop the thread if it was never armed (an armed one stays, in case exiting hangs)."""
        if self._deadline is None:
            os.close(self._wake_write)

    def _run(self) -> None:
        while self._deadline is None:
            if not os.read(self._wake_read, 64):
                os.close(self._wake_read)
                return  # closed: the app left without being asked to hurry
        while (remaining := self._deadline - monotonic()) > 0:
            if select.select([self._wake_read], [], [], remaining)[0]:
                os.read(self._wake_read, 64)  # an earlier deadline, perhaps
        try:
            saved = self._save(WATCHDOG_SAVE_TIMEOUT)
        except BaseException:
            saved = False
        try:
            self._release()
        finally:
            os._exit(0 if saved else 1)


SignalHandler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def leave_on_signals(leave_soon: Callable[[float], None]) -> dict[int, SignalHandler]:
    """SIGHUP and SIGTERM call ``leave_soon(grace)`` (the app saves and leaves); returns the handlers they had before.

    These are Python handlers (``signal.signal``), not the event loop's: Python runs them on the
    main thread between two steps of whatever it is doing, even while the loop is stuck waiting
    (for a terminal that is gone, say), where a handler the loop runs would never run."""
    graces = {getattr(signal, "SIGHUP", None): HANGUP_GRACE, signal.SIGTERM: SIGTERM_GRACE}
    previous: dict[int, SignalHandler] = {}
    for signum, grace in graces.items():
        if signum is None:
            continue  # Windows has no SIGHUP
        try:
            previous[signum] = signal.signal(signum, _leaver(leave_soon, grace))
        except (ValueError, OSError):  # not the main thread, or not this platform
            pass
    return previous


def _leaver(leave_soon: Callable[[float], None], grace: float) -> Callable[[int, FrameType | None], None]:
    """A signal handler that asks to leave within ``grace`` seconds."""

    def leave(_signum: int, _frame: FrameType | None) -> None:
        leave_soon(grace)

    return leave
