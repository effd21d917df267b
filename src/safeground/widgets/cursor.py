"""The terminal's cursor on the focused control, not only in text entries.

Textual moves the real cursor only for text inputs (``App.cursor_position``); elsewhere it stays
wherever the last entry left it. A braille display or a screen magnifier follows that cursor, so
a person moving through options and buttons by keyboard was followed by nothing. The controls
here put it on what they show as focused: the chosen point, the highlighted option's marker, a
button's first letter.
"""

from __future__ import annotations

from textual.geometry import Offset
from textual.widget import Widget

#: The top-left cell of a widget's content.
ORIGIN = Offset(0, 0)


def place_cursor(widget: Widget, offset: Offset = ORIGIN) -> None:
    """Put the terminal's cursor at ``offset`` in ``widget``'s content, if it has the focus.

    A position off the screen leaves the cursor where it is: Textual would clamp it to the
    screen's edge, onto some other control."""
    if not widget.is_attached or not widget.has_focus:
        return
    region = widget.content_region
    x, y = region.x + offset.x, region.y + offset.y
    if widget.screen.region.contains(x, y):
        widget.app.cursor_position = Offset(x, y)


def cursor_offset_for(widget: Widget) -> Offset | None:
    """Where a focused widget that does not place the cursor itself wants it: its first cell.

    Text entries (they have ``cursor_screen_offset``) and the controls in this package place it
    themselves; None for those."""
    if hasattr(widget, "cursor_screen_offset") or hasattr(widget, "place_cursor"):
        return None
    return Offset(0, 0)
