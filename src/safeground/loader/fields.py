"""A page's fields: the keys every field has here, then each kind's own keys.

A kind's own keys are read by its entry in :data:`safeground.kinds.KINDS` (``read``, over the
checked reads of :class:`~safeground.loader.values.FileChecker`), next to everything else the core
knows about the kind: a new kind adds nothing here.
"""

from __future__ import annotations

from typing import Any

from safeground.content import FIELD_KINDS, Field
from safeground.kinds import COMMON_KEYS, KINDS, MAX_SCALE_POINTS, Reader, read_kind_keys
from safeground.loader.values import FileChecker
from safeground.tomlparse import KeyPath

#: Every kind with the function that reads its own keys (``KINDS[kind].read``).
KIND_CHECKS: dict[str, Reader] = {kind: rules.read for kind, rules in KINDS.items()}

__all__ = ["KIND_CHECKS", "MAX_SCALE_POINTS", "load_field"]


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
        "private": check.boolean(table, path, "private", False, ident),
    }
    values.update(read_kind_keys(check, kind, table, path, ident))
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
