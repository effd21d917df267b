"""The lock screen: a locked profile's passphrase, before anything of the workbook is shown.

The app opens on it for a locked profile, and comes back to it when nobody has typed for a while
(idle auto-lock). It shows no answer, no chapter, no title from the workbook: only that the
answers are locked, the passphrase field, and the keys that work everywhere (F1 support, Esc twice
or F12 to leave at once), which the app keeps working here.

The screen only asks: Enter posts :class:`LockScreen.Unlock` with what was typed, and the app,
which owns the key, tries it and calls :meth:`LockScreen.wrong` when it does not open the
answers. After three wrong tries in a row the field waits a few seconds before the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

INTRO = "Your answers are locked with a passphrase. Type it and press Enter to open them."
KEYS = "F1 support resources  ·  Esc twice or F12 to leave at once"
#: Wrong tries in a row before a wait, and how long the wait is by default (seconds).
TRIES_BEFORE_WAIT = 3
WAIT_AFTER_TRIES = 5.0


class LockScreen(Screen):
    DEFAULT_CSS = """
    LockScreen { align: center middle; }
    #lock-box { width: 64; }
    #lock-passphrase { margin: 1 0; }
    #lock-message { color: $warning; height: auto; }
    #lock-keys { color: $text-muted; margin-top: 1; }
    """

    @dataclass
    class Unlock(Message):
        """The person typed a passphrase and pressed Enter."""

        screen: LockScreen
        passphrase: str

        @property
        def control(self) -> LockScreen:
            return self.screen

    def __init__(self, *, wait_after_tries: float = WAIT_AFTER_TRIES) -> None:
        super().__init__()
        self.wait_after_tries = wait_after_tries
        self.wrong_tries = 0
        self.waiting = False

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box", classes="dialog"):
            yield Label("Safe Ground is locked", classes="dialog-title")
            yield Static(INTRO, id="lock-intro", markup=False)
            yield Input(password=True, placeholder="Passphrase", id="lock-passphrase")
            yield Static("", id="lock-message", markup=False)
            yield Static(KEYS, id="lock-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.waiting or not event.value:
            return
        field = self.query_one(Input)
        field.disabled = True
        self.say("Opening…")
        self.post_message(self.Unlock(self, event.value))

    def wrong(self) -> None:
        """The passphrase did not open the answers: say so calmly; after three, wait a moment."""
        self.wrong_tries += 1
        field = self.query_one(Input)
        field.value = ""
        if self.wrong_tries % TRIES_BEFORE_WAIT == 0:
            self.waiting = True
            self.say("That passphrase didn't open them. You can try again in a few seconds.")
            self.set_timer(self.wait_after_tries, self._wait_over)
            return
        self.say("That passphrase didn't open them. Nothing was changed; you can try again.")
        field.disabled = False
        field.focus()

    def _wait_over(self) -> None:
        self.waiting = False
        field = self.query_one(Input)
        field.disabled = False
        field.focus()
        self.say("You can try again now.")

    def say(self, message: str) -> None:
        self.query_one("#lock-message", Static).update(message)
