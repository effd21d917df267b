"""The printable document: which pages, how each kind of answer reads, cleaning, and import hygiene."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from export_fixtures import (
    HOSTILE,
    WHEN,
    answer_page,
    answered,
    builtin,
    half_answered,
    mini_workbook,
    page_sets,
)
from safeground.export import NothingToExport, UnknownChapter, build_document, clean
from safeground.export.document import (
    BulletList,
    Heading,
    ListAnswer,
    NoAnswer,
    OptionsAnswer,
    Paragraph,
    Quote,
    Scale,
    ScaleAnswer,
    StatementsAnswer,
    TextAnswer,
    base_direction,
    format_date,
    parse_inline,
    parse_text,
    plain,
)
from safeground.progress import Progress

EXPORT_DIR = Path(__file__).resolve().parents[1] / "src" / "safeground" / "export"


# -- which pages ---------------------------------------------------------------------------------


def test_a_fully_answered_workbook_prints_every_page_in_order():
    workbook = builtin()
    document = build_document(workbook, answered(workbook), include_private=True)
    expected = [(c.id, p.id) for c in workbook.chapters for p in c.pages]
    assert [(p.chapter_id, p.id) for p in document.pages] == expected
    assert [p.number for p in document.pages] == list(range(1, len(expected) + 1))
    assert not any(p.draft for p in document.pages)
    assert all(p.completed == WHEN.astimezone().date() for p in document.pages)


def test_half_answered_prints_only_completed_pages_unless_drafts_are_asked_for():
    workbook = builtin()
    progress = half_answered(workbook)
    complete, drafts = page_sets(workbook, progress)
    assert complete and drafts, "the fixture should give both kinds of page"
    document = build_document(workbook, progress)
    assert [p.title for p in document.pages] == complete
    with_drafts = build_document(workbook, progress, include_drafts=True)
    assert {p.title for p in with_drafts.pages} == set(complete) | set(drafts)
    assert {p.title for p in with_drafts.pages if p.draft} == set(drafts)
    assert all(p.completed is None for p in with_drafts.pages if p.draft)
    # workbook order is kept with drafts mixed in
    order = [p.title for c in workbook.chapters for p in c.pages]
    titles = [p.title for p in with_drafts.pages]
    assert titles == sorted(titles, key=order.index)


def test_untouched_pages_are_never_printed_even_with_drafts():
    workbook = mini_workbook()
    progress = Progress(workbook.id)
    chapter = workbook.chapters[0]
    answer_page(workbook, progress, chapter, chapter.pages[1])
    document = build_document(workbook, progress, include_drafts=True)
    assert [p.id for p in document.pages] == ["second"]


def test_chapters_can_be_chosen_and_keep_workbook_order():
    workbook = mini_workbook()
    progress = answered(workbook)
    document = build_document(workbook, progress, chapters=["two", "one", "two"])
    assert [p.chapter_id for p in document.pages] == ["one", "one", "two"]
    assert [p.chapter_id for p in build_document(workbook, progress, chapters=["two"]).pages] == ["two"]


def test_an_unknown_chapter_names_the_valid_ones():
    workbook = mini_workbook()
    with pytest.raises(UnknownChapter) as raised:
        build_document(workbook, answered(workbook), chapters=["one", "nope"])
    assert "'nope'" in str(raised.value) and "one, two" in str(raised.value)
    assert raised.value.valid == ["one", "two"]


def test_nothing_to_export_says_so():
    workbook = mini_workbook()
    with pytest.raises(NothingToExport, match="no page is complete yet"):
        build_document(workbook, Progress(workbook.id))
    with pytest.raises(NothingToExport, match="no page has any answers yet"):
        build_document(workbook, Progress(workbook.id), include_drafts=True)
    progress = Progress(workbook.id)
    answer_page(workbook, progress, workbook.chapters[1], workbook.chapters[1].pages[0])
    with pytest.raises(NothingToExport, match="in the chapter you chose"):
        build_document(workbook, progress, chapters=["one"])


def test_the_footer_names_the_profile_only_when_it_is_not_default():
    workbook = mini_workbook()
    progress = answered(workbook)
    page = build_document(workbook, progress).pages[0]
    assert build_document(workbook, progress).footer(page) == [f"Completed {format_date(page.completed)}"]
    named = build_document(workbook, progress, profile="sam")
    assert named.footer(named.pages[0])[-1] == "Answered by sam"
    assert named.page_label(named.pages[1]) == "Page 2 of 3"


def test_a_draft_says_so_in_the_footer():
    workbook = mini_workbook()
    progress = Progress(workbook.id)
    chapter = workbook.chapters[1]
    answer_page(workbook, progress, chapter, chapter.pages[0], skip={"extra"})
    document = build_document(workbook, progress, include_drafts=True)
    assert document.pages[0].draft
    assert document.footer(document.pages[0])[0] == "Draft: not finished"


def test_dates_are_written_out():
    assert format_date(date(2026, 3, 12)) == "12 March 2026"
    assert format_date(date(2025, 12, 1)) == "1 December 2025"


# -- how each kind of answer reads ---------------------------------------------------------------


def _fields(progress_answers: dict) -> dict:
    workbook = mini_workbook()
    progress = Progress(workbook.id)
    for field_id, value in progress_answers.items():
        progress.set(workbook, "one", "every-kind", field_id, value, now=WHEN)
    document = build_document(workbook, progress, include_drafts=True)
    return {f.id: f.answer for f in document.pages[0].fields}


def test_every_kind_of_answer():
    answers = _fields(
        {
            "name": "Sam",
            "story": "First line\nsecond line\n\n\nNew paragraph",
            "pick": "maybe",
            "ticks": ["c", "a"],
            "close": 7,
            "rate": {"heard": 5},
            "things": ["one", "  ", "two\nlines"],
        }
    )
    assert answers["name"] == TextAnswer((("Sam",),))
    assert answers["story"].paragraphs == (("First line", "second line"), ("New paragraph",))
    pick = answers["pick"]
    assert isinstance(pick, OptionsAnswer) and not pick.multiple
    assert [(o.label, o.chosen) for o in pick.options] == [("Yes", False), ("No", False), ("Maybe", True)]
    ticks = answers["ticks"]
    assert ticks.multiple and ticks.chosen == ("Apples", "Cheese")  # workbook order, every option listed
    assert len(ticks.options) == 3
    assert isinstance(answers["close"], ScaleAnswer)
    assert answers["close"].text == "7 of 10, on a scale from 1 (Far apart) to 10 (Very close)"
    rate = answers["rate"]
    assert isinstance(rate, StatementsAnswer)
    assert [(r.statement, r.rating_text) for r in rate.rows] == [
        ("I feel heard", "5 of 5 (Very true)"),
        ("I feel safe", "(no answer)"),
    ]
    assert answers["things"] == ListAnswer(("one", "two\nlines"))


def test_unanswered_fields_are_no_answer():
    answers = _fields({"name": "Sam"})
    assert all(isinstance(answers[f], NoAnswer) for f in ("story", "pick", "ticks", "close", "rate", "things"))
    assert NoAnswer().text == "(no answer)"


def test_answers_that_no_longer_fit_are_shown_as_far_as_they_fit():
    workbook = mini_workbook()
    progress = Progress(workbook.id)
    progress.answers = {
        "one": {
            "every-kind": {
                "name": "Sam",
                "pick": "gone",
                "ticks": ["a", "gone"],
                "close": 99,
                "rate": {"heard": 2, "gone": 1, "safe": 40},
                "things": "not a list",
            }
        }
    }
    document = build_document(workbook, progress, include_drafts=True)
    answers = {f.id: f.answer for f in document.pages[0].fields}
    assert isinstance(answers["pick"], NoAnswer)
    assert answers["ticks"].chosen == ("Apples",)
    assert isinstance(answers["close"], NoAnswer)
    assert [r.rating for r in answers["rate"].rows] == [2, None]
    assert isinstance(answers["things"], NoAnswer)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1 of 10 (Far apart)"),
        (10, "10 of 10 (Very close)"),
        (4, "4 of 10, on a scale from 1 (Far apart) to 10 (Very close)"),
    ],
)
def test_scales_read_like_sentences(value, text):
    assert Scale(1, 10, "Far apart", "Very close").describe(value) == text


def test_scales_that_do_not_start_at_zero_or_one_and_scales_without_labels():
    assert Scale(-2, 2, "Worse", "Better").describe(0) == "0 (from -2 to 2), on a scale from -2 (Worse) to 2 (Better)"
    assert Scale(0, 4).describe(4) == "4 of 4, on a scale from 0 to 4"


# -- the workbook's own text ---------------------------------------------------------------------


def test_page_text_markdown_becomes_blocks():
    blocks = parse_text(
        "Some **bold** and *it* text\ncontinues.\n\n- one\n- two\n  more\n\n3. three\n4. four\n\n> I feel ___ when ___"
    )
    assert isinstance(blocks[0], Paragraph)
    assert plain(blocks[0].spans) == "Some bold and it text continues."
    assert [s.bold for s in blocks[0].spans] == [False, True, False, False, False]
    assert isinstance(blocks[1], BulletList) and [plain(i) for i in blocks[1].items] == ["one", "two more"]
    assert blocks[2].ordered and blocks[2].start == 3
    assert isinstance(blocks[3], Quote) and plain(blocks[3].spans) == "I feel ___ when ___"


def test_inline_markdown_leaves_blanks_and_snake_case_alone():
    assert (
        plain(parse_inline("I feel ___ when ___, said snake_case_name")) == "I feel ___ when ___, said snake_case_name"
    )
    assert (
        plain(parse_inline(r"a \*literal\* star and [a link](https://example.org)"))
        == "a *literal* star and a link (https://example.org)"
    )
    spans = parse_inline("**Owning it.** The person")
    assert spans[0].bold and spans[0].text == "Owning it."


# -- cleaning ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
        ("a\x1b(Bb\x1bcc", "abc"),
        ("NUL\x00BEL\x07BS\x08DEL\x7fC1\x9b", "NULBELBSDELC1"),
        ("tab\there", "tab here"),
        ("crlf\r\nlf\ncr\rls\u2028end", "crlf\nlf\ncr\nls\nend"),
        ("  \n\nkeep  \n  indent\n\n", "keep\n  indent"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("unterminated \x1b]0;title\nnext line", "unterminated\nnext line"),
        ("[bold]markup[/] <b>&amp;</b>", "[bold]markup[/] <b>&amp;</b>"),
        ("emoji \U0001f60a\u200d and \u05e9\u05dc\u05d5\u05dd", "emoji \U0001f60a\u200d and \u05e9\u05dc\u05d5\u05dd"),
    ],
)
def test_clean_removes_escapes_and_controls_only(raw, cleaned):
    assert clean(raw) == cleaned


def test_clean_single_line_joins_lines():
    assert clean(" A\ntitle\x1b[1m  \n", single_line=True) == "A title"


def test_every_string_in_a_document_is_clean():
    workbook = mini_workbook()
    text = "\n\n".join(HOSTILE.values())
    document = build_document(workbook, answered(workbook, text))
    for page in document.pages:
        for field in page.fields:
            answer = field.answer
            pieces = []
            if isinstance(answer, TextAnswer):
                pieces = [line for lines in answer.paragraphs for line in lines]
            elif isinstance(answer, ListAnswer):
                pieces = list(answer.items)
            for piece in pieces:
                assert "\x1b" not in piece
                assert all(c in "\n" or ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in piece)


def test_base_direction():
    assert base_direction("\u05e9\u05dc\u05d5\u05dd world") == "rtl"
    assert base_direction("123 \u0645\u0631\u062d\u0628\u0627") == "rtl"
    assert base_direction("hello \u05e9\u05dc\u05d5\u05dd") == "ltr"
    assert base_direction("!!!") == "ltr"


# -- import hygiene ------------------------------------------------------------------------------


def test_no_module_in_export_imports_textual():
    for path in EXPORT_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("textual", "rich")), f"{path.name} imports {name}"
            if not path.name.startswith("pdf"):  # pdf.py and its neighbours, imported to make a PDF
                assert not any(n.startswith("fpdf") for n in names), f"{path.name} imports {names}"


def test_fpdf_is_imported_only_when_a_pdf_is_made():
    code = (
        "import sys, json\n"
        "import safeground.cli, safeground.export, safeground.export.commands\n"
        "from safeground.export import text, markdown, html, fonts, printing, document\n"
        "before = sorted(m for m in sys.modules if m.split('.')[0] in ('fpdf', 'textual', 'rich', 'uharfbuzz', 'fontTools'))\n"
        "import safeground.export.pdf\n"
        "after = 'fpdf' in sys.modules\n"
        "print(json.dumps({'before': before, 'after': after}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    report = json.loads(result.stdout)
    assert report == {"before": [], "after": True}


# -- invisible characters -----------------------------------------------------------------------

#: An answer that reads differently from what it holds: a right-to-left override turns the end of
#: the sentence around, and zero-width characters hide inside words.
INVISIBLE = (
    "I agree \u202e.ton od I\u202c with this. zero\u200bwidth, word\u2060joiner, \ufeffmark, \u2066isolated\u2069"
)
#: Each invisible character of INVISIBLE as the export writes it.
REVEALED = ("[U+202E]", "[U+202C]", "[U+200B]", "[U+2060]", "[U+FEFF]", "[U+2066]", "[U+2069]")
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"


def test_invisible_characters_in_answers_are_written_out():
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, f"{INVISIBLE}\n\nA family: {FAMILY}"))
    fields = {f.id: f.answer for f in document.pages[0].fields}
    story = fields["story"].text
    assert story.startswith("I agree [U+202E].ton od I[U+202C] with this. zero[U+200B]width")
    assert all(code in story for code in REVEALED)
    assert FAMILY in story  # joiners inside an emoji sequence are part of it, not hidden
    assert all(code in fields["things"].items[0] for code in REVEALED)  # list items too
    assert not {"\u202e", "\u202c", "\u200b", "\u2060", "\ufeff", "\u2066", "\u2069"} & set(story)


def test_a_stray_joiner_is_written_out_but_one_inside_a_word_is_kept():
    workbook = mini_workbook()
    document = build_document(workbook, answered(workbook, "alone \u200d here, inside a\u200cword"))
    assert document.pages[0].fields[0].answer.text == "alone [U+200D] here, inside a\u200cword"


def test_the_workbooks_own_text_keeps_its_direction_controls():
    # A right-to-left workbook may need isolates and embeddings to lay out: its author's text is
    # printed as written (only what a person wrote is checked for hidden characters).
    prompt = "Your words for \u2067\u05e9\u05dc\u05d5\u05dd\u2069?"
    workbook = mini_workbook()
    page = workbook.chapters[0].pages[1]
    page = replace(page, fields=(replace(page.fields[0], prompt=prompt),))
    chapter = replace(workbook.chapters[0], pages=(page,))
    workbook = replace(workbook, chapters=(chapter,))
    progress = Progress(workbook.id)
    answer_page(workbook, progress, chapter, page, "\u2067mine\u2069")
    printed = build_document(workbook, progress).pages[0].fields[0]
    assert printed.prompt == prompt
    assert printed.answer.text == "[U+2067]mine[U+2069]"


# -- the workbook's text is read as the screen reads it (markdown-it) --------------------------


def test_page_text_is_read_as_commonmark_like_the_screen():
    """Where the old hand-made reader and the screen disagreed: a heading underlined with ===,
    a character reference, a list nested four spaces in."""
    blocks = parse_text("Title\n=====\n\nSafe &amp; sound\n\n- a\n    - b\n- c")
    assert isinstance(blocks[0], Heading) and plain(blocks[0].spans) == "Title"
    assert plain(blocks[1].spans) == "Safe & sound"
    lists = blocks[2:]
    assert all(isinstance(b, BulletList) for b in lists)
    assert [[plain(i) for i in b.items] for b in lists] == [["a"], ["b"], ["c"]]


def test_a_nested_list_never_renumbers_the_items_after_it():
    blocks = parse_text("1. one\n   - under one\n2. two")
    assert [(b.ordered, b.start, [plain(i) for i in b.items]) for b in blocks] == [
        (True, 1, ["one"]),
        (False, 1, ["under one"]),
        (True, 2, ["two"]),
    ]


def test_page_text_raw_html_and_script_links_stay_text():
    blocks = parse_text("<b>not bold</b> [click](javascript:alert(1)) and [fine](https://example.org)")
    assert plain(blocks[0].spans) == "<b>not bold</b> [click](javascript:alert(1)) and fine (https://example.org)"
    assert not any(span.bold for span in blocks[0].spans)


def test_character_references_cannot_bring_back_control_characters_or_line_breaks():
    text = plain(parse_text("a&#x2028;b&#x1b;c&#133;d\u2029e")[0].spans)
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F and c not in "\u2028\u2029" for c in text)
    assert text.startswith("a b")


# -- one table per field kind -------------------------------------------------------------------


def test_every_field_kind_has_a_printed_form_in_every_format():
    """Adding a kind to kinds.KINDS without teaching the export fails here, not on someone's paper."""
    from safeground.export import html, markdown, pdf, text
    from safeground.export.answers import ANSWER_MAKERS
    from safeground.kinds import KINDS

    for table in (ANSWER_MAKERS, text.FIELD_RENDERERS, markdown.FIELD_RENDERERS, html.FIELD_RENDERERS):
        assert set(table) == set(KINDS)
    assert set(pdf.FIELD_RENDERERS) == set(KINDS)
