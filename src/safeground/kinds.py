"""What each field kind's answer looks like, in one table.

The loader asks which keys a kind allows, the progress file reader asks whether a stored value has
the right shape, and completion asks whether a field is answered. Keeping those rules side by side
means a new kind is one entry here (plus one widget in the app's registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

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
    ),
    "list": KindRules(
        keys=frozenset({"item_label", "min_items"}),
        shape="an array of strings",
        has_shape=_is_str_list,
        fits=lambda f, v: True,
        answered=_list_answered,
    ),
}


def is_answered(field: Field, value: Any) -> bool:
    """Whether ``value`` answers ``field``: right shape, still fits the field, and not empty."""
    if value is None:
        return False
    rules = KINDS[field.kind]
    return rules.has_shape(value) and rules.fits(field, value) and rules.answered(field, value)
