"""The chapter page as a person lives it: what each frame shows during a page turn, where keys
typed in a hurry land, and that the field being typed in is always on the screen."""

from __future__ import annotations

import io

from rich.console import Console

from app_support import KINDS_WORKBOOK, make_app, open_page, settle

SIZE = (80, 24)


def screen_text(app) -> str:
    """The screen as plain text, as the compositor would draw it now."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def record_frames(app) -> list[str]:
    """Every frame the app sends to the terminal from now on, as text. (Headless, nothing is
    written; the frame is what would have been.)"""
    frames: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:
        if renderable is not None and not app._batch_count and screen is app.screen:
            frames.append(screen_text(app))
        display(screen, renderable)

    app._display = recording
    return frames


async def test_a_page_turn_never_draws_the_new_page_with_the_old_pages_marks(tmp_path):
    """The next page briefly showed the previous page's "✓ This page is complete" and its
    "Page 1 of 7" while its own widgets were mounted."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"Sam")
        await settle(pilot, app)
        assert "This page is complete" in screen_text(app)
        frames = record_frames(app)
        await pilot.press("ctrl+n")
        for _ in range(6):
            await pilot.pause()
        new = [frame for frame in frames if "A longer answer" in frame]
        assert new, "the new page was drawn"
        for frame in new:
            assert "This page is complete" not in frame
            assert "Page 2 of 7" in frame and "Page 1 of 7" not in frame
        for frame in frames:
            assert "Page 2 of 7" not in frame or "A one-line answer" not in frame, "nor the old page with new marks"


def _inside_page(app, y: int) -> bool:
    page = app.screen.shown.region
    return page.y <= y < page.bottom


async def test_a_new_list_items_entry_stays_on_the_screen_as_the_list_grows(tmp_path):
    """At 80x24 the entry for the next item slid under the bottom bar after a few items, and the
    person typed where they could not see."""
    from textual.widgets import Input

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "list")
        for number in range(12):
            await pilot.press(*f"item {number}", "enter")
            await pilot.pause()
            await pilot.pause()
            entry = app.focused
            assert isinstance(entry, Input) and entry.has_class("list-add--text")
            assert _inside_page(app, entry.region.y), f"the entry is off the page after {number + 1} items"
        assert "item 11" in screen_text(app)


async def test_the_cursor_in_a_growing_long_answer_stays_on_the_screen(tmp_path):
    """Typing line after line in a long answer at 80x24: the text area grows, and its end (with
    the cursor) went below the bottom bar."""
    from textual.widgets import TextArea

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        # The built-in workbook's first page: the chapter's intro and a choice above the answer.
        await open_page(pilot, app, "what-safety-is", "safety-and-security")
        await pilot.press("tab")
        for number in range(20):
            # Long lines too, which wrap: the answer grows by more lines than Enter makes.
            # Each line as a fast typist sends it (queued at once): a key-by-key wait took half a minute.
            _burst(app, *f"line {number} " + "and so it went on " * (number % 3), "enter")
            await pilot.pause()
            await pilot.pause()
            await pilot.pause()
            area = app.focused
            assert isinstance(area, TextArea)
            cursor = area.cursor_screen_offset
            assert _inside_page(app, cursor.y), f"the cursor is off the page after {number + 1} lines"
            assert area.region.y <= cursor.y < area.region.bottom, "and inside the text area's own view"
        assert "line 19" in screen_text(app)


def _burst(app, *keys: str) -> None:
    """Keys as a fast typist (or a paste) delivers them: all queued before the app runs any."""
    from textual import events

    for name in keys:
        key = events.Key(name, name if len(name) == 1 else None)
        key.set_sender(app)
        app._driver.send_message(key)


async def _quiet(pilot, app) -> None:
    for _ in range(4):
        await settle(pilot, app)


async def test_letters_typed_right_after_tab_go_to_the_next_field_not_the_one_left(tmp_path):
    """Under load, the letters after a Tab reached the text area before the Tab had moved the
    cursor on: two answers merged into one."""
    from app_support import answers

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        _burst(app, *"We met", "tab", *"Nothing", "shift+tab", *" twice")
        await _quiet(pilot, app)
    stored = answers(tmp_path, "kinds")["kinds"]["long-text"]
    assert stored == {"story": "We met twice", "extra": "Nothing"}


async def test_keys_typed_right_after_adding_a_list_item_go_where_the_person_was_going(tmp_path):
    """`Enter Tab Tab` and letters straight after adding an item: the letters went into the entry
    for the next item. And letters right after Enter merged into the item being added."""
    from textual.widgets import Input

    from app_support import answers
    from safeground.widgets.list_field import ListItem

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "list")
        entry = app.screen.query_one(".list-add--text", Input)
        _burst(app, *"Kind", "enter", *"Funny", "enter", *"Brave", "enter", "tab", "tab", *"zz")
        await _quiet(pilot, app)
        assert [item.query_one(Input).value for item in app.screen.query(ListItem)] == ["Kind", "Funny", "Brave"]
        assert entry.value == "", "nothing typed after Tab Tab landed in the entry"
        assert app.focused is not entry
        _burst(app, "shift+tab", "shift+tab", *"Calm", "enter")
        await _quiet(pilot, app)
        assert app.focused is entry and entry.value == ""
    assert answers(tmp_path, "kinds")["kinds"]["list"]["appreciations"] == ["Kind", "Funny", "Brave", "Calm"]


async def test_a_fields_own_keys_typed_before_a_tab_act_on_that_field(tmp_path):
    """Arrows are bindings, looked up where the cursor is when they are handled: those still
    queued for the row being left moved the next row instead."""
    from app_support import answers

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "statements")
        _burst(app, "right", "right", "right", "tab", "right")
        await _quiet(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["statements"]["tenets"] == {"one-topic": 3, "no-yelling": 1}


async def test_the_terminal_cursor_follows_a_focused_row_the_page_scrolled_to(tmp_path):
    """With animations on, as a person runs the app: the page turns, then scrolls to the first
    statement row over a few frames; the cursor ends on that row's first point, not where the row
    was before the scroll."""
    from safeground.app import SafeGroundApp
    from safeground.loader import load_workbook
    from safeground.storage import ProgressStore
    from safeground.widgets.statements_field import StatementRating

    make_app(tmp_path)  # marks the welcome note as seen
    workbook = load_workbook()
    app = SafeGroundApp(workbook, ProgressStore(tmp_path, "default", workbook.id), animate=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "what-safety-is", "what-helps")
        await pilot.press("ctrl+n")
        await pilot.wait_for_scheduled_animations()
        await settle(pilot, app)
        row = app.focused
        assert isinstance(row, StatementRating) and row.region.y < SIZE[1] - 2, "the page scrolled to the row"
        assert app.cursor_position == row.content_region.offset + row.point_offset(row.low)


async def test_down_and_up_go_between_rated_statements_even_typed_in_a_hurry(tmp_path):
    """Down on a statement row did nothing for the rows (it scrolled the page), so a person rating
    with digits and Down rated the first statement over and over. Down now moves to the next
    statement as Tab does, before the digit after it is handed on."""
    from app_support import answers

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "statements")
        _burst(app, "4", "down", "5")
        await _quiet(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["statements"]["tenets"] == {"one-topic": 4, "no-yelling": 5}
        _burst(app, "up", "2")
        await _quiet(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["statements"]["tenets"] == {"one-topic": 2, "no-yelling": 5}
