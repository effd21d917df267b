"""Plain text: 80 columns, one workbook page per printed page, pages separated by form feeds.

Widths are counted in terminal columns, not characters: wide (East Asian, most emoji) characters
take two, combining marks none, so no line is ever wider than the page. Words longer than a line
are broken. The answers were cleaned when the document was built (no escape sequences, no control
characters), so the output is safe to ``cat`` to a terminal or send to a line printer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
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
    Paragraph,
    Quote,
    plain,
)
from safeground.export.document import (
    PrintDocument,
    PrintField,
    PrintPage,
)

WIDTH = 80
FORM_FEED = "\f"
#: How far answers sit in from their prompts.
INDENT = "    "


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns ``char`` takes in a terminal. Cached: a long answer asks about the same few dozen
    characters hundreds of thousands of times."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    if text.isascii():
        return len(text)  # what char_width says of every ASCII character, without asking
    return sum(map(char_width, text))


def _split_to_width(word: str, width: int) -> list[str]:
    """Break a word that is wider than ``width`` into pieces that fit.

    Cut by position, not built up a character at a time: a pasted run of a million characters
    with no space is one "word"."""
    if word.isascii():
        step = max(1, width)
        return [word[start : start + step] for start in range(0, len(word), step)]
    widths = {char: char_width(char) for char in set(word)}
    pieces, start, used = [], 0, 0
    for index, w in enumerate(map(widths.__getitem__, word)):
        if used + w > width and index > start:
            pieces.append(word[start:index])
            start, used = index, 0
        used += w
    if start < len(word):
        pieces.append(word[start:])
    return pieces


def wrap(text: str, width: int = WIDTH, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Greedy word wrap of one line of text to ``width`` columns, counting display width."""
    subsequent = indent if subsequent is None else subsequent
    lines: list[str] = []
    current, used, prefix = indent, text_width(indent), indent
    has_words = False
    for word in text.split():
        w = text_width(word)
        room = width - text_width(prefix)
        if has_words and used + 1 + w <= width:
            current += " " + word
            used += 1 + w
            continue
        if has_words:
            lines.append(current)
            prefix = subsequent
            current, used = prefix, text_width(prefix)
            room = width - used
        if w > room:
            pieces = _split_to_width(word, max(1, room))
            for piece in pieces[:-1]:
                lines.append(current + piece)
                prefix = subsequent
                current, used = prefix, text_width(prefix)
                room = width - used
            word, w = pieces[-1], text_width(pieces[-1])
        current += word
        used += w
        has_words = True
    if has_words:
        lines.append(current)
    return lines


def _lines(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """Each line of ``text`` wrapped on its own (line breaks as written are kept)."""
    return [out for line in text.split("\n") for out in (wrap(line, width, indent) or [indent])]


def _table(rows: list[tuple[str, str]], indent: str, width: int) -> list[str]:
    """Two columns, statement and rating, each wrapped within its own column."""
    rating_width = min(max(text_width(r) for _, r in rows), 30)
    statement_width = width - text_width(indent) - 2 - rating_width
    out = []
    for statement, rating in rows:
        left = wrap(statement, statement_width) or [""]
        right = wrap(rating, rating_width) or [""]
        for number in range(max(len(left), len(right))):
            line = left[number] if number < len(left) else ""
            other = right[number] if number < len(right) else ""
            out.append(f"{indent}{line}{' ' * (statement_width - text_width(line))}  {other}".rstrip())
    return out


def _written(answer: TextAnswer, width: int) -> list[str]:
    out: list[str] = []
    for index, lines in enumerate(answer.paragraphs):
        if index:
            out.append("")
        for line in lines:
            out.extend(wrap(line, width, INDENT) or [INDENT])
    return out


def _options(answer: OptionsAnswer, width: int) -> list[str]:
    out: list[str] = []
    for option in answer.options:
        mark = "[x] " if option.chosen else "[ ] "
        out.extend(wrap(option.label, width, INDENT + mark, INDENT + "    "))
    return out


def _scale(answer: ScaleAnswer, width: int) -> list[str]:
    return wrap(answer.text, width, INDENT)


def _statements(answer: StatementsAnswer, width: int) -> list[str]:
    out = wrap(answer.scale.sentence + ":", width, INDENT)
    out.append("")
    out.extend(_table([(row.statement, row.rating_text) for row in answer.rows], INDENT, width))
    return out


def _items(answer: ListAnswer, width: int) -> list[str]:
    out: list[str] = []
    for item in answer.items:
        item_lines = item.split("\n")
        out.extend(wrap(item_lines[0], width, INDENT + "- ", INDENT + "  "))
        for more in item_lines[1:]:
            out.extend(wrap(more, width, INDENT + "  ") or [""])
    return out


#: Field kind -> its answer's lines (the kinds of ``answers.ANSWER_MAKERS``; each function takes
#: the answer type that kind's maker returns, so the first argument is typed by the table's key).
FIELD_RENDERERS: dict[str, Callable[[Any, int], list[str]]] = {
    "text": _written,
    "long_text": _written,
    "choice": _options,
    "checklist": _options,
    "scale": _scale,
    "statements": _statements,
    "list": _items,
}


#: What the review screen says under a private question's prompt.
PRIVATE_MARK = "(Private: not printed or saved unless you ask)"


def render_field(field: PrintField, width: int = WIDTH, *, mark_private: bool = False) -> list[str]:
    out = _lines(field.prompt, "")
    if mark_private and field.private:
        out.extend(wrap(PRIVATE_MARK, width, INDENT))
    answer = field.answer
    if isinstance(answer, NoAnswer):
        out.append(INDENT + answer.text)
    else:
        out.extend(FIELD_RENDERERS[field.kind](answer, width))
    return out


def render_page(document: PrintDocument, page: PrintPage, width: int = WIDTH, *, mark_private: bool = False) -> str:
    """One workbook page; ``mark_private`` notes the private questions (the review screen shows
    them, where nobody else reads along)."""
    out: list[str] = []
    out.extend(wrap(" · ".join(document.context(page)), width))
    out.append("=" * width)
    title = wrap(page.title, width)
    out.extend(title)
    out.append("-" * min(width, max(text_width(t) for t in title)))
    if page.draft:
        out.append("")
        out.append("DRAFT: this page is not finished yet.")
    for block in page.text:
        out.append("")
        if isinstance(block, Paragraph):
            out.extend(wrap(plain(block.spans), width))
        elif isinstance(block, Heading):
            out.extend(wrap(plain(block.spans).upper(), width))
        elif isinstance(block, Quote):
            out.extend(wrap(plain(block.spans), width, "  | "))
        elif isinstance(block, BulletList):
            for number, item in enumerate(block.items, start=block.start):
                marker = f"{number}. " if block.ordered else "- "
                out.extend(wrap(plain(item), width, "  " + marker, "  " + " " * len(marker)))
    for field in page.fields:
        out.append("")
        out.extend(render_field(field, width, mark_private=mark_private))
    out.append("")
    out.append("-" * width)
    out.extend(wrap(" · ".join(document.footer(page) + [document.page_label(page)]), width))
    return "\n".join(line.rstrip() for line in out) + "\n"


def render_text(document: PrintDocument, width: int = WIDTH) -> str:
    """The whole document as text; workbook pages are separated by form feeds, and the support
    lines follow the last one (on its sheet: they are not one of the pages)."""
    return FORM_FEED.join(render_page(document, page, width) for page in document.pages) + render_support(
        document, width
    )


def render_support(document: PrintDocument, width: int = WIDTH) -> str:
    if document.support is None:
        return ""
    out = ["", "=" * width]
    for line in document.support.text_lines():
        out.extend(wrap(line, width, "", "  ") if line else [""])
    return "\n".join(line.rstrip() for line in out) + "\n"
