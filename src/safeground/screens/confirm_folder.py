"""Asking before a save creates the folder it names.

A person who types ``~/Documents/therapy/pages.pdf`` before making ``therapy`` would otherwise be
told only that the folder is missing, and have to leave the workbook to make it. A folder is never
made unasked: this asks, with "Create it" focused (making a folder loses nothing), and Escape or
"Don't create" goes back to the dialog with the name ready to change.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from safeground.untrusted import for_terminal


class ConfirmCreateFolder(ModalScreen[bool]):
    """Dismisses True to create ``folder``, False to go back without it."""

    DEFAULT_CSS = """
    #folder-box {
        width: 64;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Don't create"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="folder-box", classes="dialog"):
            yield Label("Create the folder?", classes="dialog-title")
            # A path is plain text: a folder named "notes[/]" must show as it is, never as markup.
            yield Static(Content(self.question()), id="folder-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create it", id="folder-yes", variant="primary", compact=True)
                yield Button("Don't create", id="folder-no", compact=True)

    def question(self) -> str:
        return f"The folder {for_terminal(self.folder)} doesn't exist yet. Create it and save your pages there?"

    def on_mount(self) -> None:
        self.query_one("#folder-yes", Button).focus()

    @on(Button.Pressed, "#folder-yes")
    def _create(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#folder-no")
    def action_back(self) -> None:
        self.dismiss(False)
