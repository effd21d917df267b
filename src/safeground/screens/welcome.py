"""The first-run note, once per profile: what this is, where answers go, and the safety keys."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from safeground.untrusted import for_terminal

WELCOME = """\
This is a workbook, not therapy. It gives you questions to think about, at your own pace. You can \
skip anything, stop at any time, and come back later: your place is kept.

Your answers stay on this computer. {how}, in:
{path}
{who}

F1 opens support resources from any screen.
Press Esc twice (or F12) to leave at once: your answers are saved and the screen is cleared."""

PLAIN = ("They are saved as plain text as you type", "Anyone who can use this computer account can read that file.")
LOCKED = (
    "They are saved encrypted with your passphrase as you type",
    "Without the passphrase nobody can read that file, and nobody can recover a forgotten one.",
)


class WelcomeScreen(ModalScreen[bool]):
    BINDINGS = [Binding("enter,escape", "continue", "Continue")]

    def __init__(self, progress_path: Path, *, locked: bool = False) -> None:
        super().__init__()
        self.progress_path = progress_path
        self.locked = locked

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box", classes="dialog"):
            yield Label("Welcome to Safe Ground", classes="dialog-title")
            how, who = LOCKED if self.locked else PLAIN
            text = WELCOME.format(path=for_terminal(self.progress_path), how=how, who=who)
            yield Static(Content(text), id="welcome-text")
            yield Button("Continue (Enter)", id="welcome-continue", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    def action_continue(self) -> None:
        self.dismiss(True)
