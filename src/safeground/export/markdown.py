"""Markdown: readable as it is, and renders in common viewers (CommonMark with GitHub's tables and
task lists).

Whatever a person wrote is escaped wherever it would change the rendering: ``*``, ``_``, ``[``,
``<``, ``|`` and friends get a backslash, and so does anything at the start of a line that would
make a heading, a list, a quote or a rule. So an answer shows exactly as typed, never as a link,
a heading or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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

# Characters that can start or end Markdown syntax anywhere in a line (GitHub's ~ and $ included).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What a line may not start with: a heading, a list item, a quote, a rule, a setext underline, a
# table row or a fenced code block.
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-+\s*$|>|```|~~~)")
_HARD_BREAK = "\\\n"


def escape_inline(text: str) -> str:
    """Text inside a line: every character that could start Markdown syntax gets a backslash."""
    return _ENTITY.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


def _guard_line_start(text: str) -> str:
    text = text.strip()  # leading spaces would make a code block
    match = _LINE_START.match(text)
    if match:
        token = match.group(0)
        if token[0].isdigit():
            # "1." at the start of a line is a numbered list: escape the dot or parenthesis.
            return token + "\\" + text[len(token) :]
        return "\\" + text
    return text


def escape(text: str) -> str:
    """One line of text, shown as written in any Markdown viewer."""
    return _guard_line_start(escape_inline(text))


def escape_lines(lines: tuple[str, ...] | list[str]) -> str:
    """Several lines of one paragraph, each kept on its own line (hard line breaks)."""
    return _HARD_BREAK.join(escape(line) for line in lines)


def inline(spans: Inline) -> str:
    """The workbook's own text, its emphasis kept and everything else escaped."""
    out = []
    for span in spans:
        text = escape_inline(span.text)
        if span.text.strip() and (span.bold or span.italic):
            # Emphasis markers must touch the text: keep the spaces outside them.
            core = text.strip()
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            mark = "***" if span.bold and span.italic else "**" if span.bold else "*"
            text = f"{lead}{mark}{core}{mark}{trail}"
        out.append(text)
    return _guard_line_start("".join(out))


def _written(answer: TextAnswer) -> list[str]:
    return [escape_lines(lines) for lines in answer.paragraphs]


def _options(answer: OptionsAnswer) -> list[str]:
    return ["\n".join(f"- [{'x' if o.chosen else ' '}] {escape(o.label)}" for o in answer.options)]


def _scale(answer: ScaleAnswer) -> list[str]:
    return [escape(answer.text)]


def _statements(answer: StatementsAnswer) -> list[str]:
    rows = ["| Statement | Rating |", "| --- | --- |"]
    rows += [f"| {escape(row.statement)} | {escape(row.rating_text)} |" for row in answer.rows]
    return [f"*{escape(answer.scale.sentence)}*", "\n".join(rows)]


def _items(answer: ListAnswer) -> list[str]:
    items = []
    for item in answer.items:
        lines = item.split("\n")
        items.append("- " + (_HARD_BREAK + "  ").join(escape(line) for line in lines))
    return ["\n".join(items)]


#: Field kind -> its answer's paragraphs (the kinds of ``answers.ANSWER_MAKERS``; each function
#: takes the answer type that kind's maker returns).
FIELD_RENDERERS: dict[str, Callable[[Any], list[str]]] = {
    "text": _written,
    "long_text": _written,
    "choice": _options,
    "checklist": _options,
    "scale": _scale,
    "statements": _statements,
    "list": _items,
}


def _answer(field: PrintField) -> list[str]:
    answer = field.answer
    if isinstance(answer, NoAnswer):
        return [f"*{escape(answer.text)}*"]
    return FIELD_RENDERERS[field.kind](answer)


def render_page(document: PrintDocument, page: PrintPage) -> str:
    workbook_title, chapter_title = document.context(page)
    parts = [f"## {escape(page.title)}", f"*{escape(workbook_title)} · {escape(chapter_title)}*"]
    if page.draft:
        parts.append("> **Draft:** this page is not finished yet.")
    for block in page.text:
        if isinstance(block, Paragraph):
            parts.append(inline(block.spans))
        elif isinstance(block, Heading):
            parts.append(f"{'#' * min(6, block.level + 2)} {inline(block.spans)}")
        elif isinstance(block, Quote):
            parts.append(f"> {inline(block.spans)}")
        elif isinstance(block, BulletList):
            if block.ordered:
                parts.append("\n".join(f"{n}. {inline(item)}" for n, item in enumerate(block.items, start=block.start)))
            else:
                parts.append("\n".join(f"- {inline(item)}" for item in block.items))
    for field in page.fields:
        parts.append(f"**{escape(field.prompt)}**")
        parts.extend(_answer(field))
    footer = " · ".join(document.footer(page) + [document.page_label(page)])
    parts.append(f"*{escape(footer)}*")
    return "\n\n".join(parts) + "\n"


def render_markdown(document: PrintDocument) -> str:
    """The whole document; workbook pages are separated by horizontal rules."""
    head = f"# {escape(document.workbook_title)}\n"
    if document.name:
        head += f"\n*{escape(document.answered_by)}*\n"
    pages = "\n---\n\n".join(render_page(document, page) for page in document.pages)
    return head + "\n" + pages + render_support(document)


def render_support(document: PrintDocument) -> str:
    """The support lines after the last page, numbers first."""
    section = document.support
    if section is None:
        return ""
    parts = [f"## {escape(section.heading)}"]
    if section.whose:
        parts.append(f"*{escape(section.whose)}*")
    parts.append(f"**{escape(section.emergency)}**")
    parts.append(
        "\n".join(
            f"- **{escape(name)}:** {escape(contact)}" + (f" ({escape(url)})" if url else "")
            for name, contact, url in section.lines
        )
    )
    return "\n---\n\n" + "\n\n".join(parts) + "\n"
