"""``statements``: rate each statement on one shared scale, one row per statement."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.scale_points import ScalePoints


class StatementRating(ScalePoints):
    """The row of points for one statement, which knows the statement's id (the answer's key)."""

    def __init__(self, statement_id: str, low: int, high: int, value: int | None = None) -> None:
        super().__init__(low, high, value)
        self.statement_id = statement_id


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
                with Horizontal(classes="statement-row"):
                    yield Label(plain(statement.label), classes="statement-label")
                    yield StatementRating(
                        statement.id, field.min, field.max, rating if isinstance(rating, int) else None
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
