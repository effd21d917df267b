"""When the answers cannot be opened: a locked profile, an unreadable file, a folder we can't use.

Said plainly, with the file named, and with the ways forward as buttons. The file itself is never
changed here, except by "Move it aside", which renames it and keeps every byte.

A locked profile says who holds it and what that one is doing (see ``storage.holder_state``): a
Safe Ground whose terminal was closed can be ended from here, and any profile can be opened
read-only, to look without writing.

The screen only asks: each button (but Quit) posts :class:`ProblemScreen.Chosen`, and the app,
which owns the lock and the progress file, does it and tells this screen if it could not.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from safeground.storage import (
    HOLDER_ELSEWHERE,
    HOLDER_GONE,
    HOLDER_NO_TERMINAL,
    LockHolder,
)
from safeground.widgets.plain import plain_lines

TITLES = {
    "locked": "This profile is already open",
    "unreadable": "Your progress file can't be read",
    "storage": "Safe Ground can't use its data folder",
}

ADVICE = {
    "locked": "Two partners on one computer can each use their own profile: safeground --profile NAME.",
    "unreadable": "Nothing was changed: the file is exactly as it was. You can fix it in a text editor "
    "(the .bak file beside it holds the version before the last save), or move it aside and start fresh. "
    "Moving it aside keeps the file under a new name.",
    "storage": "Check that the folder exists and that you can write to it, or choose another with --data-dir.",
}


def locked_message(holder: LockHolder, state: str) -> str:
    """What the other Safe Ground is doing with the profile, in a sentence or two that start with a
    capital and don't repeat the title ("This profile is already open"). The process id comes
    last, in brackets, for whoever needs to find it."""
    if holder.pid is None:
        return "Another program holds this profile's lock, and it doesn't say which."
    since = f"since {holder.since}" if holder.since else "for a while"
    which = f"(pid {holder.pid})"
    if state == HOLDER_ELSEWHERE:
        return f"Safe Ground on {holder.host} is using it, {since}. Close it there to use it here {which}."
    if state == HOLDER_GONE:
        return (
            f"The Safe Ground that used it is no longer running, but something else on this computer "
            f"still holds its lock {which}."
        )
    if state == HOLDER_NO_TERMINAL:
        return (
            f"Another Safe Ground has been using it {since}, but its terminal was closed, so nobody can "
            f"use it any more {which}."
        )
    return f"Another Safe Ground is using it, {since}. Close that one to use it here {which}."


#: What a person can choose on the problem screen, as its buttons' ids.
READ_ONLY, END_HOLDER, MOVE_ASIDE = "read-only", "end-holder", "move-aside"


class ProblemScreen(Screen):
    @dataclass
    class Chosen(Message):
        """A way forward was chosen (``READ_ONLY``, ``END_HOLDER`` or ``MOVE_ASIDE``)."""

        problem: ProblemScreen
        choice: str

        @property
        def control(self) -> ProblemScreen:
            return self.problem

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        holder: LockHolder | None = None,
        can_end: bool = False,
        can_move_aside: bool = True,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.message = message
        self.holder = holder
        self.can_end = can_end
        self.can_move_aside = can_move_aside

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box", classes="dialog"):
            yield Label(TITLES[self.kind], classes="dialog-title")
            yield Static(plain_lines(self.message), id="problem-message")
            yield Static(Content(ADVICE[self.kind]), id="problem-advice")
            with Horizontal(classes="dialog-buttons"):
                if self.kind == "unreadable" and self.can_move_aside:
                    yield Button("Move it aside and start fresh", id=MOVE_ASIDE, variant="warning")
                if self.can_end:
                    yield Button("End that Safe Ground", id=END_HOLDER, variant="warning")
                if self.kind == "locked":
                    yield Button("Open read-only", id=READ_ONLY)
                yield Button("Quit", id="quit", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = event.button.id
        if choice == "quit":
            self.app.exit()
        elif choice == END_HOLDER and self.holder is not None:
            for button in self.query(Button):
                button.disabled = True
            self.say("Ending the other Safe Ground…")
            self.post_message(self.Chosen(self, choice))
        elif choice in (READ_ONLY, MOVE_ASIDE):
            self.post_message(self.Chosen(self, choice))

    def say(self, message: object) -> None:
        """Show ``message`` (an error, what is happening) in place of the problem (as plain text)."""
        self.query_one("#problem-message", Static).update(plain_lines(message))
