"""The printable document: what goes on paper, before any format is chosen.

:func:`build_document` picks the pages to print (completed ones, plus unfinished ones when drafts
are asked for) and turns each answer into a small, kind-specific value (:class:`TextAnswer`,
:class:`OptionsAnswer`, ...). Every string in the result has been through :func:`clean`, so the
renderers only ever see printable text: terminal escape sequences and control characters are gone
before any format is made. Answers also have their invisible characters (bidi overrides,
zero-width spaces) written out as ``[U+202E]`` by :func:`clean_answer`, in every format. The renderers (text, Markdown, HTML, PDF) then only decide looks and
escape for their own format.

Nothing here imports Textual or fpdf: the review screen can show a :class:`PrintDocument` directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from safeground.content import Field, Page, Workbook
from safeground.progress import Progress
from safeground.untrusted import CONTROL_IN_PROSE, reveal_invisible

DEFAULT_PROFILE = "default"
NO_ANSWER = "(no answer)"


class ExportError(Exception):
    """Something the person asked to export or print cannot be done, said in one plain sentence."""


class NothingToExport(ExportError):
    """No page matches: nothing is complete yet (or no draft, with drafts asked for)."""

    def __init__(self, message: str, include_drafts: bool = False):
        self.include_drafts = include_drafts
        super().__init__(message)


class UnknownChapter(ExportError):
    """A chapter id that the workbook does not have."""

    def __init__(self, unknown: list[str], valid: list[str]):
        self.unknown = unknown
        self.valid = valid
        names = ", ".join(repr(u) for u in unknown)
        super().__init__(f"no chapter {names} in this workbook; its chapters are: {', '.join(valid)}")


# -- cleaning text --------------------------------------------------------------------------------

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), the string
# sequences DCS/SOS/PM/APC, and other two- or three-byte ESC sequences. (The 8-bit controls, such
# as U+009B, are removed one by one with the other control characters: alone they do nothing.)
# A sequence left unterminated ends at the end of its line, so it never swallows the answer.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?
    | \x1b\][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[PX^_][^\x1b\x9c\n]*(?:\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?
    """,
    re.VERBOSE,
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")


def clean(text: Any, *, single_line: bool = False) -> str:
    """``text`` with only printable characters, newlines and spaces left.

    Removes terminal escape sequences (as whole sequences, so no ``[31m`` is left behind) and every
    other control character; turns any kind of line break into ``\\n`` and tabs into spaces (tab
    stops every 4 columns); replaces lone surrogates, which no file format can hold, with U+FFFD.
    Trailing spaces go, and so do blank lines at either end. With ``single_line``, line breaks
    become spaces (for titles, prompts and option labels).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _SURROGATE.sub("\ufffd", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    # Every control character but newline and tab, in one pass of a regular expression: a
    # character-by-character test made a long answer's export wait on this line.
    text = CONTROL_IN_PROSE.sub("", text)
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    if single_line:
        return " ".join(line.strip() for line in lines if line.strip())
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def clean_answer(text: Any, *, single_line: bool = False) -> str:
    """:func:`clean`, and then every bidi control and stray zero-width character written out as
    ``[U+202E]`` (see :func:`safeground.untrusted.reveal_invisible`).

    For what a person wrote (or what a hand-edited progress file says they wrote), so the paper
    shows exactly what is in the answer: an override can make ``I do not agree`` read as something
    else, and a zero-width character can hide inside a word. The workbook's own text is left as
    its author wrote it: a right-to-left workbook needs its isolates and embeddings to lay out.
    """
    return reveal_invisible(clean(text, single_line=single_line))


def paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    """An answer's cleaned text (:func:`clean_answer`) as paragraphs (split at blank lines), each
    a tuple of its lines."""
    result: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in clean_answer(text).split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            result.append(tuple(current))
            current = []
    if current:
        result.append(tuple(current))
    return tuple(result)


def base_direction(text: str) -> str:
    """``"rtl"`` when the first strongly directional letter is right-to-left, else ``"ltr"``
    (what ``dir="auto"`` does in HTML)."""
    # Each character once, in the order they first appear: a long answer with no letters at all
    # is then a few dozen look-ups rather than one per character.
    for char in dict.fromkeys(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter. Each distinct character is looked at
    once: a long answer repeats the same few dozen."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in set(text))


# -- the workbook's own text (a little Markdown) --------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Quote:
    spans: Inline


Block = Paragraph | Heading | BulletList | Quote

_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_ORDERED = re.compile(r"^\s{0,3}(\d{1,9})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_INLINE = re.compile(
    r"""
      (?P<escape>\\[\\`*_{}\[\]()#+\-.!|~<>"'])
    | (?P<code>`+)(?P<code_text>.+?)(?P=code)
    | \*\*(?P<bold>[^\s*](?:.*?[^\s*])?)\*\*
    | (?<![\w_])__(?P<bold2>[^\s_](?:.*?[^\s_])?)__(?![\w_])
    | (?<![\w*])\*(?P<italic>[^\s*](?:[^*]*?[^\s*])?)\*(?![\w*])
    | (?<![\w_])_(?P<italic2>[^\s_](?:[^_]*?[^\s_])?)_(?![\w_])
    | \[(?P<link>[^\]]+)\]\((?P<url>[^)\s]+)\)
    """,
    re.VERBOSE,
)


def parse_inline(text: str, bold: bool = False, italic: bool = False) -> Inline:
    """``**bold**``, ``*italic*``/``_italic_``, ```code```, ``[text](url)`` and backslash escapes.

    Anything else is text as written: ``I feel ___ when ___`` keeps its blanks.
    """
    spans: list[Span] = []

    def add(piece: str, b: bool, i: bool) -> None:
        if not piece:
            return
        if spans and spans[-1].bold == b and spans[-1].italic == i:
            spans[-1] = Span(spans[-1].text + piece, b, i)
        else:
            spans.append(Span(piece, b, i))

    position = 0
    for match in _INLINE.finditer(text):
        add(text[position : match.start()], bold, italic)
        position = match.end()
        if match.group("escape"):
            add(match.group("escape")[1], bold, italic)
        elif match.group("code"):
            add(match.group("code_text"), bold, italic)
        elif match.group("bold") or match.group("bold2"):
            for span in parse_inline(match.group("bold") or match.group("bold2"), True, italic):
                add(span.text, span.bold, span.italic)
        elif match.group("italic") or match.group("italic2"):
            for span in parse_inline(match.group("italic") or match.group("italic2"), bold, True):
                add(span.text, span.bold, span.italic)
        else:
            add(f"{match.group('link')} ({match.group('url')})", bold, italic)
    add(text[position:], bold, italic)
    return tuple(spans)


def parse_text(source: str) -> tuple[Block, ...]:
    """A page's text (the workbook's Markdown) as blocks: paragraphs, headings, lists, quotes."""
    blocks: list[Block] = []
    lines = clean(source).split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if heading := _HEADING.match(line):
            blocks.append(Heading(len(heading.group(1)), parse_inline(heading.group(2))))
            index += 1
            continue
        bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
        if bullet or ordered:
            pattern = _ORDERED if ordered else _BULLET
            start = int(ordered.group(1)) if ordered else 1
            items: list[str] = []
            while index < len(lines) and lines[index].strip():
                item = pattern.match(lines[index])
                if item:
                    items.append(item.group(item.lastindex or 1))
                elif items:
                    items[-1] += " " + lines[index].strip()  # a continuation line
                index += 1
            blocks.append(BulletList(tuple(parse_inline(item) for item in items), bool(ordered), start))
            continue
        if _QUOTE.match(line):
            quoted: list[str] = []
            while index < len(lines) and (quote := _QUOTE.match(lines[index])):
                quoted.append(quote.group(1).strip())
                index += 1
            blocks.append(Quote(parse_inline(" ".join(q for q in quoted if q))))
            continue
        joined: list[str] = []
        while (
            index < len(lines)
            and lines[index].strip()
            and not (
                _HEADING.match(lines[index])
                or _BULLET.match(lines[index])
                or _ORDERED.match(lines[index])
                or _QUOTE.match(lines[index])
            )
        ):
            joined.append(lines[index].strip())
            index += 1
        blocks.append(Paragraph(parse_inline(" ".join(joined))))
    return tuple(blocks)


def plain(spans: Inline) -> str:
    """Spans without their emphasis."""
    return "".join(span.text for span in spans)


# -- answers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A scale's range and end labels, shared by ``scale`` and ``statements`` fields."""

    min: int
    max: int
    min_label: str = ""
    max_label: str = ""

    def rating(self, value: int) -> str:
        """``"4 of 5"``; with the end's label at either end: ``"5 of 5 (Very true)"``."""
        text = f"{value} of {self.max}" if self.min in (0, 1) else f"{value} (from {self.min} to {self.max})"
        if value == self.min and self.min_label:
            return f"{text} ({self.min_label})"
        if value == self.max and self.max_label:
            return f"{text} ({self.max_label})"
        return text

    def describe(self, value: int) -> str:
        """A rating that reads on its own: ``"7 of 10, on a scale from 1 (Far apart) to 10 (Very
        close)"``. At either end the end's label says it all: ``"10 of 10 (Very close)"``."""
        if value in (self.min, self.max) and (self.min_label if value == self.min else self.max_label):
            return self.rating(value)
        return f"{self.rating(value)}, {self.key}"

    @property
    def key(self) -> str:
        """``"on a scale from 1 (Not true at all) to 5 (Very true)"``."""
        low = f"{self.min} ({self.min_label})" if self.min_label else str(self.min)
        high = f"{self.max} ({self.max_label})" if self.max_label else str(self.max)
        return f"on a scale from {low} to {high}"


@dataclass(frozen=True)
class NoAnswer:
    """An unanswered field: printed as ``(no answer)`` in every format."""

    text: str = NO_ANSWER


@dataclass(frozen=True)
class TextAnswer:
    """Written text: paragraphs (split at blank lines), each a tuple of the lines as typed."""

    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(lines) for lines in self.paragraphs)


@dataclass(frozen=True)
class OptionMark:
    label: str
    chosen: bool


@dataclass(frozen=True)
class OptionsAnswer:
    """A choice or checklist: every option, in the workbook's order, with the chosen ones marked."""

    options: tuple[OptionMark, ...]
    multiple: bool

    @property
    def chosen(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options if o.chosen)


@dataclass(frozen=True)
class ScaleAnswer:
    value: int
    scale: Scale

    @property
    def text(self) -> str:
        return self.scale.describe(self.value)


@dataclass(frozen=True)
class StatementRow:
    statement: str
    rating: int | None
    scale: Scale

    @property
    def rating_text(self) -> str:
        return NO_ANSWER if self.rating is None else self.scale.rating(self.rating)


@dataclass(frozen=True)
class StatementsAnswer:
    """A table of statement and rating, one row per statement."""

    rows: tuple[StatementRow, ...]
    scale: Scale


@dataclass(frozen=True)
class ListAnswer:
    """A list's items, blank ones left out; an item may have several lines."""

    items: tuple[str, ...]


Answer = NoAnswer | TextAnswer | OptionsAnswer | ScaleAnswer | StatementsAnswer | ListAnswer


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def make_answer(fld: Field, value: Any) -> Answer:
    """The printable form of ``value`` for ``fld``. Forgiving: whatever still fits the field is
    shown (a checklist keeps the options the workbook still has), anything else is no answer."""
    kind = fld.kind
    if kind in ("text", "long_text"):
        if isinstance(value, str):
            found = paragraphs(value)
            if found:
                return TextAnswer(found)
        return NoAnswer()
    if kind in ("choice", "checklist"):
        if kind == "choice":
            picked = {value} if isinstance(value, str) else set()
        else:
            picked = {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()
        marks = tuple(OptionMark(clean(o.label, single_line=True), o.id in picked) for o in fld.options)
        if not any(m.chosen for m in marks):
            return NoAnswer()
        return OptionsAnswer(marks, multiple=kind == "checklist")
    scale = Scale(fld.min, fld.max, clean(fld.min_label, single_line=True), clean(fld.max_label, single_line=True))
    if kind == "scale":
        if _is_int(value) and fld.min <= value <= fld.max:
            return ScaleAnswer(value, scale)
        return NoAnswer()
    if kind == "statements":
        ratings = value if isinstance(value, dict) else {}
        rows = tuple(
            StatementRow(
                clean(s.label, single_line=True),
                ratings[s.id] if _is_int(ratings.get(s.id)) and fld.min <= ratings[s.id] <= fld.max else None,
                scale,
            )
            for s in fld.statements
        )
        if all(row.rating is None for row in rows):
            return NoAnswer()
        return StatementsAnswer(rows, scale)
    if kind == "list":
        items = tuple(clean_answer(item) for item in value if isinstance(item, str)) if isinstance(value, list) else ()
        items = tuple(item for item in items if item.strip())
        return ListAnswer(items) if items else NoAnswer()
    return NoAnswer()


# -- pages and the document -----------------------------------------------------------------------


@dataclass(frozen=True)
class PrintField:
    id: str
    kind: str
    prompt: str
    answer: Answer
    required: bool = True


@dataclass(frozen=True)
class PrintPage:
    """One workbook page as it prints: it always starts on a new sheet."""

    chapter_id: str
    chapter_title: str
    id: str
    title: str
    text: tuple[Block, ...]
    fields: tuple[PrintField, ...]
    #: The day the page was completed (local time), or None for a draft or an unknown date.
    completed: date | None
    draft: bool
    #: 1-based position among the pages of the document.
    number: int


@dataclass(frozen=True)
class PrintDocument:
    workbook_id: str
    workbook_title: str
    profile: str
    pages: tuple[PrintPage, ...]
    include_drafts: bool = False
    lang: str = "en"

    @property
    def title(self) -> str:
        return self.workbook_title

    def footer(self, page: PrintPage) -> list[str]:
        """The footer's parts for ``page``, without the page number (each format counts its own)."""
        parts = []
        if page.draft:
            parts.append("Draft: not finished")
        elif page.completed:
            parts.append(f"Completed {format_date(page.completed)}")
        if self.profile and self.profile != DEFAULT_PROFILE:
            parts.append(f"Profile: {self.profile}")
        return parts

    def context(self, page: PrintPage) -> tuple[str, str]:
        """The workbook's and the chapter's titles for the line repeated at the top of ``page``,
        each cut to :data:`CONTEXT_CHARS` (the document's own heading keeps the whole title)."""
        return shorten(self.workbook_title), shorten(page.chapter_title)

    def page_label(self, page: PrintPage) -> str:
        return f"Page {page.number} of {len(self.pages)}"


#: The most of a title that the line at the top of every page repeats.
CONTEXT_CHARS = 300


def shorten(text: str, limit: int = CONTEXT_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis. For lines repeated on every page: a
    workbook with a 2 MB title made a 40 MB text file, and its PDF took 13 s to make."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_date(day: date) -> str:
    """``12 March 2026``: no month/day order to misread."""
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _local_date(moment: Any) -> date | None:
    if isinstance(moment, datetime):
        return (moment.astimezone() if moment.tzinfo else moment).date()
    if isinstance(moment, date):
        return moment
    return None


def select_chapters(workbook: Workbook, chapters: Iterable[str] | None) -> list[str]:
    """The chapter ids to print, in the workbook's order; raises :class:`UnknownChapter`."""
    valid = [c.id for c in workbook.chapters]
    if chapters is None:
        return valid
    wanted = list(dict.fromkeys(chapters))
    unknown = [c for c in wanted if c not in valid]
    if unknown:
        raise UnknownChapter(unknown, valid)
    return [c for c in valid if c in wanted]


def _print_page(
    workbook: Workbook, progress: Progress, chapter_id: str, page: Page, draft: bool, number: int
) -> PrintPage:
    chapter = workbook.chapter(chapter_id)
    assert chapter is not None
    fields = tuple(
        PrintField(
            id=fld.id,
            kind=fld.kind,
            prompt=clean(fld.prompt, single_line=True),
            answer=make_answer(fld, progress.get(chapter_id, page.id, fld.id)),
            required=fld.required,
        )
        for fld in page.fields
    )
    return PrintPage(
        chapter_id=chapter_id,
        chapter_title=clean(chapter.title, single_line=True),
        id=page.id,
        title=clean(page.title, single_line=True),
        text=parse_text(page.text),
        fields=fields,
        completed=None if draft else _local_date(progress.completed_on(chapter_id, page.id)),
        draft=draft,
        number=number,
    )


def build_document(
    workbook: Workbook,
    progress: Progress,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
) -> PrintDocument:
    """The pages to print, in workbook order.

    Completed pages always; with ``include_drafts``, also pages that are started but not finished
    (marked as drafts). Pages nobody has touched are never printed. ``chapters`` limits the export
    to those chapter ids (unknown ids raise :class:`UnknownChapter`). Raises
    :class:`NothingToExport` when no page matches.
    """
    selected = select_chapters(workbook, chapters)
    pages: list[PrintPage] = []
    for chapter in workbook.chapters:
        if chapter.id not in selected:
            continue
        for page in chapter.pages:
            if progress.page_complete(chapter.id, page):
                pages.append(_print_page(workbook, progress, chapter.id, page, False, len(pages) + 1))
            elif include_drafts and progress.page_started(chapter.id, page):
                pages.append(_print_page(workbook, progress, chapter.id, page, True, len(pages) + 1))
    if not pages:
        where = "" if chapters is None else (" in the chapter" + ("s" if len(selected) > 1 else "") + " you chose")
        if include_drafts:
            raise NothingToExport(f"nothing to export: no page has any answers yet{where}", include_drafts)
        raise NothingToExport(f"nothing to export: no page is complete yet{where}", include_drafts)
    return PrintDocument(
        workbook_id=workbook.id,
        workbook_title=clean(workbook.title, single_line=True),
        profile=profile or DEFAULT_PROFILE,
        pages=tuple(pages),
        include_drafts=include_drafts,
    )
