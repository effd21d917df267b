"""Each field kind as a plain prompt: what to type, what the answer is now, and reading the reply.

Everything here is words and values, no input or output, so each kind's rules are tested directly.
Text from the workbook and from answers is returned as it is; the conversation draws it with
:func:`~safeground.untrusted.for_terminal` when it prints it.
"""

from __future__ import annotations

import re
from typing import Any

from safeground.content import Field

#: How a long answer ends: a line holding only this.
END_OF_TEXT = "."
#: What a checklist reply says to choose nothing.
NONE = "none"


class BadInput(ValueError):
    """A reply that does not answer the question: its message is one plain sentence to print."""


def rating_range(field: Field) -> str:
    labels = ""
    if field.min_label and field.max_label:
        labels = f" ({field.min} means {field.min_label}, {field.max} means {field.max_label})"
    return f"Rate {field.min} to {field.max}{labels}."


def instruction(field: Field, *, answered: bool) -> str:
    """How to answer, with the kind spelled out, and what an empty reply does."""
    kind = field.kind
    if kind == "text":
        how = "Type your answer on one line."
    elif kind == "long_text":
        how = 'Type your answer; it can take several lines. End it with a line holding only a full stop (".").'
    elif kind == "choice":
        how = f"Choose one. Type a number from 1 to {len(field.options)}."
    elif kind == "checklist":
        how = f"Choose any. Type their numbers separated by spaces, or '{NONE}' to choose none."
    elif kind in ("scale", "statements"):
        how = f"{rating_range(field)} Type a number."
    else:  # list
        item = field.item_label or "an item"
        how = f"Type {item} on each line, as many as you like. An empty line ends the list."
        if answered:
            how += " What you type replaces the list above."
    keep = "Press Enter to keep your answer." if answered else "Press Enter to leave it for now."
    return f"{how} {keep}"


def numbered(options: Any) -> list[str]:
    """Options as the lines to choose from: ``1. Label``."""
    return [f"{number}. {option.label}" for number, option in enumerate(options, start=1)]


def current(field: Field, value: Any, statement: int | None = None) -> list[str]:
    """The answer there is now, as lines to print (none when there is no answer)."""
    if statement is not None:
        rating = (value or {}).get(field.statements[statement].id)
        return [] if rating is None else [f"Your rating now: {rating}."]
    if value is None or value in ("", [], {}):
        return []
    kind = field.kind
    if kind == "text":
        return [f"Your answer now: {value}"]
    if kind == "long_text":
        return ["Your answer now:", *(f"  {line}" for line in value.split("\n"))]
    if kind == "choice":
        number, option = next((i, o) for i, o in enumerate(field.options, start=1) if o.id == value)
        return [f"Your answer now: {number}. {option.label}"]
    if kind == "checklist":
        chosen = [f"{i}. {o.label}" for i, o in enumerate(field.options, start=1) if o.id in value]
        return ["Chosen now: " + "; ".join(chosen) + "."]
    if kind == "scale":
        return [f"Your rating now: {value}."]
    return ["Your list now:", *(f"  - {item}" for item in value)]  # list


def parse(field: Field, lines: list[str]) -> Any:
    """The value a reply gives ``field`` (a rating, for one statement of a set), or BadInput.

    ``lines`` is the reply: one line, or for long text and lists every line up to their end."""
    kind = field.kind
    if kind == "text":
        return lines[0]
    if kind == "long_text":
        return "\n".join(lines)
    if kind == "list":
        return [line for line in lines if line.strip()]
    if kind == "choice":
        return field.options[_number(lines[0], 1, len(field.options)) - 1].id
    if kind == "checklist":
        return _checklist(field, lines[0])
    return _number(lines[0], field.min, field.max)  # scale, and one statement of a set


def _number(reply: str, low: int, high: int) -> int:
    text = reply.strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", text) or not low <= int(text) <= high:
        raise BadInput(f"Please type one number from {low} to {high}.")
    return int(text)


def _checklist(field: Field, reply: str) -> list[str]:
    words = [word for word in re.split(r"[\s,]+", reply.strip()) if word]
    if [word.lower() for word in words] == [NONE]:
        return []
    count = len(field.options)
    numbers = {_checklist_number(word, count) for word in words}
    return [option.id for number, option in enumerate(field.options, start=1) if number in numbers]


def _checklist_number(word: str, count: int) -> int:
    if not re.fullmatch(r"\d{1,6}", word) or not 1 <= int(word) <= count:
        raise BadInput(f"Please type numbers from 1 to {count}, separated by spaces, or '{NONE}'.")
    return int(word)
