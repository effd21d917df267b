"""The export formats, in one table: their names, what a person is shown, their file suffixes.

The command line (``--format`` and ``-o``), the print dialog and the exporting itself all read
this table, so a format is named, labelled and recognised by its suffix in one place. Importing
it costs nothing: the command line reads it for ``--help``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    #: What ``--format`` takes and :func:`safeground.export.render` is given.
    name: str
    #: What the print dialog shows.
    label: str
    #: The file name suffixes that ask for it; the first is the one suggested.
    suffixes: tuple[str, ...]


#: Every format, in the order ``--help`` and error messages list them.
FORMAT_TABLE: tuple[Format, ...] = (
    Format("text", "Plain text", (".txt", ".text")),
    Format("markdown", "Markdown", (".md", ".markdown")),
    Format("html", "Web page (HTML)", (".html", ".htm")),
    Format("pdf", "PDF", (".pdf",)),
)

FORMATS: tuple[str, ...] = tuple(f.name for f in FORMAT_TABLE)
#: Format -> what a person is shown for it.
LABELS: dict[str, str] = {f.name: f.label for f in FORMAT_TABLE}
#: File name suffix -> format, for ``-o`` without ``--format``.
SUFFIXES: dict[str, str] = {suffix: f.name for f in FORMAT_TABLE for suffix in f.suffixes}
#: The suffix to suggest for each format.
DEFAULT_SUFFIX: dict[str, str] = {f.name: f.suffixes[0] for f in FORMAT_TABLE}


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name asks for by its suffix (``.txt .md .html .htm .pdf``), or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def suffix_list(conjunction: str = "") -> str:
    """The suggested suffixes for messages: ``.txt .md .html .pdf``, or with ``conjunction="or"``
    ``.txt, .md, .html or .pdf``."""
    suffixes = list(DEFAULT_SUFFIX.values())
    if not conjunction:
        return " ".join(suffixes)
    return f"{', '.join(suffixes[:-1])} {conjunction} {suffixes[-1]}"
