"""How a problem in a workbook folder is said: the file, the line, the table's path and what to change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeground.tomlparse import KeyPath
from safeground.untrusted import for_terminal


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook folder, said so that its author can fix it."""

    file: Path
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        # Cleaned once more here: the folder's own path can hold control characters too.
        place = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        text = f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        return for_terminal(text)


class WorkbookError(Exception):
    """A workbook folder that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


def where(path: KeyPath, ident: Any = None) -> str:
    """``("pages", 1, "fields", 0)`` → ``pages[2].fields[1]`` (counted from 1, as people count),
    with the id when there is one."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
        else:
            parts.append(part)
    text = ".".join(parts)
    if isinstance(ident, str) and ident:
        text += f' (id "{for_terminal(ident)}")'
    return text


def type_name(value: Any) -> str:
    """What ``value`` is, in the words a workbook's author would use for it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"
