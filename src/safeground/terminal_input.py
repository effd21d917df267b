"""Make what the terminal sends safe to read, whatever it is.

Two things a terminal can send would otherwise hurt someone's answers. Both are fixed where
Textual's Linux driver reads the terminal, before any key or paste reaches the app:

- **Bytes that are not UTF-8** (a terminal set to Latin-1, binary data pasted). Textual decodes
  strictly, so the first such byte ended the app with a traceback. They are read as U+FFFD.
- **ESC inside a bracketed paste.** Textual reads an escape sequence inside a paste as keystrokes:
  up to 32 characters after each ESC arrive as key presses instead of pasted text. Pasted
  ``ESC ^U`` would delete a line of the answer, ``ESC ESC ESC`` would quit, ``ESC ^M`` press a
  button. ESC characters inside a paste are dropped (the rest of the pasted text is kept), so a
  paste is always text and never commands. Most terminals strip them from pastes anyway.

Windows reads the console through another driver that has neither problem.
"""

from __future__ import annotations

import codecs
from typing import Any, Iterable

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


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
                self._recent = (self._recent + character)[-len(PASTE_START):]
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


def harden_terminal_input() -> None:
    """Apply both fixes to Textual's Linux driver (call before ``App.run``; safe to call twice)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # Windows: termios is missing, and its own driver is used
        return
    if getattr(linux_driver, "_safeground_hardened", False) or not hasattr(linux_driver, "XTermParser"):
        return  # already done, or a Textual whose driver reads the terminal some other way

    def getincrementaldecoder(encoding: str) -> Any:
        factory = codecs.getincrementaldecoder(encoding)
        return lambda errors="strict": factory("replace")

    class PasteSafeParser(linux_driver.XTermParser):  # type: ignore[name-defined,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._paste_filter = PasteFilter()

        def feed(self, data: str) -> Iterable[Any]:
            return super().feed(self._paste_filter(data) if data else data)

    linux_driver.getincrementaldecoder = getincrementaldecoder
    linux_driver.XTermParser = PasteSafeParser
    linux_driver._safeground_hardened = True
