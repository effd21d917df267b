"""Each screen on its own, in a small host app: what it shows comes down, what it asks goes up.

No SafeGroundApp here: the host pushes one screen with a session and records the messages that
reach it. A screen that called the app's own methods, or read ``app.session``, fails here.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, ListView

from app_support import KINDS_WORKBOOK
from safeground.loader import load_workbook
from safeground.messages import AnswerChanged, ContinueWanted, GoHome, OpenPage, PrintWanted, SupportWanted
from safeground.print_job import PrintJob
from safeground.progress import Progress
from safeground.screens.chapter import ChapterScreen
from safeground.screens.home import ChapterRow, HomeScreen, OverallProgress
from safeground.screens.print_dialog import PrintDialog
from safeground.screens.review import ReviewScreen
from safeground.session import Session
from safeground.storage import ProgressStore

SIZE = (100, 30)


class Host(App[None]):
    """Shows one screen and keeps every message from :mod:`safeground.messages` that reaches it."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.shown = screen
        self.asked: list[Message] = []
        self.dismissed_with: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.shown, self.dismissed_with.append)

    @on(OpenPage)
    @on(GoHome)
    @on(ContinueWanted)
    @on(AnswerChanged)
    @on(SupportWanted)
    @on(PrintWanted)
    def record(self, message: Message) -> None:
        self.asked.append(message)


def kinds_session(tmp_path: Path) -> Session:
    workbook = load_workbook(KINDS_WORKBOOK)
    return Session(workbook, ProgressStore(tmp_path, "default", workbook.id), Progress(workbook.id))


async def test_home_asks_to_continue_and_to_open_a_chapter(tmp_path):
    host = Host(HomeScreen(kinds_session(tmp_path)))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the continue button has the cursor
        # Until the app has opened the page, keys typed are for that page: they go with the message.
        await pilot.press("h", "i")
        await pilot.pause()
    assert [type(m) for m in host.asked] == [ContinueWanted]
    assert [key.key for key in host.asked[0].typed_after] == ["h", "i"]

    host = Host(HomeScreen(kinds_session(tmp_path)))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # into the chapter list, choose the first
        await pilot.pause()
    assert [type(m) for m in host.asked] == [OpenPage]
    assert host.asked[0].chapter_id == "kinds" and host.asked[0].page_id is None


async def test_home_takes_the_cursor_back_when_no_page_opens(tmp_path):
    """An app that opens nothing (a chapter gone meanwhile): the home screen doesn't keep every
    key for a page that never comes."""
    home = HomeScreen(kinds_session(tmp_path))
    host = Host(home)
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert home.focused is None
        await pilot.pause(1.3)
        assert home.focused is not None and home.focused.id == "continue"
        await pilot.press("down")
        await pilot.pause()
        assert isinstance(home.focused, ListView)


async def test_home_redraws_its_counts_from_the_session_when_it_comes_back(tmp_path):
    session = kinds_session(tmp_path)
    home = HomeScreen(session)
    host = Host(home)
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = home.query_one(ChapterRow)
        assert row.done == 0 and home.query_one(OverallProgress).done == 0
        session.answer("kinds", "text", "name", "Sam")
        home.refresh_progress()
        await pilot.pause()
        assert row.done == 1 and home.query_one(OverallProgress).done == 1
        assert str(home.query_one("#continue").label).startswith("Continue: ")
        assert "1/7 pages" in str(row.render())


async def test_a_chapter_stores_answers_in_its_session_and_asks_for_saving_and_support(tmp_path):
    session = kinds_session(tmp_path)
    chapter = session.workbook.chapters[0]
    host = Host(ChapterScreen(session, chapter, "choice"))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        host.asked.clear()
        await pilot.press("down", "down", "enter")  # "No", which lists support
        await pilot.pause()
        assert session.progress.get("kinds", "choice", "safe-to-speak") == "no"
        assert any(isinstance(m, AnswerChanged) and m.settled for m in host.asked)
        support = [m for m in host.asked if isinstance(m, SupportWanted)]
        assert [m.question for m in support] == [("kinds", "choice", "safe-to-speak")]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(host.asked[-1], GoHome)
        assert host.screen is host.shown, "the chapter only asks; the app decides"


async def test_the_last_page_asks_for_home_with_the_keys_typed_after(tmp_path):
    session = kinds_session(tmp_path)
    chapter = session.workbook.chapters[0]
    host = Host(ChapterScreen(session, chapter, "list"))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+n", "x")
        await pilot.pause()
    leaving = [m for m in host.asked if isinstance(m, GoHome)]
    assert len(leaving) == 1 and [key.key for key in leaving[0].typed_after] == ["x"]
    assert session.progress.get("kinds", "list", "appreciations") is None, "nothing typed into the page left"


async def test_review_asks_for_the_print_dialog_with_its_chapters_and_drafts(tmp_path):
    host = Host(ReviewScreen(kinds_session(tmp_path), ["kinds"]))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d", "p")
        await pilot.pause()
    wanted = [m for m in host.asked if isinstance(m, PrintWanted)]
    assert len(wanted) == 1 and wanted[0].chapter_ids == ["kinds"] and wanted[0].include_drafts


async def test_the_print_dialog_dismisses_with_the_job_and_does_nothing_itself(tmp_path):
    session = kinds_session(tmp_path)
    target = tmp_path / "pages.pdf"
    host = Host(PrintDialog(session.workbook, session.progress))
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        host.shown.query_one("#print-path", Input).value = str(target)
        await pilot.click("#print-go")
        await pilot.pause()
    assert host.dismissed_with == [PrintJob(("kinds",), False, path=target, fmt="pdf")]
    assert not target.exists()
