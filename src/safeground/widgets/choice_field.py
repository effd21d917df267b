"""``choice``: one of the options, as a radio set.

What is chosen and where the focus is read without colour: the chosen option is ``(•)`` and the
others ``( )``, and the option the cursor is on has a ``>`` before it while the set has the
focus (Textual draws the same ``▐●▌`` for every option and marks the chosen one by colour only).
The terminal's cursor sits on that option's marker.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.events import Blur, Focus
from textual.geometry import Offset, Size
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet

from safeground.content import Option
from safeground.widgets.base import FieldWidget
from safeground.widgets.cursor import place_cursor
from safeground.widgets.plain import plain

CHOSEN = "(•)"
NOT_CHOSEN = "( )"
#: Before the option the cursor is on, while the set has the focus; as wide as its absence.
FOCUS_MARK = "> "


class DotButton(RadioButton):
    """A radio button that reads chosen or not without colour: ``(•)`` or ``( )``, with ``>``
    before it while its set has the focus and its cursor is on it."""

    @property
    def _button(self) -> Content:
        # In the text's own colour, the dot in the theme's: the brackets read in any theme.
        if not self.value:
            return Content(NOT_CHOSEN)
        return Content.assemble(CHOSEN[0], (CHOSEN[1], "$success bold"), CHOSEN[2])

    @property
    def _has_cursor(self) -> bool:
        parent = self.parent
        return self.has_class("-selected") and isinstance(parent, Widget) and parent.has_focus

    def render(self) -> Content:
        return Content(FOCUS_MARK if self._has_cursor else " " * len(FOCUS_MARK)) + super().render()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(FOCUS_MARK) + super().get_content_width(container, viewport)


class OptionButton(DotButton):
    """A radio button for one option, which knows the option's id: the answer is the id, and
    the label (author text, drawn as plain text) is only what a person reads."""

    def __init__(self, option: Option, chosen: bool = False) -> None:
        super().__init__(plain(option.label), value=chosen)
        self.option_id = option.id


class ChoiceSet(RadioSet):
    """A radio set whose options show where its cursor is, and take the terminal's cursor there."""

    def on_mount(self) -> None:
        # Textual starts the cursor on the first option (in its own mount handler, which runs
        # after this one); a person coming back to an answered question finds it on their answer.
        self.call_later(self._start_on_answer)

    def _start_on_answer(self) -> None:
        pressed = self.pressed_index
        if pressed >= 0:
            self._selected = pressed

    def watch__selected(self) -> None:
        super().watch__selected()
        self._show_cursor()

    def on_focus(self, event: Focus) -> None:
        self._show_cursor()

    def on_blur(self, event: Blur) -> None:
        self._show_cursor()

    def _show_cursor(self) -> None:
        for button in self.query(DotButton):
            button.refresh()
        self.call_after_refresh(self.place_cursor)

    def place_cursor(self) -> None:
        """The cursor on the marker of the option it is on (the dot of ``(•)``)."""
        selected = self._selected
        if selected is None or selected >= len(self._nodes):
            return
        button = self._nodes[selected]
        place_cursor(self, button.region.offset - self.content_region.offset + Offset(len(FOCUS_MARK) + 1, 0))


class ChoiceField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        with ChoiceSet(classes="field--control"):
            for option in self.field.options:
                yield OptionButton(option, chosen=option.id == self.initial)

    @property
    def value(self) -> str | None:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.option_id if isinstance(pressed, OptionButton) else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.changed(settled=True)
