"""Snapshots of the main screens, at 80×24 and 120×40, compared as SVG text.

Update after an intended visual change with ``pytest tests/test_snapshots.py --snapshot-update`` and
look at the new SVGs (docs/development.md says how) before committing them.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app_support import KINDS_WORKBOOK, make_app, open_page, stop_blinking
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.storage import ProgressStore

SIZES = [(80, 24), (120, 40)]
COMPLETED_ON = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
#: A fixed folder, because the first-run note shows the progress file's path.
SNAPSHOT_DATA = Path("/tmp/safeground-snapshot-data")


@pytest.fixture
def data_dir(tmp_path):
    """A folder of this test's own. Only the first-run note shows the folder's path; the other
    screens share no folder with runs in other checkouts (one of those holding the profile's
    lock put "Not saved yet: already open" on the screenshots)."""
    return tmp_path


@pytest.fixture
def fixed_data_dir():
    shutil.rmtree(SNAPSHOT_DATA, ignore_errors=True)
    SNAPSHOT_DATA.mkdir(parents=True)
    yield SNAPSHOT_DATA
    shutil.rmtree(SNAPSHOT_DATA, ignore_errors=True)


def prefill(data_dir: Path, workbook_dir: Path | None, answers: dict) -> None:
    """Write a progress file as if someone had answered these questions."""
    workbook = load_workbook(workbook_dir)
    store = ProgressStore(data_dir, "default", workbook.id)
    progress = Progress(workbook.id, workbook.version)
    for (chapter, page, field), value in answers.items():
        # A fixed day, so the "Completed ..." footers of the review read the same every day.
        progress.set(workbook, chapter, page, field, value, now=COMPLETED_ON)
    store.save(progress)


def settled(before=None):
    """A run_before that waits for saves to land (the header says "Saved") and stops cursor blink."""

    async def run_before(pilot):
        app = pilot.app
        await pilot.pause()
        if before is not None:
            await before(pilot)
            await pilot.pause()
        if app.session is not None:
            app.session.save_and_wait(timeout=5)
        await pilot.pause()
        await pilot.pause()
        stop_blinking(app)
        await pilot.pause()

    return run_before


HALF_DONE = {
    ("what-safety-is", "safety-and-security", "focus"): "both",
    ("what-safety-is", "safety-and-security", "why-now"): "We keep having the same argument about chores.",
    ("what-safety-is", "body-check", "trusted-body"): ["shoulders-drop", "warmth"],
    ("what-safety-is", "body-check", "partner-body"): ["warmth", "tension"],
    ("friend-lens", "friendship-first", "calm-closeness"): 7,
}

KIND_ANSWERS = {
    ("kinds", "text", "name"): "Sam",
    ("kinds", "long-text", "story"): "We met at a friend's party.\nThey made everyone laugh.",
    ("kinds", "choice", "safe-to-speak"): "sometimes",
    ("kinds", "checklist", "body"): ["shoulders", "warmth"],
    ("kinds", "scale", "closeness"): 7,
    ("kinds", "statements", "tenets"): {"one-topic": 4},
    ("kinds", "list", "appreciations"): ["Kind to strangers", "[bold]Funny[/bold]"],
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_fresh(snap_compare, data_dir, size):
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_half_done(snap_compare, data_dir, size):
    prefill(data_dir, None, HALF_DONE)
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("page", ["text", "long-text", "choice", "checklist", "scale", "statements", "list"])
def test_page_of_each_kind(snap_compare, data_dir, page, size):
    prefill(data_dir, KINDS_WORKBOOK, KIND_ANSWERS)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)

    async def open_the_page(pilot):
        await open_page(pilot, pilot.app, "kinds", page)

    assert snap_compare(app, terminal_size=size, run_before=settled(open_the_page))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_support(snap_compare, data_dir, size):
    assert snap_compare(make_app(data_dir), terminal_size=size, press=["f1"], run_before=settled())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run(snap_compare, fixed_data_dir, size):
    assert snap_compare(make_app(fixed_data_dir, welcomed=False), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, data_dir, size):
    prefill(data_dir, KINDS_WORKBOOK, KIND_ANSWERS)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    assert snap_compare(app, terminal_size=size, press=["ctrl+r"], run_before=settled())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_print_dialog(snap_compare, data_dir, size, monkeypatch):
    import safeground.export as export
    from safeground.export import Printer

    monkeypatch.setattr(export, "list_printers", lambda: [Printer("Office", True, "idle")])
    prefill(data_dir, KINDS_WORKBOOK, KIND_ANSWERS)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)

    async def open_dialog(pilot):
        await pilot.press("f2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.screen.query_one("#print-path").value = "~/safe-ground-pages.pdf"

    assert snap_compare(app, terminal_size=size, run_before=settled(open_dialog))


# -- without colour ------------------------------------------------------------------------------


def without_colour(app, monkeypatch):
    """``app`` as a terminal with NO_COLOR shows it.

    NO_COLOR is set before the app is made (Textual reads it then); Textual strips the colours
    in its output filter, which its SVG export does not go through, so the export here is taken
    the same way with the colours stripped by Rich: bold, underline and reverse stay, as they do
    on the terminal."""
    import io

    from rich.console import Console

    def export_screenshot(*, title: str | None = None, simplify: bool = False) -> str:
        width, height = app.size
        console = Console(
            width=width,
            height=height,
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            record=True,
            legacy_windows=False,
            safe_box=False,
            no_color=True,
        )
        update = app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens, simplify=simplify
        )
        console.print(update)
        return console.export_svg(title=title or app.title)

    app.export_screenshot = export_screenshot
    return app


@pytest.mark.parametrize("page", ["text", "long-text", "choice", "checklist", "scale", "statements", "list"])
def test_page_of_each_kind_without_colour(snap_compare, data_dir, page, monkeypatch):
    """What is chosen, and where the focus is, read in glyphs: (•), [x], [7], '> '."""
    monkeypatch.setenv("NO_COLOR", "1")
    prefill(data_dir, KINDS_WORKBOOK, KIND_ANSWERS)
    app = without_colour(make_app(data_dir, workbook_dir=KINDS_WORKBOOK), monkeypatch)

    async def open_the_page(pilot):
        await open_page(pilot, pilot.app, "kinds", page)

    assert snap_compare(app, terminal_size=(80, 24), run_before=settled(open_the_page))


def test_home_half_done_without_colour(snap_compare, data_dir, monkeypatch):
    """Begun and untouched chapters differ by their counts and by the bars' shapes."""
    monkeypatch.setenv("NO_COLOR", "1")
    prefill(data_dir, None, HALF_DONE)
    app = without_colour(make_app(data_dir), monkeypatch)

    async def into_the_list(pilot):
        await pilot.press("tab")

    assert snap_compare(app, terminal_size=(80, 24), run_before=settled(into_the_list))


COMPARE_MINE = {
    ("what-safety-is", "safety-and-security", "focus"): "both",
    ("what-safety-is", "safety-and-security", "why-now"): "We keep having the same argument about chores.",
    ("what-safety-is", "body-check", "trusted-body"): ["shoulders-drop", "warmth"],
    ("what-safety-is", "body-check", "partner-body"): ["warmth", "tension"],
    ("friend-lens", "friendship-first", "calm-closeness"): 7,
    ("friend-lens", "brick-by-brick", "pace"): "about-right",
}
#: A partner's share file: differences of every sort, a name with markup, and a page only they answered.
COMPARE_THEIRS = """\
format = "safeground-share"
format_version = 1
workbook = "safe-ground"
workbook_version = "1.0.0"
shared = 2026-03-12
name = "Alex [b]"

[answers.what-safety-is.safety-and-security]
focus = "safety"
why-now = "I want us to [bold]fight less[/] and laugh more."

[answers.what-safety-is.body-check]
trusted-body = ["warmth", "slower-breath"]
partner-body = ["warmth"]

[answers.friend-lens.friendship-first]
calm-closeness = 4

[answers.friend-lens.just-a-friend]
appreciations = ["Kind to strangers"]
"""


@pytest.mark.parametrize("no_color", [False, True], ids=["color", "no-color"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_screen(snap_compare, data_dir, size, no_color, monkeypatch, tmp_path):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    prefill(data_dir, None, COMPARE_MINE)
    # Not in the shared snapshot folder: its path is never shown, and a folder of its own can't
    # be emptied by another run of the snapshots meanwhile.
    share = tmp_path / "from-alex.toml"
    share.write_text(COMPARE_THEIRS, encoding="utf-8")
    app = make_app(data_dir)
    if no_color:
        app = without_colour(app, monkeypatch)

    async def until_on_top(pilot, screen_type):
        for _ in range(200):
            # On top and mounted: pushed is not yet composed on a busy machine.
            if isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted:
                return
            await pilot.pause()

    async def open_compare(pilot):
        from safeground.screens.compare import CompareScreen
        from safeground.screens.share_dialog import FileDialog

        pilot.app.settings.notes_seen = ["compare"]
        await pilot.press("f5")
        await until_on_top(pilot, FileDialog)
        pilot.app.screen.query_one("#file-path").value = str(share)
        await pilot.press("enter")
        await until_on_top(pilot, CompareScreen)

    assert snap_compare(app, terminal_size=size, run_before=settled(open_compare))
