"""Support and keys: people to reach out to, then every key. One key away from every screen (F1,
or ? outside text fields).

The numbers come first, so that at 80×24 the emergency line and each service's name and number
are on screen the moment it opens; what each service is about, the workbook's own words and the
keys follow. The text has the cursor, so the arrow keys and Page Up/Down scroll it at once, and
Esc or Enter closes it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

from safeground.content import Support
from safeground.untrusted import for_terminal
from safeground.widgets.plain import plain, plain_lines

#: Every key, as the "Keys" section lists them: (keys, what they do), under a heading each. Each
#: line fits the 76-column box beside the keys' column, so none wraps at 80×24.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("F12, or Esc twice", "leave at once: answers saved, screen cleared"),
            ("F1 or ?", "support and keys (this window)"),
            ("Ctrl+R", "review your pages as they will print"),
            ("F2", "print or save pages"),
            ("F3", "the next page that isn't finished"),
            ("Ctrl+P", "commands: chapters, colours and more"),
            ("Ctrl+Q", "quit (your answers are saved)"),
        ],
    ),
    (
        "On a page",
        [
            ("Tab, Shift+Tab", "next or previous question"),
            ("Ctrl+N, Ctrl+B", "next or previous page"),
            ("Ctrl+O", "back to the contents"),
            ("Enter", "in a one-line answer: to the next question"),
        ],
    ),
    (
        "Choices, scales and ratings",
        [
            ("Up, Down", "move between options; Space or Enter picks"),
            ("Left, Right", "move along a scale (where you stop is chosen)"),
            ("1 to 9, 0", "pick that number on a scale (0 picks 10)"),
            ("Home, End", "the lowest or highest point"),
            ("Delete", "clear a scale"),
        ],
    ),
    (
        "Dialogs",
        [
            ("Esc", "close without doing anything"),
            ("Enter", "do what the highlighted button says"),
        ],
    ),
]


def keys_text() -> Content:
    """The keys section as text: a heading, then one line a key, the keys in a column."""
    width = max(len(keys) for _title, rows in KEYS for keys, _what in rows)
    parts: list[Content] = []
    for title, rows in KEYS:
        parts.append(Content.styled(title, "bold"))
        parts.extend(Content.styled(f"  {keys:<{width}}", "$accent") + Content(f"  {what}") for keys, what in rows)
        parts.append(Content(""))
    return Content("\n").join(parts[:-1])


class SupportScreen(ModalScreen[None]):
    """The support resources from the workbook's ``support.toml`` and the keys, over whatever was open."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, support: Support) -> None:
        super().__init__()
        self.support = support

    def compose(self) -> ComposeResult:
        support = self.support
        with Vertical(id="support-box", classes="dialog"):
            yield Label(plain(support.title), classes="dialog-title")
            with VerticalScroll(id="support-body"):
                yield Static(plain_lines(support.emergency), id="support-emergency")
                # Who to call, before anything else: a name and a number a line each.
                for resource in support.resources:
                    yield Static(
                        Content.styled(for_terminal(resource.name) + ":", "bold")
                        + Content(" ")
                        + Content(for_terminal(resource.contact)),
                        classes="resource-number",
                    )
                yield Markdown(for_terminal(support.intro, multiline=True), id="support-intro")
                for resource in support.resources:
                    with Vertical(classes="resource"):
                        yield Label(plain(resource.name), classes="resource-name")
                        if resource.about:
                            yield Static(plain_lines(resource.about), classes="resource-about")
                        if resource.url:
                            yield Static(plain(resource.url), classes="resource-url")
                if support.region_note:
                    yield Static(plain_lines(support.region_note), id="support-region")
                yield Label("Keys", classes="dialog-title", id="keys-title")
                yield Static(keys_text(), id="keys")
            yield Button("Close (Esc)", id="support-close", variant="primary", compact=True)

    def on_mount(self) -> None:
        # The text has the cursor: Down and Page Down scroll it at once.
        self.query_one("#support-body", VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
