"""``long_text``: paragraphs, soft-wrapped; Tab moves on rather than inserting a tab."""

from __future__ import annotations

from textual.app import ComposeResult

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.visible import SafeTextArea


class LongTextField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        area = SafeTextArea(
            self.initial if isinstance(self.initial, str) else "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            classes="field--control",
        )
        if self.field.placeholder:
            area.placeholder = plain(self.field.placeholder)
        yield area

    @property
    def value(self) -> str:
        return self.query_one(SafeTextArea).text

    def on_text_area_changed(self, event: SafeTextArea.Changed) -> None:
        event.stop()
        self.show_cursor(event.text_area)
        self.changed(settled=False)

    def on_text_area_selection_changed(self, event: SafeTextArea.SelectionChanged) -> None:
        # The cursor moved (by arrow keys too): the page follows it, as the area itself does.
        event.stop()
        self.show_cursor(event.text_area)
