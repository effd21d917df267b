"""The workbook as a row of questions to ask one after another: the conversation's map.

Each question is a step; a ``statements`` question is one step per statement, so that ``skip`` and
``back`` move one prompt at a time and a rating is saved the moment it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeground.content import Chapter, Field, Page, Workbook
from safeground.progress import Progress


@dataclass(frozen=True)
class Step:
    """One prompt: a question, or one statement (by index) of a ``statements`` question."""

    chapter: Chapter
    page: Page
    field: Field
    statement: int | None = None

    @property
    def address(self) -> tuple[str, str, str]:
        return self.chapter.id, self.page.id, self.field.id


def all_steps(workbook: Workbook) -> list[Step]:
    """Every prompt of the workbook, in reading order."""
    steps: list[Step] = []
    for chapter in workbook.chapters:
        for page in chapter.pages:
            for field in page.fields:
                if field.kind == "statements":
                    steps.extend(Step(chapter, page, field, i) for i in range(len(field.statements)))
                else:
                    steps.append(Step(chapter, page, field))
    return steps


def index_of(
    steps: list[Step], chapter_id: str, page_id: str = "", field_id: str = "", progress: Progress | None = None
) -> int:
    """The first step at this place (a chapter, a page in it, a question on the page); for a set of
    statements, the first one not rated yet. 0 when the workbook has no such place."""
    for index, step in enumerate(steps):
        if step.chapter.id != chapter_id or (page_id and step.page.id != page_id):
            continue
        if field_id and step.field.id != field_id:
            continue
        return _first_unrated(steps, index, progress)
    return 0


def _first_unrated(steps: list[Step], index: int, progress: Progress | None) -> int:
    """From the first statement of a set, the first one without a rating (the set's first if all are)."""
    step = steps[index]
    if step.statement is None or progress is None:
        return index
    rated = progress.usable(step.chapter.id, step.page.id, step.field) or {}
    for offset, statement in enumerate(step.field.statements):
        if statement.id not in rated:
            return index + offset
    return index


def chapter_start(steps: list[Step], chapter: Chapter, progress: Progress) -> int:
    """Where opening a chapter from the contents goes: its first unfinished page, at the first
    question not answered yet; a finished chapter opens at its beginning."""
    for page in chapter.pages:
        if not progress.page_complete(chapter.id, page):
            return index_of(steps, chapter.id, page.id, progress.first_unanswered(chapter.id, page), progress)
    return index_of(steps, chapter.id)
