"""Review: the completed pages as they will print, read-only, before printing or saving them.

Private answers are shown here too, each marked, since only the person sees this screen; the note
at the top says they are left out when the pages are printed or saved, unless the person asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from safeground.messages import PrintWanted
from safeground.untrusted import for_terminal
from safeground.widgets.footer import SafeFooter
from safeground.widgets.plain import plain_lines

if TYPE_CHECKING:
    from safeground.session import Session

#: Said above the pages when some answers on them are private.
PRIVATE_NOTE = "Answers marked private are left out when you print or save, unless you ask for them."
#: Pages are laid out as the plain-text export lays them out, this wide at most.
REVIEW_WIDTH = 72
#: Columns the screen itself takes around a page (padding, scrollbar, the draft mark).
REVIEW_CHROME = 11


class ReviewScreen(Screen):
    """Shows the pages that would print, in the plain-text layout (answers never read as markup)."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("p", "print", "Print or save…"),
        Binding("d", "toggle_drafts", "Drafts on/off"),
    ]

    def __init__(self, session: Session, chapter_ids: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.chapter_ids = chapter_ids
        self.include_drafts = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="review")
        yield SafeFooter()

    async def on_mount(self) -> None:
        if self.chapter_ids and len(self.chapter_ids) == 1:
            chapter = self.session.workbook.chapter(self.chapter_ids[0])
            self.title = f"Review: {for_terminal(chapter.title)}" if chapter else "Review"
        else:
            self.title = "Review"
        await self.show_pages()

    async def show_pages(self) -> None:
        from safeground.export import NothingToExport, build_document
        from safeground.export.text import render_page

        session = self.session
        container = self.query_one("#review", VerticalScroll)
        await container.remove_children()
        drafts = (
            "Unfinished pages are shown as drafts (d hides them)."
            if self.include_drafts
            else "Only completed pages are shown (d adds unfinished ones as drafts)."
        )
        note = Static(Content(f"This is how your pages will print. {drafts}"), id="review-note")
        widgets: list[Static] = [note]
        try:
            document = build_document(
                session.workbook,
                session.progress,
                self.chapter_ids,
                self.include_drafts,
                session.profile,
                include_private=True,
            )
        except NothingToExport:
            widgets.append(
                Static(
                    Content(
                        "Nothing to show yet. A page appears here once every question on it that needs an "
                        "answer has one. Press d to see unfinished pages as drafts."
                    ),
                    id="review-empty",
                )
            )
        else:
            if any(f.private for page in document.pages for f in page.fields):
                note.update(Content(f"This is how your pages will print. {drafts} {PRIVATE_NOTE}"))
            width = max(30, min(REVIEW_WIDTH, self.app.size.width - REVIEW_CHROME))
            for page in document.pages:
                text = render_page(document, page, width=width, mark_private=True).strip("\f\n")
                # Cleaned when the document was built; drawn through plain_lines all the same.
                widgets.append(Static(plain_lines(text), classes="review-page" + (" -draft" if page.draft else "")))
        await container.mount_all(widgets)
        container.scroll_home(animate=False)

    async def action_toggle_drafts(self) -> None:
        self.include_drafts = not self.include_drafts
        await self.show_pages()

    def action_print(self) -> None:
        self.post_message(PrintWanted(self.chapter_ids, include_drafts=self.include_drafts))

    def action_close(self) -> None:
        self.dismiss()
