"""Text from outside shown in the app: workbook text, paths and error messages.

The loader refuses a workbook folder holding control characters, but the screens must not rely on
it: whatever a Workbook object holds (one built in code, bypassing the loader) is drawn with each
control character as a visible stand-in, and as plain text, never as markup. A notice naming a
folder called ``[/]`` used to raise MarkupError and end the app, losing what was typed since the
last save.

These tests read what the screen would send to the terminal (the compositor's strips), not the
widgets' state, so they fail wherever anything from the workbook reaches the screen raw.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.command import CommandPalette
from textual.widgets._toast import Toast

from app_support import KINDS_WORKBOOK, answers, make_app, open_page, settle
from safeground.content import Workbook
from safeground.screens.home import HomeScreen
from safeground.screens.review import ReviewScreen
from safeground.screens.support import SupportScreen
from safeground.untrusted import CONTROL

SIZE = (120, 40)
#: A clipboard write (OSC 52), a screen wipe, the one-byte C1 CSI and a bell.
HOSTILE = "\x1b]52;c;aGVsbG8=\x07 \x1b[2J \x9b31m \x07"
#: Attributes that name things rather than show them (``support`` on a field: option ids). A
#: Workbook with control characters there is not one the app could address, so they are left alone.
_NOT_SHOWN = {"id", "kind", "support", "folder", "path"}

PAGES = ["text", "long-text", "choice", "checklist", "scale", "statements", "list"]


def _hostile(value: Any) -> Any:
    """Every string the app shows, with ``HOSTILE`` added; ids and numbers left as they are."""
    if isinstance(value, str):
        return f"{value} {HOSTILE}"
    if isinstance(value, tuple):
        return tuple(_hostile(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if dataclasses.is_dataclass(item) or (field.name not in _NOT_SHOWN and isinstance(item, (str, tuple))):
                changes[field.name] = _hostile(item)
        return dataclasses.replace(value, **changes)
    return value


def _with_workbook(app, workbook: Workbook):
    """``app`` showing ``workbook``, set the way SafeGroundApp sets its own (the title too)."""
    app.workbook = workbook
    app.title = workbook.title
    return app


def _two_chapters(workbook: Workbook) -> Workbook:
    """A second chapter, so the last page's button names the next chapter's title."""
    chapter = workbook.chapters[0]
    return dataclasses.replace(workbook, chapters=(chapter, dataclasses.replace(chapter, id="more")))


def drawn(app) -> str:
    """Every character the current screen sends to the terminal, line by line."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def assert_no_controls(app, where: str) -> str:
    text = drawn(app)
    found = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text.replace("\n", ""))})
    assert not found, f"{where}: {', '.join(found)} reached the screen"
    return text


async def _wait_for(pilot, condition, what: str, seconds: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (saving and retries take real time)."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError(f"{what} did not appear within {seconds} s")


# -- a hostile Workbook object, built without the loader -------------------------------------------


async def test_every_screen_draws_hostile_workbook_text_as_stand_ins(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    workbook = _two_chapters(_hostile(app.workbook))
    _with_workbook(app, workbook)
    assert CONTROL.search(workbook.chapters[0].pages[2].fields[0].options[0].label), "test set-up"
    # Wide enough for the last page's button to name the (long, hostile) next chapter whole.
    async with app.run_test(size=(160, 40)) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        home = assert_no_controls(app, "home")
        assert "␛[2J" in home and "\ufffd31m" in home, "drawn as visible stand-ins"
        assert "Every kind of question ␛]52;c;aGVsbG8=␇" in home, "the header and the title"
        for page in PAGES:
            await open_page(pilot, app, "kinds", page)
            text = assert_no_controls(app, f"page {page}")
            assert "␛[2J" in text
        assert "Next chapter: Kinds of questions ␛]52" in text, "the next chapter's title on the last page"
        await pilot.press("f1")
        await _wait_for(pilot, lambda: isinstance(app.screen, SupportScreen), "support")
        assert "␛[2J" in assert_no_controls(app, "support")
        await pilot.press("escape")
        await pilot.pause()
        app.action_review()
        await _wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "review")
        await pilot.press("d")  # unfinished pages as drafts: every prompt and option shown
        await _wait_for(pilot, lambda: "Kinds of questions" in drawn(app), "the review's pages")
        assert_no_controls(app, "review")


async def test_the_command_palette_draws_hostile_chapter_titles_as_stand_ins(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    _with_workbook(app, _hostile(app.workbook))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("ctrl+p")
        await _wait_for(
            pilot, lambda: isinstance(app.screen, CommandPalette) and "Go to chapter" in drawn(app), "palette"
        )
        assert "␛[2J" in assert_no_controls(app, "palette")
        await pilot.press(*"Go to chapter")
        await _wait_for(pilot, lambda: "One page per field kind" in drawn(app), "the search's results")
        assert "␛[2J" in assert_no_controls(app, "palette search")


async def test_the_welcome_note_draws_a_hostile_data_folder_as_stand_ins(tmp_path):
    data_dir = tmp_path / f"answers {HOSTILE}"
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK, welcomed=False)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: "Welcome to Safe Ground" in drawn(app), "welcome")
        shown = assert_no_controls(app, "welcome")
        # Word by word: where the path wraps depends on how long the temporary folder's name is.
        for word in ("␛]52;c;aGVsbG8=␇", "␛[2J", "\ufffd31m", "␇/default/kinds.toml"):
            assert word in shown, word


# -- markup-like text is text ----------------------------------------------------------------------

MARKUP = "[bold]x[/] [/] [link=x]y[/link] back\\[red] [/x]"


async def test_markup_like_workbook_text_shows_literally_everywhere(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    workbook = app.workbook
    chapter = workbook.chapters[0]
    page = dataclasses.replace(chapter.pages[0], title=f"Page {MARKUP}")
    chapter = dataclasses.replace(
        chapter, title=f"Chapter {MARKUP}", summary=f"Summary {MARKUP}", pages=(page, *chapter.pages[1:])
    )
    _with_workbook(app, dataclasses.replace(workbook, title=f"Workbook {MARKUP}", chapters=(chapter,)))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        home = drawn(app)
        assert f"Workbook {MARKUP}" in home and f"Chapter {MARKUP}" in home and f"Summary {MARKUP}" in home
        await open_page(pilot, app, "kinds", "text")
        assert f"Page {MARKUP}" in drawn(app)
        assert f"Chapter {MARKUP}" in drawn(app), "the header"
        app.go_home()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await _wait_for(
            pilot, lambda: isinstance(app.screen, CommandPalette) and "Go to chapter" in drawn(app), "palette"
        )
        listed = drawn(app)
        assert f"Go to chapter: Chapter {MARKUP}" in listed and f"Summary {MARKUP}" in listed
        await pilot.press(*"Chapter")
        await _wait_for(pilot, lambda: "Summary [bold]" in drawn(app), "the search's results")
        assert f"Summary {MARKUP}" in drawn(app)
        assert app.is_running


# -- a notice naming a folder called "[/]" ---------------------------------------------------------


async def test_a_save_failure_in_a_folder_named_like_markup_is_shown_and_the_answer_kept(tmp_path):
    """A data folder named "[/]" (or "[/x]"): the "couldn't save" notice raised MarkupError and
    ended the app, losing what had been typed since the failure."""
    data_dir = tmp_path / "notes [/] and [/x]" / "[b]answers"
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    profile = data_dir / "default"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await open_page(pilot, app, "kinds", "text")
        await settle(pilot, app)
        # The folder can no longer be written: a file stands where it was (a read-only folder
        # would do, but not for root, who may write anywhere).
        profile.rename(profile.with_name("away"))
        profile.write_text("not a folder", encoding="utf-8")
        await pilot.press(*"Sam")
        await _wait_for(pilot, lambda: "Not saved yet" in drawn(app), "the notice")
        notice = assert_no_controls(app, "the notice")
        assert app.is_running
        assert "Not saved yet" in notice
        shown = app.screen.query_one(Toast).render().plain
        assert f"{profile} is a file, not a folder" in shown, "the folder's name as it is"
        assert shown.count(str(profile)) == 1, "the folder named once"
        assert "Not saved" in app.sub_title
        profile.unlink()
        profile.with_name("away").rename(profile)
        await _wait_for(pilot, lambda: app.sub_title.startswith("Saved"), "saved again")
        await _wait_for(pilot, lambda: "Your answers are saved again." in drawn(app), "the notice that says so")
    assert answers(data_dir, "kinds")["kinds"]["text"]["name"] == "Sam"


async def test_saving_a_copy_to_a_path_named_like_markup_when_quitting(tmp_path, monkeypatch):
    """The unsaved-answers dialog names the path typed for the copy in its notices: a path with
    "[/]" in it ended the app there too, with the answers unsaved."""
    import errno

    from textual.widgets import Button, Input

    import safeground.autosave as autosave
    from safeground.screens.unsaved import UnsavedScreen

    def failing_write(path, data, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(autosave, "atomic_write", failing_write)
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    blocked = tmp_path / "[/] not a folder"  # "[" is a folder; "] not a folder" a file in it
    blocked.parent.mkdir()
    blocked.write_text("a file", encoding="utf-8")
    copy = tmp_path / "copies [/x]" / "[b]copy.toml"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"precious", "ctrl+q")
        await _wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen), "the unsaved dialog")
        monkeypatch.undo()  # the copy goes through the real writer
        app.screen.query_one("#export-path", Input).value = str(blocked / "copy.toml")
        await pilot.click("#export")
        notices = lambda: "\n".join(toast.render().plain for toast in app.screen.query(Toast))  # noqa: E731
        await _wait_for(pilot, lambda: "Couldn't write" in notices(), "the notice")
        assert f"Couldn't write {blocked / 'copy.toml'}: File exists" in notices()
        assert app.is_running and isinstance(app.screen, UnsavedScreen)
        app.screen.query_one("#export-path", Input).value = str(copy)
        # By keyboard: the "Couldn't write" notice can lie over the button, and a click there
        # dismisses the notice instead.
        app.screen.query_one("#export", Button).focus()
        # A button ignores a second press during its 0.2 s "pressed" look.
        await _wait_for(pilot, lambda: not app.focused.has_class("-active"), "the button to be ready")
        await pilot.press("enter")
        await _wait_for(pilot, lambda: not app.is_running, "the app to end")
    assert "precious" in copy.read_text(encoding="utf-8")
