"""``scale``: one whole number from ``min`` to ``max``, with words at each end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.scale_points import ScalePoints


class ScaleField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        value = self.initial if isinstance(self.initial, int) and not isinstance(self.initial, bool) else None
        field = self.field
        yield Label(
            plain(f"{field.min} = {field.min_label}   ·   {field.max} = {field.max_label}"), classes="scale-key"
        )
        yield ScalePoints(field.min, field.max, value, classes="scale-row field--control")

    @property
    def value(self) -> int | None:
        return self.query_one(ScalePoints).value

    def on_scale_points_changed(self, event: ScalePoints.Changed) -> None:
        event.stop()
        self.changed(settled=True)
