"""Support and keys: people to reach out to, then every key. One key away from every screen (F1,
or ? outside text fields).

It shows one list at a time (the person's region, or the workbook author's own list) and says
whose it is; R goes to the next. The numbers come first, so that at 80×24 the emergency line and each service's name and number
are on screen the moment it opens; what each service is about, the workbook's own words and the
keys follow. The text has the cursor, so the arrow keys and Page Up/Down scroll it at once, and
Esc or Enter closes it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
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
            ("F4", "share chosen pages with your partner, as a file"),
            ("F5", "compare with your partner's share file"),
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
            ("Up, Down", "in rated statements: the previous or next statement"),
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


class SupportScreen(ModalScreen[str | None]):
    """The support lines and the keys, over whatever was open.

    It opens on the person's region (or on the workbook author's own list, when the workbook
    brought one), says whose list it is, and R goes to the next list: every region's lines stay
    one key away. It closes with the region last shown, for the app to keep as the choice (None
    for an author's list, which is not a region)."""

    BINDINGS = [
        Binding("escape,enter", "close", "Close"),
        Binding("r", "next_region", "Another region"),
    ]

    def __init__(self, support: Support, region: str = "") -> None:
        super().__init__()
        self.support = support
        #: The list on screen: a view from ``Support.for_region``.
        self.view = support.opening(region)

    def compose(self) -> ComposeResult:
        with Vertical(id="support-box", classes="dialog"):
            yield Label(plain(self.support.title), classes="dialog-title")
            with VerticalScroll(id="support-body"):
                yield from self._lines(self.view)
                yield Label("Keys", classes="dialog-title", id="keys-title")
                yield Static(keys_text(), id="keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (Esc)", id="support-close", variant="primary", compact=True)
                if len(self.support.choices()) > 1:
                    yield Button("Another region (R)", id="support-next", compact=True)

    def _lines(self, view: Support) -> list[Widget]:
        """One list: whose it is, the emergency line and every name and number first, so that at
        80×24 they are on screen the moment it opens; then the intro, what each service is
        about, and the region's note."""
        widgets: list[Widget] = [
            Static(plain(view.whose), id="support-whose"),
            Static(plain_lines(view.emergency), id="support-emergency"),
        ]
        widgets += [
            Static(
                Content.styled(for_terminal(r.name) + ":", "bold") + Content(" ") + Content(for_terminal(r.contact)),
                classes="resource-number",
            )
            for r in view.resources
        ]
        widgets.append(Markdown(for_terminal(view.intro, multiline=True), id="support-intro"))
        for resource in view.resources:
            about = [Static(plain_lines(resource.about), classes="resource-about")] if resource.about else []
            url = [Static(plain(resource.url), classes="resource-url")] if resource.url else []
            widgets.append(
                Vertical(Label(plain(resource.name), classes="resource-name"), *about, *url, classes="resource")
            )
        if view.region_note:
            widgets.append(Static(plain_lines(view.region_note), id="support-region"))
        for widget in widgets:
            widget.add_class("support-list")
        return widgets

    def on_mount(self) -> None:
        # The text has the cursor: Down and Page Down scroll it at once.
        self.query_one("#support-body", VerticalScroll).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "support-next":
            await self.action_next_region()
        else:
            self.action_close()

    async def action_next_region(self) -> None:
        """The next list (the author's, then each region, round again), numbers first, at the top."""
        choices = self.support.choices()
        if len(choices) < 2:
            return
        current = choices.index(self.view.region) if self.view.region in choices else -1
        self.view = self.support.for_region(choices[(current + 1) % len(choices)])
        body = self.query_one("#support-body", VerticalScroll)
        await self.query(".support-list").remove()
        await body.mount_all(self._lines(self.view), before=self.query_one("#keys-title"))
        body.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(self.view.region or None)
