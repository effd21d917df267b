"""Reading replies line by line from standard input, a terminal's or a pipe's.

A line is read whole (the terminal's own line editing works, and a screen reader reads what was
typed back as usual); the end of input (Ctrl+D, or the end of a pipe) is ``None``, which the
conversation takes as "save and leave". Through a pipe nothing echoes what was read, so the prompt
line is ended after each reply and a transcript reads one prompt a line.
"""

from __future__ import annotations

from typing import TextIO

#: The words that work at every prompt, whatever the question.
COMMANDS = frozenset({"support", "help", "skip", "back", "contents", "quit"})


class LineReader:
    """Prompts on ``out`` and reads one line at a time from ``source``."""

    def __init__(self, source: TextIO, out: TextIO):
        self.source = source
        self.out = out
        self._echoes = _is_terminal(source)

    def line(self, prompt: str = "> ") -> str | None:
        """The next line without its line ending, or None at the end of input."""
        self.out.write(prompt)
        self.out.flush()
        raw = self.source.readline()
        if not self._echoes or raw == "":  # Ctrl+D at a terminal leaves the cursor after the prompt
            self.out.write("\n")
        if raw == "":
            return None
        if raw.endswith("\n"):
            raw = raw[:-1]
        return raw[:-1] if raw.endswith("\r") else raw  # a file written on Windows

    def lines_until(self, first: str, is_end) -> list[str]:
        """``first`` and the lines after it, up to the line ``is_end`` accepts (left out) or the
        end of input (what was typed is kept: never lose an answer)."""
        lines = [first]
        while True:
            line = self.line("  ")
            if line is None or is_end(line):
                return lines
            lines.append(line)


def command(line: str) -> str | None:
    """The command a reply is (``"help"`` is ``"support"``), or None for an answer."""
    word = line.strip().lower()
    if word not in COMMANDS:
        return None
    return "support" if word == "help" else word


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
