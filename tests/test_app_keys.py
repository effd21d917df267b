"""Knowing where you are and which keys do what: the footer at 80 and 100 columns, Escape and the
quick exit, the command palette's entries, the next unfinished page, support at 80×24."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import OptionList

from app_support import make_app, open_page, settle
from safeground.app import QUICK_EXIT
from safeground.screens.chapter import ChapterScreen
from safeground.screens.home import ChapterRow, HomeScreen
from safeground.screens.review import ReviewScreen
from safeground.screens.support import SupportScreen
from safeground.widgets.footer import SafeFooter


def screen_lines(app) -> list[str]:
    """The screen as a person reads it, one string a line."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def _show(pilot, app, where: str) -> None:
    if where == "home":
        await pilot.pause()
        return
    first = app.workbook.chapters[0]
    await open_page(pilot, app, first.id, first.pages[0].id)
    if where == "review":
        await pilot.press("ctrl+r")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, ReviewScreen):
                break


@pytest.mark.parametrize("where", ["home", "chapter", "review"])
@pytest.mark.parametrize("width", [80, 100])
async def test_the_quick_exit_is_readable_in_the_footer_of_every_screen(tmp_path, where, width):
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24 if width == 80 else 30)) as pilot:
        await _show(pilot, app, where)
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "f12 Quick exit" in footer and "f1 Support" in footer, footer
        # Nothing is cut in the middle: every key shown is shown whole, and the last is followed
        # by room (a key cut at the edge would run to the last column).
        assert footer.endswith(" "), footer
        assert "▏" not in footer, "no corner key over the others"


class CrowdedScreen(Screen):
    """A screen with more keys of its own than 80 columns hold."""

    BINDINGS = [Binding(f"ctrl+{letter}", "app.bell", f"Something long {letter}") for letter in "abdefg"]

    def compose(self):
        yield SafeFooter()


@pytest.mark.parametrize("width", [80, 100])
async def test_a_screen_full_of_its_own_keys_still_shows_the_quick_exit_first(tmp_path, width):
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(CrowdedScreen())
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert footer.lstrip().startswith("f12 Quick exit  f1 Support"), footer
        assert "Something long a" in footer, footer
        # Whole keys only: the ones that don't fit are left out, not cut at the edge.
        assert footer.endswith(" ") and "Something long g" not in footer, footer


async def test_the_footer_shows_review_and_print_where_there_is_room(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _show(pilot, app, "chapter")
        footer = screen_lines(app)[-1]
        assert "^r Review" in footer and "f2 Print" in footer, footer
        await pilot.press("ctrl+o")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, HomeScreen):
                break
        footer = screen_lines(app)[-1]
        for key in ("f12 Quick exit", "f1 Support", "^r Review", "f2 Print", "f3 Next unfinished", "^q Quit"):
            assert key in footer, footer


async def test_keys_not_shown_for_want_of_room_still_work(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _show(pilot, app, "chapter")
        assert "f2 Print" not in screen_lines(app)[-1]
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "PrintDialog"


async def test_escape_that_closes_two_dialogs_does_not_quit(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running and app.return_value is None
        assert isinstance(app.screen, HomeScreen), "both dialogs closed, one press each"
        # Nothing left to close: Escape twice is the quick exit again.
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert app.return_value == QUICK_EXIT


async def test_escape_after_closing_a_dialog_still_leaves_with_two_more(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")  # closes support
        await pilot.press("escape", "escape")  # nothing to close: leave
        await pilot.pause()
    assert app.return_value == QUICK_EXIT


async def test_f12_leaves_from_a_dialog(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
    assert app.return_value == QUICK_EXIT


async def _palette_entries(pilot, app) -> list[str]:
    await pilot.press("ctrl+p")
    for _ in range(30):
        await pilot.pause(0.05)
        if isinstance(app.screen, CommandPalette):
            options = app.screen.query_one(OptionList)
            if options.option_count:
                break
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


async def test_the_palette_holds_only_our_commands_with_chapters_in_workbook_order(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        entries = await _palette_entries(pilot, app)
    text = "\n".join(entries)
    for developers in ("Screenshot", "Maximize", "Keys", "Quit the application", "Theme"):
        assert developers not in text, entries
    chapters = [entry.removeprefix("Go to chapter: ") for entry in entries if entry.startswith("Go to chapter: ")]
    assert chapters == [chapter.title for chapter in app.workbook.chapters]
    assert entries[0] == "Continue where you left off"
    assert "Next unfinished page" in entries
    assert {"Colours: dark", "Colours: light", "Quit"} <= set(entries)


async def test_a_colour_choice_from_the_palette_is_kept(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Colours: light")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert 'theme = "textual-light"' in (tmp_path / "default" / "settings.toml").read_text(encoding="utf-8")


async def test_f3_opens_the_next_unfinished_page_after_the_one_on_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        first = app.workbook.chapters[0]
        session = app.session
        # The second page complete: from the first page, F3 goes over it to the third.
        for fld in first.pages[1].fields:
            if fld.required:
                session.answer(first.id, first.pages[1].id, fld.id, _an_answer(fld))
        await open_page(pilot, app, first.id, first.pages[0].id)
        await pilot.press("f3")
        for _ in range(30):
            await pilot.pause()
            if isinstance(app.screen, ChapterScreen) and app.screen.page.id == first.pages[2].id:
                break
        assert app.screen.page.id == first.pages[2].id
        await settle(pilot, app)


def _an_answer(fld):
    """An answer that counts as answered for ``fld``, whatever its kind."""
    if fld.kind in ("text", "long_text"):
        return "words"
    if fld.kind == "choice":
        return fld.options[0].id
    if fld.kind == "checklist":
        return [fld.options[0].id]
    if fld.kind == "scale":
        return fld.min
    if fld.kind == "statements":
        return {statement.id: fld.min for statement in fld.statements}
    return ["one", "two", "three"][: max(1, fld.min_items)]


async def test_home_rows_name_the_unfinished_pages_of_a_chapter_begun(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        first = app.workbook.chapters[0]
        for fld in first.pages[0].fields:
            if fld.required:
                app.session.answer(first.id, first.pages[0].id, fld.id, _an_answer(fld))
        await open_page(pilot, app, first.id, first.pages[0].id)
        await pilot.press("ctrl+o")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, HomeScreen):
                break
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        rows = list(app.screen.query(ChapterRow))
        assert rows[0].chapter is first
    left = ", ".join(page.title for page in first.pages[1:])
    assert f"To finish: {left}"[:60] in text, text


async def test_support_at_80x24_shows_the_numbers_at_once_and_scrolls_with_the_arrows(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        text = "\n".join(screen_lines(app))
        numbers = [re.search(r"\d[\d-]{2,}", r.contact) for r in app.workbook.support.for_region("us").resources]
        for number in filter(None, numbers):
            assert number.group() in text, "every phone number is on screen without scrolling"
        assert len(list(filter(None, numbers))) >= 3
        assert "911" in text
        body = app.screen.query_one("#support-body")
        assert body.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert body.scroll_y == 1, "Down scrolls the text at once, no Tab first"
        await pilot.press("pagedown", "end")
        await pilot.pause()
        assert "close without doing anything" in "\n".join(screen_lines(app)), "the keys are listed at the end"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_profile_taken_meanwhile_is_said_once_as_a_sentence(tmp_path):
    from safeground.app import SaveFinished
    from safeground.storage import LockHolder, ProfileLocked

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        holder = LockHolder.parse("pid 4242 on laptop since 2025-03-01 20:15\n")
        app.post_message(SaveFinished(ProfileLocked(app.store.path, holder)))
        await pilot.pause()
        said = [notice.message for notice in app._notifications]
    assert len(said) == 1 and said[0].startswith("This profile is already open in another Safe Ground"), said
    assert "couldn't save to" not in said[0], "the lock's own words, not wrapped in another sentence"
