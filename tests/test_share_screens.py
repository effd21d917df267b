"""The share dialog, the compare screen and the safety note, by keyboard (Pilot). Few and quick:
what they write and show is tested in the core tests (test_share.py, test_compare.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Input, SelectionList, Static

from app_support import make_app
from export_fixtures import answered, builtin, write_progress
from safeground.screens.compare import CompareScreen
from safeground.screens.share_dialog import FileDialog, SafetyNote, ShareDialog
from safeground.screens.support import SupportScreen
from safeground.settings import Settings
from safeground.share.choosing import is_private

SIZE = (100, 36)
HOSTILE_NAME = "Alex [bold]x[/] \x1b[2J"


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def setup(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    workbook = builtin()
    write_progress(data, workbook, answered(workbook))
    return data


async def wait_for(pilot, screen_type) -> None:
    for _ in range(200):
        # On top and mounted: pushed is not yet composed on a busy machine.
        if isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted:
            return
        await pilot.pause()
    raise AssertionError(f"{screen_type.__name__} never came; on top: {pilot.app.screen!r}")


async def test_share_by_keyboard_after_the_safety_note(tmp_path):
    data = setup(tmp_path)
    target = tmp_path / "for-alex.toml"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, SafetyNote)
        assert "not for scoring" in screen_text(app) and "F1" in screen_text(app)
        await pilot.press("f1")  # support works on every new screen
        await wait_for(pilot, SupportScreen)
        await pilot.press("escape")
        await wait_for(pilot, SafetyNote)
        await pilot.press("enter")
        await wait_for(pilot, ShareDialog)
        pages = app.screen.query_one("#share-pages", SelectionList)
        keys = [pages.get_option_at_index(i).value for i in range(pages.option_count)]
        assert pages.selected == [] and "what-safety-is/checking-in" not in keys  # none ticked; never private-only
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        preview = str(app.screen.query_one("#share-preview").render())
        assert "What helps safety grow" in preview and "Two words that sound alike" in preview
        await pilot.press("tab", *"Sam")
        app.screen.query_one("#share-path", Input).value = str(target)
        await pilot.press("tab", "enter")
        for _ in range(100):
            if target.exists():
                break
            await pilot.pause()
        document = tomllib.loads(target.read_text("utf-8"))
        assert document["name"] == "Sam"
        assert set(document["answers"]["what-safety-is"]) == {"safety-and-security", "what-helps"}
        assert "share" in Settings.load(data / "default").notes_seen
        # Everything ticked: still no private question in the file.
        await pilot.press("f4")
        await wait_for(pilot, ShareDialog)  # the note is not shown twice
        app.screen.query_one("#share-pages", SelectionList).select_all()
        app.screen.query_one("#share-path", Input).value = str(tmp_path / "all.toml")
        app.screen.query_one("#share-path", Input).focus()
        await pilot.press("enter")
        for _ in range(100):
            if (tmp_path / "all.toml").exists():
                break
            await pilot.pause()
    everything = tomllib.loads((tmp_path / "all.toml").read_text("utf-8"))
    private = {f.id for c in builtin().chapters for p in c.pages for f in p.fields if is_private(f)}
    written = {f for pages in everything["answers"].values() for fields in pages.values() for f in fields}
    assert written and not written & private


async def test_compare_by_keyboard_shows_hostile_text_as_text_and_saves_and_prints_a_sheet(tmp_path, monkeypatch):
    from safeground.export import printing
    from safeground.share import fileformat

    printed: list[tuple[bytes, str | None]] = []

    def fake_submit(pdf, printer=None, title=""):
        printed.append((pdf.read_bytes(), printer))
        return "Office-7", "Office"

    monkeypatch.setattr(printing, "require_lp", lambda: None)
    monkeypatch.setattr(printing, "submit", fake_submit)
    from safeground.share.choosing import shareable_pages

    data = setup(tmp_path)
    workbook = builtin()
    theirs = answered(workbook, text="[red]mine[/] <b>bold</b> \x1b]52;c;aGk=\x07")
    share = tmp_path / "from-alex.toml"
    share.write_text(
        fileformat.dumps(fileformat.build(workbook, shareable_pages(workbook, theirs), HOSTILE_NAME, None))
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("not [ toml")
    before = (data / "default" / "safe-ground.toml").read_bytes()
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, SafetyNote)
        await pilot.press("enter")
        await wait_for(pilot, FileDialog)
        app.screen.query_one("#file-path", Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        notices = [str(n.message) for n in app._notifications]
        assert any(str(bad) in n and "is not a share file" in n for n in notices), notices
        await pilot.press("f5")  # no note the second time
        await wait_for(pilot, FileDialog)
        app.screen.query_one("#file-path", Input).value = str(share)
        await pilot.press("enter")
        await wait_for(pilot, CompareScreen)
        text = screen_text(app)
        # Markup stays as written; the escape sequences were taken out when the file was read.
        assert "Alex [bold]x[/]:" in text and "[red]mine[/] <b>bold</b>" in text
        assert "\x1b" not in text and "To talk about" in text
        await pilot.press("s")
        await wait_for(pilot, FileDialog)
        sheet = tmp_path / "sheet.html"
        app.screen.query_one("#file-path", Input).value = str(sheet)
        await pilot.press("enter")
        await wait_for(pilot, CompareScreen)
        await app.workers.wait_for_complete()
        html = sheet.read_text("utf-8")
        assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html
        # Printed from the same screen: the sheet goes to the default printer as a PDF.
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert printed and printed[0][0].startswith(b"%PDF") and printed[0][1] is None
        assert any("Sent to printer Office as job Office-7" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
    assert (data / "default" / "safe-ground.toml").read_bytes() == before
