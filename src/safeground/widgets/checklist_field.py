"""``checklist``: any of the options, as a selection list (Space toggles), long options wrapped.

Checked boxes are ``[x]`` and unchecked ``[ ]``, and the option the cursor is on has a ``>``
before it while the list has the focus: Textual draws ``▐X▌`` for every option, checked or not,
and tells them apart by colour alone. The terminal's cursor sits in that option's box.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList

from safeground.widgets.base import FieldWidget
from safeground.widgets.cursor import ShowsFocus, place_cursor
from safeground.widgets.plain import plain


class ChecklistBox(SelectionList[str], ShowsFocus):
    """A selection list whose boxes read checked or not, and whose cursor shows without colour.

    A long option wraps onto more lines, read whole (Textual's list cuts it short with "…": its
    boxes are drawn a line per option, and would land beside the wrong options)."""

    DEFAULT_CSS = """
    ChecklistBox {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def _get_left_gutter_width(self) -> int:
        return len("> [x] ")

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the option's text, without Textual's box
        lines = self._lines  # (option, line of it) for each line: a long option wraps
        if self.scroll_offset.y + y >= len(lines):
            return line
        index, line_of_option = lines[self.scroll_offset.y + y]
        if line_of_option:  # the box goes on an option's first line only
            return Strip([Segment(" " * self._get_left_gutter_width()), *line])
        selection = self.get_option_at_index(index)
        checked = selection.value in self._selected
        here = self.highlighted == index
        underlying = next(iter(line)).style if line.cell_length else None
        meta = Style(meta={"option": index})  # a click on the box toggles this option
        plain_style = (underlying or Style()) + meta
        # The brackets in the text's own colour, the x in the theme's: the box reads in any theme.
        tick = Style.from_color(self.get_component_rich_style("selection-list--button-selected").color, None)
        mark = "> " if here and self.has_focus else "  "
        return Strip(
            [
                Segment(mark + "[", plain_style),
                Segment("x" if checked else " ", plain_style + tick + Style(bold=True)),
                Segment("] ", plain_style),
                *line,
            ]
        )

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.call_after_refresh(self.place_cursor)

    def place_cursor(self) -> None:
        """The cursor inside the box of the option it is on."""
        if self.highlighted is None:
            return
        line = self._index_to_line.get(self.highlighted)
        if line is not None:
            place_cursor(self, Offset(3, line - self.scroll_offset.y))


class ChecklistField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        chosen = set(self.initial) if isinstance(self.initial, list) else set()
        yield ChecklistBox(
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
