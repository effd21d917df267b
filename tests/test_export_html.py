"""HTML export: one self-contained file, print CSS, every answer escaped, nothing fetched or run."""

from __future__ import annotations

import re
from html.parser import HTMLParser

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
    squash,
)
from safeground.export import build_document, render


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.style = ""
        self._in = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = ""

    def handle_data(self, data):
        if self._in == "style":
            self.style += data
        elif self._in != "title":
            self.text.append(data)

    def tags(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.elements if tag == name]


def _html(document) -> tuple[str, _Page]:
    html = render(document, "html").data.decode("utf-8")
    page = _Page()
    page.feed(html)
    page.close()
    return html, page


def _assert_self_contained_and_inert(html: str, page: _Page) -> None:
    forbidden = {
        "script",
        "iframe",
        "object",
        "embed",
        "img",
        "link",
        "base",
        "form",
        "input",
        "svg",
        "math",
        "video",
        "audio",
    }
    assert not forbidden & {tag for tag, _ in page.elements}
    for tag, attrs in page.elements:
        for name in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "href", "srcset", "action", "formaction", "background", "style"), (tag, name)
    assert "@import" not in page.style and "url(" not in page.style
    assert not re.search(r"https?://", page.style)
    csp = [a for a in page.tags("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"] and "script-src" not in csp[0]["content"]


@pytest.fixture(scope="module")
def full():
    workbook = builtin()
    document = build_document(workbook, answered(workbook), profile="sam", include_private=True)
    return workbook, document, *_html(document)


def test_a_fully_answered_workbook(full):
    workbook, document, html, page = full
    assert html.startswith("<!DOCTYPE html>")
    assert page.tags("html") == [{"lang": "en"}]
    assert page.tags("meta")[0] == {"charset": "utf-8"}
    _assert_self_contained_and_inert(html, page)
    sections = [a for a in page.tags("section") if "page" in a.get("class", "").split()]
    assert len(sections) == workbook.page_count
    text = squash(" ".join(page.text))
    for number, printed in enumerate(document.pages, start=1):
        assert squash(printed.title) in text
        assert f"Completed {WHEN_TEXT} · Answered by sam · Page {number} of {len(document.pages)}" in text
    assert "☑ Safety: being respected and heard, even when we disagree" in text
    assert "☐ Security: knowing they'll stay and keep their word" in text
    assert "Answer 1 to why-now: café “quoted” — done" in text
    assert len(page.tags("table")) == sum(
        1 for c in workbook.chapters for p in c.pages for f in p.fields if f.kind == "statements"
    )


def test_print_css(full):
    _, _, _, page = full
    css = page.style
    assert re.search(r"@page\s*{[^}]*margin", css)
    assert "page-break-before: always" in css and "break-before: page" in css
    assert "overflow-wrap: anywhere" in css


def test_answers_carry_dir_auto(full):
    _, _, _, page = full
    answers = [a for tag, a in page.elements if tag in ("p", "li", "span") and a.get("dir") == "auto"]
    assert len(answers) > 20


def test_half_answered_exports_only_completed_pages_and_marks_drafts():
    workbook = builtin()
    progress = half_answered(workbook)
    complete, drafts = page_sets(workbook, progress)
    _, page = _html(build_document(workbook, progress))
    assert len(page.tags("h2")) == len(complete) + 1  # and "Where to find help"
    assert not [a for a in page.tags("p") if a.get("class") == "draft"]
    _, page = _html(build_document(workbook, progress, include_drafts=True))
    assert len(page.tags("h2")) == len(complete) + len(drafts) + 1
    assert len([a for a in page.tags("p") if a.get("class") == "draft"]) == len(drafts)
    assert len([a for a in page.tags("section") if "draft-page" in a.get("class", "")]) == len(drafts)


def test_hostile_answers_are_escaped_and_inert():
    workbook = mini_workbook()
    html, page = _html(build_document(workbook, answered(workbook, "\n\n".join(HOSTILE.values()))))
    _assert_self_contained_and_inert(html, page)
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    assert "\x1b" not in html and "\x00" not in html
    text = squash(" ".join(page.text))
    for key in ("html", "markup", "emoji", "rtl", "accents", "line_starts"):
        assert squash(HOSTILE[key]) in text, key
    assert "w" * 5000 in no_space(text)
    assert no_space(HOSTILE["huge"]) in no_space(text)
    assert len([a for a in page.tags("section")]) == 3


def test_invisible_characters_in_answers_are_written_out():
    # A right-to-left override would make "I do not." read backwards; zero-width characters hide.
    workbook = mini_workbook()
    html, page = _html(
        build_document(workbook, answered(workbook, "I agree \u202e.ton od I\u202c zero\u200bwidth \ufeffmark"))
    )
    assert not {"\u202e", "\u202c", "\u200b", "\ufeff"} & set(html)
    assert "I agree [U+202E].ton od I[U+202C] zero[U+200B]width [U+FEFF]mark" in " ".join(page.text)


def test_a_huge_workbook_title_is_whole_at_the_top_and_cut_above_each_page():
    from dataclasses import replace

    title = ("A very long title " * 120_000)[:2_000_000].rstrip()
    workbook = replace(mini_workbook(), title=title)
    html, page = _html(build_document(workbook, answered(workbook)))
    assert html.count(title) == 2  # <title> and the heading
    assert len(html) < 2 * len(title) + 40_000
    assert html.count("title A very long\u2026 · Chapter") == 3


def test_hostile_workbook_text_is_read_as_markdown_and_shown_as_text():
    """The workbook's own text goes through markdown-it with raw HTML off, then through our
    escaping: a workbook folder is as untrusted as an answer."""
    from dataclasses import replace

    workbook = mini_workbook()
    chapter = workbook.chapters[0]
    hostile = (
        '**Bold** <script>alert("x")</script> & <img src=x onerror=alert(1)> \x1b[31mred\x1b[0m &#x1b;'
        "\n\n- [a link](javascript:alert(1))\n\n<iframe src=https://example.org></iframe>"
    )
    page = replace(chapter.pages[0], text=hostile)
    workbook = replace(workbook, chapters=(replace(chapter, pages=(page, *chapter.pages[1:])), *workbook.chapters[1:]))
    html, parsed = _html(build_document(workbook, answered(workbook)))
    _assert_self_contained_and_inert(html, parsed)
    assert "<strong>Bold</strong>" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; red" in html
    assert "&lt;iframe src=https://example.org&gt;&lt;/iframe&gt;" in html
    assert "[a link](javascript:alert(1))" in html
    assert "\x1b" not in html and "[31m" not in html
