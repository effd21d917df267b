"""The comparison as a conversation sheet: text, Markdown, HTML or PDF, through the export's
renderers.

A :class:`~safeground.share.compare.Comparison` becomes an ordinary
:class:`~safeground.export.document.PrintDocument`: a first page with how to use the sheet, the
widest gaps and the pages only one of you answered; then one page per page you both answered,
each question with both answers, and at the end the page's "to talk about" prompt with room to
write. So each format looks like the workbook's own exports, and escapes what it holds as they do.
"""

from __future__ import annotations

from safeground.export.answers import TextAnswer
from safeground.export.blocks import Block, BulletList, Heading, Paragraph, Span
from safeground.export.document import PrintDocument, PrintField, PrintPage, format_date, shorten
from safeground.share.compare import YOU, Comparison, PageComparison, Row, capital

TITLE = "Side by side"
#: Said at the top of the sheet, the compare screen and the command's output.
FOR_TALKING = (
    "This is for talking, not for scoring. Different answers are not wrong answers: "
    "they are where there is something to learn about each other. Take one page at a time, "
    "and stop whenever either of you needs a break."
)
#: Room to write under each page's prompt.
WRITING_LINES = 4
RULE = "_" * 60
#: The most gaps the summary lists.
SUMMARY_GAPS = 10


def _para(text: str) -> Paragraph:
    return Paragraph((Span(text),))


def heading_line(comparison: Comparison) -> str:
    when = f", shared {format_date(comparison.shared)}" if comparison.shared else ""
    return f"{YOU} and {comparison.them}{when}"


def summary_lines(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """The summary as (heading, lines) pairs: what the screen and the sheet's first page show."""
    parts: list[tuple[str, list[str]]] = []
    gaps = [g for g in comparison.gaps if g.size][:SUMMARY_GAPS]
    if gaps:
        parts.append(
            (
                "Where your numbers are furthest apart",
                [
                    f"{shorten(g.what, 120)} ({g.page_title}): you {g.you}, {comparison.them} {g.them}, {g.size} apart"
                    for g in gaps
                ],
            )
        )
    if comparison.only_you:
        parts.append(("Pages only you answered", [f"{p.chapter_title}: {p.title}" for p in comparison.only_you]))
    if comparison.only_them:
        parts.append(
            (f"Pages only {comparison.them} answered", [f"{p.chapter_title}: {p.title}" for p in comparison.only_them])
        )
    if comparison.other_version:
        parts.append(
            (
                "Another version of this workbook",
                [
                    f"{comparison.them}'s file was made with version {comparison.other_version}: pages are matched by their ids."
                ],
            )
        )
    if comparison.unmatched:
        shown = comparison.unmatched[:20]
        more = len(comparison.unmatched) - len(shown)
        lines = shown + ([f"and {more} more"] if more > 0 else [])
        parts.append(("Answers in the file that couldn't be matched", lines))
    return parts


def row_answer(row: Row, them: str) -> TextAnswer:
    """Both answers and what they share, as paragraphs."""
    paragraphs = [
        (f"{YOU}:", *(row.you or ("(no answer)",))),
        (f"{capital(them)}:", *(row.them or ("(no answer)",))),
    ]
    if row.notes:
        paragraphs.append(tuple(row.notes))
    return TextAnswer(tuple(paragraphs))


def _summary_page(comparison: Comparison) -> PrintPage:
    blocks: list[Block] = [_para(heading_line(comparison)), _para(FOR_TALKING)]
    for title, lines in summary_lines(comparison):
        blocks.append(Heading(2, (Span(title),)))
        blocks.append(BulletList(tuple((Span(line),) for line in lines)))
    if not comparison.pages:
        blocks.append(_para("There is no page you both answered yet."))
    return PrintPage("", "Conversation sheet", "summary", "Before you start", tuple(blocks), (), None, False, 1)


def _page(page: PageComparison, them: str, number: int) -> PrintPage:
    fields = [PrintField(f"q{i}", "long_text", row.prompt, row_answer(row, them)) for i, row in enumerate(page.rows)]
    talk = page.discuss or "What stands out to each of you on this page? What would you like the other to understand?"
    room = TextAnswer(((talk,), *((RULE,) for _ in range(WRITING_LINES))))
    fields.append(PrintField("discuss", "long_text", "To talk about", room))
    return PrintPage(
        page.chapter.id, page.chapter.title, page.page.id, page.title, (), tuple(fields), None, False, number
    )


def sheet_document(comparison: Comparison, workbook_id: str) -> PrintDocument:
    pages = [_summary_page(comparison)]
    for page in comparison.pages:
        pages.append(_page(page, comparison.them, len(pages) + 1))
    return PrintDocument(
        workbook_id=workbook_id,
        workbook_title=f"{comparison.workbook_title}: {TITLE.lower()}",
        profile="",
        pages=tuple(pages),
    )


__all__ = ["FOR_TALKING", "heading_line", "row_answer", "sheet_document", "summary_lines"]
