"""What plain mode prints: workbook text and answers as plain lines, never an escape code.

Every line goes through :func:`~safeground.untrusted.for_terminal`: a workbook folder or a
progress file may hold escape sequences, and a terminal (or the screen reader behind it) would
act on them. Page text is the workbook's light Markdown; the ``**`` and ``_`` around emphasis are
dropped, since a screen reader would read each one out.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import TextIO

from safeground.content import Support
from safeground.untrusted import for_terminal

_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def without_emphasis(text: str) -> str:
    return _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)


class Printer:
    """Lines to standard output (or a test's StringIO)."""

    def __init__(self, out: TextIO):
        self.out = out
        #: A terminal's width, to wrap at spaces: a word the terminal broke in two reaches a braille
        #: display or screen reader as two. None through a pipe, where lines stay whole.
        self.width = shutil.get_terminal_size().columns - 1 if _is_terminal(out) else None

    def line(self, text: str = "") -> None:
        """One line (its control characters drawn as stand-ins, a newline too)."""
        self.out.write(self._wrapped(for_terminal(text)) + "\n")

    def prose(self, text: str) -> None:
        """Several lines of the workbook's text, as paragraphs, with a blank line after."""
        text = without_emphasis(text.strip("\n"))
        if text.strip():
            lines = for_terminal(text, multiline=True).expandtabs(4).split("\n")
            self.out.write("\n".join(self._wrapped(line) for line in lines) + "\n\n")

    def _wrapped(self, line: str) -> str:
        if self.width is None or len(line) <= self.width:
            return line
        indent = line[: len(line) - len(line.lstrip(" "))]
        item = re.match(r" *(\d+\.|-) ", line)  # a list item's lines start under its text
        hanging = " " * item.end() if item else indent
        return textwrap.fill(
            line, self.width, subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False
        )

    def support(self, support: Support) -> None:
        """The support resources, numbers first, as the support screen shows them."""
        self.line(support.title)
        self.line()
        if support.emergency:
            self.prose(support.emergency)
        for resource in support.resources:
            self.line(f"{resource.name}: {resource.contact}")
        self.line()
        self.prose(support.intro)
        for resource in support.resources:
            details = resource.about + (f" ({resource.url})" if resource.url else "")
            if details:
                self.line(f"{resource.name}: {details}")
        self.line()
        if support.region_note:
            self.prose(support.region_note)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
