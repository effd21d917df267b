"""HTML: one self-contained file to open in a browser and print.

- Every piece of text is escaped (an answer like ``<script>`` shows as text and never runs), and a
  Content-Security-Policy allows no script and no outside resource at all, as a second lock.
- No links to fonts, style sheets, scripts or images: the CSS is inline and the fonts are the
  reader's own (system sans-serif).
- Print CSS: page margins, each workbook page starts a new sheet, page numbers in the margin where
  the browser supports it (the footer of each page carries its number too).
- Answers have ``dir="auto"``, so right-to-left text (Hebrew, Arabic) lines up as it should.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as _escape
from typing import Any

from safeground.export.answers import (
    ListAnswer,
    NoAnswer,
    OptionsAnswer,
    ScaleAnswer,
    StatementsAnswer,
    TextAnswer,
)
from safeground.export.blocks import (
    BulletList,
    Heading,
    Inline,
    Paragraph,
    Quote,
)
from safeground.export.document import (
    PrintDocument,
    PrintField,
    PrintPage,
)

CHECKED = "\u2611"  # ☑
UNCHECKED = "\u2610"  # ☐

STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
       line-height: 1.45; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
.page { margin-bottom: 3em; }
.page + .page { break-before: page; page-break-before: always; border-top: 1px solid #bbb; padding-top: 2em; }
.context { color: #555; font-size: 9.5pt; margin: 0; }
h1.title { font-size: 10pt; color: #555; font-weight: normal; margin: 0 0 1em; }
h2 { font-size: 17pt; margin: 0.2em 0 0.6em; }
.draft { border: 2px solid #111; padding: 0.3em 0.6em; font-weight: bold; display: inline-block; }
.text p, .text li { color: #222; }
.field { margin: 1.2em 0; break-inside: auto; }
.prompt { font-weight: bold; margin: 0 0 0.3em; }
.answer { margin: 0 0 0 1.2em; }
.answer p { margin: 0 0 0.6em; white-space: pre-wrap; }
.line { display: block; }
.answer, .answer p, .answer li, .answer td { overflow-wrap: anywhere; word-break: break-word; }
.none { color: #666; font-style: italic; }
ul.options { list-style: none; padding: 0; margin: 0; }
ul.options li { margin: 0.1em 0; }
ul.options .mark { display: inline-block; width: 1.4em; }
ul.options li.chosen { font-weight: bold; }
ul.items { margin: 0; padding-left: 1.2em; }
table { border-collapse: collapse; width: 100%; margin-top: 0.3em; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-align: start; vertical-align: top; }
th { background: #eee; }
td.rating { white-space: nowrap; width: 12em; }
.key { color: #444; font-style: italic; margin: 0 0 0.3em; }
footer { margin-top: 2em; border-top: 1px solid #999; padding-top: 0.3em; color: #444; font-size: 9pt; }
@page { margin: 18mm 16mm 20mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .page { margin-bottom: 0; }
  .page + .page { border-top: none; padding-top: 0; }
  th { background: none; }
}
""".strip()

# No script, no outside font, style sheet, image or frame: only the inline style above.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(text: str) -> str:
    return _escape(text, quote=True)


def inline(spans: Inline) -> str:
    out = []
    for span in spans:
        text = esc(span.text)
        if span.italic:
            text = f"<em>{text}</em>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _lines(lines: tuple[str, ...] | list[str]) -> str:
    """Lines as typed, each in its own direction (a Hebrew line right to left, an English one left
    to right), as Unicode's bidi rules treat separate lines."""
    return "".join(f'<span class="line" dir="auto">{esc(line)}</span>' for line in lines)


def _written(answer: TextAnswer) -> str:
    return "".join(f'<p dir="auto">{_lines(lines)}</p>' for lines in answer.paragraphs)


def _options(answer: OptionsAnswer) -> str:
    items = "".join(
        f'<li class="{"chosen" if o.chosen else "not-chosen"}"><span class="mark">'
        f'{CHECKED if o.chosen else UNCHECKED}</span> <span class="label">{esc(o.label)}</span></li>'
        for o in answer.options
    )
    return f'<ul class="options">{items}</ul>'


def _scale(answer: ScaleAnswer) -> str:
    return f'<p dir="auto">{esc(answer.text)}</p>'


def _statements(answer: StatementsAnswer) -> str:
    rows = "".join(
        f'<tr><td dir="auto">{esc(row.statement)}</td><td class="rating">{esc(row.rating_text)}</td></tr>'
        for row in answer.rows
    )
    return (
        f'<p class="key">{esc(answer.scale.sentence)}</p>'
        f'<table><thead><tr><th scope="col">Statement</th><th scope="col">Rating</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _items(answer: ListAnswer) -> str:
    items = "".join(f'<li dir="auto">{_lines(item.split(chr(10)))}</li>' for item in answer.items)
    return f'<ul class="items">{items}</ul>'


#: Field kind -> its answer's HTML (the kinds of ``answers.ANSWER_MAKERS``; each function takes the
#: answer type that kind's maker returns). Every piece of text goes through esc().
FIELD_RENDERERS: dict[str, Callable[[Any], str]] = {
    "text": _written,
    "long_text": _written,
    "choice": _options,
    "checklist": _options,
    "scale": _scale,
    "statements": _statements,
    "list": _items,
}


def _answer(field: PrintField) -> str:
    answer = field.answer
    if isinstance(answer, NoAnswer):
        return f'<p class="none">{esc(answer.text)}</p>'
    return FIELD_RENDERERS[field.kind](answer)


def _block(block: object) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline(block.spans)}</p>"
    if isinstance(block, Heading):
        level = min(6, block.level + 2)
        return f"<h{level}>{inline(block.spans)}</h{level}>"
    if isinstance(block, Quote):
        return f"<blockquote><p>{inline(block.spans)}</p></blockquote>"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{inline(item)}</li>" for item in block.items)
        if block.ordered:
            start = f' start="{block.start}"' if block.start != 1 else ""
            return f"<ol{start}>{items}</ol>"
        return f"<ul>{items}</ul>"
    return ""


def render_page(document: PrintDocument, page: PrintPage) -> str:
    workbook_title, chapter_title = document.context(page)
    parts = [
        f'<section class="page{" draft-page" if page.draft else ""}" id="{esc(page.chapter_id)}--{esc(page.id)}">',
        f'<p class="context">{esc(workbook_title)} · {esc(chapter_title)}</p>',
        f"<h2>{esc(page.title)}</h2>",
    ]
    if page.draft:
        parts.append('<p class="draft">Draft: this page is not finished yet.</p>')
    parts.append('<div class="text">' + "".join(_block(b) for b in page.text) + "</div>")
    for field in page.fields:
        parts.append(
            f'<div class="field field-{esc(field.kind)}"><p class="prompt">{esc(field.prompt)}</p>'
            f'<div class="answer">{_answer(field)}</div></div>'
        )
    footer = " · ".join(document.footer(page) + [document.page_label(page)])
    parts.append(f"<footer>{esc(footer)}</footer>")
    parts.append("</section>")
    return "\n".join(parts)


def render_support(document: PrintDocument) -> str:
    """The support lines after the last page, numbers first; addresses as text, not links (the
    page allows no navigation, and a printed address is what can be typed)."""
    section = document.support
    if section is None:
        return ""
    parts = ['<aside class="support">', f"<h2>{esc(section.heading)}</h2>"]
    if section.whose:
        parts.append(f'<p class="context">{esc(section.whose)}</p>')
    parts.append(f"<p><strong>{esc(section.emergency)}</strong></p>")
    parts.append("<ul>")
    parts += [
        f"<li><strong>{esc(name)}:</strong> {esc(contact)}" + (f" ({esc(url)})" if url else "") + "</li>"
        for name, contact, url in section.lines
    ]
    parts += ["</ul>", "</aside>\n"]
    return "\n".join(parts)


def render_html(document: PrintDocument) -> str:
    pages = "\n".join(render_page(document, page) for page in document.pages)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(document.lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(document.title)}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        f'<h1 class="title">{esc(document.workbook_title)}</h1>\n'
        + (f'<p class="whose">{esc(document.answered_by)}</p>\n' if document.name else "")
        + f"{pages}\n"
        + render_support(document)
        + "</body>\n"
        "</html>\n"
    )
