"""A person's answers, where they are, and which pages are complete.

:class:`Progress` is the in-memory form of a progress file (``docs/progress-format.md``). It keeps
every answer it was given, including answers the workbook can no longer show after a content update
(renamed or removed pages and fields, options that are gone): those are never dropped, only set
aside and reported, because they are someone's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any

from safeground.content import Chapter, Field, Page, Workbook
from safeground.kinds import KINDS, is_answered, shown_part

FORMAT_VERSION = 1
#: Added to a question's id for an answer set aside when the question changed kind (see set_aside).
SET_ASIDE = "--earlier"
_SET_ASIDE_KEY = re.compile(r"(.+)--earlier(?:-\d+)?")
#: How orphans() names each kind: "the question is now a scale".
KIND_NAMES = {
    "text": "a one-line text question",
    "long_text": "a long text question",
    "choice": "a choice of one option",
    "checklist": "a checklist",
    "scale": "a scale",
    "statements": "a set of statements to rate",
    "list": "a list",
}
TOP_LEVEL_KEYS = frozenset({"format", "workbook", "workbook_version", "updated", "position", "answers", "completed"})


class ProgressFormatError(ValueError):
    """A progress file whose contents do not fit the format. ``where`` is a dotted key path."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class Position:
    """Where to resume: a chapter, a page in it, and the field that had the cursor."""

    chapter: str = ""
    page: str = ""
    field: str = ""


@dataclass(frozen=True)
class Orphan:
    """An answer the current workbook cannot show, kept in the file and reported."""

    chapter: str
    page: str
    field: str
    value: Any
    reason: str

    @property
    def address(self) -> str:
        return f"{self.chapter} › {self.page} › {self.field}"


@dataclass(frozen=True)
class ChapterProgress:
    chapter: Chapter
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


@dataclass
class Progress:
    """Answers keyed ``answers[chapter][page][field]``, exactly as the file stores them."""

    workbook_id: str
    workbook_version: str = ""
    updated: datetime | None = None
    position: Position = field(default_factory=Position)
    answers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    completed: dict[str, dict[str, datetime]] = field(default_factory=dict)
    #: Each page's answers as the last :meth:`frozen_document` copied them, by chapter and page:
    #: (a plain copy to tell whether the page changed since, the read-only copy to reuse if not).
    _frozen_pages: dict[str, dict[str, tuple[dict[str, Any], Mapping[str, Any]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __deepcopy__(self, memo: dict[int, Any]) -> Progress:
        """A copy of the answers (the print job's, taken on the app's thread), without the saver's
        cache of read-only pages: that cache belongs to this progress's snapshots, and its
        read-only mappings cannot be copied."""
        import copy

        return Progress(
            self.workbook_id,
            self.workbook_version,
            self.updated,
            self.position,
            copy.deepcopy(self.answers, memo),
            copy.deepcopy(self.completed, memo),
        )

    # -- reading answers ---------------------------------------------------------------------

    def get(self, chapter_id: str, page_id: str, field_id: str) -> Any:
        """The stored answer, or None. May be a value that no longer fits the field: see usable()."""
        return self.answers.get(chapter_id, {}).get(page_id, {}).get(field_id)

    def usable(self, chapter_id: str, page_id: str, fld: Field) -> Any:
        """What ``fld`` can show of its answer: the answer if it still fits (right shape, options
        still there); for a checklist or statements, the options and ratings still there; else None."""
        return shown_part(fld, self.get(chapter_id, page_id, fld.id))

    def field_answered(self, chapter_id: str, page_id: str, fld: Field) -> bool:
        return is_answered(fld, self.get(chapter_id, page_id, fld.id))

    def page_complete(self, chapter_id: str, page: Page) -> bool:
        """A page is complete when every required field on it has an answer.

        A page whose questions are all optional would be "complete" before anyone touched it, which
        reads as a mistake on the home screen; such a page is complete once any of them is answered.
        """
        required = [f for f in page.fields if f.required]
        if not required:
            return self.page_started(chapter_id, page)
        return all(self.field_answered(chapter_id, page.id, f) for f in required)

    def page_started(self, chapter_id: str, page: Page) -> bool:
        """Whether anything on the page has been answered, even partly (one statement of five)."""
        return any(not _empty(self.usable(chapter_id, page.id, f)) for f in page.fields)

    @property
    def has_answers(self) -> bool:
        return any(fields for pages in self.answers.values() for fields in pages.values())

    # -- changing answers --------------------------------------------------------------------

    def set(
        self, workbook: Workbook, chapter_id: str, page_id: str, field_id: str, value: Any, now: datetime | None = None
    ) -> None:
        """Store an answer (an empty one removes it) and keep completion dates in step."""
        pages = self.answers.setdefault(chapter_id, {})
        fields = pages.setdefault(page_id, {})
        if _empty(value):
            fields.pop(field_id, None)
            if not fields:
                pages.pop(page_id)
            if not pages:
                self.answers.pop(chapter_id)
        else:
            fields[field_id] = value
        chapter = workbook.chapter(chapter_id)
        page = chapter.page(page_id) if chapter else None
        if page is not None:
            self._update_completed(chapter_id, page, now)

    def _update_completed(self, chapter_id: str, page: Page, now: datetime | None) -> None:
        dates = self.completed.setdefault(chapter_id, {})
        if self.page_complete(chapter_id, page):
            dates.setdefault(page.id, now or _now())
        else:
            dates.pop(page.id, None)
        if not dates:
            self.completed.pop(chapter_id)

    def set_aside(self, chapter_id: str, page_id: str, field_id: str) -> str:
        """Move the answer to ``field_id`` to ``<field id>--earlier`` (or ``--earlier-2``, ...) on
        the same page, and return that key. Used before a question whose kind changed gets its
        first new answer: the earlier one, written for another kind, stays in the file. The key
        can never be a question's id (ids have no ``--``), so no question will ever overwrite it."""
        fields = self.answers[chapter_id][page_id]
        key = f"{field_id}{SET_ASIDE}"
        counter = 1
        while key in fields:
            counter += 1
            key = f"{field_id}{SET_ASIDE}-{counter}"
        fields[key] = fields.pop(field_id)
        return key

    def completed_on(self, chapter_id: str, page_id: str) -> datetime | None:
        return self.completed.get(chapter_id, {}).get(page_id)

    # -- summaries ---------------------------------------------------------------------------

    def chapter_progress(self, chapter: Chapter) -> ChapterProgress:
        done = sum(1 for page in chapter.pages if self.page_complete(chapter.id, page))
        return ChapterProgress(chapter, done, len(chapter.pages))

    def unfinished_pages(self, chapter: Chapter) -> list[Page]:
        """The chapter's pages that are not complete yet, in the chapter's order: what "3/4 pages"
        leaves out, named on the home screen and by ``safeground status``."""
        return [page for page in chapter.pages if not self.page_complete(chapter.id, page)]

    def pages_to_finish(self, chapter: Chapter) -> list[Page]:
        """The unfinished pages of a chapter that has been begun (something on a page answered);
        none for a chapter not begun, where every page is still to do, or one that is complete."""
        unfinished = self.unfinished_pages(chapter)
        if len(unfinished) == len(chapter.pages) and not any(self.page_started(chapter.id, p) for p in unfinished):
            return []
        return unfinished

    def next_unfinished(self, workbook: Workbook, chapter_id: str = "", page_id: str = "") -> Position | None:
        """The first unfinished page after ``chapter_id``/``page_id`` in workbook order, going round
        to the beginning (so that page itself comes last), with its first unanswered field. With no
        page given (or one the workbook no longer has), the first unfinished page of all. None when
        every page is complete."""
        pages = [(chapter, page) for chapter in workbook.chapters for page in chapter.pages]
        start = next(
            (i + 1 for i, (c, p) in enumerate(pages) if c.id == chapter_id and p.id == page_id),
            0,
        )
        for chapter, page in pages[start:] + pages[:start]:
            if not self.page_complete(chapter.id, page):
                return Position(chapter.id, page.id, self.first_unanswered(chapter.id, page))
        return None

    def overall_fraction(self, workbook: Workbook) -> float:
        total = workbook.page_count
        done = sum(self.chapter_progress(c).done for c in workbook.chapters)
        return done / total if total else 1.0

    def resume_position(self, workbook: Workbook) -> Position:
        """Where "Continue" goes: the saved position if the workbook still has it, else the first
        unanswered field of the first incomplete page, else the very first page."""
        saved = self.position
        chapter = workbook.chapter(saved.chapter)
        page = chapter.page(saved.page) if chapter else None
        if chapter and page:
            field_id = saved.field if page.field(saved.field) else self.first_unanswered(chapter.id, page)
            return Position(chapter.id, page.id, field_id)
        for chapter in workbook.chapters:
            for page in chapter.pages:
                if not self.page_complete(chapter.id, page):
                    return Position(chapter.id, page.id, self.first_unanswered(chapter.id, page))
        first = workbook.chapters[0]
        return Position(first.id, first.pages[0].id, first.pages[0].fields[0].id)

    def first_unanswered(self, chapter_id: str, page: Page) -> str:
        for fld in page.fields:
            if not self.field_answered(chapter_id, page.id, fld):
                return fld.id
        return page.fields[0].id

    def orphans(self, workbook: Workbook) -> list[Orphan]:
        """Answers kept in the file that the current workbook cannot show, and why."""
        found: list[Orphan] = []
        for chapter_id, pages in self.answers.items():
            chapter = workbook.chapter(chapter_id)
            for page_id, fields in pages.items():
                page = chapter.page(page_id) if chapter else None
                for field_id, value in fields.items():
                    fld = page.field(field_id) if page else None
                    if chapter is None:
                        reason = "the workbook has no chapter with this id any more"
                    elif page is None:
                        reason = "the chapter has no page with this id any more"
                    elif fld is None:
                        reason = _set_aside_reason(page, field_id) or "the page has no question with this id any more"
                    elif not KINDS[fld.kind].has_shape(value):
                        reason = (
                            f"the question is now {KIND_NAMES[fld.kind]}; this answer was written for a different "
                            "kind of question"
                        )
                    elif not KINDS[fld.kind].fits(fld, value):
                        reason = "the answer names options or values the question no longer has"
                    else:
                        continue
                    found.append(Orphan(chapter_id, page_id, field_id, value, reason))
        return found

    # -- the file format ---------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        """The TOML document for this progress (see docs/progress-format.md). It shares the answers'
        tables with this progress: see :meth:`frozen_document` for a copy that stays as it is."""
        document: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "workbook": self.workbook_id,
            "workbook_version": self.workbook_version,
            "updated": self.updated or _now(),
            "position": {"chapter": self.position.chapter, "page": self.position.page, "field": self.position.field},
        }
        if self.completed:
            document["completed"] = self.completed
        document["answers"] = self.answers
        return document

    def frozen_document(self) -> Mapping[str, Any]:
        """:meth:`to_document` as a read-only copy: later answers cannot change it.

        The autosave tick takes one on the app's thread and the saver thread writes it out while the
        person goes on typing, so nothing in it may be shared with what typing changes. Strings,
        numbers and dates cannot change; tables and lists are copied, as read-only mappings and
        tuples, which write the same TOML (tomli_w takes any mapping and tuples as arrays).

        Between two ticks a person changes a page or two, so a page whose answers are equal to
        what the last copy saw reuses that read-only copy. Copying every answer at every tick made
        thousands of objects in a large workbook (7,000 at 100 chapters), enough to set off
        Python's full garbage collection every minute or so, a pause of tens of milliseconds.
        Equality is checked against a private copy, so a list changed in place is seen too.
        """
        document = self.to_document()
        previous = self._frozen_pages
        kept: dict[str, dict[str, tuple[dict[str, Any], Mapping[str, Any]]]] = {}
        answers: dict[str, Mapping[str, Any]] = {}
        for chapter_id, pages in self.answers.items():
            before = previous.get(chapter_id, {})
            copies = kept[chapter_id] = {}
            for page_id, fields in pages.items():
                copy = before.get(page_id)
                if copy is None or copy[0] != fields:
                    copy = (_plain_copy(fields), frozen(fields))
                copies[page_id] = copy
            answers[chapter_id] = MappingProxyType({page_id: copy[1] for page_id, copy in copies.items()})
        self._frozen_pages = kept
        document["answers"] = MappingProxyType(answers)
        if "completed" in document:
            document["completed"] = frozen(document["completed"])
        document["position"] = MappingProxyType(document["position"])
        return MappingProxyType(document)

    @classmethod
    def from_document(cls, document: dict[str, Any], workbook: Workbook) -> Progress:
        """Build progress from a parsed file, or raise :class:`ProgressFormatError` saying what is off.

        Answers are kept as they are, including those for places the workbook no longer has and
        those whose shape no longer fits their question's kind (see :meth:`orphans`).
        """
        unknown = sorted(set(document) - TOP_LEVEL_KEYS)
        if unknown:
            raise ProgressFormatError(unknown[0], "is not part of the progress format (see docs/progress-format.md)")
        version = document.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ProgressFormatError(
                "format", "is missing or not a whole number; this does not look like a Safe Ground progress file"
            )
        if version > FORMAT_VERSION:
            raise ProgressFormatError(
                "format",
                f"is {version}, made by a newer Safe Ground (this one reads format {FORMAT_VERSION}); update Safe Ground to open it",
            )
        if version < 1:
            raise ProgressFormatError("format", f"is {version}, which no Safe Ground has written")
        workbook_id = document.get("workbook")
        if workbook_id != workbook.id:
            raise ProgressFormatError(
                "workbook", f"is {workbook_id!r}, but this file belongs to workbook {workbook.id!r}"
            )
        version_text = document.get("workbook_version", "")
        if not isinstance(version_text, str):
            raise ProgressFormatError("workbook_version", "must be text")
        updated = document.get("updated")
        if updated is not None and not isinstance(updated, datetime):
            raise ProgressFormatError("updated", "must be a date and time, like 2026-01-31T20:15:00Z")
        position = _read_position(document.get("position", {}))
        answers = _read_answers(document.get("answers", {}), workbook)
        completed = _read_completed(document.get("completed", {}))
        return cls(workbook.id, version_text, updated, position, answers, completed)


def _set_aside_reason(page: Page | None, key: str) -> str | None:
    """For an answer :meth:`Progress.set_aside` moved, say which question it was for."""
    match = _SET_ASIDE_KEY.fullmatch(key)
    if page is None or match is None or page.field(match.group(1)) is None:
        return None
    return f"an earlier answer to '{match.group(1)}', kept when the question changed kind and was answered again"


def _read_position(table: Any) -> Position:
    if not isinstance(table, dict):
        raise ProgressFormatError("position", "must be a table with chapter, page and field")
    for key in table:
        if key not in ("chapter", "page", "field"):
            raise ProgressFormatError(
                f"position.{key}", "is not part of the format (position has chapter, page and field)"
            )
        if not isinstance(table[key], str):
            raise ProgressFormatError(f"position.{key}", "must be text (an id)")
    return Position(table.get("chapter", ""), table.get("page", ""), table.get("field", ""))


def _read_answers(table: Any, workbook: Workbook) -> dict[str, dict[str, dict[str, Any]]]:
    if not isinstance(table, dict):
        raise ProgressFormatError("answers", "must be a table of chapters")
    for chapter_id, pages in table.items():
        if not isinstance(pages, dict):
            raise ProgressFormatError(f"answers.{chapter_id}", "must be a table of pages")
        for page_id, fields in pages.items():
            if not isinstance(fields, dict):
                raise ProgressFormatError(f"answers.{chapter_id}.{page_id}", "must be a table of answers")
    # An answer whose shape does not fit its question (the author changed the question's kind, or
    # a hand edit) is kept as it is, like an answer naming a removed option: not shown, listed by
    # orphans(), written back on every save. One such answer never stops the others from opening.
    return table


def _read_completed(table: Any) -> dict[str, dict[str, datetime]]:
    if not isinstance(table, dict):
        raise ProgressFormatError("completed", "must be a table of chapters")
    for chapter_id, pages in table.items():
        if not isinstance(pages, dict) or not all(isinstance(v, datetime) for v in pages.values()):
            raise ProgressFormatError(f"completed.{chapter_id}", "must map page ids to dates and times")
    return table


def frozen(value: Any) -> Any:
    """A read-only deep copy of a TOML value: tables become read-only mappings, arrays tuples.

    This runs for every answer at each save, on the app's thread, so the common types are told
    apart by ``type()`` (an ``isinstance`` against ``Mapping`` costs several times more) and
    strings, most answers, are kept without a call."""
    kind = type(value)
    if kind is dict or (kind not in _IMMUTABLE and isinstance(value, Mapping)):
        return MappingProxyType({key: item if type(item) is str else frozen(item) for key, item in value.items()})
    if kind is list or kind is tuple or (kind not in _IMMUTABLE and isinstance(value, (list, tuple))):
        return tuple([item if type(item) is str else frozen(item) for item in value])
    return value  # strings, numbers, booleans, dates and times cannot change


def _plain_copy(value: Any) -> Any:
    """A deep copy of a TOML value's tables and arrays, as dicts and lists, to compare with later."""
    kind = type(value)
    if kind is dict or (kind not in _IMMUTABLE and isinstance(value, Mapping)):
        return {key: item if type(item) is str else _plain_copy(item) for key, item in value.items()}
    if kind is list or kind is tuple or (kind not in _IMMUTABLE and isinstance(value, (list, tuple))):
        return [item if type(item) is str else _plain_copy(item) for item in value]
    return value


#: What TOML values can be that cannot change once made.
_IMMUTABLE = frozenset({str, int, float, bool, datetime, date, time})


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
