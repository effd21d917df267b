"""The shape every field widget shares: prompt, help, the control, and a gentle hint.

A field widget is built from a :class:`~safeground.content.Field` and its saved value, shows the
prompt and help as plain text (author text is never parsed as markup, and its control characters
are drawn as stand-ins), and posts
:class:`FieldWidget.Changed` whenever the person changes the answer. The page decides when to save.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Spacing
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from safeground.content import Field
from safeground.kinds import is_answered
from safeground.widgets.plain import plain, plain_lines


class FieldWidget(Vertical):
    """Base class for one question on a page. Subclasses implement ``compose_control`` and ``value``."""

    DEFAULT_CLASSES = "field"

    class Changed(Message):
        """The answer changed. ``settled`` is True for choices (save now), False while typing."""

        def __init__(self, field_widget: FieldWidget, value: Any, settled: bool) -> None:
            super().__init__()
            self.field_widget = field_widget
            self.value = value
            self.settled = settled

        @property
        def control(self) -> FieldWidget:
            return self.field_widget

    def __init__(self, field: Field, value: Any = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.field = field
        self.initial = value
        self._reported = value
        self.set_class(not field.required, "-optional")
        # Marked now, while the field has no children: marked once they are mounted, every one
        # of them is styled again (a tenth of a page turn on a page of rated statements).
        answered = is_answered(field, value)
        self.set_class(answered, "-answered")
        self.set_class(field.required and not answered, "-unanswered")

    def compose(self) -> ComposeResult:
        prompt = plain(self.field.prompt)
        if not self.field.required:
            prompt = prompt + Content.styled("  (optional)", "dim")
        yield Label(prompt, classes="field--prompt")
        if self.field.help:
            yield Static(plain_lines(self.field.help), classes="field--help")
        yield from self.compose_control()
        yield Static(Content("Not answered yet"), classes="field--hint")

    def on_mount(self) -> None:
        self.refresh_answered()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._cursor_was = event.widget  # not stopped: the page keeps its place by it too
        self.add_class("-cursor")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        focused = self.screen.focused if self.is_attached else None
        if focused is None or self not in focused.ancestors:
            self.remove_class("-cursor")

    async def on_key(self, event: events.Key) -> None:
        """A key typed in this field that comes up unused after the cursor has moved on (Tab
        moves it at once, ahead of keys still queued here) is one of the control's own keys:
        Enter in an entry, Space in a list. Textual looks a key's binding up where the cursor is
        now, which would press a button the person has not reached yet; it is run here instead,
        where it was typed."""
        control = getattr(self, "_cursor_was", None)
        if control is None or control.has_focus or not control.is_attached:
            return
        node = control
        while node is not None and node is not self:
            for binding in node._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, node):
                    event.stop()
                    event.prevent_default()
                    return
            node = node.parent

    def compose_control(self) -> ComposeResult:
        raise NotImplementedError

    @property
    def value(self) -> Any:
        raise NotImplementedError

    @property
    def reported(self) -> Any:
        """The answer as last reported (or as built): a page being left stores ``value`` when it
        differs, since a change still on its way as a message would go with the widget."""
        return self._reported

    def focus_control(self) -> None:
        """Put the cursor in this question (used when resuming)."""
        focusable = [w for w in self.query("*") if isinstance(w, Widget) and w.focusable]
        if focusable:
            focusable[0].focus(scroll_visible=False)
            self.scroll_visible(animate=False)

    def hint(self, value: Any) -> str:
        """The quiet line under a required question not answered yet. A kind with parts says how
        far along ``value`` is, so a half-done answer never reads as untouched."""
        return "Not answered yet"

    def show_cursor(self, control: Widget) -> None:
        """Keep ``control``'s cursor on the screen once the field has been laid out again.

        A text area that grows, or an entry pushed down by a new item, moves the cursor without
        moving the focus, and Textual scrolls only for a change of focus: the person went on
        typing below the bottom bar, where they could not see it."""
        self.call_after_refresh(self._scroll_to_cursor, control)

    def _scroll_to_cursor(self, control: Widget) -> None:
        if not control.is_attached or control.screen.focused is not control:
            return
        x, y = getattr(control, "cursor_screen_offset", control.region.offset)
        # Innermost first, as Textual's own scroll_to_widget does: each scroll moves the cursor
        # on the screen, and the next container out sees where it went.
        for ancestor in control.ancestors:
            if not isinstance(ancestor, Widget) or not ancestor.allow_vertical_scroll:
                continue
            content = ancestor.content_region
            cursor = Region(x - content.x + int(ancestor.scroll_x), y - content.y + int(ancestor.scroll_y), 1, 1)
            # A line either side: an entry's frame, and the line after the one being written.
            moved = ancestor.scroll_to_region(cursor, spacing=Spacing(1, 0, 1, 0), animate=False, immediate=True)
            x, y = x - moved.x, y - moved.y

    def refresh_answered(self) -> None:
        """Mark a required question left empty, gently: a quiet line, never an alarm."""
        value = self.value
        answered = is_answered(self.field, value)
        self.set_class(answered, "-answered")
        unanswered = self.field.required and not answered
        self.set_class(unanswered, "-unanswered")
        if unanswered:
            hint = self.query_one(".field--hint", Static)
            text = self.hint(value)
            if str(hint.content) != text:  # an update lays the page out again
                hint.update(Content(text))

    def changed(self, settled: bool) -> None:
        """Report a change. Controls also announce values they were built with; those are not news."""
        value = self.value
        if value == self._reported:
            return
        self._reported = value
        self.refresh_answered()
        self.post_message(self.Changed(self, value, settled))
