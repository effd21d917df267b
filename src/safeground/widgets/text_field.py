"""``text``: a one-line answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from safeground.untrusted import for_terminal
from safeground.widgets.base import FieldWidget
from safeground.widgets.visible import ShowControls


class TextField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        yield Input(
            value=self.initial if isinstance(self.initial, str) else "",
            placeholder=for_terminal(self.field.placeholder),
            highlighter=ShowControls(),
            # Coming back to an answer puts the cursor at its end: with the whole answer selected,
            # the first key pressed would replace it.
            select_on_focus=False,
            classes="field--control",
        )

    @property
    def value(self) -> str:
        return self.query_one(Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.changed(settled=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter on a one-line answer moves on, as in any form.
        event.stop()
        self.screen.focus_next()
