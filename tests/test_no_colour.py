"""With NO_COLOR, the screen's text alone says what is chosen, how far along things are and where
the focus is, and the terminal's cursor sits on the focused control.

The screen is read as plain text, as ``tmux capture-pane -p`` or a screen reader would get it: no
colour, no bold, no reverse. Each check names what a person would look for.
"""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App

from app_support import KINDS_WORKBOOK, make_app, open_page, settle
from test_snapshots import HALF_DONE, KIND_ANSWERS, prefill

SIZE = (80, 24)


def lines(app: App) -> list[str]:
    """The screen as lines of plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def line_with(app: App, *texts: str) -> str:
    """The first line of the screen holding all of ``texts``."""
    found = [line for line in lines(app) if all(text in line for text in texts)]
    assert found, f"{texts!r} are not on a line of the screen"
    return found[0]


def under_cursor(app: App, width: int = 1) -> str:
    """The text at the terminal's cursor."""
    x, y = app.cursor_position
    return lines(app)[y][x : x + width]


async def test_field_states_read_as_text_and_the_cursor_is_on_the_focused_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    prefill(tmp_path, KINDS_WORKBOOK, KIND_ANSWERS)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "choice")
        await settle(pilot, app)
        # The chosen option and the focus, on the saved answer; the others plainly not chosen.
        assert "> (•) Sometimes" in line_with(app, "Sometimes")
        assert "( ) Yes" in line_with(app, "Yes") and "( ) No" in line_with(app, " No")
        assert under_cursor(app) == "•"
        assert "Page 3 of 7 ✓" in line_with(app, "Page 3 of 7") and "✓ This page is complete" in lines(app)[3]

        await open_page(pilot, app, "kinds", "checklist")
        await settle(pilot, app)
        assert "> [x] My shoulders dropped" in line_with(app, "shoulders")
        assert "[ ] My stomach relaxed" in line_with(app, "stomach")
        assert "[x] I felt warm" in line_with(app, "warm")
        await pilot.press("down")
        await settle(pilot, app)
        assert "> [ ] My stomach relaxed" in line_with(app, "stomach"), "the focus moved with the cursor"
        assert under_cursor(app, 3) == " ] "

        await open_page(pilot, app, "kinds", "scale")
        await settle(pilot, app)
        points = line_with(app, " 9   10")
        assert "[7]" in points and points.count("[") == 1 and points.lstrip(" ▊").startswith(">")
        assert under_cursor(app) == "7"

        await open_page(pilot, app, "kinds", "statements")
        await settle(pilot, app)
        assert "[4]" in line_with(app, "one topic") and "[" not in line_with(app, "yell")
        assert "> We stick to one topic" in line_with(app, "one topic")
        assert under_cursor(app) == "4"
        assert "1 of 2 rated" in line_with(app, "rated")
        assert not any("This page is complete" in line for line in lines(app))
        # A row with nothing chosen shows the focus too, and the cursor waits on its first point.
        await pilot.press("tab")
        await settle(pilot, app)
        assert "> We don't yell." in line_with(app, "yell") and "> We stick" not in line_with(app, "one topic")
        assert under_cursor(app) == "1"

        # A button has the cursor on its first letter.
        app.screen.query_one("#next").focus()
        await settle(pilot, app)
        assert under_cursor(app, 4) == "Next"


async def test_home_progress_reads_as_text_and_the_focus_is_marked(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    prefill(tmp_path, None, HALF_DONE)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert under_cursor(app, 8) == "Continue", "the cursor on the continue button"
        begun = line_with(app, "Through a friend")
        untouched = line_with(app, "When you disagree")
        # 1 of 5 pages and 0 of 4 differ in the bar's shape, not only its colour, and in words.
        assert "━" in begun and "1/5 pages" in begun
        assert "━" not in untouched and "─" * 20 in untouched and "0/4 pages" in untouched
        assert "Overall: 3 of 20 pages complete" in line_with(app, "Overall")
        assert not any(line.lstrip().startswith(">") for line in lines(app)), "no marker while the list has no focus"
        await pilot.press("tab")
        await settle(pilot, app)
        assert line_with(app, "What emotional safety is", "pages").lstrip().startswith("> What emotional safety is")
        assert under_cursor(app) == ">"


async def test_the_print_dialog_reads_ticked_and_chosen_and_the_cursor_follows_its_focus(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "PrintDialog":
                break
        await settle(pilot, app)
        # Every chapter ticked, the drafts box not, a file chosen over a printer: by glyph alone.
        assert "[x] What emotional safety is" in line_with(app, "What emotional safety is")
        assert "[ ] Include unfinished pages" in line_with(app, "unfinished pages")
        assert "( ) A printer" in line_with(app, "A printer") and "(•) A file" in line_with(app, "A file")
        # The focus starts on Save: the cursor on its first letter, not where the last page left it.
        assert under_cursor(app, 4) == "Save"
        await pilot.press("shift+tab")  # back from Save: the name box, and on
        for _ in range(6):
            await pilot.press("shift+tab")
            if type(app.focused).__name__ == "TickBox":
                break
        await settle(pilot, app)
        assert type(app.focused).__name__ == "TickBox"
        x, y = app.cursor_position
        assert lines(app)[y][x - 3 : x + 2] in ("> [x]", "> [ ]"), lines(app)[y]
