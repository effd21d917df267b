"""The workbook model: what a workbook, its chapters, pages and fields are.

These are plain frozen dataclasses built by :mod:`safeground.loader` from the TOML files in a
workbook folder. Nothing here reads files or imports Textual, so the command line, the exports and
the tests can use the model cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    #: Where the number and address were read (the service's own site or a government page), and
    #: when (``YYYY-MM-DD``). Required in the built-in list: a wrong number is worse than none.
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class Region:
    """The lines of one country (``code`` is its two-letter code, lowercase), or of "somewhere
    else" (``other``): who to call where the person is."""

    code: str
    name: str
    emergency: str
    resources: tuple[Resource, ...]
    #: What this region's list cannot give (Canada has no single national domestic violence line).
    note: str = ""
    #: Where the emergency number was read, and when.
    source: str = ""
    checked: str = ""

    @property
    def checked_on(self) -> str:
        """The latest date any of these lines was checked (``YYYY-MM-DD``), or "" if none says."""
        return max([self.checked] + [r.checked for r in self.resources])


#: The region code of "somewhere else": the lines that help wherever the person is.
OTHER_REGION = "other"


@dataclass(frozen=True)
class Support:
    """The support screen's content: kept in workbook data so a workbook or locale can replace it.

    A support file holds one list (``resources``, with ``emergency`` and ``region_note``) or lines
    by region (``regions``), or both. Safe Ground's own file has regions; a workbook's author may
    bring a single list of their own, and the built-in regions come along with it so they stay
    one key away. What a person sees is one list: :meth:`for_region` picks it.
    """

    title: str
    intro: str
    region_note: str
    emergency: str
    resources: tuple[Resource, ...]
    regions: tuple[Region, ...] = ()
    #: True when the workbook's author wrote this file (the screen says whose list it is).
    from_author: bool = False
    #: The region a view from :meth:`for_region` shows ("" for the author's own list).
    region: str = ""

    @property
    def has_own_list(self) -> bool:
        """Whether the file has a list of its own besides the regions (an author's list)."""
        return bool(self.resources)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    def find_region(self, code: str) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def choices(self) -> tuple[str, ...]:
        """Every list the screen can show, in the order one key goes through them: the author's
        own list first when there is one (written as ""), then each region."""
        return (("",) if self.has_own_list else ()) + self.codes

    def for_region(self, code: str) -> Support:
        """The one list to show for ``code``: "" for the author's own list, else that region's
        lines, or "somewhere else" for a code no region has. Called on the support as loaded
        (a view's ``resources`` are already a region's)."""
        if (code == "" and self.has_own_list) or not self.regions:
            return replace(self, region="")
        region = self.find_region(code) or self.find_region(OTHER_REGION) or self.regions[0]
        return replace(
            self, region_note=region.note, emergency=region.emergency, resources=region.resources, region=region.code
        )

    def opening(self, code: str) -> Support:
        """The list the support screen opens on: the author's own list when the workbook brought
        one (they chose it for their readers), else region ``code``'s."""
        return self.for_region("" if self.from_author and self.has_own_list else code)

    @property
    def whose(self) -> str:
        """Whose list a view from :meth:`for_region` is, for the screen's heading."""
        if not self.region:
            return "From this workbook's author" if self.from_author else ""
        region = self.find_region(self.region)
        if region is None:
            return ""
        checked = region.checked_on
        return f"{region.name} · Safe Ground's list" + (f", checked {checked}" if checked else "")


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
