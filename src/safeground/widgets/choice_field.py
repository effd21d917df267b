"""``choice``: one of the options, as a radio set."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain


class ChoiceField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        with RadioSet(classes="field--control"):
            for option in self.field.options:
                button = RadioButton(plain(option.label), value=option.id == self.initial)
                button.option_id = option.id  # type: ignore[attr-defined]
                yield button

    @property
    def value(self) -> str | None:
        pressed = self.query_one(RadioSet).pressed_button
        return getattr(pressed, "option_id", None) if pressed else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.changed(settled=True)
