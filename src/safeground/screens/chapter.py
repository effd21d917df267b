"""A chapter: its intro, then its pages one at a time, each a form built from the content."""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any, cast

from textual import events, on
from textual._context import active_message_pump
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Markdown, ProgressBar, Static

from safeground.untrusted import for_terminal
from safeground.widgets.base import FieldWidget
from safeground.widgets.plain import plain
from safeground.widgets.registry import widget_for

if TYPE_CHECKING:
    from safeground.app import SafeGroundApp
    from safeground.content import Chapter, Page


#: From this many columns the page bar names the next chapter on its last page.
WIDE = 100


class ChapterScreen(Screen):
    """Shows one page of ``chapter`` at a time; Next and Previous move between pages.

    Keys typed while a page is being built (right after opening it, Ctrl+N or Ctrl+B) are held and
    handed to the field that gets the cursor, in order: a person who types straight away loses
    nothing, and nothing lands in a field they were leaving or in a button. Keys typed before
    Ctrl+N reach the field being left, and its answer is stored before the page goes.
    """

    #: Nothing takes the focus by itself (the page's scroll area would, and swallow letters): the
    #: page gives it to a field once that exists, and holds keys until then.
    AUTO_FOCUS = ""

    # Priority: the app changes the page before it hands on the keys typed after Ctrl+N, so they
    # go to the new page (held until its field is ready), never into the field being left. No
    # field uses these keys.
    BINDINGS = [
        Binding("ctrl+n", "next_page", "Next page", priority=True),
        Binding("ctrl+b", "previous_page", "Previous", priority=True),
        Binding("ctrl+o", "contents", "Contents", priority=True),
    ]

    #: How long a page change waits for the field being left to take the keys already sent to it.
    LANDING_WAIT = 2.0

    def __init__(self, chapter: Chapter, page_id: str, field_id: str | None = None) -> None:
        super().__init__()
        self.chapter = chapter
        self.page_index = chapter.page_index(page_id) or 0
        self.focus_field = field_id
        #: What the page's marks show now; they are redrawn only when it changes.
        self._marks: tuple | None = None
        #: Keys that came while no field had the cursor yet, and page moves ("next_page", ...)
        #: asked for meanwhile, in order; None when keys go straight through.
        self._held_keys: list[events.Key | str] | None = []
        #: The field the held keys were handed to before a held page move: it is being left.
        self._leaving: Any = None
        #: Pages built so far: a late step of an earlier build knows it is out of date.
        self._builds = 0
        #: The page each field widget was built for: a change can arrive after its page has gone.
        self._page_of: weakref.WeakKeyDictionary[FieldWidget, str] = weakref.WeakKeyDictionary()

    @property
    def safeground(self) -> SafeGroundApp:
        return cast("SafeGroundApp", self.app)

    @property
    def page(self) -> Page:
        return self.chapter.pages[self.page_index]

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="page")
        with Horizontal(id="page-nav"):
            yield Button("← Previous", id="previous", compact=True)
            yield Label("", id="page-where")
            yield ProgressBar(total=len(self.chapter.pages), show_eta=False, show_percentage=False, id="chapter-bar")
            yield Button("Next →", id="next", compact=True, variant="primary")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = for_terminal(self.chapter.title)
        await self.show_page(self.page_index, self.focus_field)

    async def show_page(self, index: int, field_id: str | None = None) -> None:
        """Replace the page's widgets with those of page ``index`` and put the cursor in a field."""
        session = self.safeground.session
        assert session is not None
        leaving, self._leaving = self.focused or self._leaving, None
        self._hold_keys()
        await self._let_typing_land(leaving)
        self._keep_answers()
        self.page_index = index
        page = self.page
        progress = session.progress
        container = self.query_one("#page", VerticalScroll)
        await container.remove_children()
        widgets = []
        if index == 0 and self.chapter.intro:
            # Markdown is read as Markdown, never as Textual markup; only its control characters
            # need stand-ins.
            widgets.append(Markdown(for_terminal(self.chapter.intro, multiline=True), classes="chapter-intro"))
        widgets.append(Label(plain(page.title), classes="page-title"))
        widgets.append(Static(Content("✓ This page is complete"), classes="page-complete"))
        if page.text:
            widgets.append(Markdown(for_terminal(page.text, multiline=True), classes="page-text"))
        for field in page.fields:
            widget = widget_for(field, progress.usable(self.chapter.id, page.id, field))
            self._page_of[widget] = page.id
            widgets.append(widget)
        await container.mount_all(widgets)
        if session.read_only:  # opened to look only: nothing typed here could be saved
            for widget in container.query(FieldWidget):
                widget.disabled = True
        container.scroll_home(animate=False)
        self._refresh_marks()
        target = field_id if field_id and page.field(field_id) else progress.first_unanswered(self.chapter.id, page)
        session.move_to(self.chapter.id, page.id, target)
        self.safeground.answers_changed(settled=True)
        self._builds += 1
        self.call_after_refresh(self._focus_field, target, self._builds)

    def _focus_field(self, field_id: str, build: int) -> None:
        if build != self._builds:
            return  # another page is on its way
        for widget in self.query(FieldWidget):
            if widget.field.id == field_id:
                widget.focus_control()
                break
        # focus() lands on the app's next turn (and set_focus hands the held keys on); should
        # nothing have taken the cursor by then, the keys still go on rather than wait forever.
        self.app.call_later(self._focus_missed, build)

    def _focus_missed(self, build: int) -> None:
        if build == self._builds and self.focused is None and self._held_keys is not None:
            self._release_keys()

    # -- keys typed while a page is built ----------------------------------------------------

    async def _let_typing_land(self, widget: Any) -> None:
        """Wait until ``widget`` (the field being left) has taken the keys already sent to it."""
        if widget is None or widget is active_message_pump.get(None) or not widget.is_attached:
            return
        landed = asyncio.Event()
        widget.call_later(landed.set)  # runs after everything already queued for it
        try:
            await asyncio.wait_for(landed.wait(), self.LANDING_WAIT)
        except TimeoutError:
            pass  # a field that stopped taking messages: nothing more will land in it

    def _keep_answers(self) -> None:
        """Store what the fields being left hold now. A change on its way to this screen as a
        message would go with the widgets; storing it here loses nothing."""
        for widget in self.query_one("#page", VerticalScroll).query(FieldWidget):
            if widget.value != widget._reported:
                value = widget.value
                widget.changed(settled=True)  # what it reports from now on; stored just below
                self._store(widget, value, settled=True)

    def _hold_keys(self) -> None:
        """Take the cursor out of the page being replaced: from now on keys wait for the new one."""
        if self._held_keys is None:
            self._held_keys = []
        self.set_focus(None)

    def _forward_event(self, event: events.Event) -> None:
        # The app hands a key to the screen itself only when nothing has the cursor; on this screen
        # that happens while a page is built, and the key belongs to the field about to get it.
        if isinstance(event, events.Key) and self._held_keys is not None and not event.is_forwarded:
            event._set_forwarded()
            self._held_keys.append(event)
            return
        super()._forward_event(event)

    def set_focus(self, widget, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        if self.focused is not None:
            self._release_keys()

    def _release_keys(self) -> None:
        """Hand the held keys, in order, to whatever has the cursor (or the screen), and stop
        holding; up to a page move asked for meanwhile, which then goes, and the keys after it
        wait for the page it opens."""
        held, self._held_keys = self._held_keys or [], None
        target = self.focused or self
        for index, item in enumerate(held):
            if isinstance(item, str):
                self._held_keys = held[index + 1 :]
                self._leaving = self.focused
                self._builds += 1  # this page is done with: its late steps are out of date
                self.set_focus(None)
                self.call_later(self._move, item)
                return
            target.post_message(item)

    def _waits_its_turn(self, move: str) -> bool:
        """While a page is built, a page move waits behind the keys typed before it."""
        if self._held_keys is None:
            return False
        self._held_keys.append(move)
        return True

    async def _move(self, move: str) -> None:
        await getattr(self, f"_{move}")()
        if self.app.screen is not self and self._held_keys:
            # Another screen opened (the next chapter, the contents): the keys typed after the
            # move are for it. The app routes them afresh.
            held, self._held_keys = self._held_keys, None
            for key in held:
                if isinstance(key, events.Key):
                    self.app.post_message(events.Key(key.key, key.character))

    def _refresh_marks(self) -> None:
        session = self.safeground.session
        assert session is not None
        progress = session.progress
        complete = progress.page_complete(self.chapter.id, self.page)
        total = len(self.chapter.pages)
        done = progress.chapter_progress(self.chapter).done
        # This runs on every keystroke; updating a label lays the screen out again even when its
        # text is the same, so nothing is touched unless what it shows has changed.
        marks = (self.page_index, complete, done)
        if marks == self._marks:
            return
        self._marks = marks
        self.query_one("#page", VerticalScroll).set_class(complete, "-complete")
        mark = " ✓" if complete else ""
        self.query_one("#page-where", Label).update(
            Content(f"Page {self.page_index + 1} of {total}{mark} · {done}/{total} complete")
        )
        self.query_one("#chapter-bar", ProgressBar).update(progress=done)
        self.query_one("#previous", Button).disabled = self.page_index == 0
        self.query_one("#next", Button).label = plain(self._next_label())

    def _next_label(self) -> str:
        if self.page_index + 1 < len(self.chapter.pages):
            return "Next →"
        workbook = self.safeground.workbook
        index = workbook.chapter_index(self.chapter.id) or 0
        if index + 1 < len(workbook.chapters):
            # The next chapter's name only where the bar has room for it beside "Page n of m".
            if self.app.size.width >= WIDE:
                return f"Next chapter: {workbook.chapters[index + 1].title} →"
            return "Next chapter →"
        return "Back to contents"

    # -- answers -----------------------------------------------------------------------------

    @on(FieldWidget.Changed)
    def _answer_changed(self, event: FieldWidget.Changed) -> None:
        event.stop()
        self._store(event.field_widget, event.value, event.settled)

    def _store(self, widget: FieldWidget, value: Any, settled: bool) -> None:
        """Store an answer on the page its field was built for (which may just have been left)."""
        session = self.safeground.session
        if session is None:
            return
        field = widget.field
        page_id = self._page_of.get(widget, self.page.id)
        session.answer(self.chapter.id, page_id, field.id, value)
        if page_id == self.page.id:
            session.move_to(self.chapter.id, page_id, field.id)
            self._refresh_marks()
        self.safeground.answers_changed(settled=settled)
        if field.kind == "choice" and value in field.support:
            self.safeground.offer_support((self.chapter.id, page_id, field.id))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        session = self.safeground.session
        node = event.widget
        while node is not None and not isinstance(node, FieldWidget):
            node = node.parent
        if session is not None and isinstance(node, FieldWidget):
            session.move_to(self.chapter.id, self.page.id, node.field.id)
            self.safeground.answers_changed(settled=False)

    # -- moving ------------------------------------------------------------------------------

    @on(Button.Pressed, "#next")
    async def action_next_page(self) -> None:
        if not self._waits_its_turn("next_page"):
            await self._move("next_page")

    @on(Button.Pressed, "#previous")
    async def action_previous_page(self) -> None:
        if not self._waits_its_turn("previous_page"):
            await self._move("previous_page")

    async def action_contents(self) -> None:
        if not self._waits_its_turn("contents"):
            await self._move("contents")

    async def _next_page(self) -> None:
        if self.page_index + 1 < len(self.chapter.pages):
            await self.show_page(self.page_index + 1)
            return
        workbook = self.safeground.workbook
        index = workbook.chapter_index(self.chapter.id) or 0
        if index + 1 < len(workbook.chapters):
            following = workbook.chapters[index + 1]
            self.safeground.open_page(following.id, following.pages[0].id)
        else:
            self.safeground.go_home()

    async def _previous_page(self) -> None:
        if self.page_index > 0:
            await self.show_page(self.page_index - 1)

    async def _contents(self) -> None:
        self.safeground.go_home()
