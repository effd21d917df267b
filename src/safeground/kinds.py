"""What each field kind's answer looks like, in one table.

The loader asks which keys a kind allows, the progress file reader asks whether a stored value has
the right shape, and completion asks whether a field is answered. Keeping those rules side by side
means a new kind is one entry here (plus one widget in the app's registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safeground.content import Field

COMMON_KEYS = frozenset({"id", "kind", "prompt", "help", "required"})
SCALE_KEYS = frozenset({"min", "max", "min_label", "max_label"})


def _is_int(value: Any) -> bool:
    # bool is a subclass of int in Python, but `true` is not a rating.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@dataclass(frozen=True)
class KindRules:
    """The rules for one field kind."""

    #: Keys a field of this kind may have beyond the common ones.
    keys: frozenset[str]
    #: What a stored answer must be, in words, for error messages.
    shape: str
    #: Whether a stored value has the right type (the file format).
    has_shape: Callable[[Any], bool]
    #: Whether a value of the right type still fits this field (options exist, in range).
    fits: Callable[[Field, Any], bool]
    #: Whether the value counts as an answer for completion.
    answered: Callable[[Field, Any], bool]
    #: For answers made of parts (checklist, statements): the parts the field can still show, and
    #: the parts it cannot (options or statements the workbook no longer has). Kinds without
    #: parts show a value whole if it fits, and not at all if it doesn't.
    shown: Callable[[Field, Any], Any] | None = None
    hidden: Callable[[Field, Any], Any] | None = None


def _text_answered(_field: Field, value: str) -> bool:
    return bool(value.strip())


def _choice_fits(field: Field, value: str) -> bool:
    return any(option.id == value for option in field.options)


def _checklist_fits(field: Field, value: list[str]) -> bool:
    ids = {option.id for option in field.options}
    return all(item in ids for item in value)


def _scale_fits(field: Field, value: int) -> bool:
    return field.min <= value <= field.max


def _statements_shape(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_int(v) for v in value.values())


def _statements_fits(field: Field, value: dict[str, int]) -> bool:
    ids = {s.id for s in field.statements}
    return all(k in ids and field.min <= v <= field.max for k, v in value.items())


def _checklist_shown(field: Field, value: list[str]) -> list[str]:
    ids = {option.id for option in field.options}
    return [item for item in value if item in ids]


def _checklist_hidden(field: Field, value: list[str]) -> list[str]:
    ids = {option.id for option in field.options}
    return [item for item in value if item not in ids]


def _rating_shown(field: Field, statement_id: str, rating: int) -> bool:
    return statement_id in {s.id for s in field.statements} and field.min <= rating <= field.max


def _statements_shown(field: Field, value: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in value.items() if _rating_shown(field, k, v)}


def _statements_hidden(field: Field, value: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in value.items() if not _rating_shown(field, k, v)}


def _statements_answered(field: Field, value: dict[str, int]) -> bool:
    return all(s.id in value for s in field.statements)


def _list_answered(field: Field, value: list[str]) -> bool:
    return sum(1 for item in value if item.strip()) >= max(1, field.min_items)


_TEXT = KindRules(
    keys=frozenset({"placeholder"}),
    shape="a string",
    has_shape=lambda v: isinstance(v, str),
    fits=lambda f, v: True,
    answered=_text_answered,
)

KINDS: dict[str, KindRules] = {
    "text": _TEXT,
    "long_text": _TEXT,
    "choice": KindRules(
        keys=frozenset({"options", "support"}),
        shape="an option id (a string)",
        has_shape=lambda v: isinstance(v, str),
        fits=_choice_fits,
        answered=lambda f, v: True,
    ),
    "checklist": KindRules(
        keys=frozenset({"options"}),
        shape="an array of option ids",
        has_shape=_is_str_list,
        fits=_checklist_fits,
        answered=lambda f, v: bool(v),
        shown=_checklist_shown,
        hidden=_checklist_hidden,
    ),
    "scale": KindRules(
        keys=SCALE_KEYS,
        shape="a whole number",
        has_shape=_is_int,
        fits=_scale_fits,
        answered=lambda f, v: True,
    ),
    "statements": KindRules(
        keys=SCALE_KEYS | {"statements"},
        shape="a table of statement id = whole number",
        has_shape=_statements_shape,
        fits=_statements_fits,
        answered=_statements_answered,
        shown=_statements_shown,
        hidden=_statements_hidden,
    ),
    "list": KindRules(
        keys=frozenset({"item_label", "min_items"}),
        shape="an array of strings",
        has_shape=_is_str_list,
        fits=lambda f, v: True,
        answered=_list_answered,
    ),
}


def shown_part(field: Field, value: Any) -> Any:
    """What of a stored answer ``field`` can still show: the whole value if it fits; for a
    checklist or statements, the options and ratings it still has; otherwise None."""
    if value is None:
        return None
    rules = KINDS[field.kind]
    if not rules.has_shape(value):
        return None
    if rules.shown is not None:
        return rules.shown(field, value)
    return value if rules.fits(field, value) else None


def with_hidden_part(field: Field, old: Any, new: Any) -> Any:
    """``new`` (the answer as the person just left it) plus whatever of ``old`` the field could
    not show, and so could not have changed: options or statements the workbook no longer has.
    Answering again after a content update never drops them. Kinds without parts: ``new``."""
    rules = KINDS[field.kind]
    if rules.hidden is None or old is None or not rules.has_shape(old):
        return new
    hidden = rules.hidden(field, old)
    if not hidden:
        return new
    if isinstance(hidden, dict):
        return {**hidden, **(new or {})}
    return list(new or []) + [item for item in hidden if item not in (new or [])]


def is_answered(field: Field, value: Any) -> bool:
    """Whether ``value`` answers ``field``: what the field can show of it is a complete answer."""
    shown = shown_part(field, value)
    return shown is not None and KINDS[field.kind].answered(field, shown)
