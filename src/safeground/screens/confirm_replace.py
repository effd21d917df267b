"""Asking before a save replaces a file that is already there.

The print dialog suggests the same file name all day, so saving twice would otherwise lose the
first file without a word. Keeping the file is the answer that is focused, and the one Escape
gives; Tab or the arrow keys reach "Replace it", Enter presses the focused button.
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


class ConfirmReplace(ModalScreen[bool]):
    """Dismisses True to replace the file, False to keep it."""

    BINDINGS = [
        Binding("escape", "keep", "Keep the file"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, path: Path, link_target: Path | None = None) -> None:
        super().__init__()
        self.path = path
        self.link_target = link_target

    def compose(self) -> ComposeResult:
        with Vertical(id="replace-box", classes="dialog"):
            yield Label("Replace the file that is there?", classes="dialog-title")
            # Paths are plain text: a name like "notes[/]" must show as it is, never as markup.
            yield Static(Content(self.question()), id="replace-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep it", id="replace-no", variant="primary", compact=True)
                yield Button("Replace it", id="replace-yes", variant="error", compact=True)

    def question(self) -> str:
        path = for_terminal(self.path)
        if self.link_target is not None:
            return (
                f"{path} is a link to {for_terminal(self.link_target)}, which already exists. "
                "Replacing it writes over that file (the link stays). What is in it now will be lost."
            )
        return f"{path} already exists. If you replace it, what is in it now will be lost."

    def on_mount(self) -> None:
        self.query_one("#replace-no", Button).focus()

    @on(Button.Pressed, "#replace-yes")
    def _replace(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#replace-no")
    def action_keep(self) -> None:
        self.dismiss(False)
