"""The workbook model: what a workbook, its chapters, pages and fields are.

These are plain frozen dataclasses built by :mod:`safeground.loader` from the TOML files in a
workbook folder. Nothing here reads files or imports Textual, so the command line, the exports and
the tests can use the model cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

#: The field kinds a workbook may use, in the order the authoring guide presents them.
FIELD_KINDS = ("text", "long_text", "choice", "checklist", "scale", "statements", "list")


@dataclass(frozen=True)
class Option:
    """One option of a ``choice`` or ``checklist`` field, or one statement of a ``statements`` field."""

    id: str
    label: str


@dataclass(frozen=True)
class Field:
    """One question on a page.

    A single class serves every kind: the kind-specific attributes are simply unused by the others.
    That keeps the model as flat as the TOML it comes from, which is what authors read.
    """

    id: str
    kind: str
    prompt: str
    help: str = ""
    required: bool = True
    #: Left out of every export and print unless the person asks for private answers: for
    #: questions whose answer could put someone at risk if their partner read it.
    private: bool = False
    placeholder: str = ""
    #: ``choice`` and ``checklist``.
    options: tuple[Option, ...] = ()
    #: ``choice``: option ids that, when chosen, bring up the support resources.
    support: tuple[str, ...] = ()
    #: ``scale`` and ``statements`` (the shared scale).
    min: int = 1
    max: int = 5
    min_label: str = ""
    max_label: str = ""
    #: ``statements``.
    statements: tuple[Option, ...] = ()
    #: ``list``: a singular noun for the add button ("an appreciation"), and how many items make
    #: the field answered.
    item_label: str = ""
    min_items: int = 1

    def option(self, option_id: str) -> Option | None:
        """The option (or statement) with this id, or None when the workbook no longer has it."""
        for option in self.options + self.statements:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True)
class Page:
    """One screen of a chapter: a short text and the fields that go with it."""

    id: str
    title: str
    text: str
    fields: tuple[Field, ...]
    #: A short "to talk about" prompt for partners comparing this page (optional): the
    #: conversation sheet prints it under the page's answers side by side.
    discuss: str = ""

    def field(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class Chapter:
    """A chapter: an intro and its pages, read in order."""

    id: str
    title: str
    summary: str
    intro: str
    pages: tuple[Page, ...]
    path: Path | None = None

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def page_index(self, page_id: str) -> int | None:
        return next((i for i, p in enumerate(self.pages) if p.id == page_id), None)


@dataclass(frozen=True)
class Resource:
    """One place to reach out to, shown on the support screen."""

    id: str
    name: str
    contact: str
    about: str = ""
    url: str = ""


@dataclass(frozen=True)
class Support:
    """The support screen's content: kept in workbook data so a workbook or locale can replace it."""

    title: str
    intro: str
    region_note: str
    emergency: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class Workbook:
    """A whole workbook: its description and its chapters in reading order."""

    id: str
    title: str
    version: str
    description: str
    chapters: tuple[Chapter, ...]
    support: Support
    folder: Path = field(default=Path("."))

    @cached_property
    def _index(self) -> dict[str, int]:
        """Chapter id -> position, built once: reading a progress file looks up every answer's chapter."""
        index: dict[str, int] = {}
        for position, chapter in enumerate(self.chapters):
            index.setdefault(chapter.id, position)
        return index

    def chapter(self, chapter_id: str) -> Chapter | None:
        position = self._index.get(chapter_id)
        return None if position is None else self.chapters[position]

    def chapter_index(self, chapter_id: str) -> int | None:
        return self._index.get(chapter_id)

    def locate(self, chapter_id: str, page_id: str, field_id: str) -> Field | None:
        """The field at this address, or None when the workbook no longer has it."""
        chapter = self.chapter(chapter_id)
        page = chapter.page(page_id) if chapter else None
        return page.field(field_id) if page else None

    @property
    def page_count(self) -> int:
        return sum(len(c.pages) for c in self.chapters)
