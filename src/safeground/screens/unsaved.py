"""Quitting while the latest answers could not be saved: say so, and offer a way to keep them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from safeground.session import Session
from safeground.untrusted import for_terminal


def default_export_path() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / f"safe-ground-answers-{datetime.now():%Y%m%d-%H%M%S}.toml"


class UnsavedScreen(ModalScreen[None]):
    BINDINGS = [("escape", "stay", "Stay")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        error = self.session.saver.last_error if self.session.saver else None
        reason = for_terminal(getattr(error, "strerror", None) or str(error or "the save did not finish"))
        with Vertical(id="unsaved-box", classes="dialog"):
            yield Label("Your latest answers aren't saved", classes="dialog-title")
            yield Static(
                Content(
                    f"Safe Ground couldn't write {for_terminal(self.session.store.path)} ({reason}). Your answers are still "
                    "here. You can try again, or save a copy somewhere else and open it later."
                )
            )
            yield Input(str(default_export_path()), id="export-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Try again", id="retry", variant="primary")
                yield Button("Save a copy here", id="export")
                yield Button("Quit without saving", id="discard", variant="error")
                yield Button("Stay", id="stay")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        match event.button.id:
            case "retry":
                if self.session.saver:
                    self.session.saver.retry()
                if self.session.save_and_wait(timeout=3.0):
                    self.app.exit()
                else:
                    self.app.notify("Still couldn't save.", severity="warning")
            case "export":
                path = Path(self.query_one("#export-path", Input).value).expanduser()
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self.session.export_unsaved(path)
                except OSError as error:
                    # A path is typed or named by someone: never markup ("[/]" would end the app).
                    reason = error.strerror or error
                    self.app.notify(for_terminal(f"Couldn't write {path}: {reason}"), severity="error", markup=False)
                    return
                self.app.notify(for_terminal(f"A copy of your answers is saved at {path}."), markup=False)
                self.app.exit()
            case "discard":
                self.app.exit()
            case _:
                self.dismiss(None)

    def action_stay(self) -> None:
        self.dismiss(None)
