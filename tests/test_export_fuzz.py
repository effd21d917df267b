"""Whatever text a person (or a workbook author) writes, every format renders and stays safe."""

from __future__ import annotations

import io
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export_fixtures import HOSTILE, answered, mini_workbook
from safeground.content import Option
from safeground.export import FORMATS, build_document, render
from safeground.export.text import text_width

OUR_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "aside",  # the support lines after the last page
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "p",
    "div",
    "span",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "footer",
}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, _ in attrs:
            assert not name.startswith("on")


def _check_all_formats(workbook, progress) -> None:
    document = build_document(workbook, progress, include_drafts=True)
    for fmt in FORMATS:
        data = render(document, fmt).data
        if fmt == "pdf":
            from pypdf import PdfReader

            assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) >= len(document.pages)
            continue
        text = data.decode("utf-8")
        assert "\x1b" not in text
        assert not [c for c in text if (ord(c) < 32 and c not in "\n\f") or 0x7F <= ord(c) <= 0x9F]
        if fmt == "text":
            assert all(text_width(line) <= 80 for line in text.replace("\f", "\n").split("\n"))
        if fmt == "html":
            parser = _Tags()
            parser.feed(text)
            assert parser.tags <= OUR_TAGS, parser.tags - OUR_TAGS


# Any characters at all (but surrogates, which no saved file can hold), weighted towards the ones
# that make trouble.
_TROUBLE = st.sampled_from(
    [
        "\x1b[31m",
        "\x1b]0;x\x07",
        "\x00",
        "\r",
        "\t",
        "<",
        ">",
        "&",
        "*",
        "_",
        "[",
        "]",
        "|",
        "#",
        "- ",
        "1. ",
        "\u202e",
        "\u200d",
        "\ufe0f",
        "\U0001f44d",
        "\u05e9",
        "\u0645",
        "\u4f60",
        "{nb}",
        "\\",
        "`",
    ]
)
_TEXT = st.lists(st.one_of(st.text(st.characters(codec="utf-8"), max_size=30), _TROUBLE), max_size=12).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_any_answer_renders_safely_in_every_format(text):
    workbook = mini_workbook()
    _check_all_formats(workbook, answered(workbook, text + " end"))


def test_hostile_workbook_content_renders_in_every_format():
    """Authors write workbooks too: very long titles, prompts and labels, right-to-left text."""
    workbook = mini_workbook()
    long_word = "y" * 3000
    chapter = workbook.chapters[0]
    page = chapter.pages[0]
    fields = tuple(
        replace(
            field,
            prompt=f"{HOSTILE['rtl']} {field.prompt} {long_word}",
            options=tuple(Option(o.id, f"{o.label} {long_word} {HOSTILE['emoji']}") for o in field.options),
            statements=tuple(Option(s.id, f"{s.label} {long_word}") for s in field.statements),
            min_label=field.min_label and long_word,
        )
        for field in page.fields
    )
    page = replace(
        page,
        title=f"{long_word} {HOSTILE['accents']}",
        text=f"**{long_word}** {HOSTILE['markup']}\n\n- {long_word}",
        fields=fields,
    )
    chapter = replace(chapter, title=long_word, pages=(page,) + chapter.pages[1:])
    workbook = replace(workbook, title=f"{HOSTILE['html']} {long_word}", chapters=(chapter,) + workbook.chapters[1:])
    _check_all_formats(workbook, answered(workbook, HOSTILE["huge"][:5000]))
