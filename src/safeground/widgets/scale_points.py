"""A row of points to pick one from, such as 1 to 10: the control behind ``scale`` and ``statements``.

Left and Right (or the digit keys) move the choice, and the choice is the answer: there is no
separate "confirm". Delete clears it. Clicking a point picks it.

The row is one widget that draws its points itself. It was a row of one widget per point, and a
page of nine rated statements built ninety of them on every page turn, which was most of the
turn's time (bench/README.md). The chosen point is drawn in brackets, ``[7]``, so it reads
without colour (NO_COLOR, a monochrome terminal, a screen reader's text), and the terminal's
cursor sits on it while the row has the focus, for a braille display or magnifier that follows
the cursor.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.events import Blur, Click, Focus, Key, Resize
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from safeground.widgets.cursor import place_cursor

#: Cells per point: the number, a bracket either side when chosen, centred.
POINT_WIDTH = 4
#: Before the row while it has the focus (focus that shows without colour); as wide as its absence.
FOCUS_MARK = "> "


def point_cell(number: int, chosen: bool, width: int = POINT_WIDTH) -> str:
    """One point as text: `` 7  `` or ``[7] ``; ``[10]`` on a two-digit point."""
    text = f"[{number}]" if chosen else f" {number} "
    return text.ljust(width) if len(text) >= width - 1 else text.center(width)


class ScalePoints(Widget, can_focus=True):
    """A focusable row of numbered points from ``low`` to ``high``, drawn as one line of text."""

    DEFAULT_CSS = """
    ScalePoints {
        height: 1;
        width: auto;
        background: $surface;
        color: $text-muted;
        &:focus {
            background: $boost;
            color: $text;
        }
    }
    ScalePoints > .scale-points--chosen {
        background: $primary;
        color: $text;
        text-style: bold;
    }
    ScalePoints:focus > .scale-points--chosen {
        background: $accent;
    }
    """

    COMPONENT_CLASSES = {"scale-points--chosen"}

    BINDINGS = [
        Binding("left", "move(-1)", "Lower", show=False),
        Binding("right", "move(1)", "Higher", show=False),
        Binding("home", "pick_end(0)", "Lowest", show=False),
        Binding("end", "pick_end(1)", "Highest", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | left / right | Move the choice down or up the scale. |
    | home / end | Choose the lowest or highest point. |
    | 0-9 | Choose that number, when the scale has it. |
    | delete / backspace | Clear the choice. |
    """

    value: reactive[int | None] = reactive(None, init=False)
    """The chosen number, or None before anything is chosen."""

    class Changed(Message):
        def __init__(self, points: ScalePoints, value: int | None) -> None:
            super().__init__()
            self.points = points
            self.value = value

        @property
        def control(self) -> ScalePoints:
            return self.points

    def __init__(self, low: int, high: int, value: int | None = None, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.low = low
        self.high = high
        self.point_width = max(POINT_WIDTH, len(str(high)) + 2, len(str(low)) + 2)
        self.set_reactive(ScalePoints.value, value if value is not None and low <= value <= high else None)

    # -- drawing -------------------------------------------------------------------------------

    @property
    def points_width(self) -> int:
        return (self.high - self.low + 1) * self.point_width

    def points_start(self) -> int:
        """Where the first point begins in the widget's content: after the focus marker (a
        statement row puts its statement first)."""
        return len(FOCUS_MARK)

    def render_points(self) -> Content:
        chosen_style = self.get_visual_style("scale-points--chosen")
        parts = []
        for number in range(self.low, self.high + 1):
            cell = point_cell(number, number == self.value, self.point_width)
            parts.append(Content.styled(cell, chosen_style) if number == self.value else Content(cell))
        return Content("").join(parts)

    def render(self) -> Content:
        return Content(FOCUS_MARK if self.has_focus else " " * len(FOCUS_MARK)) + self.render_points()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(FOCUS_MARK) + self.points_width

    def point_offset(self, number: int) -> Offset:
        """Where ``number``'s digit is, in the widget's content: for a click, and for the cursor."""
        return Offset(self.points_start() + (number - self.low) * self.point_width + 1, 0)

    def number_at(self, offset: Offset) -> int | None:
        """The point drawn at ``offset`` (content coordinates), if any."""
        x = offset.x - self.points_start()
        if offset.y != 0 or not 0 <= x < self.points_width:
            return None
        return self.low + x // self.point_width

    # -- the terminal's cursor -----------------------------------------------------------------

    def place_cursor(self) -> None:
        """The cursor on the chosen point, or the first one while nothing is chosen."""
        place_cursor(self, self.point_offset(self.low if self.value is None else self.value))

    def on_focus(self, event: Focus) -> None:
        self.refresh()  # the marker
        self.call_after_refresh(self.place_cursor)

    def on_blur(self, event: Blur) -> None:
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.place_cursor)

    # -- choosing ------------------------------------------------------------------------------

    def watch_value(self, value: int | None) -> None:
        self.refresh()
        self.place_cursor()
        self.post_message(self.Changed(self, value))

    def action_move(self, step: int) -> None:
        if self.value is None:
            self.value = self.low if step > 0 else self.high
        else:
            self.value = min(self.high, max(self.low, self.value + step))

    def action_pick_end(self, end: int) -> None:
        self.value = self.high if end else self.low

    def action_clear(self) -> None:
        self.value = None

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if number == 0 and not self.low <= 0 <= self.high:
                number = 10  # one key per point on a 1-to-10 scale, as on a phone's keypad
            if self.low <= number <= self.high:
                event.stop()
                self.value = number

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        number = None if offset is None else self.number_at(offset)
        if number is not None:
            event.stop()
            self.focus()
            self.value = number
