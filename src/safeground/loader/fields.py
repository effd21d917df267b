"""A page's fields: the keys every field has, then one check per kind, looked up in one table.

Each kind's check reads the keys that kind allows beyond the common ones (``KINDS[kind].keys`` in
:mod:`safeground.kinds`, which also lists them for the unknown-key check) and returns them as
:class:`~safeground.content.Field` arguments. A new kind is one function here and one line in
:data:`KIND_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeground.content import FIELD_KINDS, Field, Option
from safeground.kinds import COMMON_KEYS, KINDS
from safeground.loader.values import FileChecker
from safeground.tomlparse import KeyPath
from safeground.untrusted import for_terminal

#: More points than this do not fit on one row of an 80-column terminal.
MAX_SCALE_POINTS = 11

#: Reads one kind's own keys from a field's table: (checker, table, path, field id) → Field arguments.
KindCheck = Callable[[FileChecker, dict, KeyPath, str], dict[str, Any]]


def load_field(check: FileChecker, table: dict, path: KeyPath) -> Field | None:
    """The field written at ``path``, or None (with a problem) when its kind is missing or unknown."""
    ident = check.ident(table, path)
    kind = table.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        _unknown_kind(check, table, path, ident)
        check.string(table, path, "prompt", ident=ident)
        return None
    check.keys(table, path, COMMON_KEYS | KINDS[kind].keys, ident)
    values: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "prompt": check.string(table, path, "prompt", ident=ident),
        "help": check.string(table, path, "help", required=False, ident=ident),
        "required": check.boolean(table, path, "required", True, ident),
    }
    values.update(KIND_CHECKS[kind](check, table, path, ident))
    return Field(**values)


def _unknown_kind(check: FileChecker, table: dict, path: KeyPath, ident: str) -> None:
    if "kind" not in table:
        check.problem(path, f"missing 'kind': one of {', '.join(FIELD_KINDS)}", None, ident)
        return
    import difflib  # only when there is a problem to explain

    kind = table["kind"]
    hint = difflib.get_close_matches(str(kind), FIELD_KINDS, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; use one of {', '.join(FIELD_KINDS)}"
    check.problem(path, f"unknown kind {kind!r}{suggestion}", "kind", ident)


# -- one check per kind ---------------------------------------------------------------------------


def _text(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
    return {"placeholder": check.string(table, path, "placeholder", required=False, ident=ident)}


def _choice(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
    options = _options_to_choose(check, table, path, ident, fewest=2)
    if "support" not in table:
        return {"options": options}
    return {"options": options, **_support(check, table, path, ident, options)}


def _checklist(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
    return {"options": _options_to_choose(check, table, path, ident, fewest=1)}


def _scale(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
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


def _statements(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
    # The statements share one scale: its keys are read (and reported) first, as they are written.
    values = _scale(check, table, path, ident)
    values["statements"] = load_options(check, table, path, "statements", ident, "statement")
    return values


def _list(check: FileChecker, table: dict, path: KeyPath, ident: str) -> dict[str, Any]:
    item_label = check.string(table, path, "item_label", required=False, ident=ident)
    min_items = check.integer(table, path, "min_items", 1, ident)
    if min_items is not None and min_items < 0:
        check.problem(path, "'min_items' cannot be negative", "min_items", ident)
    return {"item_label": item_label, "min_items": min_items if min_items and min_items > 0 else 1}


#: Every kind in :data:`safeground.kinds.KINDS`, with the check for its own keys.
KIND_CHECKS: dict[str, KindCheck] = {
    "text": _text,
    "long_text": _text,
    "choice": _choice,
    "checklist": _checklist,
    "scale": _scale,
    "statements": _statements,
    "list": _list,
}


# -- parts more than one kind has -----------------------------------------------------------------


def _options_to_choose(
    check: FileChecker, table: dict, path: KeyPath, ident: str, *, fewest: int
) -> tuple[Option, ...]:
    options = load_options(check, table, path, "options", ident, "option")
    if 0 < len(options) < fewest:
        check.problem(path, f"a choice needs at least {fewest} options to choose from", "options", ident)
    return options


def _support(check: FileChecker, table: dict, path: KeyPath, ident: str, options: tuple[Option, ...]) -> dict[str, Any]:
    """A choice's ``support``: option ids that bring up the support resources when chosen."""
    support = table["support"]
    if not isinstance(support, list) or not all(isinstance(s, str) for s in support):
        check.problem(path, '\'support\' must be a list of option ids, like ["yes", "not-sure"]', "support", ident)
        return {}
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
    return {"support": tuple(support)}


def load_options(
    check: FileChecker, table: dict, path: KeyPath, key: str, field_id: str, what: str
) -> tuple[Option, ...]:
    """``options`` or ``statements``: a list of ``{id = ..., label = ...}``, each id used once."""
    options: list[Option] = []
    for index, item in enumerate(check.tables(table, path, key, field_id, what=what)):
        item_path = path + (key, index)
        check.keys(item, item_path, {"id", "label"})
        ident = check.ident(item, item_path)
        label = check.string(item, item_path, "label", ident=ident)
        options.append(Option(ident, label))
    check.unique([(o.id, path + (key, i)) for i, o in enumerate(options)], what)
    return tuple(options)
