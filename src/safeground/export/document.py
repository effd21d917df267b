"""The printable document: what goes on paper, before any format is chosen.

:func:`build_document` picks the pages to print (completed ones, plus unfinished ones when drafts
are asked for) and turns each answer into a small, kind-specific value (see
:mod:`safeground.export.answers`) and each page's own text into blocks (see
:mod:`safeground.export.blocks`). Every string in the result has been through
:func:`~safeground.export.cleaning.clean`, so the renderers only ever see printable text; answers
also have their invisible characters (bidi overrides, zero-width spaces) written out as
``[U+202E]``. The renderers (text, Markdown, HTML, PDF) then only decide looks and escape for
their own format.

Nothing here imports Textual or fpdf: the review screen can show a :class:`PrintDocument` directly.
The names of the modules it is built from are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from safeground.content import Page, Workbook
from safeground.export.answers import (
    NO_ANSWER,
    Answer,
    ListAnswer,
    NoAnswer,
    OptionMark,
    OptionsAnswer,
    Scale,
    ScaleAnswer,
    StatementRow,
    StatementsAnswer,
    TextAnswer,
    make_answer,
)
from safeground.export.blocks import (
    Block,
    BulletList,
    Heading,
    Inline,
    Paragraph,
    Quote,
    Span,
    parse_inline,
    parse_text,
    plain,
)
from safeground.export.cleaning import base_direction, clean, clean_answer, has_rtl, paragraphs
from safeground.export.errors import ExportError, NothingToExport, UnknownChapter
from safeground.progress import Progress
from safeground.storage import DEFAULT_PROFILE

__all__ = [
    "NO_ANSWER",
    "Answer",
    "Block",
    "BulletList",
    "ExportError",
    "Heading",
    "Inline",
    "ListAnswer",
    "NoAnswer",
    "NothingToExport",
    "OptionMark",
    "OptionsAnswer",
    "Paragraph",
    "PrintDocument",
    "PrintField",
    "PrintPage",
    "Quote",
    "Scale",
    "ScaleAnswer",
    "Span",
    "SupportSection",
    "StatementRow",
    "StatementsAnswer",
    "TextAnswer",
    "UnknownChapter",
    "base_direction",
    "build_document",
    "clean",
    "clean_answer",
    "format_date",
    "has_rtl",
    "make_answer",
    "paragraphs",
    "parse_inline",
    "parse_text",
    "plain",
    "select_chapters",
    "shorten",
    "whose",
]


# -- pages and the document -----------------------------------------------------------------------


@dataclass(frozen=True)
class PrintField:
    id: str
    kind: str
    prompt: str
    answer: Answer
    required: bool = True
    #: Marked ``private = true`` in the workbook: only here when private answers were asked for.
    private: bool = False


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
class SupportSection:
    """Where to find help, at the end of every export: the lines of the person's region (or the
    workbook author's own), numbers first. Pages can stir things up; the lines are there when
    the pages are read, with no screen to press F1 on."""

    whose: str
    emergency: str
    #: (name, contact, address) of each line.
    lines: tuple[tuple[str, str, str], ...]
    heading: str = "Where to find help"

    def text_lines(self) -> list[str]:
        """The section as plain lines: heading, whose list, the emergency line, then each
        service's name and number (and its address below)."""
        out = [self.heading]
        if self.whose:
            out.append(self.whose)
        out += ["", self.emergency]
        for name, contact, url in self.lines:
            out.append(f"{name}: {contact}" + (f" ({url})" if url else ""))
        return out


def support_section(workbook: Workbook, region: str | None) -> SupportSection:
    """The support lines for ``region`` (None: the locale's guess), cleaned like all the rest."""
    from safeground.regions import choose

    support = workbook.support
    view = support.opening(choose(support.codes, asked=region, saved=""))

    def one_line(text: str) -> str:
        return clean(text, single_line=True)

    return SupportSection(
        whose=one_line(view.whose),
        emergency=one_line(view.emergency),
        lines=tuple((one_line(r.name), one_line(r.contact), one_line(r.url)) for r in view.resources),
    )


@dataclass(frozen=True)
class PrintDocument:
    workbook_id: str
    workbook_title: str
    profile: str
    pages: tuple[PrintPage, ...]
    include_drafts: bool = False
    lang: str = "en"
    #: Whose answers these are, as the pages say it ("" for no name): see :func:`whose`.
    name: str = ""
    #: Whether the questions marked private are in it (they are left out unless asked for).
    include_private: bool = False
    #: Where to find help, after the last page (None only for documents made by hand in tests).
    support: SupportSection | None = None

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
        if self.name:
            parts.append(self.answered_by)
        return parts

    @property
    def answered_by(self) -> str:
        """``Answered by Sam``, or "" when the pages carry no name."""
        return f"Answered by {self.name}" if self.name else ""

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


def whose(profile: str, name: str | None = None) -> str:
    """The name the pages carry: ``name`` when one is given ("" for none), else the profile's name
    unless it is the default profile. Two partners' printouts then tell themselves apart, and a
    person who would rather have no name on paper can say so."""
    if name is None:
        name = "" if not profile or profile == DEFAULT_PROFILE else profile
    return shorten(clean(name, single_line=True).strip(), NAME_CHARS)


#: The most of a name the pages carry (it is repeated on every page).
NAME_CHARS = 80


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
            private=fld.private,
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


def _without_private(page: Page) -> Page:
    """``page`` as it prints when private answers are left out. A draft counts as started only by
    what prints: a page started with a private answer alone would say that one was given."""
    if not any(f.private for f in page.fields):
        return page
    return replace(page, fields=tuple(f for f in page.fields if not f.private))


def build_document(
    workbook: Workbook,
    progress: Progress,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
    *,
    include_private: bool = False,
    name: str | None = None,
    region: str | None = None,
) -> PrintDocument:
    """The pages to print, in workbook order.

    Completed pages always; with ``include_drafts``, also pages that are started but not finished
    (marked as drafts). Pages nobody has touched are never printed. ``chapters`` limits the export
    to those chapter ids (unknown ids raise :class:`UnknownChapter`). Raises
    :class:`NothingToExport` when no page matches.

    Questions marked private are left out unless ``include_private``, and so is a page that has
    only private questions: printed, it would say that they were answered. The pages carry ``name``
    (see :func:`whose`: by default the profile's name, unless it is the default profile). The
    document ends with the support lines of ``region`` (None: the locale's guess).
    """
    selected = select_chapters(workbook, chapters)
    pages: list[PrintPage] = []
    #: Whether a page was left out only for being private: said when nothing else is left.
    held_back = False
    for chapter in workbook.chapters:
        if chapter.id not in selected:
            continue
        for page in chapter.pages:
            shown = page if include_private else _without_private(page)
            if not shown.fields and page.fields:
                held_back = held_back or progress.page_started(chapter.id, page)
                continue
            if progress.page_complete(chapter.id, page):
                draft = False
            elif include_drafts and progress.page_started(chapter.id, shown):
                draft = True
            else:
                continue
            pages.append(_print_page(workbook, progress, chapter.id, shown, draft, len(pages) + 1))
    if not pages:
        where = "" if chapters is None else (" in the chapter" + ("s" if len(selected) > 1 else "") + " you chose")
        if held_back:
            raise NothingToExport(
                f"nothing to export{where}: the pages you have answered hold only private questions, "
                "which are left out unless you ask for private answers",
                include_drafts=True,  # drafts would not help: asking for private answers would
            )
        if include_drafts:
            raise NothingToExport(f"nothing to export: no page has any answers yet{where}", include_drafts)
        raise NothingToExport(f"nothing to export: no page is complete yet{where}", include_drafts)
    return PrintDocument(
        workbook_id=workbook.id,
        workbook_title=clean(workbook.title, single_line=True),
        profile=profile or DEFAULT_PROFILE,
        pages=tuple(pages),
        include_drafts=include_drafts,
        name=whose(profile, name),
        include_private=include_private,
        support=support_section(workbook, region),
    )
