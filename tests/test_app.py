"""The app as a person uses it: start, type, leave, come back; every field kind; the safety keys."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from textual.widgets import Button, Input, RadioSet, SelectionList, TextArea

from app_support import KINDS_WORKBOOK, answers, make_app, open_page, saved, settle
from safeground.app import QUICK_EXIT
from safeground.screens.chapter import ChapterScreen
from safeground.screens.home import HomeScreen
from safeground.screens.problem import ProblemScreen
from safeground.screens.support import SupportScreen
from safeground.screens.too_small import TooSmallScreen
from safeground.screens.welcome import WelcomeScreen
from safeground.settings import Settings
from safeground.storage import ProgressStore
from safeground.widgets.scale_points import ScalePoints

SIZE = (100, 30)


async def test_type_quit_relaunch_resumes_in_the_same_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert str(app.focused.label) == "Start"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        # The first page asks a choice first; move to the optional long answer and type there.
        await pilot.press("tab")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"It started with a small fight.")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
    assert answers(tmp_path)["what-safety-is"]["safety-and-security"]["why-now"] == "It started with a small fight."

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(app.focused.label).startswith("Continue: What emotional safety is")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        assert app.focused.text == "It started with a small fight."


async def test_text_field_by_keyboard_and_enter_moves_on(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        assert isinstance(app.focused, Input)
        await pilot.press(*"Sam")
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.focused, Input)
    assert answers(tmp_path, "kinds")["kinds"]["text"]["name"] == "Sam"
    assert saved(tmp_path, "kinds")["completed"]["kinds"]["text"]


async def test_long_text_keeps_paragraphs_and_tab_moves_focus(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"First.", "enter", *"Second.")
        await pilot.press("tab")
        assert isinstance(app.focused, Input), "Tab leaves the text area instead of inserting a tab"
        await pilot.press(*"more")
        await settle(pilot, app)
    page = answers(tmp_path, "kinds")["kinds"]["long-text"]
    assert page == {"story": "First.\nSecond.", "extra": "more"}


async def test_choice_by_keyboard_and_by_mouse(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "choice")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # highlight the second option, choose it
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["choice"]["safe-to-speak"] == "sometimes"
        buttons = list(app.screen.query("RadioButton"))
        await pilot.click(buttons[0])
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["choice"]["safe-to-speak"] == "yes"


async def test_checklist_by_keyboard_and_by_mouse(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "checklist")
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space", "down", "down", "space")
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["checklist"]["body"] == ["shoulders", "warmth"]
        selection = app.screen.query_one(SelectionList)
        await pilot.click(selection, offset=(4, 2))  # the second option's row
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["checklist"]["body"] == ["shoulders", "stomach", "warmth"]


async def test_scale_by_arrow_keys_digits_and_mouse(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "scale")
        assert isinstance(app.focused, ScalePoints)
        await pilot.press("right", "right", "right")
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["scale"]["closeness"] == 3
        await pilot.press("7")
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["scale"]["closeness"] == 7
        points = app.screen.query_one(ScalePoints)
        await pilot.click(points, offset=points.point_offset(10))
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["scale"]["closeness"] == 10
        await pilot.press("delete")
        await settle(pilot, app)
    assert "kinds" not in answers(tmp_path, "kinds"), "clearing the only answer leaves no answer behind"


async def test_statements_rated_row_by_row(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "statements")
        await pilot.press("4", "tab")
        rows = list(app.screen.query(ScalePoints))
        assert app.focused is rows[1]
        await pilot.click(rows[1], offset=rows[1].point_offset(2))
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen)
        assert app.screen.shown.has_class("-complete")
    assert answers(tmp_path, "kinds")["kinds"]["statements"]["tenets"] == {"one-topic": 4, "no-yelling": 2}


async def test_list_add_edit_and_remove(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "list")
        assert "list-add--text" in app.focused.classes
        await pilot.press(*"Kind to strangers", "enter", *"Funny", "enter", *"Loyal", "enter")
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["list"]["appreciations"] == ["Kind to strangers", "Funny", "Loyal"]
        # Edit the second item in place.
        item_inputs = list(app.screen.query(".list-item--text"))
        item_inputs[1].focus()
        await pilot.press("end", *" and warm")
        await settle(pilot, app)
        assert answers(tmp_path, "kinds")["kinds"]["list"]["appreciations"][1] == "Funny and warm"
        # Remove the first by mouse, the last by keyboard (Tab to its Remove button, Enter).
        await pilot.click(app.screen.query(".list-item--remove")[0])
        await settle(pilot, app)
        app.screen.query(".list-item--text")[-1].focus()
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        # The add button works by mouse too.
        app.screen.query_one(".list-add--text").focus()
        await pilot.press(*"Patient")
        await pilot.click(".list-add--button")
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["list"]["appreciations"] == ["Funny and warm", "Patient"]


async def test_next_and_previous_move_between_pages_and_mark_completion(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        assert "Page 1 of 7" in str(app.screen.query_one("#page-where").render())
        await pilot.press(*"Sam")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.page.id == "long-text"
        await pilot.click("#previous")
        await pilot.pause()
        assert app.screen.page.id == "text"
        where = str(app.screen.query_one("#page-where").render())
        assert "✓" in where and "1/7 complete" in where
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1/7 pages" in str(app.screen.query_one(".chapter-row").render())


async def test_last_page_leads_home_and_chapters_open_from_home(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(".chapter-row")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.id == "text"
        app.screen.page_index = 6
        await app.screen.show_page(6)
        assert "Back to contents" in str(app.screen.query_one("#next").label)
        await pilot.click("#next")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("where", ["home", "chapter", "typing"])
async def test_f1_opens_support_from_every_screen(tmp_path, where):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if where != "home":
            await pilot.press("enter")
            await pilot.pause()
        if where == "typing":
            await pilot.press("tab")
            assert isinstance(app.focused, TextArea)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
        assert "1-800-799-7233" in text and "988" in text and "800-656-4673" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SupportScreen)


async def test_question_mark_opens_support_except_while_typing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        assert app.focused.text == "?"


async def test_a_support_answer_opens_support_once(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "choice")
        await pilot.press("down", "down", "enter")  # "No" lists support
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up", "enter", "down", "enter")  # away and back again
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen), "support opens once, not every time"
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["choice"]["safe-to-speak"] == "no"


async def test_an_answer_already_saved_does_not_reopen_support(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "choice")
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "choice")
        assert isinstance(app.screen, ChapterScreen)


@pytest.mark.parametrize("keys", [("escape", "escape"), ("f12",)])
async def test_quick_exit_saves_and_leaves(tmp_path, keys):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab", *"private words")
        await pilot.press(*keys)
        await pilot.pause()
    assert app.return_value == QUICK_EXIT
    assert answers(tmp_path)["what-safety-is"]["safety-and-security"]["why-now"] == "private words"


async def test_escape_presses_far_apart_do_not_quit(tmp_path, monkeypatch):
    import safeground.app as app_module

    clock = iter([100.0, 102.5])
    monkeypatch.setattr(app_module, "monotonic", lambda: next(clock))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HomeScreen)


async def test_first_run_note_is_shown_once_per_profile(tmp_path):
    for expected in (True, False):
        app = make_app(tmp_path, welcomed=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen) is expected
            if expected:
                text = str(app.screen.query_one("#welcome-text").render())
                assert "not therapy" in text and str(app.store.path) in text and "F1" in text
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, HomeScreen)
    assert Settings.load(tmp_path / "default").welcomed
    app = make_app(tmp_path, welcomed=False, profile="alex")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen), "another profile gets its own welcome"


async def test_markup_like_answers_are_stored_and_shown_literally(tmp_path):
    hostile = "[bold]loud[/] [link='x']y[/link] [/] [red"
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "list")
        await pilot.press(*hostile, "enter")
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["list"]["appreciations"] == [hostile]
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "list")
        assert app.screen.query_one(".list-item--text", Input).value == hostile


async def test_a_failed_save_is_reported_kept_and_retried(tmp_path, monkeypatch):
    import safeground.app as app_module
    import safeground.autosave as autosave

    real_write = autosave.atomic_write
    failing = {"on": True}

    def flaky_write(path, data, **kwargs):
        if failing["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(autosave, "atomic_write", flaky_write)
    monkeypatch.setattr(app_module, "RETRY_INTERVAL", 0.5)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"kept")
        await pilot.pause(1.2)
        notices = [n.message for n in app._notifications]
        assert any("No space left on device" in m and "safe" in m for m in notices)
        assert "Not saved" in app.sub_title
        failing["on"] = False
        await pilot.pause(1.6)
        assert app.sub_title.startswith("Saved")
    assert answers(tmp_path, "kinds")["kinds"]["text"]["name"] == "kept"


async def test_quitting_with_unsaved_answers_warns_and_offers_a_copy(tmp_path, monkeypatch):
    import safeground.autosave as autosave
    from safeground.screens.unsaved import UnsavedScreen

    def failing_write(path, data, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(autosave, "atomic_write", failing_write)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    copy = tmp_path / "elsewhere" / "copy.toml"
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"precious")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen)
        monkeypatch.undo()  # the copy goes through the real writer
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(copy)
        await pilot.click("#export")
        await pilot.pause()
    assert "precious" in copy.read_text(encoding="utf-8")


async def test_a_second_instance_on_the_same_profile_is_told_clearly(tmp_path):
    first = make_app(tmp_path)
    async with first.run_test(size=SIZE) as pilot_one:
        await pilot_one.pause()
        second = make_app(tmp_path)
        async with second.run_test(size=SIZE) as pilot_two:
            await pilot_two.pause()
            assert isinstance(second.screen, ProblemScreen)
            message = str(second.screen.query_one("#problem-message").render())
            advice = str(second.screen.query_one("#problem-advice").render())
            assert message.startswith("Another Safe Ground is using it, since ")
            assert "already open" not in message and "has it open" not in message, "said once, in the title"
            assert "--profile" in advice and "--profile" not in message, "each thing said once"
            buttons = [str(button.label) for button in second.screen.query(Button)]
            assert buttons == ["Open read-only", "Quit"], "nobody's open Safe Ground is offered to be ended"


def _locked_by(tmp_path, record: str) -> ProgressStore:
    """Hold the profile's lock here (a second lock on the file, as another process would) and
    make its record say ``record``."""
    store = ProgressStore(tmp_path, "default", "safe-ground")
    store.acquire_lock()
    store.lock_path.write_text(record, encoding="utf-8")
    return store


def _no_terminal_process(*argv: str) -> subprocess.Popen:
    """A live process with no terminal (its own session, nothing on a tty)."""
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.parametrize("program", ["safeground", "other"])
async def test_a_profile_held_by_a_safe_ground_without_a_terminal_says_so(tmp_path, program):
    code = "import time; time.sleep(60)" + ("  # safeground" if program == "safeground" else "")
    holder = _no_terminal_process(sys.executable, "-c", code)
    store = _locked_by(tmp_path, f"pid {holder.pid} on {os.uname().nodename} since 2025-03-01 20:15\ntty /dev/pts/77\n")
    try:
        app = make_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            message = str(app.screen.query_one("#problem-message").render())
            assert f"(pid {holder.pid})" in message and "terminal was closed" in message
            buttons = [str(button.label) for button in app.screen.query(Button)]
            if program == "safeground":
                assert buttons == ["End that Safe Ground", "Open read-only", "Quit"]
            else:  # only a Safe Ground is ever ended from here
                assert buttons == ["Open read-only", "Quit"]
    finally:
        holder.kill()
        holder.wait()
        store.release_lock()


async def test_a_lock_whose_safe_ground_is_gone_says_so(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    store = _locked_by(tmp_path, f"pid {ended.stdout.strip()} on {os.uname().nodename} since 2025-03-01 20:15\n")
    try:
        app = make_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            message = str(app.screen.query_one("#problem-message").render())
            assert "no longer running" in message and "still holds its lock" in message
            assert [str(button.label) for button in app.screen.query(Button)] == ["Open read-only", "Quit"]
    finally:
        store.release_lock()


async def test_open_read_only_shows_the_answers_and_writes_nothing(tmp_path):
    first = make_app(tmp_path)
    async with first.run_test(size=SIZE) as pilot_one:
        await open_page(pilot_one, first, "what-safety-is", "safety-and-security")
        await pilot_one.press("tab", *"mine")  # past the choice, into the long answer
        await settle(pilot_one, first)
        assert "mine" in str(answers(tmp_path))
        before = {p.name: p.read_bytes() for p in (tmp_path / "default").iterdir()}
        second = make_app(tmp_path, welcomed=False)  # the first-run note would write settings
        async with second.run_test(size=SIZE) as pilot_two:
            await pilot_two.pause()
            await pilot_two.click("#read-only")
            await pilot_two.pause()
            assert isinstance(second.screen, HomeScreen)
            assert "Read-only" in second.sub_title
            await open_page(pilot_two, second, "what-safety-is", "safety-and-security")
            areas = list(second.screen.query(TextArea))
            assert any("mine" in area.text for area in areas), "the answers are shown"
            assert all(area.is_disabled for area in areas), "and cannot be changed"
            await pilot_two.press(*"xyz")
            second.theme = "textual-light"
            await pilot_two.press("ctrl+q")
            await pilot_two.pause()
        assert {p.name: p.read_bytes() for p in (tmp_path / "default").iterdir()} == before


async def test_an_unreadable_progress_file_is_kept_and_can_be_moved_aside(tmp_path):
    profile = tmp_path / "default"
    profile.mkdir(parents=True)
    broken = profile / "safe-ground.toml"
    broken.write_bytes(b"format = 1\nanswers = [unclosed\n")
    original = broken.read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert str(broken) in str(app.screen.query_one("#problem-message").render())
        assert broken.read_bytes() == original
        await pilot.click("#move-aside")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    kept = list(profile.glob("safe-ground.toml.broken-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == original


async def test_a_small_terminal_gets_a_note_instead_of_a_broken_layout(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "80 × 24" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_profile_name_and_save_state_show_in_the_header(tmp_path):
    app = make_app(tmp_path, profile="alex")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.sub_title == "Saved · profile: alex"
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "profile" not in app.sub_title


async def test_the_chosen_theme_is_remembered(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_a_theme_chosen_on_the_already_open_screen_leaves_the_other_profile_alone(tmp_path):
    """The profile belongs to the Safe Ground that holds its lock: nothing is written into it."""
    first = make_app(tmp_path)
    async with first.run_test(size=SIZE) as pilot_one:
        await pilot_one.pause()
        settings = (tmp_path / "default" / "settings.toml").read_bytes()
        second = make_app(tmp_path, welcomed=False)
        async with second.run_test(size=SIZE) as pilot_two:
            await pilot_two.pause()
            assert isinstance(second.screen, ProblemScreen)
            second.theme = "nord"
            await pilot_two.pause()
        assert (tmp_path / "default" / "settings.toml").read_bytes() == settings


async def test_command_palette_offers_chapters_continue_and_support(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Continue where you left off" in titles and "Support resources" in titles
        assert "Go to chapter: Fighting fair" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Fighting fair")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ChapterScreen) and app.screen.chapter.id == "fighting-fair"


async def test_arrow_keys_and_enter_open_a_chapter_from_home(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        assert app.screen.chapter.id == "when-you-disagree"


async def test_text_answers_can_be_reached_by_mouse(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        await pilot.click("#field-extra Input")
        assert isinstance(app.focused, Input)
        await pilot.press(*"by mouse")
        await pilot.click("#field-story TextArea")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"clicked")
        await settle(pilot, app)
    assert answers(tmp_path, "kinds")["kinds"]["long-text"] == {"extra": "by mouse", "story": "clicked"}


@pytest.mark.parametrize("where", ["welcome", "review", "print dialog", "support"])
async def test_f1_reaches_support_from_dialogs_and_review_too(tmp_path, where, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    app = make_app(tmp_path, welcomed=where != "welcome")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {"welcome": [], "review": ["ctrl+r"], "print dialog": ["f2"], "support": ["f1"]}[where]
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
        assert "1-800-799-7233" in text


@pytest.mark.parametrize(
    "size, label",
    [
        ((80, 24), "Next chapter →"),
        # At 100 the progress bar is shown too: the name was cut to "Next chapter:".
        ((100, 30), "Next chapter →"),
        ((120, 40), "Next chapter: Through a friend's eyes →"),
    ],
)
async def test_the_last_page_leads_to_the_next_chapter_in_words_that_fit(tmp_path, size, label):
    from test_chapter_page import screen_text

    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await open_page(pilot, app, "what-safety-is", "checking-in")
        assert str(app.screen.query_one("#next").label) == label
        bar = [line for line in screen_text(app).splitlines() if "Page 6 of 6" in line]
        assert bar and label in bar[0], "the whole label is on the screen"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.chapter.id == "friend-lens"


def _burst(app, *keys: str) -> None:
    """Keys as a fast typist (or a paste) delivers them: all queued before the app runs any."""
    from textual import events

    for name in keys:
        key = events.Key(name, name if len(name) == 1 else None)
        key.set_sender(app)
        app._driver.send_message(key)


async def test_keys_typed_right_after_leaving_a_chapter_reach_the_screen_it_opens(tmp_path):
    """The chapter asks the app for the next chapter with a message; keys typed before the app has
    switched screens are for the new one, never for the page being left."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "what-safety-is", "checking-in")
        _burst(app, "ctrl+n", "4")
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.screen.chapter.id == "friend-lens"
    stored = answers(tmp_path)
    assert stored["friend-lens"]["friendship-first"]["calm-closeness"] == 4
    assert "checking-in" not in stored.get("what-safety-is", {})


async def test_review_asked_for_right_after_contents_shows_every_chapter(tmp_path):
    from safeground.screens.review import ReviewScreen

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        _burst(app, "ctrl+o", "ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen) and app.screen.chapter_ids is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_letters_typed_right_after_continue_land_in_the_page(tmp_path):
    """Enter on the home screen's continue button and straight on typing: the letters belong to
    the page that opens. They reached the button first, which dropped them (seen as a terminal
    test that typed one letter after Enter and waited a minute for it)."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen) and app.focused is not None and app.focused.id == "continue"
        _burst(app, "enter", *"Sam")
        await settle(pilot, app)
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen)
        assert isinstance(app.focused, Input) and app.focused.value == "Sam"
        # Home's fallback for a page that never opens (a second on) must not type them again.
        await pilot.pause(1.3)
        assert app.focused.value == "Sam"
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert app.focused is not None and app.focused.id == "continue", "back home, the cursor where it was"
    assert answers(tmp_path, "kinds")["kinds"]["text"]["name"] == "Sam"


async def test_letters_typed_right_after_choosing_a_chapter_land_in_its_page(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        await pilot.press("down")  # into the chapter list, on the first chapter
        await settle(pilot, app)
        _burst(app, "enter", *"Kim")
        await settle(pilot, app)
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen)
        assert isinstance(app.focused, Input) and app.focused.value == "Kim"


async def test_back_from_a_page_the_continue_button_shows_where_it_goes_in_full(tmp_path):
    """The button grew with its label: it kept the width of "Start" and read "Continue: What"."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # Start
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "ChapterScreen" and app.focused is not None:
                break
        await pilot.press("space")  # the first option of the first question
        await settle(pilot, app)
        await pilot.press("ctrl+o")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "HomeScreen":
                break
        await pilot.pause()
        drawn = "\n".join("".join(s.text for s in strip) for strip in app.screen._compositor.render_strips())
        first = app.workbook.chapters[0]
        assert f"Continue: {first.title} · {first.pages[0].title}" in drawn, drawn
