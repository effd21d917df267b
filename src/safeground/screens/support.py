"""Support: people to reach out to. One key away from every screen (F1, or ? outside text fields)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

from safeground.content import Support
from safeground.untrusted import for_terminal
from safeground.widgets.plain import plain, plain_lines


class SupportScreen(ModalScreen[None]):
    """The support resources from the workbook's ``support.toml``, over whatever was open."""

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
                yield Markdown(for_terminal(support.intro, multiline=True), id="support-intro")
                for resource in support.resources:
                    with Vertical(classes="resource"):
                        yield Label(plain(resource.name), classes="resource-name")
                        yield Static(plain(resource.contact), classes="resource-contact")
                        if resource.about:
                            yield Static(plain_lines(resource.about), classes="resource-about")
                        if resource.url:
                            yield Static(plain(resource.url), classes="resource-url")
                if support.region_note:
                    yield Static(plain_lines(support.region_note), id="support-region")
            yield Button("Close (Esc)", id="support-close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#support-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
