"""Home: the workbook's chapters with their progress, and one button to carry on.

The counts are reactive: the screen sets each row's ``done``, the overall bar's ``done`` and its
continue label when it comes back into view, and Textual redraws only what changed. Choosing
a chapter or continuing posts a message (:mod:`safeground.messages`); the app opens the page.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Label, ListItem, ListView, Static

from safeground.messages import ContinueWanted, OpenPage
from safeground.untrusted import shown
from safeground.widgets.cursor import follow_focus, place_cursor
from safeground.widgets.footer import SafeFooter
from safeground.widgets.plain import plain

if TYPE_CHECKING:
    from safeground.content import Chapter
    from safeground.session import Session


#: Benchmark hook (bench/pty_launch.py): when set, the home screen writes one line to this file
#: descriptor once it has been drawn, which is what "ready" means in the start-up figures.
READY_FD_ENV = "SAFEGROUND_BENCH_READY_FD"


def announce_ready() -> None:
    descriptor = os.environ.pop(READY_FD_ENV, None)
    if descriptor:
        try:
            os.write(int(descriptor), b"ready\n")
            os.close(int(descriptor))
        except (ValueError, OSError):
            pass


def first_line(text: str) -> str:
    """The first paragraph of a Markdown description, as one plain line for the home screen."""
    paragraph = text.strip().split("\n\n", 1)[0]
    return shown(" ".join(paragraph.replace("*", "").split()))


#: Secondary text inside self-drawn rows (the stylesheet's $text-muted applies to whole widgets).
MUTED = "dim"


#: The bar's cells: done and to do differ in shape, not only in colour, so 0% and 17% look
#: different with NO_COLOR, on a monochrome terminal, and to someone who can't tell the colours.
BAR_DONE = "━"
BAR_TO_DO = "─"


def progress_bar(done: int, total: int, width: int) -> Content:
    """A bar of ``width`` cells drawn as text in theme colours: one widget instead of four.

    A begun chapter shows at least one cell done, however long it is: rounded down to nothing,
    1 of 30 pages looked untouched."""
    filled = round(width * done / total) if total else width
    if done and not filled:
        filled = 1
    return Content.styled(BAR_DONE * filled, "$primary") + Content.styled(
        BAR_TO_DO * (width - filled), "$panel-lighten-2"
    )


class ChapterRow(ListItem):
    """One chapter: title, a bar of pages complete and the count, then the summary.

    The row draws itself rather than composing labels and a ProgressBar: Textual spends a couple of
    milliseconds on each widget at start-up, and a row of seven widgets per chapter was most of
    the home screen's cost (see bench/README.md).
    """

    BAR_WIDTH = 20
    COUNT_WIDTH = 14
    #: Before the row the list's cursor is on, while the list has the focus: focus that reads
    #: without colour (the highlight is a background colour only).
    FOCUS_MARK = "> "

    #: Pages of the chapter complete; the row redraws itself when it changes.
    done = reactive(0)
    #: The titles of the pages left in a chapter begun, or "" (see Progress.pages_to_finish).
    to_finish = reactive("")

    def __init__(self, chapter: Chapter, done: int = 0, to_finish: str = "") -> None:
        complete = done == len(chapter.pages)
        super().__init__(classes="chapter-row -complete" if complete else "chapter-row")
        self.chapter = chapter
        self.set_reactive(ChapterRow.done, done)
        self.set_reactive(ChapterRow.to_finish, to_finish)

    def render(self) -> Content:
        total = len(self.chapter.pages)
        width = self.content_size.width
        mark = "✓ " if self.done == total else ""
        count = f"{mark}{self.done}/{total} pages"
        bar_width = self.BAR_WIDTH if width >= 60 else 0
        title_width = max(1, width - bar_width - self.COUNT_WIDTH - 4 - len(self.FOCUS_MARK))
        line = Content(self.FOCUS_MARK if self._has_cursor else " " * len(self.FOCUS_MARK))
        line += Content.styled(plain(self.chapter.title).truncate(title_width, ellipsis=True, pad=True).plain, "bold")
        line += Content("  ")
        if bar_width:
            line += progress_bar(self.done, total, bar_width) + Content("  ")
        line += Content.styled(count, "$success" if self.done == total else MUTED)
        # A chapter begun says which pages are left ("3/4 pages" says only how many); the others
        # say what the chapter is about.
        second = f"  To finish: {self.to_finish}" if self.to_finish else "  " + self.chapter.summary
        summary = plain(second).truncate(width, ellipsis=True)
        return Content("\n").join([line, Content.styled(summary.plain, MUTED)])

    def watch_done(self, done: int) -> None:
        self.set_class(done == len(self.chapter.pages), "-complete")

    @property
    def _has_cursor(self) -> bool:
        parent = self.parent
        return self.highlighted and isinstance(parent, Widget) and parent.has_focus

    def watch_highlighted(self, value: bool) -> None:
        super().watch_highlighted(value)
        self.call_after_refresh(self.place_cursor)

    def place_cursor(self) -> None:
        """The terminal's cursor on the marker of the row the list is on, while it has the focus."""
        if self._has_cursor and isinstance(self.parent, Widget):
            place_cursor(self.parent, self.content_region.offset - self.parent.content_region.offset)


class OverallProgress(Static):
    """ "Overall: n of m pages complete" over one bar and a percentage, drawn as text."""

    #: Pages of the workbook complete; the bar redraws itself when it changes.
    done = reactive(0)

    def __init__(self, done: int, total: int) -> None:
        super().__init__(id="overall")
        self.total = total
        self.set_reactive(OverallProgress.done, done)

    def render(self) -> Content:
        percent = round(100 * self.done / self.total) if self.total else 100
        label = Content.styled(f"Overall: {self.done} of {self.total} pages complete", MUTED)
        bar = progress_bar(self.done, self.total, 32) + Content(f"  {percent}%")
        return Content("\n").join([label, bar])


class HomeScreen(Screen):
    """The contents page. The continue button has focus, so Enter picks up where you were."""

    BINDINGS = [
        # The continue button has focus and says where it goes; the footer keeps its room for
        # the keys that work everywhere.
        Binding("c", "continue", "Continue", show=False, priority=True),
        Binding("enter", "open_focused", "Open", show=False, priority=True),
        Binding("down", "focus_chapters", "Chapters", show=False),
    ]
    #: Chapters whose rows are not mounted yet (a long workbook: see _mount_more_rows).
    _pending: tuple = ()
    #: Rows mounted per frame after the first one.
    ROW_BATCH = 5

    #: What the continue button says ("Start", or where it goes).
    continue_label: var[str] = var("Start", init=False)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.workbook = session.workbook

    def compose(self) -> ComposeResult:
        workbook = self.workbook
        done, label = self._progress_view()
        self.set_reactive(HomeScreen.continue_label, label)
        self.title = shown(workbook.title)  # the header's, in place of the app's whole title
        yield Header()
        with VerticalScroll(id="home"):
            yield Label(plain(shown(workbook.title)), id="home-title")
            yield Static(plain(first_line(workbook.description)), id="home-purpose")
            yield Button(plain(label), id="continue", variant="primary")
            # A long workbook shows its first screenful of chapters at once and mounts the rest
            # a few rows per frame after that, so it opens as quickly as a short one.
            first = max(4, (self.app.size.height - 8) // 2 + 1)  # two lines a row, below the button
            chapters, self._pending = workbook.chapters[:first], workbook.chapters[first:]
            yield ListView(
                *[ChapterRow(chapter, done.get(chapter.id, 0), self._to_finish(chapter)) for chapter in chapters],
                id="chapters",
            )
            yield OverallProgress(sum(done.values()), workbook.page_count)
            note = self._kept_note()
            if note:  # answers from an earlier version of the workbook (rare: only then a widget)
                yield Static(Content(note), id="home-kept")
            yield Static(
                Content("F1 support · Ctrl+R review · F2 print or save · Esc Esc or F12 quick exit · Ctrl+P commands"),
                id="home-keys",
            )
        yield SafeFooter()

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()
        if READY_FD_ENV in os.environ:
            self.call_after_refresh(announce_ready)
        if self._pending:
            self.call_after_refresh(self._mount_more_rows)

    def _mount_more_rows(self) -> None:
        if not self._pending or not self.is_attached:
            return
        batch, self._pending = self._pending[: self.ROW_BATCH], self._pending[self.ROW_BATCH :]
        progress = self.session.progress
        self.query_one("#chapters", ListView).extend(
            [
                ChapterRow(chapter, progress.chapter_progress(chapter).done, self._to_finish(chapter))
                for chapter in batch
            ]
        )
        if self._pending:
            self.call_after_refresh(self._mount_more_rows)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        follow_focus(event.widget)  # the terminal's cursor on the continue button, too

    def on_screen_suspend(self) -> None:
        self._leaving = None  # the page opened: the app has the keys typed for it

    def on_screen_resume(self) -> None:
        if self._left_from is not None:  # back from the page it opened: the cursor where it was
            if self._left_from.is_attached:
                self.set_focus(self._left_from)
            self._left_from = None
        self.refresh_progress()

    def _kept_note(self) -> str:
        """A gentle line when the file holds answers this version of the workbook can't show
        (after a content update): they are kept, never dropped, and 'safeground status' lists them."""
        count = len(self.session.progress.orphans(self.workbook))
        if not count:
            return ""
        if count == 1:
            return (
                "1 answer from an earlier version of this workbook can't be shown here. "
                "It is kept in your progress file, and 'safeground status' lists it."
            )
        return (
            f"{count} answers from an earlier version of this workbook can't be shown here. "
            "They are kept in your progress file, and 'safeground status' lists them."
        )

    def _to_finish(self, chapter: Chapter) -> str:
        pages = self.session.progress.pages_to_finish(chapter)
        return ", ".join(shown(page.title) for page in pages)

    def _progress_view(self) -> tuple[dict[str, int], str]:
        """Pages done per chapter, and the continue button's label."""
        workbook = self.workbook
        progress = self.session.progress
        done = {chapter.id: progress.chapter_progress(chapter).done for chapter in workbook.chapters}
        if progress.has_answers:
            position = progress.resume_position(workbook)
            chapter = workbook.chapter(position.chapter)
            page = chapter.page(position.page) if chapter else None
            label = f"Continue: {chapter.title} · {page.title}" if chapter and page else "Continue"
        else:
            label = "Start"
        return done, label

    def refresh_progress(self) -> None:
        """Bring the marks up to date (back from a chapter). Reactive: what has not changed is
        not redrawn."""
        done, self.continue_label = self._progress_view()
        for row in self.query(ChapterRow):
            row.done = done.get(row.chapter.id, 0)
            row.to_finish = self._to_finish(row.chapter)
        self.query_one(OverallProgress).done = sum(done.values())

    def watch_continue_label(self, label: str) -> None:
        button = self.query_one("#continue", Button)
        button.label = plain(label)
        # Its width is its label's: without a new layout it kept the old one ("Start"), and back
        # from a page it read "Continue: What".
        button.refresh(layout=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            event.stop()
            self.action_continue()

    # -- keys typed right after Enter --------------------------------------------------------
    #
    # Someone who presses Enter and starts typing at once means the letters for the page. Left
    # to the widgets, Enter reaches the button, the button's press comes back to this screen as a
    # message, and the letters typed meanwhile reach the button first, which drops them. So Enter
    # on the continue button or a chapter row, and "c", are priority bindings, acted on as the key
    # comes in; the cursor leaves this screen at once, and the keys after it come here and are
    # kept in the message, for the page that opens.

    _leaving: ContinueWanted | OpenPage | None = None
    _left_from: Widget | None = None

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._leaving is not None and not event.is_forwarded:
            event._set_forwarded()
            self._leaving.typed_after.append(event)
            return
        super()._forward_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_focused":
            return self._focused_destination() is not None
        return True

    def _focused_destination(self) -> ContinueWanted | OpenPage | None:
        focused = self.focused
        if focused is not None and focused.id == "continue":
            return ContinueWanted()
        if isinstance(focused, ListView) and isinstance(focused.highlighted_child, ChapterRow):
            return OpenPage(focused.highlighted_child.chapter.id)
        return None

    def action_open_focused(self) -> None:
        message = self._focused_destination()
        if message is not None:
            self._leave(message)

    def _leave(self, message: ContinueWanted | OpenPage) -> None:
        if self._leaving is not None:
            return  # already on the way to a page
        self._leaving, self._left_from = message, self.focused
        self.set_focus(None)  # from now on keys come to this screen, which keeps them
        self.post_message(message)
        self.set_timer(1.0, lambda: self._stay_if_not_left(message))

    def _stay_if_not_left(self, message: ContinueWanted | OpenPage) -> None:
        """The page did not open (a chapter that is gone): the cursor back, and the keys kept for
        it typed here after all, rather than swallowed."""
        if self._leaving is not message or self.app.screen is not self:
            return
        self._leaving = None
        if self._left_from is not None and self._left_from.is_attached:
            self.set_focus(self._left_from)
        self._left_from = None
        for key in message.typed_after:
            self.app.post_message(events.Key(key.key, key.character))
        message.typed_after.clear()

    def action_focus_chapters(self) -> None:
        """Down from the continue button goes into the chapter list (the list handles its own)."""
        chapters = self.query_one("#chapters", ListView)
        if not chapters.has_focus:
            chapters.focus()

    def action_continue(self) -> None:
        self._leave(ContinueWanted())

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        row = event.item
        if isinstance(row, ChapterRow):
            self._leave(OpenPage(row.chapter.id))
