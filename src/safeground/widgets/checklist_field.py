"""``checklist``: any of the options, as a selection list (Space toggles)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import SelectionList

from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain


class ChecklistField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        chosen = set(self.initial) if isinstance(self.initial, list) else set()
        yield SelectionList[str](
            *[(plain(option.label), option.id, option.id in chosen) for option in self.field.options],
            classes="field--control",
        )

    @property
    def value(self) -> list[str]:
        selected = set(self.query_one(SelectionList).selected)
        # Keep the workbook's order, so the saved file reads the way the page does.
        return [option.id for option in self.field.options if option.id in selected]

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.changed(settled=True)
