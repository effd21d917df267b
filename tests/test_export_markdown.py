"""Markdown export: readable as it is, and rendered by a real CommonMark parser (markdown-it, which
Textual already brings) exactly as written: no answer turns into HTML, a link, a heading or emphasis."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from export_fixtures import (
    HOSTILE,
    WHEN_TEXT,
    answered,
    builtin,
    half_answered,
    mini_workbook,
    no_space,
    page_sets,
    squash,
)
from safeground.export import build_document, render
from safeground.export.markdown import escape


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.strong: list[str] = []
        self._in_strong = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_strong += tag in ("strong", "em")

    def handle_endtag(self, tag):
        self._in_strong -= tag in ("strong", "em")

    def handle_data(self, data):
        self.text.append(data)
        if self._in_strong:
            self.strong.append(data)


def _rendered(markdown: str) -> _Collector:
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)
    collector = _Collector()
    collector.feed(html)
    return collector


def _markdown(document) -> str:
    return render(document, "markdown").data.decode("utf-8")


def test_a_fully_answered_workbook_renders_as_expected():
    workbook = builtin()
    document = build_document(workbook, answered(workbook), profile="sam", include_private=True)
    markdown = _markdown(document)
    html = _rendered(markdown)
    assert html.tags.count("h1") == 1
    assert html.tags.count("h2") == workbook.page_count + 1  # and "Where to find help" at the end
    assert html.tags.count("hr") == workbook.page_count  # between pages, and before the support lines
    assert html.tags.count("table") == sum(
        1 for c in workbook.chapters for p in c.pages for f in p.fields if f.kind == "statements"
    )
    text = squash(" ".join(html.text))
    for number, page in enumerate(document.pages, start=1):
        assert squash(page.title) in text
        assert f"Completed {WHEN_TEXT} · Answered by sam · Page {number} of {len(document.pages)}" in text
    assert "Answer 1 to why-now: café “quoted” — done" in text
    assert "[x] Safety: being respected and heard, even when we disagree" in text
    assert "- [ ] Security: knowing they'll stay and keep their word" in markdown


def test_half_answered_exports_only_completed_pages_and_marks_drafts():
    workbook = builtin()
    progress = half_answered(workbook)
    complete, drafts = page_sets(workbook, progress)
    markdown = _markdown(build_document(workbook, progress))
    assert markdown.count("\n## ") == len(complete) + 1  # and "Where to find help"
    assert "Draft" not in markdown
    with_drafts = _markdown(build_document(workbook, progress, include_drafts=True))
    assert with_drafts.count("\n## ") == len(complete) + len(drafts) + 1
    assert with_drafts.count("> **Draft:** this page is not finished yet.") == len(drafts)


def test_hostile_answers_render_as_plain_text():
    workbook = mini_workbook()
    markdown = _markdown(build_document(workbook, answered(workbook, "\n\n".join(HOSTILE.values()))))
    assert "\x1b" not in markdown and "\x00" not in markdown
    html = _rendered(markdown)
    # Only the structure we made: no HTML, links, images or code from the answers.
    assert not {"script", "img", "a", "code", "pre", "h3", "h4", "del", "s"} & set(html.tags)
    assert html.tags.count("h2") == 3 + 1  # and "Where to find help"
    assert "not bold" not in " ".join(html.strong) and "no" not in html.strong
    text = squash(" ".join(html.text))
    for key in ("html", "markup", "emoji", "rtl", "accents", "line_starts"):
        assert squash(HOSTILE[key]) in text, key
    assert "red plain after cleared" in text
    assert "w" * 5000 in no_space(text)
    assert no_space(HOSTILE["huge"]) in no_space(text)


@pytest.mark.parametrize(
    "line",
    [
        "# heading",
        "## two",
        "- item",
        "+ item",
        "* item",
        "1. one",
        "12) twelve",
        "> quote",
        "---",
        "***",
        "===",
        "    code",
        "```fence",
        "~~~fence",
        "<div>html</div>",
        "[link](http://x)",
        "![img](http://x)",
        "**bold**",
        "_em_",
        "`code`",
        "a | b",
        "&amp;",
        "&#65;",
        "trailing \\",
        "$math$",
        "~~struck~~",
    ],
)
def test_escaped_lines_render_exactly_as_typed(line):
    html = _rendered(f"Before.\n\n{escape(line)}\n\nAfter.")
    assert html.tags == ["p", "p", "p"], (line, escape(line), html.tags)
    rendered = [t for t in html.text if t.strip()][1]
    assert rendered == line.strip(), (line, escape(line))


def test_invisible_characters_in_answers_are_written_out():
    # A right-to-left override would make "I do not." read backwards; zero-width characters hide.
    workbook = mini_workbook()
    markdown = _markdown(
        build_document(workbook, answered(workbook, "I agree \u202e.ton od I\u202c zero\u200bwidth \ufeffmark"))
    )
    assert not {"\u202e", "\u202c", "\u200b", "\ufeff"} & set(markdown)
    text = " ".join(_rendered(markdown).text)
    assert "I agree [U+202E].ton od I[U+202C] zero[U+200B]width [U+FEFF]mark" in text


def test_a_huge_workbook_title_is_whole_once_and_cut_above_each_page():
    from dataclasses import replace

    title = ("A very long title " * 120_000)[:2_000_000].rstrip()
    workbook = replace(mini_workbook(), title=title)
    markdown = _markdown(build_document(workbook, answered(workbook)))
    assert markdown.count(title) == 1  # the document's heading
    assert len(markdown) < len(title) + 20_000
    assert markdown.count("title A very long\u2026 · Chapter") == 3  # each page's line, cut
