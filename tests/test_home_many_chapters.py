"""A long workbook: home shows its first screenful of chapters at once and mounts the rest a few
rows per frame. Every row arrives, in order, with its progress, and the last one opens."""

from __future__ import annotations

from pathlib import Path

from app_support import make_app, settle
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.storage import ProgressStore

CHAPTERS = 40


def write_long_workbook(folder: Path) -> Path:
    folder.mkdir(parents=True)
    ids = [f"chapter-{n:02d}" for n in range(1, CHAPTERS + 1)]
    (folder / "workbook.toml").write_text(
        'id = "long"\ntitle = "A long workbook"\nversion = "1"\ndescription = "Many chapters."\n'
        f"chapters = [{', '.join(repr(i).replace(chr(39), chr(34)) for i in ids)}]\n",
        encoding="utf-8",
    )
    for number, chapter_id in enumerate(ids, start=1):
        (folder / f"{chapter_id}.toml").write_text(
            f'id = "{chapter_id}"\ntitle = "Chapter {number}"\nsummary = "Summary {number}"\n\n'
            '[[pages]]\nid = "only"\ntitle = "The only page"\ntext = "Text."\n\n'
            '[[pages.fields]]\nid = "words"\nkind = "text"\nprompt = "Some words?"\n',
            encoding="utf-8",
        )
    return folder


async def test_every_chapter_row_arrives_in_order_with_its_progress(tmp_path):
    from textual.widgets import ListView

    from safeground.screens.chapter import ChapterScreen
    from safeground.screens.home import ChapterRow, HomeScreen

    folder = write_long_workbook(tmp_path / "long")
    workbook = load_workbook(folder)
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, f"chapter-{CHAPTERS}", "only", "words", "done")
    ProgressStore(tmp_path / "data", "default", workbook.id).save(progress)
    app = make_app(tmp_path / "data", workbook_dir=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        for _ in range(60):
            if len(app.screen.query(ChapterRow)) == CHAPTERS:
                break
            await pilot.pause(0.02)
        rows = list(app.screen.query(ChapterRow))
        assert [row.chapter.id for row in rows] == [c.id for c in workbook.chapters]
        assert "1/1 pages" in str(rows[-1].render())
        assert rows[-1].has_class("-complete") and not rows[0].has_class("-complete")
        chapters = app.screen.query_one("#chapters", ListView)
        chapters.focus()
        chapters.index = CHAPTERS - 1
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen) and app.screen.chapter.id == f"chapter-{CHAPTERS}"
