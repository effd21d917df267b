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
