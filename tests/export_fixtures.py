"""Shared helpers for the export and printing tests: workbooks, answers, hostile text, extractors."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from safeground.content import Chapter, Field, Option, Page, Resource, Support, Workbook
from safeground.loader import load_workbook
from safeground.progress import Progress

#: Noon UTC, so the local date is 12 March 2026 in every time zone from UTC-11 to UTC+11.
WHEN = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
WHEN_TEXT = "12 March 2026"

HOSTILE: dict[str, str] = {
    "html": '<script>alert("owned")</script><img src=x onerror=alert(1)> & &amp; </p>',
    "escapes": "\x1b[31mred\x1b[0m plain \x1b]0;window title\x07after \x1b[2J\x1b[Hcleared",
    "markup": "[bold]markup[/] [link](http://example.com) **not bold** _no_ `code` # not a heading | pipe $x$",
    "line_starts": "# heading?\n- bullet?\n1. numbered?\n> quote?\n---\n    code?\n===",
    "long_word": "w" * 5000,
    "huge": ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 900)[:50000],
    "emoji": "I \u2764\ufe0f you \U0001f60a\U0001f44d\U0001f3fd \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "rtl": "\u05e9\u05dc\u05d5\u05dd \u05d7\u05d1\u05e8 \u05d9\u05e7\u05e8 \u0645\u0631\u062d\u0628\u0627 \u0628\u0643",
    "controls": "NUL\x00 BEL\x07 BS\x08 DEL\x7f C1\x9b31m VT\x0bFF\x0cCR\r\nend",
    "accents": "Caf\u00e9 na\u00efve \u201ccurly\u201d \u2018single\u2019 \u2014 em \u2013 en \u2026 \u00c5ngstr\u00f6m Zo\u00eb",
}


def builtin() -> Workbook:
    return load_workbook()


def mini_workbook() -> Workbook:
    """Two chapters; the first has every field kind on one page."""
    kinds = Page(
        id="every-kind",
        title="Every kind of question",
        text="Some **bold** words, some *italic* ones.\n\n- a bullet\n- another\n\n1. first\n2. second\n\n> I feel ___ when ___",
        fields=(
            Field(id="name", kind="text", prompt="Your name?"),
            Field(id="story", kind="long_text", prompt="Tell the story.", required=False),
            Field(
                id="pick",
                kind="choice",
                prompt="Pick one.",
                options=(Option("yes", "Yes"), Option("no", "No"), Option("maybe", "Maybe")),
            ),
            Field(
                id="ticks",
                kind="checklist",
                prompt="Tick some.",
                options=(Option("a", "Apples"), Option("b", "Bread"), Option("c", "Cheese")),
            ),
            Field(
                id="close",
                kind="scale",
                prompt="How close?",
                min=1,
                max=10,
                min_label="Far apart",
                max_label="Very close",
            ),
            Field(
                id="rate",
                kind="statements",
                prompt="How true?",
                min=1,
                max=5,
                min_label="Not true at all",
                max_label="Very true",
                statements=(Option("heard", "I feel heard"), Option("safe", "I feel safe")),
            ),
            Field(id="things", kind="list", prompt="List things.", item_label="a thing"),
        ),
    )
    second = Page(
        id="second",
        title="A second page",
        text="Just text.",
        fields=(Field(id="words", kind="long_text", prompt="Some words?"),),
    )
    other = Page(
        id="other",
        title="Another chapter's page",
        text="More text.",
        fields=(Field(id="more", kind="text", prompt="More?"), Field(id="extra", kind="text", prompt="Extra?")),
    )
    support = Support(
        title="Support", intro="Help.", region_note="", emergency="Call.", resources=(Resource("r", "Line", "123"),)
    )
    return Workbook(
        id="mini",
        title="Mini Workbook",
        version="1",
        description="",
        chapters=(
            Chapter(id="one", title="Chapter One", summary="", intro="", pages=(kinds, second)),
            Chapter(id="two", title="Chapter Two", summary="", intro="", pages=(other,)),
        ),
        support=support,
    )


def sample_answer(field: Field, text: str | None = None, index: int = 0) -> Any:
    """A valid answer for ``field``; ``text`` goes into every free-text place."""
    words = text if text is not None else f"Answer {index} to {field.id}: caf\u00e9 \u201cquoted\u201d \u2014 done"
    if field.kind in ("text", "long_text"):
        return words
    if field.kind == "choice":
        return field.options[index % len(field.options)].id
    if field.kind == "checklist":
        return [o.id for o in field.options[::2]]
    if field.kind == "scale":
        return field.min + (index % (field.max - field.min + 1))
    if field.kind == "statements":
        return {s.id: field.min + (i % (field.max - field.min + 1)) for i, s in enumerate(field.statements)}
    if field.kind == "list":
        return [words, f"second item of {field.id}"] + ["more"] * max(0, field.min_items - 2)
    raise AssertionError(field.kind)


def answer_page(
    workbook: Workbook,
    progress: Progress,
    chapter: Chapter,
    page: Page,
    text: str | None = None,
    skip: Collection[str] = frozenset(),
) -> None:
    for index, field in enumerate(page.fields):
        if field.id not in skip:
            progress.set(workbook, chapter.id, page.id, field.id, sample_answer(field, text, index), now=WHEN)


def answered(workbook: Workbook, text: str | None = None) -> Progress:
    """Every page of ``workbook`` fully answered, completed on :data:`WHEN`."""
    progress = Progress(workbook.id, workbook.version)
    for chapter in workbook.chapters:
        for page in chapter.pages:
            answer_page(workbook, progress, chapter, page, text)
    return progress


def half_answered(workbook: Workbook) -> Progress:
    """Even pages (counted through the workbook) complete; odd pages started but missing their last
    required answer (so they are drafts, or untouched when that was their only question)."""
    progress = Progress(workbook.id, workbook.version)
    number = 0
    for chapter in workbook.chapters:
        for page in chapter.pages:
            if number % 2 == 0:
                answer_page(workbook, progress, chapter, page)
            else:
                required = [f.id for f in page.fields if f.required]
                answer_page(
                    workbook, progress, chapter, page, skip={required[-1]} if required else {page.fields[-1].id}
                )
            number += 1
    return progress


def page_sets(workbook: Workbook, progress: Progress) -> tuple[list[str], list[str]]:
    """(completed page titles, draft page titles) in workbook order."""
    complete, drafts = [], []
    for chapter in workbook.chapters:
        for page in chapter.pages:
            if progress.page_complete(chapter.id, page):
                complete.append(page.title)
            elif progress.page_started(chapter.id, page):
                drafts.append(page.title)
    return complete, drafts


def squash(text: str) -> str:
    """Whitespace-normalised text, for comparing what wraps differently in each format."""
    return " ".join(text.split())


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text_pypdf(data_or_path: bytes | Path) -> str:
    import io

    from pypdf import PdfReader

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
    reader = PdfReader(source)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text_poppler(path: Path) -> str | None:
    """pdftotext's reading of the PDF, or None where poppler is not installed."""
    if not shutil.which("pdftotext"):
        return None
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60, check=True)
    return result.stdout.decode("utf-8")


def write_progress(data_dir: Path, workbook: Workbook, progress: Progress, profile: str = "default") -> None:
    """Save ``progress`` where ``safeground --data-dir data_dir`` will find it."""
    from safeground.storage import ProgressStore

    ProgressStore(data_dir, profile, workbook.id).save(progress)
