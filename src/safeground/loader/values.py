"""Reading typed values out of one parsed TOML file, collecting problems instead of stopping.

Every value a workbook holds goes through one of these reads (``string``, ``ident``, ``integer``,
``boolean``, ``tables``), which say what is missing or of the wrong type in the author's words and
refuse control characters (see :mod:`safeground.loader.text`) on the way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safeground.loader.problems import Problem, type_name, where
from safeground.loader.text import ID_PATTERN, PROSE_KEYS, control_message
from safeground.tomlparse import KeyPath, LineIndex
from safeground.untrusted import find_control, for_terminal


class FileChecker:
    """Checks one parsed TOML file, collecting problems instead of stopping at the first."""

    def __init__(self, file: Path, text: str, problems: list[Problem]):
        self.file = file
        self.text = text
        self._lines: LineIndex | None = None
        self.problems = problems

    @property
    def lines(self) -> LineIndex:
        # Built on the first problem only: a workbook without problems (every start-up) never
        # needs line numbers, and indexing every line costs about as much as parsing the file.
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def problem(self, path: KeyPath, message: str, key: str | None = None, ident: Any = None) -> None:
        self.problems.append(Problem(self.file, self.lines.nearest(path, key), where(path, ident), message))

    def keys(self, table: dict, path: KeyPath, allowed: set[str] | frozenset[str], ident: Any = None) -> None:
        for key in table:
            if key not in allowed:
                import difflib  # only when there is a problem to explain

                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; allowed here: {', '.join(sorted(allowed))}"
                self.problem(path, f"unknown key '{for_terminal(key)}'{suggestion}", key, ident)

    def string(self, table: dict, path: KeyPath, key: str, *, required: bool = True, ident: Any = None) -> str:
        if key not in table:
            if required:
                self.problem(path, f"missing '{key}': add {key} = \"...\"", None, ident)
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.problem(path, f"'{key}' must be text in quotes, not {type_name(value)}", key, ident)
            return ""
        if self.control(value, path, key, ident):
            return value
        if required and not value.strip():
            self.problem(path, f"'{key}' is empty: write something there", key, ident)
        return value

    def ident(self, table: dict, path: KeyPath) -> str:
        if "id" not in table:
            self.problem(path, "missing 'id': add id = \"some-name\" (lowercase words joined by dashes)")
            return ""
        value = table["id"]
        if not isinstance(value, str):
            self.problem(path, f"'id' must be text in quotes, like id = \"my-page\", not {type_name(value)}", "id")
            return ""
        if self.control(value, path, "id"):
            return value
        if not ID_PATTERN.fullmatch(value):
            self.problem(
                path, f'id "{value}" must be lowercase letters and digits joined by dashes, like "my-page"', "id"
            )
        return value

    def integer(self, table: dict, path: KeyPath, key: str, default: int | None, ident: Any = None) -> int | None:
        if key not in table:
            if default is None:
                self.problem(path, f"missing '{key}': add {key} = <a whole number>", None, ident)
            return default
        value = table[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(path, f"'{key}' must be a whole number, not {type_name(value)}", key, ident)
            return default
        return value

    def boolean(self, table: dict, path: KeyPath, key: str, default: bool, ident: Any = None) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(path, f"'{key}' must be true or false, not {type_name(value)}", key, ident)
            return default
        return value

    def tables(self, table: dict, path: KeyPath, key: str, ident: Any = None, *, what: str) -> list[dict]:
        """An array of tables, such as ``[[pages]]`` or ``options = [{...}, ...]``."""
        if key not in table:
            self.problem(path, f"missing '{key}': add at least one {what}", None, ident)
            return []
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(path, f"'{key}' must be a list of tables ({what}s), not {type_name(value)}", key, ident)
            return []
        if not value:
            self.problem(path, f"'{key}' is empty: add at least one {what}", key, ident)
        return value

    def control(self, value: str, path: KeyPath, key: str, ident: Any = None) -> bool:
        """Report ``value`` if it holds a control character where ``key`` may not; True if it does."""
        index = find_control(value, prose=key in PROSE_KEYS)
        if index is None:
            return False
        self.problem(path, control_message(key, value, index), key, ident)
        return True

    def unique(self, items: list[tuple[str, KeyPath]], what: str) -> None:
        seen: set[str] = set()
        for ident, path in items:
            if ident and ident in seen:
                self.problem(path, f'{what} id "{ident}" is used twice: each {what} needs its own id', "id")
            seen.add(ident)
