"""A chapter: its intro, then its pages one at a time, each a form built from the content.

The screen is given the session and writes answers to it; what the app should do about them
(save, offer support, open another chapter, go home) it asks with messages
(:mod:`safeground.messages`). The page's marks are one reactive value, redrawn when it changes.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any, NamedTuple

from textual import events, on
from textual._context import active_message_pump
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.events import DescendantFocus
from textual.reactive import var
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import Button, Header, Label, ProgressBar

from safeground.messages import AnswerChanged, GoHome, OpenPage, SupportWanted
from safeground.screens.page_view import PageView
from safeground.untrusted import for_terminal
from safeground.widgets.base import FieldWidget
from safeground.widgets.cursor import cursor_back_on, follow_focus
from safeground.widgets.footer import SafeFooter
from safeground.widgets.plain import plain
from safeground.widgets.statements_field import StatementRating

if TYPE_CHECKING:
    from safeground.content import Chapter, Page
    from safeground.session import Session


#: The keys that move the cursor between fields, and which way.
FOCUS_KEYS = {"tab": "next", "shift+tab": "previous"}
#: The keys that move it between rated statements (from a statement row only), and which way.
ROW_KEYS = {"down": "next", "up": "previous"}

#: From this many columns the page bar shows a progress bar (the app's "-wide" breakpoint).
WIDE = 100
#: Columns of the page bar around its words: its padding, "← Previous" and its padding, a gap
#: each side of "Page n of m", the Next button's padding; and the progress bar with its margins.
BAR_FRAME = 2 + 12 + 4 + 2
BAR_PROGRESS = 22 + 4


class PageMarks(NamedTuple):
    """What the page bar shows: which chapter and page, whether it is complete, and pages done."""

    chapter_id: str
    page_index: int
    complete: bool
    done: int


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
        # Priority too, for the same reason: the cursor moves on before the keys typed after Tab
        # are handed on, so they reach the next field (they reached the one being left, and two
        # answers merged). While keys are held, these are held with them, in order.
        Binding("tab", "move_focus('next')", "Next field", show=False, priority=True),
        Binding("shift+tab", "move_focus('previous')", "Previous field", show=False, priority=True),
        # Down and Up go from one rated statement to the next, as Tab does and for the same reason
        # (a digit typed right after Down rated the row being left); elsewhere they are the
        # control's own (options, a text's lines), and this binding stands aside.
        Binding("down", "next_row('next')", "Next statement", show=False, priority=True),
        Binding("up", "next_row('previous')", "Previous statement", show=False, priority=True),
    ]

    #: How long a page change waits for the field being left to take the keys already sent to it.
    LANDING_WAIT = 2.0

    #: The page bar's marks. Set on every keystroke; Textual calls the watcher only when they
    #: change, since updating a label lays the screen out again even when its text is the same.
    marks: var[PageMarks | None] = var(None, init=False)

    def __init__(self, session: Session, chapter: Chapter, page_id: str, field_id: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.chapter = chapter
        self.page_index = chapter.page_index(page_id) or 0
        self.focus_field = field_id
        #: Keys that came while no field had the cursor yet, and page moves ("next_page", ...)
        #: asked for meanwhile, in order; None when keys go straight through.
        self._held_keys: list[events.Key | str] | None = []
        #: Set once this screen has asked the app for another one: the keys for that screen.
        self._leaving_for: OpenPage | GoHome | None = None
        #: The field the held keys were handed to before a held page move: it is being left.
        self._leaving: Any = None
        #: Pages built so far: a late step of an earlier build knows it is out of date.
        self._builds = 0
        #: The page each field widget was built for: a change can arrive after its page has gone.
        self._page_of: weakref.WeakKeyDictionary[FieldWidget, tuple[str, str]] = weakref.WeakKeyDictionary()
        #: The page on top, and the one after it, built while the person reads (see PageView).
        self.shown: PageView | None = None
        self._waiting: PageView | None = None
        #: The page before the one shown, kept out of the layout for Ctrl+B once it was left.
        self._behind: PageView | None = None
        #: The build of the waiting page (None once kept from before): a page turn waits for it.
        self._readying: asyncio.Future[None] | None = None

    @property
    def page(self) -> Page:
        return self.chapter.pages[self.page_index]

    @property
    def next_ready(self) -> PageView | None:
        """The page Ctrl+N brings up, once it is built and waiting underneath."""
        readying = self._readying
        if readying is not None and not readying.done():
            return None
        return self._waiting

    def compose(self) -> ComposeResult:
        yield Header()
        yield Vertical(id="pages")
        with Horizontal(id="page-nav"):
            yield Button("← Previous", id="previous", compact=True)
            yield Label("", id="page-where")
            yield ProgressBar(total=len(self.chapter.pages), show_eta=False, show_percentage=False, id="chapter-bar")
            yield Button("Next →", id="next", compact=True, variant="primary")
        yield SafeFooter()

    async def on_mount(self) -> None:
        # The terminal's cursor stays on the focused control when the page scrolls or is laid
        # out again under it: each control placed it where the control was at the time.
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out, immediate=True)
        await self.show_page(self.page_index, self.focus_field)

    def on_unmount(self) -> None:
        if self._readying is not None:
            self._readying.cancel()

    async def show_page(self, index: int, field_id: str | None = None, chapter: Chapter | None = None) -> None:
        """Show page ``index`` (of ``chapter``, by default this one) and put the cursor in a field."""
        leaving, self._leaving = self.focused or self._leaving, None
        # Asked before the cursor leaves it: taking the cursor away queues a message of its own.
        typing_on_its_way = leaving is not None and leaving.message_queue_size > 0
        self._hold_keys()
        if typing_on_its_way:
            await self._let_typing_land(leaving)
        self._keep_answers()
        chapter = chapter or self.chapter
        view = await self._ready_page(chapter, index)
        # No frame is drawn until the new page is on top and its marks are its own: drawn midway,
        # it showed the new title under the old page's "✓ This page is complete" and "Page 1 of 7".
        with self.app.batch_update():
            if view is None:
                view = self._new_view(chapter, index, shown=True)
                await self.query_one("#pages", Vertical).mount(view)
                view.scroll_home(animate=False)
            self._bring_up(view)
        self._draw_now()
        self._builds += 1
        page = self.page
        progress = self.session.progress
        target = field_id if field_id and page.field(field_id) else progress.first_unanswered(chapter.id, page)
        self.session.move_to(chapter.id, page.id, target)
        self.post_message(AnswerChanged(settled=True))
        self.call_after_refresh(self._focus_field, target, self._builds)

    def _draw_now(self) -> None:
        """Draw the page just brought up now, not at the screen's next frame tick.

        Textual draws a screen's own changes on a 60-a-second timer, so a page brought up
        waited up to 17 ms for it, where opening a new screen is drawn at once. A page turn is
        that, for the person, and is drawn like it: a screen switch lays out and draws the screen
        (``Screen._refresh_layout``) as soon as it is on top; this asks for the same."""
        draw = getattr(self, "_refresh_layout", None)
        if draw is not None and self.is_current and not self.app._batch_count:
            draw()

    def _new_view(self, chapter: Chapter, index: int, *, shown: bool) -> PageView:
        view = PageView(chapter, index, self.session.progress, shown=shown, read_only=self.session.read_only)
        for widget in view.fields:
            self._page_of[widget] = view.key
        return view

    async def _ready_page(self, chapter: Chapter, index: int) -> PageView | None:
        """The page already built for page ``index`` (waiting underneath, or the one before kept
        for Ctrl+B), if there is one and it still holds the answers saved now."""
        readying = self._readying
        if readying is not None and not readying.done():
            try:
                await asyncio.wait_for(asyncio.shield(readying), self.LANDING_WAIT)
            except (TimeoutError, asyncio.CancelledError):
                pass
        if self._waiting is not None and readying is not None and not readying.done():
            self._let_go(self._waiting)  # never got ready
        for view in (self._waiting, self._behind):
            if view is None or view.chapter is not chapter or view.index != index or not view.is_attached:
                continue
            if view.holds(self.session.progress, self.session.read_only):
                return view
            self._let_go(view)  # out of date: built again below
        return None

    def _bring_up(self, view: PageView) -> None:
        """Put ``view`` on top and make this screen about its page. The pages not shown stay
        where they can serve (the next one waiting underneath, the one before for Ctrl+B); the
        rest go."""
        old, self.shown = self.shown, view
        view.show(True)
        pages = self.query_one("#pages", Vertical)
        if pages.children and pages.children[0] is not view:
            pages.move_child(view, before=0)  # first, so a search of the screen finds it first
        if view.chapter is not self.chapter:
            self.chapter = view.chapter
        self.title = for_terminal(self.chapter.title)
        self.page_index = view.index
        self._refresh_marks()
        following, preceding = self._following(), self._preceding()
        others = [page for page in (old, self._waiting, self._behind) if page is not None and page is not view]
        self._waiting = self._behind = None
        for page in dict.fromkeys(others):  # once each, in order: the page left first
            where = (page.chapter, page.index)
            if where == following and self._waiting is None:
                self._waiting = page  # drawn already: it stays in the layout, covered
                self._readying = None
                page.show(False)
            elif where == preceding and self._behind is None:
                self._behind = page
                page.show(False)
                page.display = False  # out of the layout until wanted again
            else:
                self._let_go(page)

    def _let_go(self, page: PageView) -> None:
        """Remove ``page``, after the next frame; it no longer serves as waiting or behind."""
        if page is self._waiting:
            self._waiting = None
        if page is self._behind:
            self._behind = None
        page.show(False)
        page.display = False  # not drawn under the new page on the way out
        self.call_after_refresh(page.remove)

    def _ready_next(self, build: int) -> None:
        """Build the page after this one underneath it, while the person reads."""
        if build != self._builds or not self.is_attached:
            return
        following = self._following()
        waiting = self._waiting
        if following is None or (waiting is not None and (waiting.chapter, waiting.index) == following):
            return
        self._readying = asyncio.ensure_future(self._build_waiting(*following))

    async def _build_waiting(self, chapter: Chapter, index: int) -> None:
        if self._waiting is not None:
            self._let_go(self._waiting)
        view = self._new_view(chapter, index, shown=False)
        self._waiting = view
        try:
            await self.query_one("#pages", Vertical).mount(view)
        except (MountError, NoMatches):
            self._waiting = None  # the screen is closing: nothing to get ready for

    def _preceding(self) -> tuple[Chapter, int] | None:
        """The page Ctrl+B opens (it stays in the chapter)."""
        return (self.chapter, self.page_index - 1) if self.page_index > 0 else None

    def _following(self) -> tuple[Chapter, int] | None:
        """The page Ctrl+N opens: the next in this chapter, or the next chapter's first."""
        if self.page_index + 1 < len(self.chapter.pages):
            return self.chapter, self.page_index + 1
        workbook = self.session.workbook
        index = workbook.chapter_index(self.chapter.id)
        if index is not None and index + 1 < len(workbook.chapters):
            return workbook.chapters[index + 1], 0
        return None

    def _laid_out(self, screen: Screen) -> None:
        cursor_back_on(self.focused)

    def _focus_field(self, field_id: str, build: int) -> None:
        if build != self._builds or self.shown is None:
            return  # another page is on its way
        for widget in self.shown.fields:
            if widget.field.id == field_id:
                widget.focus_control()
                break
        # focus() lands on the app's next turn (and set_focus hands the held keys on); should
        # nothing have taken the cursor by then, the keys still go on rather than wait forever.
        self.app.call_later(self._focus_missed, build)
        self.call_after_refresh(self._ready_next, build)

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
        if self.shown is None:
            return
        for widget, value in self.shown.answers():
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
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._leaving_for is not None:
                event._set_forwarded()
                self._leaving_for.typed_after.append(event)
                return
            if self._held_keys is not None:
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
            way = FOCUS_KEYS.get(item.key) or (ROW_KEYS.get(item.key) if isinstance(target, StatementRating) else None)
            if way is not None:
                self.action_move_focus(way)
                target = self.focused or self
                continue
            target.post_message(item)

    def action_next_row(self, way: str) -> None:
        self.action_move_focus(way)

    def action_move_focus(self, way: str) -> None:
        if way == "next":
            self.focus_next()
        else:
            self.focus_previous()

    def _waits_its_turn(self, move: str) -> bool:
        """While a page is built, a page move waits behind the keys typed before it."""
        if self._held_keys is None:
            return False
        self._held_keys.append(move)
        return True

    async def _move(self, move: str) -> None:
        shown = self.shown
        leaving_for = await getattr(self, f"_{move}")()
        if leaving_for is not None:
            self._leave(leaving_for)
        elif self.shown is shown:
            self._stay()

    def _stay(self) -> None:
        """A move with nowhere to go (Ctrl+B on a chapter's first page). Held with keys after it,
        it had taken the cursor away: it goes back where it was, and the keys go on to it."""
        back, self._leaving = self._leaving, None
        if self.focused is not None or self.shown is None:
            return
        if back is not None and back.is_attached and self.shown in back.ancestors and back.focusable:
            back.focus(scroll_visible=False)
        elif self.shown.fields:
            self.shown.fields[0].focus_control()
        self.app.call_later(self._focus_missed, self._builds)

    def _leave(self, message: OpenPage | GoHome) -> None:
        """Ask the app for another screen (the next chapter, the contents). The keys typed after
        the move are for that screen: those held so far, and those that come until the app has
        switched, are kept in the message's own list, which the app routes afresh."""
        message.typed_after.extend(key for key in self._held_keys or [] if isinstance(key, events.Key))
        self._held_keys = None
        self._leaving_for = message
        self._builds += 1  # late steps of this page's build must not hand the keys to a field
        self.set_focus(None)
        self.post_message(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once leaving, a page move's key is typed for the screen to come: it is held with the rest.
        if action == "move_focus":  # held, with the keys around it, while there is nowhere to move
            return self._leaving_for is None and self._held_keys is None
        if action == "next_row":
            return self._leaving_for is None and self._held_keys is None and isinstance(self.focused, StatementRating)
        return self._leaving_for is None or action not in ("next_page", "previous_page", "contents")

    def _refresh_marks(self) -> None:
        progress = self.session.progress
        complete = progress.page_complete(self.chapter.id, self.page)
        self.marks = PageMarks(self.chapter.id, self.page_index, complete, progress.chapter_progress(self.chapter).done)

    def watch_marks(self, marks: PageMarks | None) -> None:
        if marks is None:
            return
        total = len(self.chapter.pages)
        if self.shown is not None:
            self.shown.set_class(marks.complete, "-complete")
        mark = " ✓" if marks.complete else ""
        where = f"Page {marks.page_index + 1} of {total}{mark} · {marks.done}/{total} complete"
        self.query_one("#page-where", Label).update(Content(where))
        self.query_one("#chapter-bar", ProgressBar).update(total=total, progress=marks.done)
        self.query_one("#previous", Button).disabled = marks.page_index == 0
        self.query_one("#next", Button).label = plain(self._next_label(where))

    def on_resize(self) -> None:
        if self.marks is not None:  # the next chapter's name may fit now, or no longer
            self.watch_marks(self.marks)

    def _next_label(self, where: str) -> str:
        following = self._following()
        if following is None:
            return "Back to contents"
        chapter, _ = following
        if chapter is self.chapter:
            return "Next →"
        # The next chapter's name only where the whole of it fits beside "Page n of m" (and the
        # progress bar, where there is one): cut, it read "Next chapter:" and nothing.
        named = f"Next chapter: {chapter.title} →"
        width = self.app.size.width
        room = width - BAR_FRAME - len(where) - (BAR_PROGRESS if width >= WIDE else 0)
        return named if plain(named).cell_length <= room else "Next chapter →"

    # -- answers -----------------------------------------------------------------------------

    @on(FieldWidget.Changed)
    def _answer_changed(self, event: FieldWidget.Changed) -> None:
        event.stop()
        self._store(event.field_widget, event.value, event.settled)

    def _store(self, widget: FieldWidget, value: Any, settled: bool) -> None:
        """Store an answer on the page its field was built for (which may just have been left)."""
        session = self.session
        field = widget.field
        chapter_id, page_id = self._page_of.get(widget, (self.chapter.id, self.page.id))
        session.answer(chapter_id, page_id, field.id, value)
        if (chapter_id, page_id) == (self.chapter.id, self.page.id):
            session.move_to(chapter_id, page_id, field.id)
            self._refresh_marks()
        self.post_message(AnswerChanged(settled=settled))
        if field.kind == "choice" and value in field.support:
            self.post_message(SupportWanted((chapter_id, page_id, field.id)))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.call_after_refresh(follow_focus, event.widget)  # the terminal's cursor on a button too
        node: DOMNode | None = event.widget
        while node is not None and not isinstance(node, FieldWidget):
            node = node.parent
        if isinstance(node, FieldWidget):
            self.session.move_to(self.chapter.id, self.page.id, node.field.id)
            self.post_message(AnswerChanged(settled=False))

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

    # Each move returns the message that asks the app for another screen, if it leaves this one.

    async def _next_page(self) -> OpenPage | GoHome | None:
        # The next chapter opens here too, on this screen: its first page is ready like any other.
        following = self._following()
        if following is None:
            return GoHome()
        chapter, index = following
        await self.show_page(index, chapter=chapter)
        return None

    async def _previous_page(self) -> OpenPage | GoHome | None:
        if self.page_index > 0:
            await self.show_page(self.page_index - 1)
        return None

    async def _contents(self) -> OpenPage | GoHome | None:
        return GoHome()
