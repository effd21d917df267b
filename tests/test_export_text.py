"""Plain text export: 80 columns, form feeds between pages, nothing a terminal would act on."""

from __future__ import annotations

import pytest

from export_fixtures import (
    HOSTILE,
    WHEN_TEXT,
    answered,
    builtin,
    half_answered,
    mini_workbook,
    no_space,
    page_sets,
    sample_answer,
    squash,
)
from safeground.export import build_document, render
from safeground.export.text import text_width, wrap


def _text(document) -> str:
    return render(document, "text").data.decode("utf-8")


def _assert_fits(text: str) -> None:
    for line in text.replace("\f", "\n").split("\n"):
        assert text_width(line) <= 80, f"{text_width(line)} columns: {line[:60]!r}..."


@pytest.fixture(scope="module")
def full():
    workbook = builtin()
    return workbook, build_document(workbook, answered(workbook), profile="sam", include_private=True)


def test_a_fully_answered_workbook(full):
    workbook, document = full
    text = _text(document)
    pages = text.split("\f")
    assert len(pages) == len(document.pages) == workbook.page_count
    _assert_fits(text)
    index = 0
    for chapter in workbook.chapters:
        for page in chapter.pages:
            printed = pages[index]
            index += 1
            assert f"{workbook.title} · {chapter.title}" in printed.splitlines()[0]
            assert page.title in printed
            assert f"Completed {WHEN_TEXT} · Answered by sam · Page {index} of {len(pages)}" in printed
            for number, field in enumerate(page.fields):
                assert squash(field.prompt) in squash(printed)
                value = sample_answer(field, None, number)
                if field.kind in ("text", "long_text"):
                    assert value in printed
                elif field.kind in ("choice", "checklist"):
                    chosen = {value} if isinstance(value, str) else set(value)
                    for option in field.options:
                        mark = "[x]" if option.id in chosen else "[ ]"
                        assert f"{mark} {squash(option.label)}" in squash(printed)
                elif field.kind == "list":
                    assert f"- {value[0]}" in printed
    assert "\x1b" not in text


def test_statements_are_a_two_column_table_and_scales_a_sentence():
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook))
    text = _text(document)
    assert "On a scale from 1 (Not true at all) to 5 (Very true):" in text
    rows = [line for line in text.splitlines() if line.strip().startswith("I feel")]
    assert rows[0].split() == ["I", "feel", "heard", "1", "of", "5", "(Not", "true", "at", "all)"]
    assert rows[1].split() == ["I", "feel", "safe", "2", "of", "5"]
    assert rows[0].index("1 of 5") == rows[1].index("2 of 5")  # the ratings line up
    assert "    5 of 10, on a scale from 1 (Far apart) to 10 (Very close)" in text
    assert "  1. first" in text and "  - a bullet" in text


def test_half_answered_exports_only_completed_pages_and_marks_drafts():
    workbook = builtin()
    progress = half_answered(workbook)
    complete, drafts = page_sets(workbook, progress)
    pages = _text(build_document(workbook, progress)).split("\f")
    assert len(pages) == len(complete)
    assert not any("DRAFT" in page for page in pages)
    with_drafts = _text(build_document(workbook, progress, include_drafts=True)).split("\f")
    assert len(with_drafts) == len(complete) + len(drafts)
    for page in with_drafts:
        title = page.splitlines()[2]
        if title in drafts:
            assert "DRAFT: this page is not finished yet." in page
            assert "Draft: not finished · Page" in page
        else:
            assert title in complete and "DRAFT" not in page


def test_hostile_answers_are_exported_safely():
    workbook = mini_workbook()
    text = _text(build_document(workbook, answered(workbook, "\n\n".join(HOSTILE.values()))))
    assert "\x1b" not in text
    assert not [c for c in text if ord(c) < 32 and c not in "\n\f"]
    assert not [c for c in text if 0x7F <= ord(c) <= 0x9F]
    _assert_fits(text)
    flat = squash(text)
    for key in ("html", "markup", "emoji", "rtl", "accents"):
        assert squash(HOSTILE[key]) in flat, key
    assert "red plain after cleared" in flat
    assert "NUL BEL BS DEL C131m VT" in flat
    assert "w" * 5000 in no_space(text)
    assert no_space(HOSTILE["huge"]) in no_space(text)
    assert max(len(line) for line in text.split("\n")) <= 80


def test_wrapping_counts_columns_and_breaks_long_words():
    assert wrap("a " * 5, 4) == ["a a", "a a", "a"]
    assert wrap("x" * 10, 4, "  ") == ["  xx", "  xx", "  xx", "  xx", "  xx"]
    wide = "\u4f60\u597d" * 50  # 100 wide characters, 200 columns
    lines = wrap(wide, 80)
    assert all(text_width(line) <= 80 for line in lines) and "".join(lines) == wide
    assert wrap("", 80) == []


def test_invisible_characters_in_answers_are_written_out():
    # A right-to-left override would make "I do not." read backwards; zero-width characters hide.
    workbook = mini_workbook()
    text = _text(
        build_document(workbook, answered(workbook, "I agree \u202e.ton od I\u202c zero\u200bwidth \ufeffmark"))
    )
    assert "I agree [U+202E].ton od I[U+202C] zero[U+200B]width [U+FEFF]mark" in text
    assert not {"\u202e", "\u202c", "\u200b", "\ufeff"} & set(text)


def test_a_huge_workbook_title_is_cut_where_every_page_repeats_it():
    # A damaged workbook folder with a 2 MB title made a 40 MB text file, the title over every page.
    from dataclasses import replace

    title = ("A very long title " * 120_000)[:2_000_000]
    workbook = replace(mini_workbook(), title=title)
    text = _text(build_document(workbook, answered(workbook)))
    assert len(text) < 20_000
    for page in text.split("\f"):
        context = " ".join(page.split("\n=")[0].split())
        assert context.startswith("A very long title A very")
        assert context.endswith(("long… · Chapter One", "long… · Chapter Two"))
