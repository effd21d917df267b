"""Which region's support lines to show: the person's choice, else a guess from the locale.

Region codes are two-letter country codes in lowercase ("gb", "nz"), as the support file writes
them, plus ``other`` for somewhere else. The guess reads the territory of the locale the way the C
library picks the locale for messages (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``):
``en_GB.UTF-8`` is in the United Kingdom. A territory no region has, or no territory at all
(``C.UTF-8``), is "somewhere else": the local emergency number and a directory of helplines are
true everywhere, a foreign country's numbers are not. No Textual here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from safeground.content import OTHER_REGION

#: The locale variables, in the order the C library reads them for messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

#: Codes people write that are not the ISO ones: "uk" is how most people in the UK would write it.
ALIASES = {"uk": "gb"}

#: language[_TERRITORY][.codeset][@modifier]
_LOCALE = re.compile(r"^[A-Za-z]{2,3}_(?P<territory>[A-Za-z]{2})(?:[.@]|$)")


def normalise(code: str) -> str:
    """A code as the support file writes it: lowercase, without spaces, "uk" as "gb"."""
    code = code.strip().lower()
    return ALIASES.get(code, code)


def locale_territory(environ: Mapping[str, str] | None = None) -> str:
    """The territory of the locale messages are in ("gb" for ``en_GB.UTF-8``), or "" if none.

    The first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set decides, even without a
    territory (``LC_ALL=C`` overrides everything, as it does for every other program)."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            match = _LOCALE.match(value)
            return match.group("territory").lower() if match else ""
    return ""


def guess(codes: Iterable[str], environ: Mapping[str, str] | None = None) -> str:
    """The region the locale points to among ``codes``, else "somewhere else"."""
    territory = locale_territory(environ)
    return territory if territory and territory in set(codes) else OTHER_REGION


def choose(codes: Iterable[str], *, asked: str | None, saved: str, environ: Mapping[str, str] | None = None) -> str:
    """The region to use: ``--region`` (``asked``), else the profile's saved choice, else the guess.

    An unknown code is "somewhere else", never an error: this is not the moment for one."""
    known = tuple(codes)
    for code in (asked, saved):
        if code:
            code = normalise(code)
            return code if code in known else OTHER_REGION
    return guess(known, environ)
