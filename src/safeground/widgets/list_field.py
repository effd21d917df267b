"""``list``: the person's own items, added one at a time, each editable and removable."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input

from safeground.untrusted import for_terminal
from safeground.widgets.base import FieldWidget
from safeground.widgets.visible import ShowControls


class ListItem(Horizontal):
    """One item: its text, editable in place, and a button to remove it."""

    DEFAULT_CLASSES = "list-item"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Input(self.text, highlighter=ShowControls(), select_on_focus=False, classes="list-item--text")
        yield Button(Content("Remove"), compact=True, classes="list-item--remove")


class AddEntry(Input):
    """The entry for the next item. Enter empties it at once, as it is pressed, and sends what it
    held: letters typed straight after Enter (queued behind it) start the next item, where they
    were going, instead of joining the item being added."""

    async def _on_key(self, event: events.Key) -> None:
        # Enter is taken here, in turn with the letters around it, rather than as a binding the
        # app looks up later, where the cursor is by then (after a fast Tab, not here).
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        text = self.value
        if not text.strip():
            return  # nothing typed: nothing added
        self.value = ""
        self.post_message(self.Submitted(self, text))


class ListField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        items = self.initial if isinstance(self.initial, list) else []
        noun = for_terminal(self.field.item_label or "an item")
        with Vertical(classes="list field--control"):
            for text in items:
                if isinstance(text, str):
                    yield ListItem(text)
            with Horizontal(classes="list-add"):
                yield AddEntry(
                    placeholder=f"Type {noun}, then press Enter", highlighter=ShowControls(), classes="list-add--text"
                )
                yield Button(Content("Add"), compact=True, classes="list-add--button")

    @property
    def value(self) -> list[str]:
        return [item.query_one(Input).value for item in self.query(ListItem) if item.query_one(Input).value.strip()]

    def focus_control(self) -> None:
        self.query_one(".list-add--text", Input).focus(scroll_visible=False)
        self.scroll_visible(animate=False)

    async def _add(self, text: str) -> None:
        """Put ``text`` on the page as a new item, just above the entry, and report the answer."""
        entry = self.query_one(".list-add--text", AddEntry)
        # Reported once the item is on the page: the answer is read from the items shown.
        await self.query_one(".list", Vertical).mount(ListItem(text), before=self.query_one(".list-add"))
        if entry.has_focus:
            self.show_cursor(entry)  # the new item pushed the entry down, maybe below the bottom bar
        self.changed(settled=True)

    @on(Input.Submitted, ".list-add--text")
    async def _submitted(self, event: Input.Submitted) -> None:
        # The entry keeps the cursor for the next item; a Tab typed meanwhile has moved it on.
        event.stop()
        await self._add(event.value)

    @on(Button.Pressed, ".list-add--button")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        entry = self.query_one(".list-add--text", AddEntry)
        text, entry.value = entry.value, ""
        if text.strip():
            await self._add(text)
        if event.button.has_focus:  # back to the entry for the next item, unless the person moved on
            entry.focus()

    @on(Button.Pressed, ".list-item--remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        item = event.button.parent
        if not isinstance(item, ListItem):
            return
        items = list(self.query(ListItem))
        index = items.index(item)
        following = items[index + 1] if index + 1 < len(items) else None
        # Reported only once the item has left the page. An item leaves after its own children
        # have closed, which can be later than the next refresh: reported then, the answer still
        # held the item, looked unchanged, and the removal was never saved.
        await item.remove()
        target = following.query_one(Input) if following else self.query_one(".list-add--text", Input)
        target.focus()
        self.changed(settled=True)

    @on(Input.Changed, ".list-item--text")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.changed(settled=False)

    @on(Input.Changed, ".list-add--text")
    def _typing_new(self, event: Input.Changed) -> None:
        event.stop()  # not an answer until it is added

    @on(Input.Submitted, ".list-item--text")
    def _item_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()
