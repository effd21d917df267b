"""Which text a workbook may hold: no control characters, and line breaks only in prose.

A workbook folder may come from anyone (a download, a shared drive), so every string the app or a
command could show is refused if it holds a control character: a terminal obeys those rather than
shows them (``ESC ] 52`` writes the clipboard, ``ESC [ 2J`` wipes the screen). Only the prose keys
(:data:`PROSE_KEYS`) may hold line breaks and tabs. The check rides on the reads every value goes
through anyway (:class:`~safeground.loader.values.FileChecker`), so it costs one regular-expression
search per string. Messages that quote the author's text quote it through
:func:`~safeground.untrusted.for_terminal`.
"""

from __future__ import annotations

import re

#: Lowercase letters and digits joined by dashes. Matched whole (``fullmatch``): with ``match``,
#: "$" would let a trailing line break through.
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: Keys whose text is shown as paragraphs, so it may hold line breaks and tabs. Everything else
#: (ids, titles, prompts, labels, options, names) is shown on one line.
PROSE_KEYS = frozenset({"text", "discuss", "intro", "description", "help", "about", "emergency", "region_note", "note"})


def control_message(key: str, text: str, index: int) -> str:
    """Why ``text`` (the value of ``key``) is refused: the character at ``index``, named by its code."""
    code = ord(text[index])
    what = {0x0A: "a line break", 0x09: "a tab"}.get(code, "a control character")
    place = f"'{key}' holds {what} (U+{code:04X}) at character {index + 1}"
    if code in (0x0A, 0x09):
        return f"{place}: this text is shown on one line, so take it out"
    return f"{place}: terminals obey these instead of showing them, so take it out"
