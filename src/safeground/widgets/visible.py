"""Show what a person typed without letting it talk to the terminal.

Answers may hold control characters: pasted, or written into the progress file by hand. Textual's
text inputs draw them as they are, so an answer holding ``ESC [2J`` would clear the screen and
``ESC ]0;...`` would retitle the window. These helpers draw each control character as a visible
stand-in instead (the Unicode "control pictures": ␛ for ESC, ␀ for NUL, ␡ for DEL, and U+FFFD for
the C1 controls), one character for one, so cursor and selection stay on the right letters. Only
the drawing changes: the answer itself, and the file, keep every character exactly.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import TextArea

from safeground.untrusted import CONTROL_PICTURES as _PICTURES

#: In one line of text a tab is shown as a space; a text area lays tabs out itself.
_ONE_LINE = {**_PICTURES, 0x09: 0x20}
_TEXT_AREA = {code: picture for code, picture in _PICTURES.items() if code != 0x09}


def visible(text: str) -> str:
    """``text`` with every control character replaced by its visible stand-in."""
    return text.translate(_ONE_LINE)


class ShowControls(Highlighter):
    """For ``Input(highlighter=ShowControls())``: controls are drawn as stand-ins."""

    def highlight(self, text: Text) -> None:
        shown = text.plain.translate(_ONE_LINE)
        if shown != text.plain:
            text.plain = shown  # same length, so styles and the cursor stay where they were


class SafeTextArea(TextArea):
    """A text area that draws control characters as stand-ins."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        shown = line.plain.translate(_TEXT_AREA)
        if shown != line.plain:
            line.plain = shown
        return line
