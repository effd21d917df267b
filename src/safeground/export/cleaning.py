"""Making any text safe to print: what the renderers may assume of every string they get.

:func:`clean` leaves only printable characters, newlines and spaces (terminal escape sequences and
control characters go before any format is made); :func:`clean_answer` also writes out the
invisible characters of what a person wrote (``[U+202E]``). The direction helpers say which way a
line reads, for the formats that lay text out themselves.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from safeground.untrusted import CONTROL_IN_PROSE, reveal_invisible

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), the string
# sequences DCS/SOS/PM/APC, and other two- or three-byte ESC sequences. (The 8-bit controls, such
# as U+009B, are removed one by one with the other control characters: alone they do nothing.)
# A sequence left unterminated ends at the end of its line, so it never swallows the answer.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?
    | \x1b\][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[PX^_][^\x1b\x9c\n]*(?:\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?
    """,
    re.VERBOSE,
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")
# Anything that would break a run of inline text into lines, or that no format should carry.
_NOT_INLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean(text: Any, *, single_line: bool = False) -> str:
    """``text`` with only printable characters, newlines and spaces left.

    Removes terminal escape sequences (as whole sequences, so no ``[31m`` is left behind) and every
    other control character; turns any kind of line break into ``\\n`` and tabs into spaces (tab
    stops every 4 columns); replaces lone surrogates, which no file format can hold, with U+FFFD.
    Trailing spaces go, and so do blank lines at either end. With ``single_line``, line breaks
    become spaces (for titles, prompts and option labels).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _SURROGATE.sub("\ufffd", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    # Every control character but newline and tab, in one pass of a regular expression: a
    # character-by-character test made a long answer's export wait on this line.
    text = CONTROL_IN_PROSE.sub("", text)
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    if single_line:
        return " ".join(line.strip() for line in lines if line.strip())
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def clean_inline(text: str) -> str:
    """A run of inline text with every line break, tab or control character made a space.

    For what the Markdown parser hands back: the source was cleaned before parsing, but a
    character reference such as ``&#x2028;`` becomes its character only then. Spaces at either
    end are kept, as they separate the run from its neighbours."""
    return _NOT_INLINE.sub(" ", text) if _NOT_INLINE.search(text) else text


def clean_answer(text: Any, *, single_line: bool = False) -> str:
    """:func:`clean`, and then every bidi control and stray zero-width character written out as
    ``[U+202E]`` (see :func:`safeground.untrusted.reveal_invisible`).

    For what a person wrote (or what a hand-edited progress file says they wrote), so the paper
    shows exactly what is in the answer: an override can make ``I do not agree`` read as something
    else, and a zero-width character can hide inside a word. The workbook's own text is left as
    its author wrote it: a right-to-left workbook needs its isolates and embeddings to lay out.
    """
    return reveal_invisible(clean(text, single_line=single_line))


def paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    """An answer's cleaned text (:func:`clean_answer`) as paragraphs (split at blank lines), each
    a tuple of its lines."""
    result: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in clean_answer(text).split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            result.append(tuple(current))
            current = []
    if current:
        result.append(tuple(current))
    return tuple(result)


def base_direction(text: str) -> str:
    """``"rtl"`` when the first strongly directional letter is right-to-left, else ``"ltr"``
    (what ``dir="auto"`` does in HTML)."""
    # Each character once, in the order they first appear: a long answer with no letters at all
    # is then a few dozen look-ups rather than one per character.
    for char in dict.fromkeys(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter. Each distinct character is looked at
    once: a long answer repeats the same few dozen."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in set(text))
