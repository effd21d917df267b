"""What plain mode prints: workbook text and answers as plain lines, never an escape code.

Every line goes through :func:`~safeground.untrusted.for_terminal`: a workbook folder or a
progress file may hold escape sequences, and a terminal (or the screen reader behind it) would
act on them. Page text is the workbook's light Markdown; the ``**`` and ``_`` around emphasis are
dropped, since a screen reader would read each one out.
"""

from __future__ import annotations

import re
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

    def line(self, text: str = "") -> None:
        """One line (its control characters drawn as stand-ins, a newline too)."""
        self.out.write(for_terminal(text) + "\n")

    def prose(self, text: str) -> None:
        """Several lines of the workbook's text, as paragraphs, with a blank line after."""
        text = without_emphasis(text.strip("\n"))
        if text.strip():
            self.out.write(for_terminal(text, multiline=True).expandtabs(4) + "\n\n")

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
            details = " ".join(part for part in (resource.about, resource.url) if part)
            if details:
                self.line(f"{resource.name}: {details}")
        self.line()
        if support.region_note:
            self.prose(support.region_note)
