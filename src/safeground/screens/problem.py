"""When the answers cannot be opened: a locked profile, an unreadable file, a folder we can't use.

Said plainly, with the file named, and with the ways forward as buttons. The file itself is never
changed here, except by "Move it aside", which renames it and keeps every byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from safeground.storage import StorageError

if TYPE_CHECKING:
    from safeground.app import SafeGroundApp

TITLES = {
    "locked": "This profile is already open",
    "unreadable": "Your progress file can't be read",
    "storage": "Safe Ground can't use its data folder",
}

ADVICE = {
    "locked": "Close the other Safe Ground first, then open this one again. Two partners on one computer "
    "can each use their own profile: safeground --profile NAME.",
    "unreadable": "Nothing was changed: the file is exactly as it was. You can fix it in a text editor "
    "(the .bak file beside it holds the version before the last save), or move it aside and start fresh. "
    "Moving it aside keeps the file under a new name.",
    "storage": "Check that the folder exists and that you can write to it, or choose another with --data-dir.",
}


class ProblemScreen(Screen):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__()
        self.kind = kind
        self.message = message

    @property
    def safeground(self) -> "SafeGroundApp":
        return cast("SafeGroundApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box", classes="dialog"):
            yield Label(TITLES[self.kind], classes="dialog-title")
            yield Static(Content(self.message), id="problem-message")
            yield Static(Content(ADVICE[self.kind]), id="problem-advice")
            with Horizontal(classes="dialog-buttons"):
                if self.kind == "unreadable":
                    yield Button("Move it aside and start fresh", id="move-aside", variant="warning")
                yield Button("Quit", id="quit", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "quit":
            self.app.exit()
        elif event.button.id == "move-aside":
            try:
                moved = self.safeground.start_fresh()
            except StorageError as error:
                self.query_one("#problem-message", Static).update(Content(str(error)))
                return
            self.app.notify(f"Your old file is kept as {moved}.", title="Starting fresh", timeout=10)
