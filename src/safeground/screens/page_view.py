"""One page of a chapter as the reader sees it: the chapter's intro on its first page, the title,
the page's text and a widget per question.

A chapter screen holds two of these, one above the other: the page shown, and the page that
follows it, built while the person reads this one and kept underneath, laid out and drawn but
covered (on a lower layer) and closed to the cursor. Ctrl+N then only swaps which one is on top,
so the next page appears at once instead of being built while the person waits. The page left
is kept too, out of the layout, for Ctrl+B; coming back, it is the page waiting underneath.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Markdown, Static

from safeground.kinds import is_answered
from safeground.untrusted import for_terminal
from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.registry import widget_for

if TYPE_CHECKING:
    from safeground.content import Chapter, Page
    from safeground.progress import Progress

#: The layers of the container that holds the pages: the shown page is drawn over the one
#: waiting underneath (``#pages`` in the stylesheet names them in this order).
SHOWN, WAITING = "shown", "waiting"


class PageView(VerticalScroll):
    """Page ``index`` of ``chapter``, its questions holding the answers in ``progress`` now."""

    def __init__(self, chapter: Chapter, index: int, progress: Progress, *, shown: bool, read_only: bool) -> None:
        page = chapter.pages[index]
        complete = progress.page_complete(chapter.id, page)
        # Marked now, while the page is empty: "-complete" restyles everything in it.
        super().__init__(classes="page -complete" if complete else "page")
        self.chapter = chapter
        self.index = index
        self.fields: list[FieldWidget] = []
        for field in page.fields:
            widget = widget_for(field, progress.usable(chapter.id, page.id, field))
            if read_only:  # opened to look only: nothing typed here could be saved
                widget.disabled = True
            self.fields.append(widget)
        self.read_only = read_only
        self.shown = False
        self.show(shown)

    @property
    def page(self) -> Page:
        return self.chapter.pages[self.index]

    @property
    def key(self) -> tuple[str, str]:
        return self.chapter.id, self.page.id

    def compose(self) -> ComposeResult:
        page = self.page
        if self.index == 0 and self.chapter.intro:
            # Markdown is read as Markdown, never as Textual markup; only its control characters
            # need stand-ins.
            yield Markdown(for_terminal(self.chapter.intro, multiline=True), classes="chapter-intro")
        yield Label(plain(page.title), classes="page-title")
        yield Static(Content("✓ This page is complete"), classes="page-complete")
        if page.text:
            yield Markdown(for_terminal(page.text, multiline=True), classes="page-text")
        yield from self.fields

    def show(self, shown: bool) -> None:
        """Put this page on top (``True``) or underneath. An inline style, not a class: a class
        would restyle every widget in the page, the very cost a ready page saves."""
        self.shown = shown
        self.styles.layer = SHOWN if shown else WAITING
        if shown:
            self.display = True  # a page kept out of the layout (the one before) comes back

    def allow_focus_children(self) -> bool:
        # The page underneath can't be seen: Tab must never take the cursor into it.
        return self.shown

    def holds(self, progress: Progress, read_only: bool) -> bool:
        """Whether this page, built earlier, still shows what ``progress`` holds now (an answer
        can change elsewhere meanwhile: the review screen, a fresh start)."""
        if read_only != self.read_only:
            return False
        chapter_id, page_id = self.key
        return all(_same(widget, progress.usable(chapter_id, page_id, widget.field)) for widget in self.fields)

    def answers(self) -> list[tuple[FieldWidget, Any]]:
        """The questions whose answer changed since last reported, with the answer now."""
        return [(widget, widget.value) for widget in self.fields if widget.value != widget.reported]


def _same(widget: FieldWidget, saved: Any) -> bool:
    """Whether ``widget`` shows ``saved``. An empty answer is stored as no answer at all: an
    emptied text reads "" in its widget and None in the progress, and both are the same."""
    shown = widget.reported
    return shown == saved or not (is_answered(widget.field, shown) or is_answered(widget.field, saved))
