"""Make what the terminal sends safe to read, whatever it is, and notice when the terminal is gone.

Two things a terminal can send would otherwise hurt someone's answers. Both are fixed where
Textual's Linux driver reads the terminal, before any key or paste reaches the app:

- **Bytes that are not UTF-8** (a terminal set to Latin-1, binary data pasted). Textual decodes
  strictly, so the first such byte ended the app with a traceback. They are read as U+FFFD.
- **ESC inside a bracketed paste.** Textual reads an escape sequence inside a paste as keystrokes:
  up to 32 characters after each ESC arrive as key presses instead of pasted text. Pasted
  ``ESC ^U`` would delete a line of the answer, ``ESC ESC ESC`` would quit, ``ESC ^M`` press a
  button. ESC characters inside a paste are dropped (the rest of the pasted text is kept), so a
  paste is always text and never commands. Most terminals strip them from pastes anyway.

A terminal can also go away under the app (its window closed, ``tmux kill-server``): the kernel
hangs it up, reads return end-of-file and writes fail with EIO. Textual's driver does not expect
that, and could leave the app running for good, holding the profile's lock:

- **SIGCONT after the hang-up.** The kernel sends SIGHUP and SIGCONT together. Textual reads
  SIGCONT as "back from Ctrl+Z" and starts application mode again; its own check for a terminal
  that went away needs ``isatty``, which a hung-up terminal fails, so it starts a second writer
  thread into the dead terminal. Here SIGCONT on a hung-up terminal reports it gone instead.
- **A writer thread that dies.** The writer thread's queue holds 30 writes; the first failed write
  ended the thread, and the 31st write after it (Textual's own shutdown) waited forever. Here the
  writer keeps taking writes and drops them once the terminal is gone.
- **End-of-file on input** made the input thread spin; it now ends and reports the terminal gone.

Whoever registered with :func:`on_terminal_gone` is told (the app saves and leaves).

Windows reads the console through another driver that has none of these problems.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable
from typing import Any

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"

#: Told (with what noticed it: "output", "input", "sigcont") when the terminal is found gone.
#: Called from the driver's threads or from a signal handler, so it must not take locks.
_gone_callback: Callable[[str], None] | None = None


class TerminalClosed(Exception):
    """End-of-file on the terminal: in raw mode a terminal only reads nothing once hung up."""


def on_terminal_gone(callback: Callable[[str], None] | None) -> None:
    """Register the one callback told when the terminal goes away (None to stop being told)."""
    global _gone_callback
    _gone_callback = callback


def report_terminal_gone(how: str) -> None:
    callback = _gone_callback
    if callback is not None:
        callback(how)


def terminal_alive(fd: int) -> bool:
    """Whether ``fd`` is still a terminal one can use: a hung-up one fails every ioctl with EIO."""
    import termios

    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False
    return True


class PasteFilter:
    """Drops ESC characters between a bracketed paste's start and end markers.

    Stateful across chunks: a marker or an escape sequence may be split between two reads.
    """

    def __init__(self) -> None:
        self.in_paste = False
        self._recent = ""  # the last few characters outside a paste, to see a start marker
        self._pending = ""  # inside a paste: an ESC and what followed it, while it may be the end marker

    def __call__(self, data: str) -> str:
        out: list[str] = []
        queue = list(reversed(data))
        while queue:
            character = queue.pop()
            if not self.in_paste:
                out.append(character)
                self._recent = (self._recent + character)[-len(PASTE_START) :]
                if self._recent == PASTE_START:
                    self.in_paste, self._recent = True, ""
            elif self._pending:
                self._pending += character
                if self._pending == PASTE_END:
                    out.append(PASTE_END)
                    self.in_paste, self._pending = False, ""
                elif not PASTE_END.startswith(self._pending):
                    # Not the end after all: drop the ESC, read what followed it again.
                    queue.extend(reversed(self._pending[1:]))
                    self._pending = ""
            elif character == ESC:
                self._pending = ESC
            else:
                out.append(character)
        return "".join(out)


class _Decoder:
    """Decodes what the terminal sends, never failing on bytes that are not UTF-8, and tells
    end-of-file (the driver reads only when the terminal has something, so nothing means closed)."""

    def __init__(self, encoding: str) -> None:
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")

    def decode(self, data: bytes, final: bool = False) -> str:
        if not data and not final:
            raise TerminalClosed()
        return self._decoder.decode(data, final)


def harden_terminal_input() -> None:
    """Apply the fixes to Textual's Linux driver (call before ``App.run``; safe to call twice)."""
    try:
        from textual.drivers import linux_driver as driver_module
    except ImportError:  # Windows: termios is missing, and its own driver is used
        return
    if getattr(driver_module, "_safeground_hardened", False) or not hasattr(driver_module, "XTermParser"):
        return  # already done, or a Textual whose driver reads the terminal some other way
    # Typed as Any: the patch replaces two of its names and adds a marker, which its own types forbid.
    linux_driver: Any = driver_module

    def getincrementaldecoder(encoding: str) -> Any:
        return lambda errors="strict": _Decoder(encoding)

    class PasteSafeParser(linux_driver.XTermParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._paste_filter = PasteFilter()

        def feed(self, data: str) -> Iterable[Any]:
            return super().feed(self._paste_filter(data) if data else data)

    linux_driver.getincrementaldecoder = getincrementaldecoder
    linux_driver.XTermParser = PasteSafeParser
    _survive_the_terminal(linux_driver)
    linux_driver._safeground_hardened = True


def _survive_the_terminal(linux_driver: Any) -> None:
    """Teach the driver that its terminal can go away (see the module's docstring)."""
    driver = linux_driver.LinuxDriver
    writer = getattr(linux_driver, "WriterThread", None)
    if writer is not None and hasattr(writer, "run"):
        linux_driver.WriterThread = _outliving_writer(writer)
    original_input = getattr(driver, "run_input_thread", None)
    if original_input is not None:

        def run_input_thread(self: Any) -> None:
            try:
                original_input(self)
            except TerminalClosed:
                if self.input_tty:
                    report_terminal_gone("input")
            except OSError:  # EIO: reading a terminal that was hung up
                if not self.input_tty:
                    raise
                report_terminal_gone("input")

        driver.run_input_thread = run_input_thread
    original_sigcont = getattr(driver, "_sigcont_application", None)
    if original_sigcont is not None:

        def _sigcont_application(self: Any, *args: Any) -> None:
            if self.input_tty and not terminal_alive(self.fileno):
                report_terminal_gone("sigcont")  # the hang-up's SIGCONT, not a return from Ctrl+Z
                return
            original_sigcont(self, *args)

        driver._sigcont_application = _sigcont_application


def _outliving_writer(base: type) -> type:
    class OutlivingWriterThread(base):
        """Textual's writer thread, except that a failed write (the terminal is gone) does not end
        it: it goes on taking writes, and drops them, so that nothing waits for a full queue."""

        def run(self) -> None:
            get, qsize = self._queue.get, self._queue.qsize
            broken = False
            while (text := get()) is not None:
                if broken:
                    continue
                try:
                    self._file.write(text)
                    if qsize() == 0:
                        self._file.flush()
                except (OSError, ValueError):
                    broken = True
                    report_terminal_gone("output")
            if not broken:
                try:
                    self._file.flush()
                except (OSError, ValueError):
                    pass

    return OutlivingWriterThread
