"""Text that came from outside, made safe to show: workbook folders, progress files, share files,
paths and error messages.

A workbook folder is written by someone else (a therapist, a download), and a progress file can be
edited by hand, so any string from them may hold terminal escape sequences: ``ESC ] 52`` writes the
terminal's clipboard, ``ESC [ 2J`` wipes the screen. Nothing that reaches a terminal, from the app
or from a command, is printed raw; it goes through :func:`for_terminal` first, which draws each
control character as a visible stand-in (the Unicode "control pictures": ␛ for ESC, ␀ for NUL,
␡ for DEL, U+FFFD for the C1 controls), one character for one.

Exports are read by people, not terminals, so they show a different hazard: characters that are
there but can't be seen. :func:`reveal_invisible` names bidi overrides (which make text read in
another order than it was written) and zero-width characters, so a printed answer says exactly
what is in it.

No Textual here: the command line and the exports use this module too.
"""

from __future__ import annotations

import re

#: C0 controls, DEL and the C1 controls, each to a printable stand-in of one character.
CONTROL_PICTURES: dict[int, int] = {code: 0x2400 + code for code in range(0x20)}
CONTROL_PICTURES[0x7F] = 0x2421
CONTROL_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})
#: The same, keeping newlines (and tabs) for text that is shown as several lines.
_MULTILINE = {code: picture for code, picture in CONTROL_PICTURES.items() if code not in (0x0A, 0x09)}
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Every control character (C0, DEL, C1).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: Control characters other than newline and tab (allowed in prose, nowhere else).
CONTROL_IN_PROSE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(text: object, *, multiline: bool = False) -> str:
    """``text`` with every control character drawn as its visible stand-in.

    Single-line by default (a newline is drawn as ␊); with ``multiline`` newlines and tabs stay.
    Lone surrogates, which no terminal can show, become U+FFFD.
    """
    text = text if isinstance(text, str) else str(text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text.translate(_MULTILINE if multiline else CONTROL_PICTURES)


def find_control(text: str, *, prose: bool = False) -> int | None:
    """The index of the first character a workbook may not hold here, or None.

    Prose (page text, help) may hold newlines and tabs; titles, labels and ids may not.
    """
    match = (CONTROL_IN_PROSE if prose else CONTROL).search(text)
    return match.start() if match else None


# -- invisible characters in exports ---------------------------------------------------------------

#: Bidi embeddings, overrides and isolates: they change the order text is shown in.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Characters that take no space and draw nothing.
_ZERO_WIDTH = "\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"
#: Joiners are part of how some scripts and emoji sequences are written: they are kept where they
#: join two visible characters and shown where they join nothing.
_JOINERS = "\u200c\u200d"
_INVISIBLE = re.compile(
    f"[{_BIDI}{_ZERO_WIDTH}]|(?<![^\\s{_BIDI}{_ZERO_WIDTH}{_JOINERS}])[{_JOINERS}]|[{_JOINERS}](?![^\\s{_BIDI}{_ZERO_WIDTH}{_JOINERS}])"
)


def reveal_invisible(text: str) -> str:
    """``text`` with bidi controls and stray zero-width characters written out as ``[U+202E]``.

    A joiner between two visible characters (inside an emoji sequence or a word) is left alone.
    """
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


#: The most of a workbook's title or description the app draws (home screen, header).
SHOWN_CHARS = 300


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis, for drawing; the workbook keeps it
    whole. Textual wraps and measures a label's whole text at every layout: a workbook folder
    with a 2 MB title took half a minute to open and showed only the middle of the title."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
