"""Helpers for the app's Pilot and snapshot tests (kept out of conftest so they can be imported)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from safeground.loader import load_workbook
from safeground.settings import Settings
from safeground.storage import ProgressStore

KINDS_WORKBOOK = Path(__file__).parent / "data" / "kinds-workbook"


def make_app(data_dir: Path, *, workbook_dir: Path | None = None, profile: str = "default", welcomed: bool = True):
    """A SafeGroundApp on ``data_dir``, without animations; the welcome note already seen unless asked."""
    from safeground.app import SafeGroundApp

    workbook = load_workbook(workbook_dir)
    store = ProgressStore(data_dir, profile, workbook.id)
    if welcomed:
        settings = Settings.load(store.profile_dir)
        settings.welcomed = True
        settings.region = settings.region or "us"  # the lines the app tests read, whatever the locale
        settings.save(store.profile_dir)
    # The first-run note pre-selects the region: the same one whatever the machine's locale.
    return SafeGroundApp(workbook, store, animate=False, region=None if welcomed else "us")


def saved(data_dir: Path, workbook_id: str = "safe-ground", profile: str = "default") -> dict[str, Any]:
    """The progress file as a person would read it."""
    path = data_dir / profile / f"{workbook_id}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def answers(data_dir: Path, workbook_id: str = "safe-ground", profile: str = "default") -> dict[str, Any]:
    return saved(data_dir, workbook_id, profile).get("answers", {})


def stop_blinking(app) -> None:
    """Cursors that blink make snapshots differ from run to run."""
    from textual.widgets import Input, TextArea

    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False


async def settle(pilot, app) -> None:
    """Let pending messages run and hand any typing to the writer, then wait for the disk."""
    await pilot.pause()
    await pilot.pause()
    if app.session is not None:
        app.session.save_and_wait(timeout=5)


async def open_page(pilot, app, chapter_id: str, page_id: str) -> None:
    """Open a page and wait until it is shown as a person would see it: the cursor in it, or, in
    read-only mode (where nothing takes the cursor), its fields built and closed to typing."""
    from safeground.screens.chapter import ChapterScreen
    from safeground.widgets.base import FieldWidget

    def ready(screen) -> bool:
        if not isinstance(screen, ChapterScreen) or screen.page.id != page_id or screen.shown is None:
            return False
        if screen.session.read_only:
            fields = list(screen.shown.query(FieldWidget))
            return bool(fields) and all(field.disabled for field in fields)
        focused = app.focused
        return focused is not None and focused.screen is screen and screen.shown in focused.ancestors

    app.open_page(chapter_id, page_id)
    for _ in range(50):
        await pilot.pause()
        if ready(app.screen):
            return
    raise AssertionError(f"page {chapter_id}/{page_id} did not open")
