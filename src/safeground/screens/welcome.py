"""The first-run note, once per profile: what this is, where answers go, the safety keys, and whose
support lines to show.

The region comes pre-chosen from the locale (:mod:`safeground.regions`); Left and Right change
it, and Enter keeps whatever is shown. Nothing here has to be answered: the note never blocks."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from safeground.content import Region, Support
from safeground.untrusted import for_terminal

WELCOME = """\
This is a workbook, not therapy. It gives you questions to think about, at your own pace. You can \
skip anything, stop at any time, and come back later: your place is kept.

Your answers stay on this computer. {how}, in:
{path}
{who}

F1 opens support lines from any screen.
Press Esc twice (or F12) to leave at once: your answers are saved and the screen is cleared."""

PLAIN = (
    "They are saved as plain text as you type",
    "Anyone who can use this computer account can read that file, unless you lock it with a "
    "passphrase (the command safeground lock).",
)
LOCKED = (
    "They are saved encrypted with your passphrase as you type",
    "Without the passphrase nobody can read that file, and nobody can recover a forgotten one.",
)


class WelcomeScreen(ModalScreen[str | None]):
    """Dismissed with the region chosen (the guess unless changed); None when there are no regions."""

    BINDINGS = [
        Binding("enter,escape", "continue", "Continue"),
        Binding("left", "region(-1)", "Previous region", show=False),
        Binding("right", "region(1)", "Next region", show=False),
    ]

    def __init__(
        self, progress_path: Path, support: Support | None = None, region: str = "", *, locked: bool = False
    ) -> None:
        super().__init__()
        self.progress_path = progress_path
        self.locked = locked
        self.regions: tuple[Region, ...] = support.regions if support else ()
        codes = [r.code for r in self.regions]
        self.index = codes.index(region) if region in codes else 0

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box", classes="dialog"):
            yield Label("Welcome to Safe Ground", classes="dialog-title")
            how, who = LOCKED if self.locked else PLAIN
            text = WELCOME.format(path=for_terminal(self.progress_path), how=how, who=who)
            yield Static(Content(text), id="welcome-text")
            if self.regions:
                yield Static(self._region_text(), id="welcome-region")
            yield Button("Continue (Enter)", id="welcome-continue", variant="primary", compact=True)

    def _region_text(self) -> Content:
        name = self.regions[self.index].name
        return (
            Content("Support lines for: ")
            + Content.styled(f"‹ {for_terminal(name)} ›", "bold")
            + Content("  (Left or Right to change)")
        )

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "welcome-region":
            self.action_region(1)

    def action_region(self, step: int) -> None:
        if self.regions:
            self.index = (self.index + step) % len(self.regions)
            self.query_one("#welcome-region", Static).update(self._region_text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()

    def action_continue(self) -> None:
        self.dismiss(self.regions[self.index].code if self.regions else None)
