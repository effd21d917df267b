"""Writing progress files quickly: the same text as ``tomli_w.dumps(document, multiline_strings=True)``.

Autosave serialises the whole progress on the app's thread at each tick while someone types, so
its cost is a pause in the typing. tomli_w escapes strings one character at a time in Python: a
millisecond for the built-in workbook fully answered, 30 ms for a workbook of 100 chapters. This
writes the same text, character for character, finding what needs escaping with one regular
expression per string. Anything it does not expect (an array of tables, a type it does not know,
such as an orphaned answer in a hand-edited file) is left to tomli_w itself.
tests/test_tomlwrite.py holds it to tomli_w's output on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

INDENT = "    "
#: What a basic string cannot hold as it is: quote, backslash, and control characters but tab.
_ILLEGAL = re.compile('["\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]')
_COMPACT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _Unsupported(Exception):
    """Something only tomli_w knows how to lay out."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _COMPACT.get(char) or "\\u" + hex(ord(char))[2:].rjust(4, "0")


def _escape_multiline(match: re.Match[str]) -> str:
    char = match.group()
    return "\n" if char == "\n" else _escape(match)


def format_string(text: str, multiline: bool) -> str:
    if multiline and "\n" in text:
        return '"""\n' + _ILLEGAL.sub(_escape_multiline, text.replace("\r\n", "\n")) + '"""'
    return '"' + _ILLEGAL.sub(_escape, text) + '"'


def _key(part: Any) -> str:
    if not isinstance(part, str):
        raise _Unsupported
    return part if _BARE_KEY.fullmatch(part) else format_string(part, False)


def _literal(value: Any, nest: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date, datetime)):
        return str(value)
    if isinstance(value, str):
        return format_string(value, True)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = INDENT * (nest + 1)
        items = ",\n".join(inner + _literal(item, nest + 1) for item in value)
        return f"[\n{items},\n{INDENT * nest}]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_literal(v, 0)}" for k, v in value.items()) + " }"
    if isinstance(value, time) and not value.tzinfo:
        return str(value)
    raise _Unsupported  # offset times (an error), Decimal, other types: tomli_w decides


def _table(table: Mapping[str, Any], name: str, out: list[str]) -> None:
    literals = []
    tables = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
            raise _Unsupported  # an array of tables
        else:
            literals.append((key, value))
    written = False
    if name and (literals or not tables):
        written = True
        out.append(f"[{name}]\n")
    if literals:
        written = True
        for key, value in literals:
            out.append(f"{_key(key)} = {_literal(value, 0)}\n")
    for key, value in tables:
        if written:
            out.append("\n")
        else:
            written = True
        part = _key(key)
        _table(value, f"{name}.{part}" if name else part, out)


def dumps(document: Mapping[str, Any]) -> str:
    """``tomli_w.dumps(document, multiline_strings=True)``, faster."""
    out: list[str] = []
    try:
        _table(document, "", out)
    except _Unsupported:
        import tomli_w

        return tomli_w.dumps(document, multiline_strings=True)
    return "".join(out)
