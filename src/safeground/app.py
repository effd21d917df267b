"""The Safe Ground app: the router between the session (answers, saving) and the screens.

What lives here is what every screen shares: the keys that work everywhere (support, quick exit,
quit), autosave and its status line, the first-run note, the command palette's entries, and the
handling of a progress file that is locked or cannot be read. Each screen is its own module.

Data goes down, messages come up. A screen is made with what it shows (the session, the workbook)
and never calls the app: it posts a message from :mod:`safeground.messages` (``OpenPage``,
``GoHome``, ``AnswerChanged``, ...), handled below by an ``on_...`` method. Dialogs dismiss with
their result (the print dialog with a :class:`PrintJob`), and the app acts on it: print jobs run
on a worker thread. The app keeps the screens it pushed, so it knows what is on top without
asking any screen what it is. The writer thread reports with ``post_message`` (thread-safe).

Leaving is guaranteed: on SIGTERM, SIGHUP or a terminal that went away (see ``terminal_input``),
the app saves and exits as usual, and the watchdog of :mod:`safeground.leaving` ends the process
itself if that has not happened within a moment, whatever Textual's shutdown is waiting for.
"""

from __future__ import annotations

import asyncio
import copy
import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from time import monotonic
from time import monotonic as idle_clock  # its own name: tests set the quick exit's clock alone
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from safeground.content import Workbook
from safeground.leaving import HANGUP_GRACE, ExitWatchdog, is_our_safeground, leave_on_signals
from safeground.loader import load_workbook
from safeground.messages import AnswerChanged, ContinueWanted, GoHome, OpenPage, PrintWanted, SupportWanted
from safeground.print_job import PrintJob, PrintOutcome, run_print_job
from safeground.regions import choose as choose_region
from safeground.session import Session
from safeground.settings import Settings
from safeground.storage import (
    DEFAULT_PROFILE,
    HOLDER_NO_TERMINAL,
    LockHolder,
    ProfileLocked,
    ProgressFileError,
    ProgressStore,
    StorageError,
    holder_state,
    resolve_data_dir,
)
from safeground.untrusted import for_terminal, shown

if TYPE_CHECKING:  # the screens are imported when first shown (start-up time, see bench/README.md)
    from safeground.export import Printer
    from safeground.progress import Progress
    from safeground.screens.chapter import ChapterScreen
    from safeground.screens.compare import SheetPrintWanted, SheetWanted
    from safeground.screens.home import HomeScreen
    from safeground.screens.lock import LockScreen
    from safeground.screens.print_dialog import PrintDialog
    from safeground.screens.problem import ProblemScreen
    from safeground.screens.share_dialog import ShareRequest
    from safeground.share.compare import Comparison

#: Two presses of Escape this close together leave at once (unless the first one closed something).
QUICK_EXIT_WINDOW = 1.0
#: The keys that work on every screen, most needed first: the footer shows as many as fit after
#: the screen's own keys, in this order (see SafeGroundApp.check_action). The last of each is
#: whether the key is a priority one, taken before any field sees it.
FOOTER_KEYS = [
    ("f12", "quick_exit", "Quick exit", True),
    ("f1", "support", "Support", True),
    ("ctrl+r", "review", "Review", False),
    ("f2", "print_dialog", "Print", True),
    ("f3", "next_unfinished", "Next unfinished", True),
    ("ctrl+q", "quit", "Quit", True),
    ("ctrl+p", "command_palette", "Commands", True),
]
#: The first this many of FOOTER_KEYS are in every footer, whatever else the screen has.
ALWAYS_SHOWN = 2
#: How often pending changes are handed to the writer: typing is never more than this from disk.
AUTOSAVE_INTERVAL = 0.5
#: How often (at most) the app looks whether it has been idle long enough to lock again.
IDLE_CHECK = 1.0
#: How often a failed save is tried again.
RETRY_INTERVAL = 3.0
MIN_WIDTH, MIN_HEIGHT = 80, 24
QUICK_EXIT = "quick-exit"
#: Ending a Safe Ground without a terminal: how long to wait after SIGTERM (its own SIGTERM_GRACE
#: and watchdog save, and a margin), then after SIGKILL.
END_HOLDER_WAIT = 3.0


class SaveFinished(Message):
    """The writer thread finished a save: ``error`` is None when it reached the disk."""

    def __init__(self, error: BaseException | None) -> None:
        super().__init__()
        self.error = error


class SafeGroundApp(App[str], inherit_bindings=False):
    """Opens one profile's progress on one workbook and hands it to the screens."""

    CSS_PATH = "safeground.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    COMMANDS = {lambda: OurCommands}  # only ours, in our order: see OurCommands
    # Every key that works everywhere, twice: once as shown in the footer, through the "footer"
    # action, which is there only when the footer has room for it (see check_action), and once
    # never shown, which does the work when the footer has no room. In the order the footer
    # gives them room: the quick exit and support first, whatever the width.
    BINDINGS = [
        *[Binding(key, f"footer('{action}')", label, priority=first) for key, action, label, first in FOOTER_KEYS],
        *[Binding(key, action, label, show=False, priority=first) for key, action, label, first in FOOTER_KEYS],
        Binding("question_mark", "support", "Support", show=False),
        Binding("f4", "share", "Share", show=False),
        Binding("f5", "compare", "Compare", show=False),
        # Textual's own, not inherited (its Ctrl+Q would come first in the footer): Ctrl+C says
        # how to quit rather than quitting.
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        workbook: Workbook,
        store: ProgressStore,
        *,
        animate: bool = True,
        region: str | None = None,
        idle_lock: float | None = None,
    ) -> None:
        """``idle_lock``: seconds without a key before a locked profile locks again (default: the
        profile's setting, in minutes; 0 never)."""
        super().__init__()
        self.workbook = workbook
        self.store = store
        self.title = for_terminal(shown(workbook.title))  # a title of megabytes is cut, as on the home screen
        self.session: Session | None = None
        self.settings = Settings.load(store.profile_dir)
        #: Whose support lines F1 shows: ``--region``, else the profile's choice, else the locale's.
        self.region = choose_region(workbook.support.codes, asked=region, saved=self.settings.region)
        if region:  # asked for on the command line: kept as the profile's choice
            self.settings.region = self.region
            self._region_asked = True
        else:
            self._region_asked = False
        self._last_escape = 0.0
        self._escape_event: events.Key | None = None
        #: The screen and the focused widget when Escape was last pressed: gone means it closed them.
        self._escape_where: tuple[Screen | None, Widget | None] = (None, None)
        self._support_shown: set[tuple[str, str, str]] = set()
        self._save_failing = False
        self._since_retry = 0.0
        #: The app's event loop, for the signal handlers (see leave_soon).
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._too_small: Screen | None = None
        #: The screens the app pushed last of each sort: what is on top is compared with these.
        self._home: HomeScreen | None = None
        self._chapter: ChapterScreen | None = None
        self._support: Screen | None = None
        self._review: Screen | None = None
        self._print_screen: Screen | None = None
        #: A print job is being done (the dialog is closed meanwhile; F2 waits for it).
        self._printing = False
        self._started = False
        self._leaving = False
        #: Set by ``run_app``: makes sure the process ends after a hang-up or SIGTERM.
        self.watchdog: ExitWatchdog | None = None
        if not animate:
            self.animation_level = "none"
        self.idle_lock = idle_lock
        self._last_input = idle_clock()
        self._lock_screen: LockScreen | None = None
        #: While the lock screen is up after an idle lock: the session (its answers kept in memory,
        #: nothing shown) and whether a chapter page was open, to return to that page and field.
        self._locked_session: Session | None = None
        self._locked_on_page = False

    # -- start-up ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._signal_loop = asyncio.get_running_loop()
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.open_progress()
        self.set_interval(AUTOSAVE_INTERVAL, self._autosave_tick)
        self.set_interval(min(IDLE_CHECK, (self.idle_lock or IDLE_CHECK) / 4), self._check_idle)
        self._started = True
        self.call_after_refresh(self._check_size)

    def open_progress(self) -> None:
        """Take the profile's lock and load its progress, or show why that cannot happen."""
        from safeground.screens.problem import ProblemScreen

        try:
            if self.store.needs_passphrase():
                self.store.check_sealed()  # no passphrase can open a damaged file: say so instead
                self._show_lock_screen()  # nothing of the workbook before the passphrase
                return
            self.store.acquire_lock()
            progress = self.store.load(self.workbook)
        except ProfileLocked as error:
            self._show_locked(error.holder)
            return
        except ProgressFileError as error:
            self.store.release_lock()
            self.push_screen(ProblemScreen("unreadable", str(error)))
            return
        except StorageError as error:
            self.push_screen(ProblemScreen("storage", str(error)))
            return
        self.session = Session(self.workbook, self.store, progress)
        self.session.start_saving(self._saver_reported)
        self._update_status()
        self._push_home(self.session)
        if not self.settings.welcomed:
            from safeground.screens.welcome import WelcomeScreen

            self.push_screen(
                WelcomeScreen(self.store.path, self.workbook.support, self.region, locked=self.store.key is not None),
                self._welcomed,
            )
        elif self._region_asked:
            self._save_settings()

    def _show_locked(self, holder: LockHolder) -> None:
        from safeground.screens.problem import ProblemScreen, locked_message

        state = holder_state(holder)
        can_end = state == HOLDER_NO_TERMINAL and holder.pid is not None and is_our_safeground(holder.pid)
        self.push_screen(ProblemScreen("locked", locked_message(holder, state), holder=holder, can_end=can_end))

    def _push_home(self, session: Session) -> None:
        from safeground.screens.home import HomeScreen

        self._home = HomeScreen(session)
        self.push_screen(self._home)

    def on_problem_screen_chosen(self, message: ProblemScreen.Chosen) -> None:
        """A way forward from the problem screen: read-only, end the holder, or start fresh."""
        from safeground.screens.problem import END_HOLDER, MOVE_ASIDE, READ_ONLY

        problem = message.problem
        if message.choice == READ_ONLY:
            self.open_read_only()
        elif message.choice == END_HOLDER and problem.holder is not None:
            self.run_worker(self.end_lock_holder(problem.holder), exclusive=True, group="end-holder")
        elif message.choice == MOVE_ASIDE:
            try:
                moved = self.start_fresh()
            except StorageError as error:
                problem.say(error)
                return
            self.notify(
                for_terminal(f"Your old file is kept as {moved}."), title="Starting fresh", timeout=10, markup=False
            )

    def open_read_only(self) -> None:
        """Show the answers without taking the lock: nothing is written, not even settings."""
        from safeground.screens.problem import ProblemScreen

        try:
            progress = self.store.load(self.workbook)
        except StorageError as error:  # another Safe Ground has it, so it is never moved aside here
            self.pop_screen()
            self.push_screen(ProblemScreen("unreadable", str(error), can_move_aside=False))
            return
        self.session = Session(self.workbook, self.store, progress, read_only=True)
        self.pop_screen()
        self._update_status()
        self._push_home(self.session)
        self.notify("You can read your answers here; changes can't be made or saved.", title="Read-only")

    async def end_lock_holder(self, holder: LockHolder) -> None:
        """End a Safe Ground that has no terminal any more (SIGTERM, so it saves; SIGKILL if it
        does not leave), then open the profile as usual."""
        pid = holder.pid
        current = self._lock_holder()
        if (
            pid is None
            or current is None
            or current.pid != pid
            or holder_state(current) != HOLDER_NO_TERMINAL
            or not is_our_safeground(pid)
        ):
            self.pop_screen()  # something changed meanwhile: say again what holds it now
            self.open_progress()
            return
        for signum, wait in ((signal.SIGTERM, END_HOLDER_WAIT), (signal.SIGKILL, END_HOLDER_WAIT)):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
            except OSError:
                break  # not ours to end after all
            if await self._lock_freed(wait):
                break
        self.pop_screen()
        self.open_progress()

    async def _lock_freed(self, wait: float) -> bool:
        deadline = monotonic() + wait
        while monotonic() < deadline:
            try:
                self.store.acquire_lock()
                return True
            except ProfileLocked:
                await asyncio.sleep(0.05)
            except StorageError:
                return False
        return False

    def _lock_holder(self) -> LockHolder | None:
        try:
            return LockHolder.parse(self.store.lock_path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None

    def _welcomed(self, region: str | None) -> None:
        self.settings.welcomed = True
        if region:
            self.region = self.settings.region = region
        self._save_settings()

    def _support_closed(self, region: str | None) -> None:
        """The region the support screen was left on is the person's choice from now on."""
        if region and region != self.region:
            self.region = self.settings.region = region
            self._save_settings()

    def start_fresh(self) -> Path | None:
        """Set an unreadable progress file aside (kept, renamed) and open a fresh one."""
        moved = self.store.move_aside()
        self.pop_screen()
        self.open_progress()
        return moved

    # -- the passphrase lock -----------------------------------------------------------------

    def _show_lock_screen(self) -> None:
        from safeground.screens.lock import LockScreen

        self._lock_screen = LockScreen()
        self.push_screen(self._lock_screen)

    def on_lock_screen_unlock(self, message: LockScreen.Unlock) -> None:
        self._try_passphrase(message.screen, message.passphrase)

    @work(thread=True, exclusive=True, group="unlock")
    def _try_passphrase(self, screen: LockScreen, passphrase: str) -> None:
        """Derive the key off the app's thread (half a second, on purpose), then go on."""
        from safeground.vault import WrongPassphrase

        try:
            self.store.unlock(passphrase)
        except WrongPassphrase:
            self.call_from_thread(screen.wrong)
            return
        except StorageError as error:  # can't be decrypted whatever the passphrase
            self.call_from_thread(self._unlock_failed, error)
            return
        self.call_from_thread(self._unlocked)

    def _unlock_failed(self, error: StorageError) -> None:
        from safeground.screens.problem import ProblemScreen

        self._close_lock_screen()
        self.push_screen(ProblemScreen("unreadable", str(error)))

    def _close_lock_screen(self) -> None:
        if self._lock_screen is not None and self.screen is self._lock_screen:
            self.pop_screen()
        self._lock_screen = None

    def _unlocked(self) -> None:
        self._close_lock_screen()
        self.settings = Settings.load(self.store.profile_dir, self.store.key)
        # The region was guessed while the settings were sealed: the profile's own choice now counts.
        if self._region_asked:
            self.settings.region = self.region
        else:
            self.region = choose_region(self.workbook.support.codes, asked=None, saved=self.settings.region)
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._last_input = idle_clock()
        session, self._locked_session = self._locked_session, None
        if session is None:
            self.open_progress()
            return
        self.session = session
        session.start_saving(self._saver_reported)
        self._update_status()
        self._push_home(session)
        if self._locked_on_page:
            position = session.progress.position
            self.open_page(position.chapter, position.page, position.field)

    def _idle_limit(self) -> float:
        return self.idle_lock if self.idle_lock is not None else 60.0 * self.settings.lock_after

    def _check_idle(self) -> None:
        limit = self._idle_limit()
        if (
            limit > 0
            and self.session is not None
            and self.store.key is not None
            and idle_clock() - self._last_input >= limit
        ):
            self.lock_now()

    def lock_now(self) -> None:
        """Save, drop the key, take everything off the screen and show the lock screen."""
        session = self.session
        if session is None or self.store.key is None:
            return
        self._locked_on_page = self._chapter is not None and self._chapter in self.screen_stack
        session.lock_again()
        self.session, self._locked_session = None, session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._home = self._chapter = self._review = self._print_screen = self._support = self._too_small = None
        self._update_status()
        self._show_lock_screen()
        self._check_size()

    # -- saving ------------------------------------------------------------------------------

    def on_answer_changed(self, message: AnswerChanged) -> None:
        """A screen changed an answer or the position. Settled changes (choices) save at once;
        typing is picked up by the autosave tick, at most half a second later."""
        if message.settled and self.session is not None:
            self.session.save_soon()
        self._update_status()

    def _autosave_tick(self) -> None:
        session = self.session
        if session is None or session.saver is None:
            return
        session.save_soon()
        if session.saver.last_error is not None and session.unsaved:
            self._since_retry += AUTOSAVE_INTERVAL
            if self._since_retry >= RETRY_INTERVAL:
                self._since_retry = 0.0
                session.saver.retry()

    def _saver_reported(self, revision: int, error: BaseException | None) -> None:
        """Called on the writer thread: post_message is thread-safe and never waits. Once the app
        is closing it drops the message; the exit path reports unsaved answers itself."""
        self.post_message(SaveFinished(error))

    def on_save_finished(self, message: SaveFinished) -> None:
        error = message.error
        for kept in self.session.take_notices() if self.session is not None else ():  # edited by hand
            self.notify(for_terminal(str(kept)), title="Your edit is kept", timeout=20, markup=False)
        if error is not None and not self._save_failing:
            self._save_failing = True
            reason = getattr(error, "strerror", None) or str(error)
            folder = str(self.store.path.parent)
            # A storage error that already names the folder, or says all there is to say (another
            # Safe Ground has taken the profile), says it once, in its own words, as a sentence.
            if isinstance(error, ProfileLocked) or folder in reason:
                said = f"{reason[0].upper()}{reason[1:]}".rstrip(".") + "."
            else:
                said = f"Safe Ground couldn't save to {folder} ({reason})."
            # Plain text: a folder named "[/]" read as markup ended the app, losing the answers.
            self.notify(
                for_terminal(said + " ") + "Your answers are safe here, and saving will be tried again.",
                title="Not saved yet",
                severity="warning",
                timeout=10,
                markup=False,
            )
        elif error is None and self._save_failing:
            self._save_failing = False
            self.notify("Your answers are saved again.", title="Saved", markup=False)
        self._update_status()

    def _update_status(self) -> None:
        session = self.session
        if session is None:
            state = ""
        elif session.read_only:
            state = "Read-only"
        elif self._save_failing and session.unsaved:
            state = "Not saved — retrying"
        elif session.unsaved:
            state = "Saving…"
        else:
            state = "Saved"
        profile = f"profile: {self.store.profile}" if self.store.profile != DEFAULT_PROFILE else ""
        self.sub_title = " · ".join(part for part in (state, profile) if part)

    def _save_settings(self) -> None:
        if self.session is None or self.session.read_only:
            return  # only a profile that is ours to write (locked by us, not read-only) is written
        try:
            self.settings.save(self.store.profile_dir, self.store.key)
        except (OSError, StorageError):
            pass  # settings are a convenience; answers have their own, louder, error path

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self.settings.theme = theme
            self._save_settings()

    # -- keys that work everywhere -----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Escape twice within a second leaves at once, on any screen. The first press still does
        # what Escape normally does there (closing a dialog, say), so it is watched, not taken;
        # and an Escape that closed something does not count: two presses to close two dialogs
        # close two dialogs. A key event passes through here twice (on its way down, then
        # bubbling back up), so each event is counted once.
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = idle_clock()
        if isinstance(event, events.Key) and event.key == "escape" and event is not self._escape_event:
            self._escape_event = event
            now = monotonic()
            if now - self._last_escape <= QUICK_EXIT_WINDOW and not self._escape_closed_something():
                self._last_escape = 0.0
                self.action_quick_exit()
                return
            self._last_escape = now
            self._escape_where = (self.screen, self.focused)
        await super().on_event(event)

    def _escape_closed_something(self) -> bool:
        """Whether the last Escape closed what it was pressed on: a screen (a dialog, review, the
        palette) that has left the stack, or a drop-down list that is hidden again."""
        screen, focused = self._escape_where
        if screen is None or screen not in self.screen_stack:
            return True
        return focused is not None and (not focused.is_attached or not focused.display)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The terminal's cursor on whatever took the focus, on every screen and dialog (a braille
        display or a magnifier follows it); controls that know better place it themselves."""
        from safeground.widgets.cursor import follow_focus

        self.call_after_refresh(follow_focus, event.widget)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "footer":
            return str(parameters[0]) in self._footer_keys()
        return True

    async def action_footer(self, action: str) -> None:
        """A key the footer shows (see BINDINGS): does what its twin, never shown, does."""
        await self.run_action(action)

    def _footer_keys(self) -> set[str]:
        """The actions of FOOTER_KEYS the footer on top has room for, after the screen's own keys,
        in their order of importance: the quick exit first, so it is never the one cut off."""
        screen = self.screen
        # The quick exit and support are always there, first (see widgets/footer.py); then the
        # screen's own keys; then the rest of ours while they fit.
        shown = {action for _key, action, _label, _first in FOOTER_KEYS[:ALWAYS_SHOWN]}
        room = (
            self.size.width
            - 1
            - sum(
                len(self.get_key_display(Binding(key, action))) + len(label) + 3
                for key, action, label, _first in FOOTER_KEYS[:ALWAYS_SHOWN]
            )
        )
        for namespace, bindings in screen._modal_binding_chain:
            if namespace is not self:
                room -= sum(self._footer_width(b) for _key, b in bindings if b.show)
        for key, action, label, _first in FOOTER_KEYS[ALWAYS_SHOWN:]:
            if action == "review" and screen is self._review:
                continue  # already there
            width = len(self.get_key_display(Binding(key, action))) + len(label) + 3
            if width > room:
                break  # the next ones would come after a gap: the order stays the order
            shown.add(action)
            room -= width
        return shown

    def _footer_width(self, binding: Binding) -> int:
        """Columns a key takes in the footer: " key description " and no more."""
        return len(self.get_key_display(binding)) + len(binding.description) + 3

    def action_support(self) -> None:
        from safeground.screens.support import SupportScreen

        if self.screen is not self._support:
            self._support = SupportScreen(self.workbook.support, self.region)
            self.push_screen(self._support, self._support_closed)

    def _current_chapter(self) -> list[str] | None:
        """The chapter on screen, if a chapter is what is on top."""
        if self._chapter is not None and self.screen is self._chapter:
            return [self._chapter.chapter.id]
        return None

    def action_review(self) -> None:
        """The completed pages as they will print: this chapter's from a chapter, else all."""
        from safeground.screens.review import ReviewScreen

        if self.session is not None and self.screen is not self._review:
            self._review = ReviewScreen(self.session, self._current_chapter())
            self.push_screen(self._review)

    def action_print_dialog(self, chapter_ids: list[str] | None = None, include_drafts: bool = False) -> None:
        self._open_print_dialog(chapter_ids or self._current_chapter(), include_drafts)

    def on_print_wanted(self, message: PrintWanted) -> None:
        self.action_print_dialog(message.chapter_ids, message.include_drafts)

    def on_support_wanted(self, message: SupportWanted) -> None:
        """An answer asked for support: show it once for that question, gently."""
        if message.question not in self._support_shown:
            self._support_shown.add(message.question)
            self.action_support()

    # -- printing and saving pages -----------------------------------------------------------

    def _open_print_dialog(
        self,
        chapter_ids: list[str] | None = None,
        include_drafts: bool = False,
        *,
        again: PrintJob | None = None,
        focus_path: bool = False,
    ) -> None:
        from safeground.screens.print_dialog import PrintDialog

        session = self.session
        if session is None or self._printing or self.screen is self._print_screen:
            return
        dialog = PrintDialog(
            session.workbook,
            session.progress,
            chapter_ids,
            include_drafts,
            again=again,
            focus_path=focus_path,
            profile=session.profile,
        )
        self._print_screen = dialog
        self.push_screen(dialog, self._print_chosen)
        self._find_printers(dialog)

    @work(thread=True, group="printers")
    def _find_printers(self, dialog: PrintDialog) -> None:
        """Ask CUPS for printers (it can take a moment) and hand them to ``dialog``."""
        from safeground.export import list_printers

        printers = list_printers()
        self.call_from_thread(self._hand_printers, dialog, printers)

    def _hand_printers(self, dialog: PrintDialog, printers: list[Printer]) -> None:
        if dialog.is_attached:  # not closed meanwhile
            dialog.printers = printers

    def _print_chosen(self, job: PrintJob | None) -> None:
        session = self.session
        if job is None or session is None:
            return
        self._printing = True
        # A copy taken here, on the app's thread: typing while the job runs changes nothing in it.
        progress = copy.deepcopy(session.progress)
        self._run_print_job(job, session.workbook, progress, session.profile)

    @work(thread=True, exclusive=True, group="print-job")
    def _run_print_job(self, job: PrintJob, workbook: Workbook, progress: Progress, profile: str) -> None:
        from safeground.export import ExportError, TargetExists

        try:
            outcome = run_print_job(job, workbook, progress, profile, self.region)
        except TargetExists as exists:
            self.call_from_thread(self._ask_replace, job, exists.path, exists.link_target, workbook, progress, profile)
            return
        except ExportError as error:
            self.call_from_thread(self._print_failed, job, str(error))
            return
        self.call_from_thread(self._print_done, outcome)

    def _ask_replace(
        self, job: PrintJob, path: Path, link_target: Path | None, workbook: Workbook, progress: Progress, profile: str
    ) -> None:
        """The file is there: replace it only if the person says so; otherwise back to the dialog
        with the same choices, the file name ready to change."""
        from safeground.screens.confirm_replace import ConfirmReplace

        def answered(replace: bool | None) -> None:
            if replace:
                self._run_print_job(job.replacing(), workbook, progress, profile)
                return
            self._printing = False
            self._open_print_dialog(again=job, focus_path=True)

        self.push_screen(ConfirmReplace(path, link_target), answered)

    def _print_failed(self, job: PrintJob, message: str) -> None:
        self._printing = False
        self._notify_plain(message, title="Not done", severity="warning", timeout=10)
        self._open_print_dialog(again=job)

    def _print_done(self, outcome: PrintOutcome) -> None:
        self._printing = False
        self._notify_plain(outcome.message, title="Done", timeout=10)
        for warning in outcome.warnings:
            self._notify_plain(warning, severity="warning", timeout=10)

    # -- sharing and comparing (see safeground.share) ------------------------------------------

    def action_share(self) -> None:
        self._after_safety_note("share", self._open_share_dialog)

    def action_compare(self) -> None:
        self._after_safety_note("compare", self._ask_share_file)

    def _after_safety_note(self, doing: str, then: Callable[[], None]) -> None:
        """The note comes before the first share and the first compare, once per profile."""
        from safeground.screens.share_dialog import SafetyNote

        if self.session is None:
            return
        if doing in self.settings.notes_seen:
            then()
            return

        def answered(go_on: bool | None) -> None:
            if go_on:  # "Not now" shows the note again next time
                self.settings.notes_seen = [*self.settings.notes_seen, doing]
                self._save_settings()
                then()

        self.push_screen(SafetyNote(doing), answered)

    def _open_share_dialog(self, path: Path | None = None) -> None:
        from safeground.screens.share_dialog import ShareDialog

        if self.session is not None:
            self.push_screen(ShareDialog(self.workbook, self.session.progress, path), self._share_chosen)

    def _share_chosen(self, request: ShareRequest | None, replace: bool = False) -> None:
        from safeground.export import ExportError, TargetExists
        from safeground.screens.confirm_replace import ConfirmReplace
        from safeground.share.choosing import ChoiceError
        from safeground.share.fileformat import save_chosen

        if request is None or self.session is None:
            return
        path = request.path
        try:
            written, count = save_chosen(
                self.workbook, self.session.progress, request.page_keys, request.name, path, replace=replace
            )
        except TargetExists as exists:
            self.push_screen(
                ConfirmReplace(exists.path, exists.link_target),
                lambda yes: self._share_chosen(request, True) if yes else self._open_share_dialog(path),
            )
            return
        except (ChoiceError, ExportError) as error:
            self._notify_plain(str(error), title="Not saved", severity="warning", timeout=10)
            return
        pages = f"{count} page{'s' if count != 1 else ''}"
        self._notify_plain(f"Saved {pages} to share in {written}. It is plain text: keep it private.", title="Done")

    def _ask_share_file(self) -> None:
        from safeground.screens.share_dialog import FileDialog

        about = "The share file your partner saved for you. Your own answers are never changed by it."
        self.push_screen(FileDialog("Compare with a share file", about), self._compare_with)

    def _compare_with(self, path: Path | None) -> None:
        from safeground.screens.compare import CompareScreen
        from safeground.share.compare import compare
        from safeground.share.fileformat import ShareFileError, read

        if path is None or self.session is None:
            return
        try:
            shared = read(path, self.workbook)
        except ShareFileError as error:
            self._notify_plain(f"{error}. Your own answers are untouched.", title="Can't compare", severity="warning")
            return
        self.push_screen(CompareScreen(compare(self.workbook, self.session.progress, shared)))

    def on_sheet_wanted(self, message: SheetWanted) -> None:
        from safeground.screens.print_dialog import default_folder
        from safeground.screens.share_dialog import FileDialog

        comparison = message.comparison
        start = str(default_folder() / "conversation-sheet.pdf")
        about = "A .pdf, .html, .md or .txt file, with both of your answers and room to talk."
        dialog = FileDialog("Save a conversation sheet", about, start, button="Save")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._save_sheet(comparison, path)

        self.push_screen(dialog, chosen)

    @work(thread=True, group="sheet")
    def _save_sheet(self, comparison: Comparison, path: Path, replace: bool = False) -> None:
        from safeground.export import ExportError, TargetExists, format_for_path, render, write_private
        from safeground.share.sheet import sheet_document

        try:
            data = render(sheet_document(comparison, self.workbook.id), format_for_path(path) or "pdf").data
            write_private(path, data, replace=replace)
        except TargetExists as exists:
            self.call_from_thread(self._ask_replace_sheet, comparison, exists)
            return
        except ExportError as error:
            self.call_from_thread(self._notify_plain, str(error), title="Not saved", severity="warning")
            return
        note = f"Saved the conversation sheet to {path}. It holds both of your answers: keep it private."
        self.call_from_thread(self._notify_plain, note, title="Done")

    def on_sheet_print_wanted(self, message: SheetPrintWanted) -> None:
        self._notify_plain("Printing the conversation sheet…", title="Printing")
        self._print_sheet(message.comparison)

    @work(thread=True, group="sheet")
    def _print_sheet(self, comparison: Comparison) -> None:
        """The sheet on the default printer (a PDF made privately and deleted once CUPS has it);
        with no printer, the notice says so and how to save it instead."""
        from safeground.export import ExportError, print_document
        from safeground.share.sheet import sheet_document

        try:
            result = print_document(sheet_document(comparison, self.workbook.id))
        except ExportError as error:
            note = f"{error}. You can save the sheet instead (s) and print it from there."
            self.call_from_thread(self._notify_plain, note, title="Not printed", severity="warning")
            return
        note = f"{result.message}. The printout holds both of your answers: keep it private."
        self.call_from_thread(self._notify_plain, note, title="Done")

    def _ask_replace_sheet(self, comparison: Comparison, exists: Any) -> None:
        from safeground.screens.confirm_replace import ConfirmReplace

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_sheet(comparison, exists.path, True)

        self.push_screen(ConfirmReplace(exists.path, exists.link_target), answered)

    def _notify_plain(self, message: str, **options: Any) -> None:
        """A notice that shows ``message`` as it is (it may hold a path or an answer)."""
        self.notify(for_terminal(message), markup=False, **options)

    # -- leaving -----------------------------------------------------------------------------

    def action_quick_exit(self) -> None:
        """Save what can be saved in a moment, then leave with nothing left on screen."""
        if self.session is not None:
            self.session.save_and_wait(timeout=1.0)
        self.store.forget_key()
        self.exit(QUICK_EXIT)

    def _save_and_leave(self) -> None:
        """SIGTERM or SIGHUP (the terminal closed): save everything and exit cleanly."""
        if self._leaving:
            return
        self._leaving = True
        if self.session is not None:
            self.session.save_and_wait(timeout=3.0)
        self.exit()

    def leave_soon(self, grace: float) -> None:
        """Asked to leave (a signal, or the terminal went away): save and exit on the app's loop,
        and have the watchdog end the process after ``grace`` seconds if that gets stuck.

        Safe from a signal handler and from any thread: it takes no lock."""
        if self.watchdog is not None:
            self.watchdog.arm(grace)
        # Not post_message: from a signal handler, on the loop's own thread, that would touch the
        # queue in the middle of whatever the loop was doing. call_soon_threadsafe only writes to
        # the loop's wake-up pipe, which is safe from a signal handler.
        loop = self._signal_loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._save_and_leave)
            except RuntimeError:
                pass  # the loop is closing: the app is already on its way out

    def terminal_gone(self, how: str = "") -> None:
        """The terminal was hung up (seen by the driver, or SIGHUP): nothing more can be shown."""
        self.leave_soon(HANGUP_GRACE)

    def save_for_watchdog(self, timeout: float) -> bool:
        """From the watchdog's thread while the app's loop is stuck: save what is pending.
        True when everything is on disk."""
        session = self.session
        if session is None:
            return True
        try:
            return session.save_and_wait(timeout)
        except Exception:  # the loop changed the answers while they were read: save the last copy
            saver = session.saver
            return saver is None or (saver.flush(timeout) and not session.unsaved)

    async def action_quit(self) -> None:
        session = self.session
        if session is not None and not session.save_and_wait(timeout=3.0):
            from safeground.screens.unsaved import UnsavedScreen

            self.push_screen(UnsavedScreen(session))
            return
        self.exit()

    # -- navigation shared by screens --------------------------------------------------------

    def open_page(self, chapter_id: str, page_id: str | None = None, field_id: str | None = None) -> None:
        """Open a chapter at a page (its first incomplete one by default), cursor in a field."""
        from safeground.screens.chapter import ChapterScreen

        session = self.session
        chapter = self.workbook.chapter(chapter_id)
        if session is None or chapter is None:
            return
        if page_id is None:
            progress = session.progress
            page = next((p for p in chapter.pages if not progress.page_complete(chapter.id, p)), chapter.pages[0])
            page_id, field_id = page.id, progress.first_unanswered(chapter.id, page)
        self.go_home()
        self._chapter = ChapterScreen(session, chapter, page_id, field_id)
        self.push_screen(self._chapter)

    def go_home(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self._home:
            self.pop_screen()

    def continue_where_left(self) -> None:
        if self.session is None:
            return
        position = self.session.progress.resume_position(self.workbook)
        self.open_page(position.chapter, position.page, position.field)

    def on_open_page(self, message: OpenPage) -> None:
        self.open_page(message.chapter_id, message.page_id, message.field_id)
        self._route_afresh(message.typed_after)

    def on_go_home(self, message: GoHome) -> None:
        self.go_home()
        self._route_afresh(message.typed_after)

    def on_continue_wanted(self, message: ContinueWanted) -> None:
        self.continue_where_left()
        self._route_afresh(message.typed_after)

    def _route_afresh(self, keys: list[events.Key]) -> None:
        """Keys typed for the screen that has just opened, in order, as if typed now. The list is
        emptied: each key is typed once, whoever else holds the message."""
        typed, keys[:] = list(keys), []
        for key in typed:
            self.post_message(events.Key(key.key, key.character))

    def action_next_unfinished(self) -> None:
        """The next page not complete yet: after the page on screen, or after the one you were
        last on, round to the beginning. Continue goes where you were; this goes where work is."""
        session = self.session
        if session is None:
            return
        progress = session.progress
        if self._chapter is not None and self.screen is self._chapter:
            here = (self._chapter.chapter.id, self._chapter.page.id)
        else:
            here = (progress.position.chapter, progress.position.page)
        target = progress.next_unfinished(self.workbook, *here)
        if target is None:
            self.notify("Every page is complete. You can still change any answer.", title="All done")
            return
        self.open_page(target.chapter, target.page, target.field)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's entries, in the order it shows them: nothing of Textual's own (its
        screenshots, key panel and maximize are for developers), chapters in workbook order."""
        if self.session is not None:
            yield from self._session_commands()
        for name, theme in THEMES:
            if theme in self.available_themes:
                yield SystemCommand(name, "Change how Safe Ground looks", self._theme_setter(theme))
        yield SystemCommand("Quit", "Leave Safe Ground; your answers are saved", self.action_quit)

    def _session_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Continue where you left off", "Open the page you were on", self.continue_where_left)
        if self.store.key is not None:  # a profile locked with a passphrase
            yield SystemCommand("Lock now", "Hide everything until the passphrase is typed", self.lock_now)
            for minutes in (1, 5, 15, 0):
                plural = "s" if minutes > 1 else ""
                title = f"Lock after {minutes} minute{plural} without a key" if minutes else "Never lock by itself"
                yield SystemCommand(title, "When Safe Ground locks itself again", self._lock_after_setter(minutes))
        yield SystemCommand(
            "Next unfinished page", "The next page with questions still to answer (F3)", self.action_next_unfinished
        )
        yield SystemCommand("Support resources", "People you can reach out to", self.action_support)
        yield SystemCommand("Contents", "Back to the list of chapters", self.go_home)
        yield SystemCommand("Review pages", "Your completed pages as they will print", self.action_review)
        yield SystemCommand(
            "Print or save pages…", "To a printer, or to a PDF, web page or text file", self.action_print_dialog
        )
        yield SystemCommand("Share with your partner…", "Save the pages you choose to a file (F4)", self.action_share)
        yield SystemCommand(
            "Compare with a share file…", "Your answers beside your partner's (F5)", self.action_compare
        )
        for chapter in self.workbook.chapters:
            # The palette reads titles and help as markup: workbook text is escaped for it.
            yield SystemCommand(
                f"Go to chapter: {_palette_text(chapter.title)}",
                _palette_text(chapter.summary),
                self._opener(chapter.id),
            )

    def _lock_after_setter(self, minutes: int) -> Callable[[], None]:
        def use() -> None:
            self.settings.lock_after = minutes
            self._save_settings()

        return use

    def _opener(self, chapter_id: str) -> Callable[[], None]:
        return lambda: self.open_page(chapter_id)

    def _theme_setter(self, theme: str) -> Callable[[], None]:
        def use() -> None:
            self.theme = theme

        return use

    def format_title(self, title: str, sub_title: str) -> Content:
        # Every screen's title reaches the header here: workbook text, drawn with stand-ins.
        return super().format_title(for_terminal(title), for_terminal(sub_title))

    # -- terminal size -----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._started:  # the first resize can come before on_mount has pushed a screen
            self._check_size(event.size.width, event.size.height)
            self.refresh_bindings()  # the footer's room changed (see _footer_keys)

    def _check_size(self, width: int | None = None, height: int | None = None) -> None:
        from safeground.screens.too_small import TooSmallScreen

        width = self.size.width if width is None else width
        height = self.size.height if height is None else height
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.save_and_wait(timeout=3.0)
            self.session.close()
        else:
            self.store.release_lock()


#: The colour themes the palette offers, named for what a person sees, not for their makers.
THEMES = [
    ("Colours: dark", "textual-dark"),
    ("Colours: light", "textual-light"),
    ("Colours: your terminal's own", "ansi-dark"),
]


class OurCommands(Provider):
    """The command palette's entries: the app's own (see ``get_system_commands``), in the app's
    order. Textual's provider sorts them by name, which put chapters in alphabetical order."""

    async def discover(self) -> Hits:
        for command in self.app.get_system_commands(self.screen):
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.app.get_system_commands(self.screen):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)


def _palette_text(text: str) -> str:
    """``text`` for the command palette, which parses markup: every "[" escaped ("\\[" shows
    "[" and leaves any backslash before it as it was), control characters as stand-ins."""
    return for_terminal(text).replace("[", "\\[")


def run_app(
    workbook_dir: str | None = None,
    data_dir: str | None = None,
    profile: str = DEFAULT_PROFILE,
    region: str | None = None,
) -> int:
    """Open the app in this terminal; returns the process exit code."""
    workbook = load_workbook(Path(workbook_dir) if workbook_dir else None)
    store = ProgressStore(resolve_data_dir(data_dir), profile, workbook.id)
    app = SafeGroundApp(workbook, store, region=region)
    from safeground.terminal_input import harden_terminal_input, on_terminal_gone

    harden_terminal_input()  # stray bytes and escapes in pastes must not stop the app or act as keys
    app.watchdog = ExitWatchdog(app.save_for_watchdog, store.release_lock)
    on_terminal_gone(app.terminal_gone)
    previous = leave_on_signals(app.leave_soon)
    try:
        result = app.run()
    finally:
        on_terminal_gone(None)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        app.watchdog.close()
    if result == QUICK_EXIT and sys.stdout.isatty():
        # Leave a blank terminal: clear the screen and, where the terminal supports it, scrollback.
        sys.stdout.write("\x1b[H\x1b[2J\x1b[3J")
        sys.stdout.flush()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover - `python -m safeground` is the supported way
    sys.exit(run_app(os.environ.get("SAFEGROUND_WORKBOOK")))
