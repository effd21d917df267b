"""A row of points to pick one from, such as 1 to 10: the control behind ``scale`` and ``statements``.

Left and Right (or the digit keys) move the choice, and the choice is the answer: there is no
separate "confirm". Delete clears it. Clicking a point picks it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Click, Key
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class ScalePoint(Static):
    """One number on the row."""

    def __init__(self, number: int) -> None:
        super().__init__(Content(str(number)), classes="scale-point")
        self.number = number


class ScalePoints(Horizontal, can_focus=True):
    """A focusable row of numbered points from ``low`` to ``high``."""

    DEFAULT_CSS = """
    ScalePoints {
        height: 1;
        width: auto;
        background: $surface;
        & > .scale-point {
            width: auto;
            min-width: 4;
            padding: 0 1;
            content-align: center middle;
            color: $text-muted;
        }
        & > .scale-point.-selected {
            background: $primary;
            color: $text;
            text-style: bold;
        }
        &:focus {
            background: $boost;
            & > .scale-point.-selected {
                background: $accent;
                color: $text;
            }
        }
        & > .scale-point:hover {
            background: $primary 40%;
        }
    }
    """

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
        self.set_reactive(ScalePoints.value, value if value is not None and low <= value <= high else None)

    def compose(self) -> ComposeResult:
        for number in range(self.low, self.high + 1):
            point = ScalePoint(number)
            point.set_class(number == self.value, "-selected")
            yield point

    def watch_value(self, value: int | None) -> None:
        for point in self.query(ScalePoint):
            point.set_class(point.number == value, "-selected")
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
        point = event.widget
        if isinstance(point, ScalePoint):
            event.stop()
            self.focus()
            self.value = point.number
