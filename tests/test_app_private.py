"""Private answers, whose name is on the pages, and missing folders, as a person meets them in the app."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Checkbox, Input, Static

from app_support import make_app
from export_fixtures import answered, builtin, write_progress
from safeground.export.text import PRIVATE_MARK
from safeground.screens.confirm_folder import ConfirmCreateFolder
from safeground.screens.print_dialog import PrintDialog
from safeground.screens.review import PRIVATE_NOTE, ReviewScreen

SIZE = (100, 30)
SECRET = "Zebra-secret: I keep quiet because I am scared"


def _data_with_secret(data_dir: Path, profile: str = "default") -> None:
    workbook = builtin()
    progress = answered(workbook)
    progress.set(workbook, "when-you-disagree", "respect-in-conflict", "hard-to-say", SECRET)
    write_progress(data_dir, workbook, progress, profile=profile)


async def _open_dialog(app, pilot) -> PrintDialog:
    await pilot.press("f2")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PrintDialog)
    return app.screen


async def _save(app, pilot, target: Path) -> None:
    """Type the path in the dialog and press Enter there, as a person would."""
    path = app.screen.query_one("#print-path", Input)
    path.value = str(target)
    path.focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_dialog_leaves_private_answers_out_unless_the_box_is_ticked(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    _data_with_secret(tmp_path / "data")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        box = dialog.query_one("#print-private", Checkbox)
        assert str(box.label) == "Include private answers (3 questions marked private)"
        assert box.value is False
        await _save(app, pilot, tmp_path / "shared.md")
        assert not isinstance(app.screen, PrintDialog), "Enter in the path box saves"
        dialog = await _open_dialog(app, pilot)
        assert dialog.query_one("#print-private", Checkbox).value is False, "unticked each time"
        dialog.query_one("#print-private", Checkbox).value = True
        await _save(app, pilot, tmp_path / "mine.md")
        said = [n.message for n in app._notifications if "Saved" in n.message]
    # said in words too: the box's tick shows only by colour
    assert said[0].endswith("Private answers were left out.") and said[1].endswith("Private answers are included.")
    shared = (tmp_path / "shared.md").read_text(encoding="utf-8")
    assert shared.startswith("# "), "the .md name asked for Markdown, over the PDF the dialog starts with"
    assert SECRET not in shared and "Has your partner ever hurt" not in shared
    mine = (tmp_path / "mine.md").read_text(encoding="utf-8")
    assert SECRET in mine and "Has your partner ever hurt" in mine


async def test_the_name_on_the_pages_is_the_profile_unless_changed_or_emptied(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    _data_with_secret(tmp_path / "data", profile="robin")
    app = make_app(tmp_path / "data", profile="robin")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        assert dialog.query_one("#print-name", Input).value == "robin"
        await _save(app, pilot, tmp_path / "named.txt")
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#print-name", Input).value = "Robin [b]Lee[/b]"
        await _save(app, pilot, tmp_path / "renamed.txt")
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#print-name", Input).value = ""
        await _save(app, pilot, tmp_path / "nameless.txt")
    assert "Answered by robin" in (tmp_path / "named.txt").read_text(encoding="utf-8")
    assert "Answered by Robin [b]Lee[/b]" in (tmp_path / "renamed.txt").read_text(encoding="utf-8")
    assert "Answered by" not in (tmp_path / "nameless.txt").read_text(encoding="utf-8")


async def test_the_default_profile_puts_no_name_on_the_pages(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    _data_with_secret(tmp_path / "data")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        assert dialog.query_one("#print-name", Input).value == ""


async def test_a_missing_folder_is_created_only_when_the_person_says_so(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    _data_with_secret(tmp_path / "data")
    folder = tmp_path / "therapy" / "spring"
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot)
        await _save(app, pilot, folder / "pages.txt")
        assert isinstance(app.screen, ConfirmCreateFolder)
        assert f"{folder} doesn't exist yet" in str(app.screen.query_one("#folder-text", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog) and app.focused is app.screen.query_one("#print-path")
        assert not folder.parent.exists(), "nothing is created unasked"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCreateFolder)
        await pilot.press("enter")  # "Create it" is focused
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmCreateFolder, PrintDialog))
    assert (folder / "pages.txt").read_text(encoding="utf-8").count("Answered by") == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_review_shows_private_answers_marked(tmp_path):
    _data_with_secret(tmp_path / "data")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
    assert SECRET in text and "Has your partner ever hurt" in text
    assert text.count(PRIVATE_MARK) == 3
    assert PRIVATE_NOTE in " ".join(text.split())
