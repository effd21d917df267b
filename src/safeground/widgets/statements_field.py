"""``statements``: rate each statement on one shared scale, one row per statement.

Each row is one widget that draws the statement (wrapped on the left) and its points (on the
right) itself, as the home screen's chapter rows do: a page of nine statements was 120 widgets
to build and style on every page turn, and is now nine.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Offset, Size
from textual.widgets import Static

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.scale_points import ScalePoints

#: Cells between a statement's text and its points.
GAP = 1
#: A statement never gets fewer cells than this: below it the points go under the text.
MIN_LABEL = 12


class StatementRating(ScalePoints):
    """One statement and its row of points, which knows the statement's id (the answer's key).

    The focus is shown without colour: a ``>`` before the statement while the row has it, and
    the statement underlined; the chosen point is in brackets, as on a scale."""

    DEFAULT_CSS = """
    StatementRating {
        width: 1fr;
        height: auto;
        background: transparent;
        color: $text;
        &:focus {
            background: $boost;
            text-style: none;
        }
    }
    StatementRating > .statement-rating--label {
        color: $text;
    }
    StatementRating:focus > .statement-rating--label {
        text-style: bold underline;
    }
    """

    COMPONENT_CLASSES = ScalePoints.COMPONENT_CLASSES | {"statement-rating--label"}

    def __init__(self, statement_id: str, label: str, low: int, high: int, value: int | None = None) -> None:
        super().__init__(low, high, value, classes="statement-row")
        self.statement_id = statement_id
        self.label = plain(label)

    def _label_width(self, width: int) -> int:
        """Cells for the statement beside the points (marker included), or all of them when the
        points don't fit beside a readable statement and go on the line below."""
        beside = width - self.points_width - GAP
        return beside if beside >= MIN_LABEL else width

    def _label_lines(self, width: int) -> list[Content]:
        return self.label.wrap(max(1, self._label_width(width) - 2)) or [Content("")]

    def points_start(self) -> int:
        width = self.content_size.width
        label_width = self._label_width(width)
        return label_width + GAP if label_width < width else 0

    def number_at(self, offset: Offset) -> int | None:
        return super().number_at(offset - (0, self._points_line()))

    def point_offset(self, number: int) -> Offset:
        return super().point_offset(number) + (0, self._points_line())

    def _points_line(self) -> int:
        """The line the points are on: the first, or the one after the statement."""
        width = self.content_size.width
        return 0 if self._label_width(width) < width else len(self._label_lines(width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = len(self._label_lines(width))
        return lines if self._label_width(width) < width else lines + 1

    def render(self) -> Content:
        width = self.content_size.width
        label_width = self._label_width(width)
        label_style = self.get_visual_style("statement-rating--label")
        marker = "> " if self.has_focus else "  "
        lines = []
        for number, line in enumerate(self._label_lines(width)):
            lead = Content(marker if number == 0 else "  ")
            lines.append(lead + line.stylize(label_style).pad_right(max(0, label_width - 2 - line.cell_length)))
        points = self.render_points()
        if label_width < width:
            lines[0] = lines[0] + Content(" " * GAP) + points
        else:
            lines.append(points)
        return Content("\n").join(lines)


class StatementsField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        ratings = self.initial if isinstance(self.initial, dict) else {}
        field = self.field
        with Vertical(classes="statements field--control"):
            yield Static(
                plain(f"{field.min} = {field.min_label}   ·   {field.max} = {field.max_label}"),
                classes="statements-key",
            )
            for statement in field.statements:
                rating = ratings.get(statement.id)
                yield StatementRating(
                    statement.id, statement.label, field.min, field.max, rating if isinstance(rating, int) else None
                )

    @property
    def value(self) -> dict[str, int]:
        return {rating.statement_id: rating.value for rating in self.query(StatementRating) if rating.value is not None}

    def hint(self, value: dict[str, int]) -> str:
        if not value:
            return super().hint(value)
        return f"{len(value)} of {len(self.field.statements)} rated"

    def on_scale_points_changed(self, event: ScalePoints.Changed) -> None:
        event.stop()
        self.changed(settled=True)
