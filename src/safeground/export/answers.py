"""Answers as they print: each field kind's value turned into a small, format-neutral value.

:data:`ANSWER_MAKERS` holds one function per field kind (the names in :data:`safeground.kinds.KINDS`);
each renderer has a table of the same kinds saying how the value looks in its format. A new kind
adds one entry here and one in each renderer's table (``FIELD_RENDERERS`` in ``text.py``,
``markdown.py``, ``html.py`` and ``pdf.py``). Every string here is cleaned; what a person wrote
also has its invisible characters written out (:func:`~safeground.export.cleaning.clean_answer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safeground.content import Field
from safeground.export.cleaning import clean, clean_answer, paragraphs

NO_ANSWER = "(no answer)"


@dataclass(frozen=True)
class Scale:
    """A scale's range and end labels, shared by ``scale`` and ``statements`` fields."""

    min: int
    max: int
    min_label: str = ""
    max_label: str = ""

    @classmethod
    def of(cls, fld: Field) -> Scale:
        return cls(fld.min, fld.max, clean(fld.min_label, single_line=True), clean(fld.max_label, single_line=True))

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

    @property
    def sentence(self) -> str:
        """:attr:`key` as a sentence of its own: ``"On a scale from ..."``."""
        return self.key[0].upper() + self.key[1:]


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


def _text(_fld: Field, value: Any) -> Answer:
    found = paragraphs(value) if isinstance(value, str) else ()
    return TextAnswer(found) if found else NoAnswer()


def _options(fld: Field, picked: set[str], multiple: bool) -> Answer:
    marks = tuple(OptionMark(clean(o.label, single_line=True), o.id in picked) for o in fld.options)
    return OptionsAnswer(marks, multiple) if any(m.chosen for m in marks) else NoAnswer()


def _choice(fld: Field, value: Any) -> Answer:
    return _options(fld, {value} if isinstance(value, str) else set(), multiple=False)


def _checklist(fld: Field, value: Any) -> Answer:
    picked = {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()
    return _options(fld, picked, multiple=True)


def _in_range(fld: Field, value: Any) -> bool:
    return _is_int(value) and fld.min <= value <= fld.max


def _scale(fld: Field, value: Any) -> Answer:
    return ScaleAnswer(value, Scale.of(fld)) if _in_range(fld, value) else NoAnswer()


def _statements(fld: Field, value: Any) -> Answer:
    ratings = value if isinstance(value, dict) else {}
    scale = Scale.of(fld)
    rows = tuple(
        StatementRow(
            clean(s.label, single_line=True),
            ratings[s.id] if _in_range(fld, ratings.get(s.id)) else None,
            scale,
        )
        for s in fld.statements
    )
    if all(row.rating is None for row in rows):
        return NoAnswer()
    return StatementsAnswer(rows, scale)


def _list(_fld: Field, value: Any) -> Answer:
    items = tuple(clean_answer(item) for item in value if isinstance(item, str)) if isinstance(value, list) else ()
    items = tuple(item for item in items if item.strip())
    return ListAnswer(items) if items else NoAnswer()


#: Field kind -> how its stored value prints. Each renderer has a table of the same kinds.
ANSWER_MAKERS: dict[str, Callable[[Field, Any], Answer]] = {
    "text": _text,
    "long_text": _text,
    "choice": _choice,
    "checklist": _checklist,
    "scale": _scale,
    "statements": _statements,
    "list": _list,
}


def make_answer(fld: Field, value: Any) -> Answer:
    """The printable form of ``value`` for ``fld``. Forgiving: whatever still fits the field is
    shown (a checklist keeps the options the workbook still has), anything else is no answer."""
    maker = ANSWER_MAKERS.get(fld.kind)
    return maker(fld, value) if maker is not None else NoAnswer()
