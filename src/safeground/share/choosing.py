"""Which pages and answers may go into a share file.

A share holds completed pages only, and of them only the questions that are not private. A
question is private when the workbook marks it ``private = true``, and also when it is a
screening question (a choice that brings up the support screen): both are about safety, and a
partner should never learn of them from a file. The rule lives in :func:`shareable_fields` and
nowhere else, so that the dialog, the command and the writer cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from safeground.content import Chapter, Field, Page, Workbook
from safeground.kinds import shown_part
from safeground.progress import Progress


class ChoiceError(ValueError):
    """A chapter or page asked for that the workbook does not have, or nothing to share."""


@dataclass(frozen=True)
class SharePage:
    """A page that can be shared, with what of it would be written."""

    chapter: Chapter
    page: Page
    #: Field id -> the answer as it would be written (only shareable, answered fields).
    answers: dict[str, Any]

    @property
    def key(self) -> str:
        """``chapter/page``, as ``--page`` takes it."""
        return f"{self.chapter.id}/{self.page.id}"


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def is_private(fld: Field) -> bool:
    """Never shared: marked private, or a screening question (its choice can bring up support)."""
    return fld.private or bool(fld.support)


def shareable_fields(page: Page) -> tuple[Field, ...]:
    return tuple(f for f in page.fields if not is_private(f))


def shareable_answers(progress: Progress, chapter_id: str, page: Page) -> dict[str, Any]:
    """The page's answers that may be written: non-private fields, only what still fits them."""
    answers: dict[str, Any] = {}
    for fld in shareable_fields(page):
        value = shown_part(fld, progress.get(chapter_id, page.id, fld.id))
        if not _empty(value):
            answers[fld.id] = value
    return answers


def shareable_pages(workbook: Workbook, progress: Progress) -> list[SharePage]:
    """Every completed page that has something to share, in workbook order. A page made only of
    private questions is never among them, however complete."""
    pages = []
    for chapter in workbook.chapters:
        for page in chapter.pages:
            if not progress.page_complete(chapter.id, page):
                continue
            answers = shareable_answers(progress, chapter.id, page)
            if answers:
                pages.append(SharePage(chapter, page, answers))
    return pages


def choose(
    workbook: Workbook, progress: Progress, chapters: Iterable[str] = (), pages: Iterable[str] = ()
) -> list[SharePage]:
    """The shareable pages in the chapters and pages (``chapter/page``) asked for.

    Raises :class:`ChoiceError` for an id the workbook does not have, when nothing was asked for
    (sharing is opt-in, page by page), or when nothing asked for can be shared."""
    chapters, pages = list(chapters), list(pages)
    if not chapters and not pages:
        raise ChoiceError("choose what to share: --page CHAPTER/PAGE or --chapter ID (nothing is shared by default)")
    for chapter_id in chapters:
        if workbook.chapter(chapter_id) is None:
            raise ChoiceError(
                f"there is no chapter {chapter_id!r}; chapters: {', '.join(c.id for c in workbook.chapters)}"
            )
    for key in pages:
        chapter_id, _, page_id = key.partition("/")
        chapter = workbook.chapter(chapter_id)
        if chapter is None or chapter.page(page_id) is None:
            raise ChoiceError(f"there is no page {key!r}: write it as CHAPTER/PAGE, like friend-lens/brick-by-brick")
    wanted = set(pages)
    chosen = [p for p in shareable_pages(workbook, progress) if p.chapter.id in chapters or p.key in wanted]
    if not chosen:
        raise ChoiceError("nothing to share there: only completed pages are shared, and never a private question")
    return chosen


def preview(page: SharePage) -> list[str]:
    """What of ``page`` a share would hold, a line per question, for the dialog to show before
    anything is saved; and how many private questions stay out."""
    from safeground.export.answers import ListAnswer, OptionsAnswer, ScaleAnswer, StatementsAnswer, make_answer
    from safeground.export.cleaning import clean, clean_answer

    lines = []
    for fld in shareable_fields(page.page):
        if fld.id not in page.answers:
            continue
        answer = make_answer(fld, page.answers[fld.id])
        if isinstance(answer, OptionsAnswer):
            shown = ", ".join(answer.chosen)
        elif isinstance(answer, ScaleAnswer):
            shown = answer.scale.rating(answer.value)
        elif isinstance(answer, StatementsAnswer):
            shown = "; ".join(f"{row.statement} {row.rating_text}" for row in answer.rows)
        elif isinstance(answer, ListAnswer):
            shown = "; ".join(answer.items)
        else:
            shown = clean_answer(page.answers[fld.id], single_line=True)
        lines.append(clean(fld.prompt, single_line=True))
        lines.append(f"  {_shorter(shown)}")
    held = sum(1 for f in page.page.fields if is_private(f))
    if held:
        lines.append(f"Not included: {held} private question{'s' if held != 1 else ''} on this page.")
    return lines


def _shorter(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
