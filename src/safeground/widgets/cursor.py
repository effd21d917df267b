"""The terminal's cursor on the focused control, not only in text entries.

Textual moves the real cursor only for text inputs (``App.cursor_position``); elsewhere it stays
wherever the last entry left it. A braille display or a screen magnifier follows that cursor, so
a person moving through options and buttons by keyboard was followed by nothing. The controls
here put it on what they show as focused: the chosen point, the highlighted option's marker, a
button's first letter.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Blur, Focus
from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import Button

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
    if widget.screen.region.contains(x, y) and widget.app.cursor_position != (x, y):
        widget.app.cursor_position = Offset(x, y)
        # The terminal's cursor moves when a frame is drawn: one must come, even when nothing
        # else changed (a page scrolled under a focused row left it lines away).
        widget.refresh()


def follow_focus(widget: Widget) -> None:
    """The cursor on a newly focused widget that does not place it itself (a button, a Select):
    at the start of its content, where its label begins.

    Text entries (they have ``cursor_screen_offset``) and the controls in this package (they
    have ``place_cursor``) place it themselves, on the letter or the option they are on."""
    if hasattr(widget, "cursor_screen_offset") or hasattr(widget, "place_cursor"):
        return
    row = getattr(widget, "highlighted_child", None)  # a list: the row it is on may know better
    if row is not None and hasattr(row, "place_cursor"):
        row.place_cursor()
        return
    if isinstance(widget, Button):  # its label is centred: the cursor on its first letter
        label = Content(str(widget.label)) if not isinstance(widget.label, Content) else widget.label
        place_cursor(widget, Offset(max(0, (widget.content_region.width - label.cell_length) // 2), 0))
        return
    place_cursor(widget)


def cursor_back_on(widget: Widget | None) -> None:
    """Put the cursor back on ``widget`` (the focused one) after the screen was laid out again (a
    scroll, a resize, a hint that appeared): each control placed it where the control was then,
    and moving the control does not move the cursor."""
    if widget is None or not widget.is_attached:
        return
    if hasattr(widget, "place_cursor"):
        widget.place_cursor()
    elif hasattr(widget, "cursor_screen_offset"):
        if widget.screen.region.contains_point(widget.cursor_screen_offset):
            widget.app.cursor_position = widget.cursor_screen_offset
    else:
        follow_focus(widget)


class ShowsFocus(Widget):
    """For a control that draws its own focus mark (a ``>``) and places the cursor itself: it is
    drawn again when the focus comes or goes, and puts the cursor in place once laid out.

    Listed after the Textual widget (``class TickBox(Checkbox, ShowsFocus)``): Textual names a
    widget's CSS types along its first bases, so queries and styles for ``Checkbox`` still match."""

    def place_cursor(self) -> None:
        raise NotImplementedError

    def on_focus(self, event: Focus) -> None:
        self.refresh()
        self.call_after_refresh(self.place_cursor)

    def on_blur(self, event: Blur) -> None:
        self.refresh()
