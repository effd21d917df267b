"""The lock screen in the app, through Pilot: nothing before the passphrase, calm wrong tries,
support and the quick exit there, the idle auto-lock and the way back to the same field."""

from __future__ import annotations

from textual.widgets import Input

from app_support import KINDS_WORKBOOK, open_page
from safeground import vault
from safeground.app import QUICK_EXIT, SafeGroundApp
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.screens.chapter import ChapterScreen
from safeground.screens.home import HomeScreen
from safeground.screens.lock import LockScreen
from safeground.screens.support import SupportScreen
from safeground.settings import Settings
from safeground.storage import ProgressStore

SIZE = (100, 30)
FAST = vault.KdfParams(vault.KDF_ARGON2ID, 8, 1, 1)
PROBE = "amber-kettle-5120"


def locked_app(data_dir, *, idle_lock: float | None = None) -> SafeGroundApp:
    """A locked profile (passphrase "open sesame") with one answer, and the app on it."""
    workbook = load_workbook(KINDS_WORKBOOK)
    store = ProgressStore(data_dir, "default", workbook.id)
    store.key = vault.Key.new("open sesame", FAST)
    Settings(welcomed=True).save(store.profile_dir, store.key)
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, "kinds", "text", "name", PROBE)
    store.save(progress)
    store.forget_key()
    return SafeGroundApp(workbook, ProgressStore(data_dir, "default", workbook.id), animate=False, idle_lock=idle_lock)


async def wait_for(pilot, condition, tries: int = 400) -> None:
    """Let the app run until ``condition()`` holds (each pause is one turn of its loop)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


def field_of(widget) -> str | None:
    """The id of the question whose control ``widget`` is."""
    from safeground.widgets.base import FieldWidget

    for node in widget.ancestors_with_self:
        if isinstance(node, FieldWidget):
            return node.field.id
    return None


def screen_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static, Label"))


async def unlock(pilot, app, passphrase: str = "open sesame") -> None:
    # The lock screen is on top as soon as it is pushed; its field comes when it is composed (on a
    # busy machine, some turns later).
    await wait_for(pilot, lambda: isinstance(app.screen, LockScreen) and bool(app.screen.query(Input)))
    field = app.screen.query_one(Input)
    field.value = passphrase
    await pilot.press("enter")


async def test_opens_on_the_lock_screen_and_wrong_tries_are_calm(tmp_path):
    app = locked_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        assert app.session is None and not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert PROBE not in screen_text(app) and "Kinds" not in screen_text(app)
        # F1 support works here, and comes back to the lock.
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, SupportScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        lock_screen = app.screen
        assert isinstance(lock_screen, LockScreen)
        for attempt in range(1, 4):
            await unlock(pilot, app, f"guess {attempt}")
            await wait_for(pilot, lambda tries=attempt: lock_screen.wrong_tries == tries)
        assert "didn't open" in screen_text(app)
        # The third wrong try: a wait before the next, the field closed meanwhile.
        assert lock_screen.waiting and lock_screen.query_one(Input).disabled
        assert app.session is None and app.store.key is None
        lock_screen._wait_over()  # the timer's work, without waiting out its seconds
        await unlock(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.session is not None and app.session.progress.get("kinds", "text", "name") == PROBE


async def test_idle_lock_saves_clears_and_returns_to_the_same_field(tmp_path):
    app = locked_app(tmp_path, idle_lock=0.4)
    # Passed in at start (the check runs every 0.1 s), and raised while the test moves around, so
    # a slow turn of a busy machine can't count as idle before the answer is typed.
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        app.idle_lock = 3600
        await unlock(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await open_page(pilot, app, "kinds", "long-text")
        await pilot.press("tab")
        assert field_of(app.focused) == "extra"  # the second question, not the one a page opens on
        await pilot.press(*"typed before the lock")
        app.idle_lock = 0.4
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        app.idle_lock = 3600
        # Saved (sealed), the key dropped, nothing of the workbook left on the stack.
        assert app.store.key is None and app.session is None
        assert len(app.screen_stack) == 2  # Textual's empty default screen, then the lock
        store = ProgressStore(tmp_path, "default", app.workbook.id)
        store.unlock("open sesame")
        saved = store.load(app.workbook)
        assert saved.get("kinds", "long-text", "extra") == "typed before the lock"
        await unlock(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterScreen) and app.focused is not None)
        assert app.screen.page.id == "long-text"
        assert field_of(app.focused) == "extra"


async def test_quick_exit_drops_the_key(tmp_path):
    app = locked_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await unlock(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.store.key is not None
        await pilot.press("f12")
    assert app.return_value == QUICK_EXIT
    assert app.store.key is None
