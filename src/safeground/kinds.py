"""Everything about each field kind, in one table.

The loader asks which keys a kind allows and reads them (:func:`read_kind_keys`), the progress file
reader asks whether a stored value has the right shape, completion asks whether a field is answered,
and the app asks which widget shows it. Keeping those rules side by side means a new kind is one
entry here, one widget module, and one line in the renderers' table (``docs/development.md``).

No Textual here: the widget is named, not imported, so the command line and the exports can use
this module cheaply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from safeground.content import Field, Option
from safeground.untrusted import for_terminal

COMMON_KEYS = frozenset({"id", "kind", "prompt", "help", "required", "private"})
SCALE_KEYS = frozenset({"min", "max", "min_label", "max_label"})
#: More points than this do not fit on one row of an 80-column terminal.
MAX_SCALE_POINTS = 11


class Checker(Protocol):
    """The loader's checked reads that a kind's keys are read with.

    Each read reports what is wrong (with the file, the line and the table's path) and returns a
    usable stand-in instead of raising, so that every problem in a workbook is found at once.
    ``path`` is a table's place in its file, such as ``("pages", 1, "fields", 0)``; ``ident`` is
    the field's id, named in the problem.
    """

    def problem(self, path: tuple, message: str, key: str | None = None, ident: Any = None) -> None: ...

    def keys(self, table: dict, path: tuple, allowed: set[str] | frozenset[str], ident: Any = None) -> None: ...

    def string(self, table: dict, path: tuple, key: str, *, required: bool = True, ident: Any = None) -> str: ...

    def ident(self, table: dict, path: tuple) -> str: ...

    def integer(self, table: dict, path: tuple, key: str, default: int | None, ident: Any = None) -> int | None: ...

    def tables(self, table: dict, path: tuple, key: str, ident: Any = None, *, what: str) -> list[dict]: ...

    def control(self, value: str, path: tuple, key: str, ident: Any = None) -> bool: ...

    def unique(self, items: list[tuple[str, tuple]], what: str) -> None: ...


#: Reads a kind's own keys from a field's table into :class:`Field` arguments.
Reader = Callable[[Checker, dict, tuple, str], dict[str, Any]]


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
    #: Reads and checks the kind's own keys (the loader calls it through :func:`read_kind_keys`).
    read: Reader
    #: The widget that asks it, as ``module:Class``: named rather than imported, so that this
    #: module stays free of Textual. ``safeground.widgets.registry`` imports it.
    widget: str
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


# -- reading a kind's keys from a workbook file ------------------------------------------------


def _read_options(check: Checker, table: dict, path: tuple, key: str, field_id: str, what: str) -> tuple[Option, ...]:
    options: list[Option] = []
    for index, item in enumerate(check.tables(table, path, key, field_id, what=what)):
        item_path = path + (key, index)
        check.keys(item, item_path, {"id", "label"})
        ident = check.ident(item, item_path)
        label = check.string(item, item_path, "label", ident=ident)
        options.append(Option(ident, label))
    check.unique([(o.id, path + (key, i)) for i, o in enumerate(options)], what)
    return tuple(options)


def _read_text(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    return {"placeholder": check.string(table, path, "placeholder", required=False, ident=ident)}


def _read_checklist(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    return {"options": _read_options(check, table, path, "options", ident, "option")}


def _read_choice(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    options = _read_options(check, table, path, "options", ident, "option")
    if len(options) == 1:
        check.problem(path, "a choice needs at least 2 options to choose from", "options", ident)
    values: dict[str, Any] = {"options": options}
    if "support" not in table:
        return values
    support = table["support"]
    if not isinstance(support, list) or not all(isinstance(s, str) for s in support):
        check.problem(path, '\'support\' must be a list of option ids, like ["yes", "not-sure"]', "support", ident)
        return values
    known = {o.id for o in options}
    for option_id in support:
        if check.control(option_id, path, "support", ident):
            continue
        if option_id not in known:
            check.problem(
                path,
                f'support lists "{for_terminal(option_id)}", which is not one of this field\'s option ids',
                "support",
                ident,
            )
    values["support"] = tuple(support)
    return values


def _read_scale(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    low = check.integer(table, path, "min", None, ident)
    high = check.integer(table, path, "max", None, ident)
    if low is not None and high is not None:
        if low >= high:
            check.problem(path, f"'min' must be less than 'max' (found min = {low}, max = {high})", "min", ident)
        elif high - low + 1 > MAX_SCALE_POINTS:
            check.problem(
                path,
                f"a scale can have at most {MAX_SCALE_POINTS} points (found {high - low + 1}): narrow min..max",
                "max",
                ident,
            )
        values["min"], values["max"] = low, high
    values["min_label"] = check.string(table, path, "min_label", ident=ident)
    values["max_label"] = check.string(table, path, "max_label", ident=ident)
    return values


def _read_statements(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    values = _read_scale(check, table, path, ident)
    values["statements"] = _read_options(check, table, path, "statements", ident, "statement")
    return values


def _read_list(check: Checker, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    item_label = check.string(table, path, "item_label", required=False, ident=ident)
    min_items = check.integer(table, path, "min_items", 1, ident)
    if min_items is not None and min_items < 0:
        check.problem(path, "'min_items' cannot be negative", "min_items", ident)
    return {"item_label": item_label, "min_items": min_items if min_items and min_items > 0 else 1}


# -- the table ---------------------------------------------------------------------------------

_TEXT = KindRules(
    keys=frozenset({"placeholder"}),
    shape="a string",
    has_shape=lambda v: isinstance(v, str),
    fits=lambda f, v: True,
    answered=_text_answered,
    read=_read_text,
    widget="safeground.widgets.text_field:TextField",
)

KINDS: dict[str, KindRules] = {
    "text": _TEXT,
    "long_text": replace(_TEXT, widget="safeground.widgets.long_text_field:LongTextField"),
    "choice": KindRules(
        keys=frozenset({"options", "support"}),
        shape="an option id (a string)",
        has_shape=lambda v: isinstance(v, str),
        fits=_choice_fits,
        answered=lambda f, v: True,
        read=_read_choice,
        widget="safeground.widgets.choice_field:ChoiceField",
    ),
    "checklist": KindRules(
        keys=frozenset({"options"}),
        shape="an array of option ids",
        has_shape=_is_str_list,
        fits=_checklist_fits,
        answered=lambda f, v: bool(v),
        read=_read_checklist,
        widget="safeground.widgets.checklist_field:ChecklistField",
        shown=_checklist_shown,
        hidden=_checklist_hidden,
    ),
    "scale": KindRules(
        keys=SCALE_KEYS,
        shape="a whole number",
        has_shape=_is_int,
        fits=_scale_fits,
        answered=lambda f, v: True,
        read=_read_scale,
        widget="safeground.widgets.scale_field:ScaleField",
    ),
    "statements": KindRules(
        keys=SCALE_KEYS | {"statements"},
        shape="a table of statement id = whole number",
        has_shape=_statements_shape,
        fits=_statements_fits,
        answered=_statements_answered,
        read=_read_statements,
        widget="safeground.widgets.statements_field:StatementsField",
        shown=_statements_shown,
        hidden=_statements_hidden,
    ),
    "list": KindRules(
        keys=frozenset({"item_label", "min_items"}),
        shape="an array of strings",
        has_shape=_is_str_list,
        fits=lambda f, v: True,
        answered=_list_answered,
        read=_read_list,
        widget="safeground.widgets.list_field:ListField",
    ),
}


def read_kind_keys(check: Checker, kind: str, table: dict, path: tuple, ident: str) -> dict[str, Any]:
    """The :class:`Field` arguments for ``kind``'s own keys in ``table`` (the field's table at
    ``path`` in its file, with id ``ident``), every problem reported through ``check``.

    The loader reads the common keys and checks that no unknown key is there (``COMMON_KEYS |
    KINDS[kind].keys``); this reads the rest, and a kind's keys are read nowhere else.
    """
    return KINDS[kind].read(check, table, path, ident)


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
