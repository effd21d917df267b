"""Two people's answers side by side: what the compare screen, the command and the sheet show.

Pages are matched by ids: a page both of you answered is compared question by question; a page
only one of you answered is listed, not hidden. Each kind is compared in the way that helps a
conversation: a choice is the same or different; a checklist has what you both ticked and what
only one of you did; a scale or a statement shows both numbers and how far apart they are (the
widest gaps come first in the summary); written answers are shown in full. Nothing is scored, and
nothing says who is right.

Every string in a :class:`Comparison` is cleaned (:mod:`safeground.export.cleaning`): what a
partner's file holds can't carry escape sequences any further. Showing it is still each
surface's job: plain text on screen, escaped in HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safeground.content import Chapter, Field, Page, Workbook
from safeground.export.answers import Scale
from safeground.export.cleaning import clean, clean_answer
from safeground.kinds import shown_part
from safeground.progress import Progress
from safeground.share.choosing import shareable_answers, shareable_fields, shareable_pages
from safeground.share.fileformat import Shared

#: What the other person is called when their file gives no name.
PARTNER = "your partner"
YOU = "You"


@dataclass(frozen=True)
class Row:
    """One question, both answers. ``you``/``them`` are lines (empty: not answered)."""

    prompt: str
    kind: str
    you: tuple[str, ...]
    them: tuple[str, ...]
    #: What the two answers have in common or not, in words ("The same answer", "3 apart").
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    """How far apart two numbers are on one scale or statement, for the summary."""

    page_title: str
    what: str
    you: int
    them: int

    @property
    def size(self) -> int:
        return abs(self.you - self.them)


@dataclass(frozen=True)
class PageComparison:
    chapter: Chapter
    page: Page
    title: str
    rows: tuple[Row, ...]
    #: The page's "to talk about" prompt (the workbook's ``discuss``), cleaned; may be "".
    discuss: str = ""


@dataclass(frozen=True)
class PageRef:
    chapter_title: str
    title: str


@dataclass
class Comparison:
    workbook_title: str
    them: str
    shared: date | None
    pages: list[PageComparison] = field(default_factory=list)
    only_you: list[PageRef] = field(default_factory=list)
    only_them: list[PageRef] = field(default_factory=list)
    #: Widest first.
    gaps: list[Gap] = field(default_factory=list)
    #: What the share file held that couldn't be matched to this workbook.
    unmatched: list[str] = field(default_factory=list)
    #: The share file's workbook version, when it isn't this one's ("" when the same).
    other_version: str = ""


def compare(workbook: Workbook, progress: Progress, shared: Shared) -> Comparison:
    """Your answers and the share file's, page by page, in workbook order."""
    them = shared.name or PARTNER
    result = Comparison(
        workbook_title=clean(workbook.title, single_line=True),
        them=clean(them, single_line=True),
        shared=shared.shared,
        unmatched=list(shared.unmatched),
        other_version="" if shared.workbook_version == workbook.version else shared.workbook_version or "unknown",
    )
    mine = {(p.chapter.id, p.page.id) for p in shareable_pages(workbook, progress)}
    for chapter in workbook.chapters:
        for page in chapter.pages:
            theirs = shared.page_answers(chapter.id, page.id)
            yours = (chapter.id, page.id) in mine
            ref = PageRef(clean(chapter.title, single_line=True), clean(page.title, single_line=True))
            if yours and theirs:
                result.pages.append(_page(chapter, page, shareable_answers(progress, chapter.id, page), theirs, result))
            elif yours:
                result.only_you.append(ref)
            elif theirs:
                result.only_them.append(ref)
    result.gaps.sort(key=lambda gap: -gap.size)  # stable: equal gaps stay in workbook order
    return result


def _page(chapter: Chapter, page: Page, yours: dict[str, Any], theirs: dict[str, Any], result: Comparison):
    title = clean(page.title, single_line=True)
    rows = []
    for fld in shareable_fields(page):
        you, them = shown_part(fld, yours.get(fld.id)), shown_part(fld, theirs.get(fld.id))
        if you is None and them is None:
            continue
        rows.append(_row(fld, you, them, title, result))
    return PageComparison(chapter, page, title, tuple(rows), clean(page.discuss))


def _row(fld: Field, you: Any, them: Any, page_title: str, result: Comparison) -> Row:
    prompt = clean(fld.prompt, single_line=True)
    kind = fld.kind
    if kind == "choice":
        return _choice(fld, prompt, you, them)
    if kind == "checklist":
        return _checklist(fld, prompt, you or [], them or [], result.them)
    if kind == "scale":
        return _scale(fld, prompt, you, them, page_title, result)
    if kind == "statements":
        return _statements(fld, prompt, you or {}, them or {}, page_title, result)
    if kind == "list":
        return Row(prompt, kind, _items(you), _items(them))
    return Row(prompt, kind, _lines(you), _lines(them))


def _label(fld: Field, option_id: str) -> str:
    option = fld.option(option_id)
    return clean(option.label if option else option_id, single_line=True)


def _choice(fld: Field, prompt: str, you: Any, them: Any) -> Row:
    notes: tuple[str, ...] = ()
    if you is not None and them is not None:
        notes = ("The same answer",) if you == them else ("Different answers",)
    yours = (_label(fld, you),) if you is not None else ()
    theirs = (_label(fld, them),) if them is not None else ()
    return Row(prompt, fld.kind, yours, theirs, notes)


def _checklist(fld: Field, prompt: str, you: list[str], them: list[str], them_name: str) -> Row:
    ids = [o.id for o in fld.options]
    both = [_label(fld, i) for i in ids if i in you and i in them]
    only_you = [_label(fld, i) for i in ids if i in you and i not in them]
    only_them = [_label(fld, i) for i in ids if i in them and i not in you]
    notes = []
    if you and them:
        notes.append(f"Both of you: {', '.join(both) if both else 'nothing in common here'}")
        if only_you:
            notes.append(f"Only you: {', '.join(only_you)}")
        if only_them:
            notes.append(f"Only {them_name}: {', '.join(only_them)}")
    yours = tuple(_label(fld, i) for i in ids if i in you)
    theirs = tuple(_label(fld, i) for i in ids if i in them)
    return Row(prompt, fld.kind, yours, theirs, tuple(notes))


def capital(text: str) -> str:
    """``text`` to start a line or a sentence: "your partner" becomes "Your partner"."""
    return text[:1].upper() + text[1:]


def _apart(you: int, them: int) -> str:
    size = abs(you - them)
    return "The same" if size == 0 else f"{size} apart"


def _scale(fld: Field, prompt: str, you: Any, them: Any, page_title: str, result: Comparison) -> Row:
    scale = Scale.of(fld)
    notes: tuple[str, ...] = ()
    if you is not None and them is not None:
        notes = (f"{_apart(you, them)}, {scale.key}",)
        result.gaps.append(Gap(page_title, prompt, you, them))
    yours = (scale.rating(you),) if you is not None else ()
    theirs = (scale.rating(them),) if them is not None else ()
    return Row(prompt, fld.kind, yours, theirs, notes)


def _statements(fld: Field, prompt: str, you: dict, them: dict, page_title: str, result: Comparison) -> Row:
    scale = Scale.of(fld)
    notes = [scale.sentence + "."]
    yours, theirs = [], []
    for statement in fld.statements:
        label = clean(statement.label, single_line=True)
        a, b = you.get(statement.id), them.get(statement.id)
        if a is not None:
            yours.append(f"{label} — {scale.rating(a)}")
        if b is not None:
            theirs.append(f"{label} — {scale.rating(b)}")
        if a is not None and b is not None:
            notes.append(f"{label} — {_apart(a, b).lower()}")
            result.gaps.append(Gap(page_title, label, a, b))
    return Row(prompt, fld.kind, tuple(yours), tuple(theirs), tuple(notes) if len(notes) > 1 else ())


def _lines(value: Any) -> tuple[str, ...]:
    return tuple(clean_answer(value).split("\n")) if isinstance(value, str) and value.strip() else ()


def _items(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(f"- {item}" for item in (clean_answer(v, single_line=True) for v in value) if item.strip())
