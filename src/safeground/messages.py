"""What the screens ask of the app: messages that bubble up from a screen to :class:`SafeGroundApp`.

Screens get what they show when they are made (the session, the workbook) and never call the app:
they post one of these, and the app, which owns the screen stack and the saving, decides what
happens. That keeps each screen testable on its own, in a small host app that records the
messages, and keeps ``safeground.app`` out of every screen module's imports.
"""

from __future__ import annotations

from textual import events
from textual.message import Message


class OpenPage(Message):
    """Open a chapter at a page (its first incomplete one when ``page_id`` is None)."""

    def __init__(
        self,
        chapter_id: str,
        page_id: str | None = None,
        field_id: str | None = None,
    ) -> None:
        super().__init__()
        self.chapter_id = chapter_id
        self.page_id = page_id
        self.field_id = field_id
        #: Keys typed after asking, for the page that opens. The chapter screen that asks keeps
        #: adding to this list until the app has switched screens, then the app routes them.
        self.typed_after: list[events.Key] = []


class GoHome(Message):
    """Back to the contents, closing whatever is open above them."""

    def __init__(self) -> None:
        super().__init__()
        #: Keys typed after asking: for the contents (see :class:`OpenPage`).
        self.typed_after: list[events.Key] = []


class ContinueWanted(Message):
    """Open the page the person was on (the home screen's main button)."""

    def __init__(self) -> None:
        super().__init__()
        #: Keys typed after asking: for the page that opens (see :class:`OpenPage`).
        self.typed_after: list[events.Key] = []


class AnswerChanged(Message):
    """An answer or the position changed. Settled changes (a choice) are saved at once; typing is
    picked up by the autosave tick."""

    def __init__(self, *, settled: bool) -> None:
        super().__init__()
        self.settled = settled


class SupportWanted(Message):
    """An answer asked for support: shown once per ``question`` (chapter, page, field)."""

    def __init__(self, question: tuple[str, str, str]) -> None:
        super().__init__()
        self.question = question


class PrintWanted(Message):
    """Open the print dialog with these chapters chosen (all when None)."""

    def __init__(self, chapter_ids: list[str] | None = None, *, include_drafts: bool = False) -> None:
        super().__init__()
        self.chapter_ids = chapter_ids
        self.include_drafts = include_drafts
