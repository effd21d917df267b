"""A workbook whose title (or description) is megabytes long, from a damaged or hostile workbook
folder: the home screen still opens with its chapters in view, the title shown cut short."""

from __future__ import annotations

from pathlib import Path

from app_support import make_app
from safeground.loader import load_workbook

#: Nearly two million characters (the loader takes files up to 2 MB): the size of title that took
#: half a minute to open the home screen.
HUGE = ("A very long title " * 120_000)[:1_950_000].rstrip()


def write_workbook(folder: Path, title: str, description: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "workbook.toml").write_text(
        f'id = "huge"\ntitle = "{title}"\nversion = "1"\ndescription = "{description}"\n'
        'chapters = ["first", "second"]\n',
        encoding="utf-8",
    )
    for number, chapter_id in enumerate(("first", "second"), start=1):
        (folder / f"{chapter_id}.toml").write_text(
            f'id = "{chapter_id}"\ntitle = "Chapter {number}"\nsummary = "Summary {number}"\n\n'
            '[[pages]]\nid = "only"\ntitle = "The only page"\ntext = "Text."\n\n'
            '[[pages.fields]]\nid = "words"\nkind = "text"\nprompt = "Some words?"\n',
            encoding="utf-8",
        )
    return folder


async def test_a_two_megabyte_title_shows_home_with_its_chapters_in_view(tmp_path):
    from textual.widgets import Header, Label, Static

    from safeground.screens.home import ChapterRow, HomeScreen

    folder = write_workbook(tmp_path / "huge", HUGE, "Purpose. " + HUGE[:40_000])
    assert len(load_workbook(folder).title) == len(HUGE)
    app = make_app(tmp_path / "data", workbook_dir=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if isinstance(app.screen, HomeScreen) and app.screen.query(ChapterRow):
                break
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        title = screen.query_one("#home-title", Label)
        shown = str(title.render())
        assert shown.startswith("A very long title A very long title") and shown.endswith("…")
        assert title.region.height <= 5  # a few lines, not 20,000 of them above the chapters
        assert screen.query_one("#home-purpose", Static).region.height <= 5
        header = str(screen.query_one(Header).query_one("HeaderTitle").render())
        assert header.startswith("A very long title") and len(header) < 1000
        first = screen.query(ChapterRow).first()
        assert 0 < first.region.y < 30 and "Chapter 1" in str(first.render())
        assert app.workbook.title == HUGE  # only what is drawn is cut
