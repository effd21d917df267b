"""PDF export: the text comes back out of real PDF readers (pypdf, and poppler's pdftotext where it
is installed) as it was typed; long and strange answers never break the PDF."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from export_fixtures import (
    HOSTILE,
    WHEN_TEXT,
    answer_page,
    answered,
    builtin,
    half_answered,
    mini_workbook,
    no_space,
    page_sets,
    pdf_text_poppler,
    pdf_text_pypdf,
    sample_answer,
    squash,
)
from safeground.export import build_document, export_to_file, render
from safeground.export.fonts import FontChoice, find_fonts
from safeground.export.pdf import PLACEHOLDER, render_pdf
from safeground.progress import Progress

ACCENTS = HOSTILE["accents"]


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def _page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in _reader(data).pages]


def _body(pages: list[str]) -> str:
    """The pages' text without their header and footer lines, so a flowing answer reads through."""
    return "\n".join("\n".join(text.split("\n")[1:-1]) for text in pages)


def _unicode_font() -> FontChoice:
    """The system's Unicode font; CI installs DejaVu (.ci/cups-setup.sh), so there it must be found."""
    fonts = find_fonts()
    if fonts.text is None:
        reason = f"no Unicode TrueType font on this machine ({fonts.reason}): install fonts-dejavu-core"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return fonts


@pytest.fixture(scope="module")
def full():
    workbook = builtin()
    document = build_document(workbook, answered(workbook), profile="sam", include_private=True)
    rendered = render(document, "pdf")
    return workbook, document, rendered


def test_a_fully_answered_workbook_extracts_right(full):
    _unicode_font()
    workbook, document, rendered = full
    assert rendered.data.startswith(b"%PDF-")
    assert rendered.warnings == ()
    pages = _page_texts(rendered.data)
    total = len(pages)
    assert total >= workbook.page_count
    everything = squash("\n".join(pages))
    # Each workbook page starts a new sheet: its title is at the top of one (under the header).
    starts = [squash(text.split("\n", 2)[1]) if text.count("\n") >= 1 else "" for text in pages]
    for printed in document.pages:
        assert squash(printed.title) in starts, printed.title
    for number in range(1, total + 1):
        assert f"Page {number} of {total}" in squash(pages[number - 1])
    assert f"Completed {WHEN_TEXT} · Answered by sam" in everything
    for chapter in workbook.chapters:
        for page in chapter.pages:
            for index, field in enumerate(page.fields):
                assert squash(field.prompt) in everything
                value = sample_answer(field, None, index)
                if field.kind in ("text", "long_text"):
                    assert squash(value) in everything
                elif field.kind in ("choice", "checklist"):
                    for option in field.options:
                        assert squash(option.label) in everything
    assert "☑ Safety: being respected and heard, even when we disagree" in everything
    assert "☐ Both" in everything


def test_the_pdf_is_tagged_with_title_and_language(full):
    _, document, rendered = full
    reader = _reader(rendered.data)
    assert reader.metadata.title == document.workbook_title
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_half_answered_exports_only_completed_pages_and_marks_drafts():
    workbook = builtin()
    progress = half_answered(workbook)
    complete, drafts = page_sets(workbook, progress)
    only_complete = squash("\n".join(_page_texts(render(build_document(workbook, progress), "pdf").data)))
    for title in complete:
        assert squash(title) in only_complete
    for title in drafts:
        assert squash(title) not in only_complete
    assert "DRAFT" not in only_complete
    data = render(build_document(workbook, progress, include_drafts=True), "pdf").data
    with_drafts = squash("\n".join(_page_texts(data)))
    for title in drafts:
        assert squash(title) in with_drafts
    assert with_drafts.count("DRAFT: this page is not finished yet.") == len(drafts)
    assert with_drafts.count("Draft: not finished") >= len(drafts)


@pytest.fixture(scope="module")
def hostile():
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, "\n\n".join(HOSTILE.values())))
    data, warnings = render_pdf(document, _unicode_font())
    return data, warnings, _page_texts(data)


def test_hostile_answers_make_a_readable_pdf(hostile):
    data, warnings, pages = hostile
    text = "\n".join(pages)
    flat = squash(text)
    assert "\x1b" not in text and "\x00" not in text
    for key in ("html", "markup"):
        assert squash(HOSTILE[key]) in flat, key
    assert squash(ACCENTS) in flat
    assert "red plain after cleared" in flat
    assert "NUL BEL BS DEL C131m VT" in flat
    body = no_space(_body(pages))
    assert "w" * 5000 in body  # broken over lines and pages, but all there
    assert no_space(HOSTILE["huge"]) in body  # flowed over pages
    assert len(pages) > 10
    # Right-to-left words come out (extractors differ in the order they list the runs).
    for word in HOSTILE["rtl"].split():
        assert word in text or word[::-1] in text, word
    # Whatever no font could draw was replaced and reported, never silently dropped.
    if PLACEHOLDER in text:
        assert warnings and PLACEHOLDER in warnings[0]


def test_fifty_thousand_characters_flow_over_pages():
    workbook = mini_workbook()
    progress = Progress(workbook.id)
    chapter = workbook.chapters[0]
    answer_page(workbook, progress, chapter, chapter.pages[1], HOSTILE["huge"])
    data = render(build_document(workbook, progress), "pdf").data
    pages = _page_texts(data)
    assert len(pages) >= 8
    assert no_space(HOSTILE["huge"]) in no_space(_body(pages))
    assert "A second page (continued)" in squash(pages[1])
    assert all(f"Page {n} of {len(pages)}" in squash(p) for n, p in enumerate(pages, start=1))


def test_long_words_everywhere_do_not_break_the_pdf():
    workbook = mini_workbook()
    word = "x" * 5000
    progress = answered(workbook, word)
    data = render(build_document(workbook, progress), "pdf").data
    assert no_space(_body(_page_texts(data))).count(word) >= 3  # text, long_text, the first list item


def test_emoji_are_drawn_or_replaced_and_reported(monkeypatch):
    monkeypatch.setenv("SAFEGROUND_EMOJI_FONT", "none")
    fonts = _unicode_font()
    assert fonts.emoji is None
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, "thumbs \U0001f44d up \U0001fae0 melt"))
    data, warnings = render_pdf(document, fonts)
    text = "\n".join(_page_texts(data))
    assert f"thumbs {PLACEHOLDER} up {PLACEHOLDER} melt" in text
    assert len(warnings) == 1
    assert "U+1F44D" in warnings[0] and "Noto Color Emoji" in warnings[0]


def test_color_emoji_when_the_font_is_installed():
    fonts = _unicode_font()
    if fonts.emoji is None:
        pytest.skip("Noto Color Emoji is not installed here (optional: fonts-noto-color-emoji)")
    workbook = mini_workbook()
    data, warnings = render_pdf(build_document(workbook, answered(workbook, "thumbs \U0001f44d up")), fonts)
    assert warnings == []
    assert "thumbs \U0001f44d up" in "\n".join(_page_texts(data))


def test_without_a_unicode_font_helvetica_is_used_with_a_warning(monkeypatch):
    monkeypatch.setenv("SAFEGROUND_FONT", "builtin")
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, f"{ACCENTS} {HOSTILE['rtl']} \u263a"))
    rendered = render(document, "pdf")
    text = squash("\n".join(_page_texts(rendered.data)))
    assert squash(ACCENTS) in text  # Windows-1252 has accents, curly quotes and dashes
    assert "[x] Apples" in text and "[ ] Bread" in text
    assert "???? ??? ??? ????? ??" in text  # the Hebrew and Arabic words, one '?' per letter
    assert len(rendered.warnings) == 1
    warning = rendered.warnings[0]
    assert "Helvetica" in warning and "'?'" in warning and "fonts-dejavu-core" in warning and "U+05E9" in warning


def test_a_font_setting_that_is_not_a_font_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("SAFEGROUND_FONT", str(tmp_path / "missing.ttf"))
    workbook = mini_workbook()
    rendered = render(build_document(workbook, answered(workbook)), "pdf")
    assert any("SAFEGROUND_FONT" in w and "not a TrueType" in w for w in rendered.warnings)
    assert "Answer 0 to name" in squash("\n".join(_page_texts(rendered.data)))


def test_a_font_file_can_be_chosen(monkeypatch):
    regular = _unicode_font().text.regular
    monkeypatch.setenv("SAFEGROUND_FONT", str(regular))
    fonts = find_fonts()
    assert fonts.text is not None and fonts.text.regular == regular
    workbook = mini_workbook()
    rendered = render(build_document(workbook, answered(workbook, ACCENTS)), "pdf")
    assert squash(ACCENTS) in squash("\n".join(_page_texts(rendered.data)))


def test_paper_size_follows_the_system_setting(monkeypatch):
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook))
    monkeypatch.setenv("PAPERSIZE", "letter")
    letter = _reader(render(document, "pdf").data).pages[0].mediabox
    monkeypatch.setenv("PAPERSIZE", "a4")
    a4 = _reader(render(document, "pdf").data).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_a_curly_brace_nb_in_an_answer_is_not_taken_for_the_page_count():
    workbook = mini_workbook()
    rendered = render(build_document(workbook, answered(workbook, "literally {nb} pages")), "pdf")
    assert "literally {nb} pages" in "\n".join(_page_texts(rendered.data))


def test_pdftotext_reads_accents_quotes_and_dashes(tmp_path: Path):
    workbook = mini_workbook()
    target = tmp_path / "pages.pdf"
    export_to_file(workbook, answered(workbook, f"{ACCENTS}\n{HOSTILE['rtl']}"), target)
    text = pdf_text_poppler(target)
    if text is None:
        pytest.skip("poppler's pdftotext is not installed (Debian: poppler-utils); pypdf covers the rest")
    assert squash(ACCENTS) in squash(text)
    assert "Page 1 of" in text
    assert squash(pdf_text_pypdf(target)).count(squash(ACCENTS)) == squash(text).count(squash(ACCENTS))


def test_a_damaged_font_file_falls_back_to_helvetica(monkeypatch, tmp_path):
    broken = tmp_path / "Broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"not really a font" * 10)
    monkeypatch.setenv("SAFEGROUND_FONT", str(broken))
    workbook = mini_workbook()
    rendered = render(build_document(workbook, answered(workbook, ACCENTS)), "pdf")
    assert any("could not be read" in w and "Helvetica" in w for w in rendered.warnings)
    assert squash(ACCENTS) in squash("\n".join(_page_texts(rendered.data)))


@pytest.mark.parametrize("font", ["unicode", "builtin"])
def test_invisible_characters_in_answers_are_written_out(monkeypatch, font):
    # A right-to-left override would make "I do not." read backwards; zero-width characters hide.
    # Before, the PDF drew them invisibly or dropped them without a word.
    if font == "builtin":
        monkeypatch.setenv("SAFEGROUND_FONT", "builtin")
    else:
        _unicode_font()
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, "I agree \u202e.ton od I\u202c zero\u200bwidth \ufeffmark"))
    rendered = render(document, "pdf")
    text = "\n".join(_page_texts(rendered.data))
    assert not {"\u202e", "\u202c", "\u200b", "\ufeff"} & set(text)
    assert "I agree [U+202E].ton od I[U+202C] zero[U+200B]width [U+FEFF]mark" in squash(text)
    assert not any("U+202E" in warning for warning in rendered.warnings)  # shown, so nothing to warn of


def test_a_huge_workbook_title_is_cut_in_every_page_header():
    from dataclasses import replace

    title = ("A very long title " * 120_000)[:2_000_000]
    workbook = replace(mini_workbook(), title=title)
    pages = _page_texts(render(build_document(workbook, answered(workbook)), "pdf").data)
    assert len(pages) == 3
    for text in pages:
        header = text.split("\n")[0]
        assert header.startswith("A very long title") and "\u2026" in header and len(header) < 200
