"""A checkbox that reads ticked or not without colour: ``[x]`` or ``[ ]``.

Textual's checkbox draws the same ``▐X▌`` ticked or not and tells them apart by colour only; with
NO_COLOR, or for someone who can't tell the colours apart, every box looked ticked. While it has
the focus a ``>`` stands before it, and the terminal's cursor sits inside the box.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Offset, Size
from textual.widgets import Checkbox

from safeground.widgets.cursor import ShowsFocus, place_cursor

TICKED = "[x]"
NOT_TICKED = "[ ]"
FOCUS_MARK = "> "


class TickBox(Checkbox, ShowsFocus):
    @property
    def _button(self) -> Content:
        if not self.value:
            return Content(NOT_TICKED)
        return Content.assemble(TICKED[0], (TICKED[1], "$success bold"), TICKED[2])

    def render(self) -> Content:
        return Content(FOCUS_MARK if self.has_focus else " " * len(FOCUS_MARK)) + super().render()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(FOCUS_MARK) + super().get_content_width(container, viewport)

    def place_cursor(self) -> None:
        """The cursor inside the box, where the x is or would be."""
        place_cursor(self, Offset(len(FOCUS_MARK) + 1, 0))
