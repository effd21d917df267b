"""``choice``: one of the options, as a radio set."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet

from safeground.content import Option
from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain


class OptionButton(RadioButton):
    """A radio button for one option, which knows the option's id: the answer is the id, and
    the label (author text, drawn as plain text) is only what a person reads."""

    def __init__(self, option: Option, chosen: bool = False) -> None:
        super().__init__(plain(option.label), value=chosen)
        self.option_id = option.id


class ChoiceField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        with RadioSet(classes="field--control"):
            for option in self.field.options:
                yield OptionButton(option, chosen=option.id == self.initial)

    @property
    def value(self) -> str | None:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.option_id if isinstance(pressed, OptionButton) else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.changed(settled=True)
