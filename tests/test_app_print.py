"""Review and the print dialog, as a person uses them from the app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from app_support import KINDS_WORKBOOK, make_app, open_page, settle
from safeground.export import Printer, PrintResult
from safeground.screens.chapter import ChapterScreen
from safeground.screens.confirm_folder import ConfirmCreateFolder
from safeground.screens.confirm_replace import ConfirmReplace
from safeground.screens.print_dialog import PrintDialog
from safeground.screens.review import ReviewScreen

SIZE = (100, 30)


def review_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def fill_text_and_list(app, pilot, name: str = "Sam <b>&amp;</b> [bold]x[/]") -> None:
    await open_page(pilot, app, "kinds", "text")
    await pilot.press(*name)
    await settle(pilot, app)
    await open_page(pilot, app, "kinds", "list")
    await pilot.press(*"Funny", "enter")
    await settle(pilot, app)


async def test_review_shows_completed_pages_literally_and_drafts_on_request(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot)
        await open_page(pilot, app, "kinds", "statements")
        await pilot.press("3")  # one of two statements: started, not complete
        await settle(pilot, app)
        await pilot.press("ctrl+o", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = review_text(app)
        assert "Sam <b>&amp;</b> [bold]x[/]" in text, "answers show exactly as typed"
        assert "Funny" in text
        assert "We stick to one topic" not in text, "unfinished pages stay out by default"
        await pilot.press("d")
        await pilot.pause()
        text = review_text(app)
        assert "DRAFT" in text and "We stick to one topic" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_review_from_a_chapter_shows_that_chapter_and_says_when_nothing_is_done(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.chapter_ids == ["what-safety-is"]
        assert "Nothing to show yet" in review_text(app)


async def test_print_dialog_saves_a_file_in_the_chosen_format(tmp_path):
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    target = tmp_path / "out" / "pages.pdf"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot, name="<script>alert(1)</script>")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog)
        assert "can be read by anyone" in str(app.screen.query_one("#print-reminder").render())
        app.screen.query_one("#print-path", Input).value = str(target)
        app.screen.query_one("#print-format", Select).value = "html"
        await pilot.pause()
        assert app.screen.query_one("#print-path", Input).value.endswith("pages.html")
        await pilot.click("#print-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, PrintDialog)
        assert any("pages.html" in n.message and "Saved 2 pages" in n.message for n in app._notifications)
    html = (tmp_path / "out" / "pages.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert (tmp_path / "out" / "pages.html").stat().st_mode & 0o777 == 0o600


async def test_print_dialog_sends_to_the_chosen_printer_and_names_the_job(tmp_path, monkeypatch):
    import safeground.export as export

    sent = {}
    monkeypatch.setattr(
        export, "list_printers", lambda: [Printer("Office", True, "idle"), Printer("Home", False, "idle")]
    )

    def fake_print(workbook, progress, chapters, drafts, profile, printer, *, include_private, name, region=None):
        sent.update(chapters=chapters, drafts=drafts, printer=printer, answer=progress.get("kinds", "text", "name"))
        sent.update(include_private=include_private, name=name, region=region)
        return PrintResult("Home-42", printer, 2)

    monkeypatch.setattr(export, "print_pages", fake_print)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#to-printer")
        await pilot.pause()
        select = app.screen.query_one("#print-printer", Select)
        assert not select.disabled and select.value == "Office"
        select.value = "Home"
        await pilot.click("#print-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Home-42" in n.message for n in app._notifications)
    assert sent == {
        "chapters": ["kinds"],
        "drafts": False,
        "printer": "Home",
        "answer": "Sam <b>&amp;</b> [bold]x[/]",
        "include_private": False,
        "name": None,
        "region": "us",  # the pages end with the support lines the app shows
    }


async def test_print_dialog_without_printers_says_so_and_keeps_file_saving(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#to-printer")
        await pilot.pause()
        select = app.screen.query_one("#print-printer", Select)
        assert select.disabled and "No printers found" in str(select.prompt)
        await pilot.click("#print-go")
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog)
        assert any("No printer" in n.message for n in app._notifications)


async def test_print_dialog_with_nothing_complete_explains_instead_of_failing(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#print-path", Input).value = str(tmp_path / "x.pdf")
        await pilot.click("#print-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog), "the dialog stays open to try other choices"
        assert any(n.severity == "warning" for n in app._notifications)
    assert not (tmp_path / "x.pdf").exists()


async def test_palette_offers_review_and_print(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Review pages" in titles and "Print or save pages…" in titles


async def test_review_never_sends_escape_sequences_from_answers_to_the_terminal(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        app.focused.insert_text_at_cursor("calm\x1b[2Jcleared\x07\x00")
        await settle(pilot, app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        text = review_text(app)
        assert "calm" in text and "cleared" in text
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text


async def save_from_the_dialog_with_keys(app, pilot, target: Path) -> None:
    """Open the dialog, type the path, and press Save, all from the keyboard."""
    await pilot.press("f2")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PrintDialog)
    app.screen.query_one("#print-path", Input).value = str(target)
    app.screen.query_one("#print-go").focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_saving_over_an_existing_file_asks_first_and_escape_keeps_it(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    target = tmp_path / "out" / "safe-ground.pdf"
    target.parent.mkdir()
    target.write_bytes(b"yesterday's pages")
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot)
        await save_from_the_dialog_with_keys(app, pilot, target)
        assert isinstance(app.screen, ConfirmReplace), "asks before replacing"
        assert str(target) in str(app.screen.query_one("#replace-text").render())
        await pilot.press("enter")  # the focused answer is the safe one: keep the file
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog)
        assert target.read_bytes() == b"yesterday's pages"
        assert app.focused is app.screen.query_one("#print-path"), "ready for another name"
        app.screen.query_one("#print-go").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplace)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog) and not app.screen.query_one("#print-go").disabled
    assert target.read_bytes() == b"yesterday's pages"
    assert sorted(p.name for p in target.parent.iterdir()) == ["safe-ground.pdf"]


async def test_saving_over_an_existing_file_replaces_it_when_asked_with_the_keyboard(tmp_path, monkeypatch):
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [])
    target = tmp_path / "out" / "safe-ground.pdf"
    target.parent.mkdir()
    target.write_bytes(b"yesterday's pages")
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot)
        await save_from_the_dialog_with_keys(app, pilot, target)
        assert isinstance(app.screen, ConfirmReplace)
        await pilot.press("right", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmReplace, PrintDialog))
        assert any("Saved 2 pages" in n.message and str(target) in n.message for n in app._notifications)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in target.parent.iterdir()) == ["safe-ground.pdf"]


async def test_paths_that_look_like_markup_are_shown_as_they_are(tmp_path, monkeypatch):
    """``[/]`` in a notice parsed as markup raises MarkupError and ends the app."""
    import safeground.export as export

    monkeypatch.setattr(export, "list_printers", lambda: [Printer("Office[/]", True, "idle")])
    (tmp_path / "notes[").mkdir()
    target = tmp_path / "notes[/]pages.pdf"  # the file "]pages.pdf" in the folder "notes["
    app = make_app(tmp_path / "data", workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await fill_text_and_list(app, pilot)
        (tmp_path / "no[").write_text("a file, where the folder would go")
        await save_from_the_dialog_with_keys(app, pilot, tmp_path / "no[/]such" / "pages.pdf")
        assert isinstance(app.screen, ConfirmCreateFolder)
        assert "no[/]such doesn't exist yet" in str(app.screen.query_one("#folder-text").render())
        await pilot.press("enter")  # create it: it can't be, a file is in the way
        await pilot.pause()
        assert isinstance(app.screen, PrintDialog), "the dialog stays open to try again"
        assert any("Could not create" in n.message and "no[/]such" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        await save_from_the_dialog_with_keys(app, pilot, target)
        assert not isinstance(app.screen, PrintDialog)
        assert any(f"Saved 2 pages to {target}." == n.message for n in app._notifications)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Office[/] (default)" in str(app.screen.query_one("#print-printer", Select).query_one("#label").render())
        target.unlink()
        await pilot.press("escape")
        await pilot.pause()
        await save_from_the_dialog_with_keys(app, pilot, target)  # again, to a file that is there
        target.write_bytes(b"kept")
        await save_from_the_dialog_with_keys(app, pilot, target)
        assert isinstance(app.screen, ConfirmReplace)
        assert f"{target} already exists" in str(app.screen.query_one("#replace-text").render())
        await pilot.press("escape")
        await pilot.pause()
    assert target.read_bytes() == b"kept"


async def test_at_80x24_the_whole_print_dialog_is_in_sight_without_scrolling(tmp_path):
    """Where the pages go and whose name is on them are seen before Save, not found by scrolling."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, PrintDialog):
                break
        screen = "\n".join("".join(s.text for s in strip) for strip in app.screen._compositor.render_strips())
        for what in ("Where to", "A file", ".pdf", "Name on the pages", "can be read by anyone", "Save", "Cancel"):
            assert what in screen, f"{what!r} is not in sight:\n{screen}"
