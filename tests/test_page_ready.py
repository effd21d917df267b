"""The next page is built while the person reads this one and waits underneath it, so Ctrl+N
only brings it up. Waiting there it must never be seen, reached by Tab, or show an answer that
has changed since it was built; and the next chapter opens the same way."""

from __future__ import annotations

from textual.widgets import Input, ProgressBar, TextArea

from app_support import KINDS_WORKBOOK, answers, make_app, open_page, settle
from test_chapter_page import screen_text

SIZE = (100, 30)


async def _next_page_ready(pilot, app):
    for _ in range(100):
        await pilot.pause()
        if app.screen.next_ready is not None:
            return app.screen.next_ready
    raise AssertionError("the next page was never got ready")


async def test_the_waiting_page_is_never_drawn_nor_reached_by_the_cursor(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        waiting = await _next_page_ready(pilot, app)
        assert waiting.page.id == "choice"
        text = screen_text(app)
        assert "A longer answer" in text
        assert "One choice" not in text and "Do you feel safe" not in text
        screen = app.screen
        for _ in range(12):  # round the page several times, both ways
            await pilot.press("tab")
            assert app.focused is not None and waiting not in app.focused.ancestors
        for _ in range(12):
            await pilot.press("shift+tab")
            assert app.focused is not None and waiting not in app.focused.ancestors
        assert screen.shown is not None and screen.shown.page.id == "long-text"


async def test_an_answer_changed_elsewhere_while_the_next_page_waited_is_the_one_it_shows(tmp_path):
    """Built a while ago, the waiting page holds what was saved then; an answer changed since
    (the review screen, a fresh start) must not come back from it."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        waiting = await _next_page_ready(pilot, app)
        assert waiting.page.id == "long-text"
        app.session.answer("kinds", "long-text", "story", "Changed somewhere else")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        assert app.screen.page.id == "long-text"
        story = app.screen.shown.query(TextArea).first()
        assert story.text == "Changed somewhere else"


async def test_typing_right_after_a_ready_page_comes_up_lands_in_its_first_question(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await _next_page_ready(pilot, app)
        await pilot.press(*"Sam", "ctrl+n", *"On a train")
        await settle(pilot, app)
        assert app.screen.page.id == "long-text"
        assert app.screen.shown.query(TextArea).first().text == "On a train"
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert app.screen.shown.query_one(Input).value == "Sam"


async def test_the_next_chapter_comes_up_with_its_own_title_bar_and_pages(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "what-safety-is", "checking-in")
        waiting = await _next_page_ready(pilot, app)
        assert (waiting.chapter.id, waiting.page.id) == ("friend-lens", "friendship-first")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        screen = app.screen
        chapter = app.workbook.chapter("friend-lens")
        assert chapter is not None and screen.chapter is chapter
        text = screen_text(app)
        assert chapter.title in text.splitlines()[0], "the header names the chapter now open"
        assert f"Page 1 of {len(chapter.pages)}" in text
        assert screen.query_one(ProgressBar).total == len(chapter.pages)
        # And back: Ctrl+B on a chapter's first page stays there.
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert app.screen.chapter is chapter and app.screen.page.id == "friendship-first"


async def test_the_field_with_the_cursor_is_marked_and_the_one_left_is_not(tmp_path):
    """The accent beside the question being answered follows the cursor (a class the field sets
    itself: Textual's :focus-within restyled a field at the moment of a page turn)."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        story, extra = app.screen.shown.fields
        assert story.has_class("-cursor") and not extra.has_class("-cursor")
        await pilot.press("tab")
        await pilot.pause()
        assert extra.has_class("-cursor") and not story.has_class("-cursor")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        (choice,) = app.screen.shown.fields
        assert choice.has_class("-cursor")


async def test_back_and_forth_brings_up_the_pages_already_built_with_what_was_typed(tmp_path):
    """The page left by Ctrl+N is kept for Ctrl+B, and the page left by Ctrl+B is the one Ctrl+N
    brings up again: nothing is built twice, and each shows what was typed on it."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        first = app.screen.shown
        await _next_page_ready(pilot, app)
        await pilot.press(*"Sam", "ctrl+n")
        await settle(pilot, app)
        second = app.screen.shown
        await pilot.press(*"By the sea")
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert app.screen.shown is first and first.query_one(Input).value == "Sam"
        assert app.screen.next_ready is second, "the page left waits underneath"
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        assert app.screen.shown is second and second.query(TextArea).first().text == "By the sea"
        assert not first.display, "the page before is kept out of the layout"
    stored = answers(tmp_path, "kinds")["kinds"]
    assert stored["text"]["name"] == "Sam" and stored["long-text"]["story"] == "By the sea"


async def test_the_page_kept_for_going_back_is_built_again_if_its_answer_changed(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        first = app.screen.shown
        await _next_page_ready(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        app.session.answer("kinds", "text", "name", "Changed somewhere else")
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert app.screen.shown is not first
        assert app.screen.shown.query_one(Input).value == "Changed somewhere else"


async def test_a_page_move_with_nowhere_to_go_in_a_burst_of_moves_lets_the_rest_go_on(tmp_path):
    """Ctrl+B twice from the second page, then Ctrl+N: the second Ctrl+B, held while the first
    page came up, had nowhere to go, and every key after it was held for good (the app looked
    frozen on the first page)."""
    from test_chapter_page import _burst, _quiet

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        _burst(app, "ctrl+b", "ctrl+b", "ctrl+n", *"On a train")
        await _quiet(pilot, app)
        await settle(pilot, app)
        assert app.screen.page.id == "long-text"
        assert app.screen.shown.query(TextArea).first().text == "On a train"
