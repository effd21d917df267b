"""Printing and exporting completed pages: text, Markdown, HTML and PDF, and printing through CUPS.

The app and the command line call these:

- :func:`build_document` picks the pages and turns the answers into a :class:`PrintDocument`
  (format-neutral: the review screen can show it as it is).
- :func:`render` makes one format's bytes from a document; :func:`export_to_file` does it all and
  writes the file (atomically, readable by its owner only).
- :func:`print_pages` renders a PDF and sends it to a CUPS printer; :func:`list_printers` and
  :func:`default_printer` feed a print dialog.

Failures are :class:`ExportError` (its subclasses :class:`NothingToExport`, :class:`UnknownChapter`,
:class:`PrintingError`) with a message to show as it is. Importing this package is cheap: fpdf is
imported only when a PDF is made, and nothing here imports Textual.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.export.document import (
        ExportError,
        NothingToExport,
        PrintDocument,
        PrintPage,
        UnknownChapter,
        build_document,
        clean,
    )
    from safeground.export.printing import PrintingError, Printer, PrintResult, default_printer, list_printers
    from safeground.progress import Progress

#: The same as ``safeground.export.document.DEFAULT_PROFILE``, without importing it.
DEFAULT_PROFILE = "default"

# The command line imports this package for the export commands' options (``safeground --help``,
# ``status``, and the app's start-up go through it), so the names that live in its modules are
# imported on first use rather than here.
_LAZY = {
    **dict.fromkeys(("ExportError", "NothingToExport", "PrintDocument", "PrintPage", "UnknownChapter",
                     "build_document", "clean"), "document"),
    **dict.fromkeys(("PrintingError", "Printer", "PrintResult", "default_printer", "list_printers"), "printing"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ExportError",
    "ExportResult",
    "NothingToExport",
    "PrintDocument",
    "PrintPage",
    "PrintResult",
    "Printer",
    "PrintingError",
    "Rendered",
    "UnknownChapter",
    "build_document",
    "clean",
    "default_printer",
    "export_to_file",
    "format_for_path",
    "list_printers",
    "print_pages",
    "render",
]

FORMATS = ("text", "markdown", "html", "pdf")
#: File name suffix -> format, for ``-o`` without ``--format``.
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".pdf": "pdf"}
#: The suffix to suggest for each format.
DEFAULT_SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html", "pdf": ".pdf"}


@dataclass(frozen=True)
class Rendered:
    data: bytes
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportResult:
    path: Path
    #: Workbook pages in the export.
    pages: int
    warnings: tuple[str, ...] = ()
    format: str = "pdf"


def format_for_path(path: str | os.PathLike) -> str | None:
    """The format a file name asks for by its suffix (``.txt .md .html .htm .pdf``), or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def render(document: PrintDocument, fmt: str) -> Rendered:
    """``document`` as ``fmt`` (one of :data:`FORMATS`). Text formats are UTF-8."""
    from safeground.export.document import ExportError

    if fmt == "text":
        from safeground.export.text import render_text

        return Rendered(render_text(document).encode("utf-8"))
    if fmt == "markdown":
        from safeground.export.markdown import render_markdown

        return Rendered(render_markdown(document).encode("utf-8"))
    if fmt == "html":
        from safeground.export.html import render_html

        return Rendered(render_html(document).encode("utf-8"))
    if fmt == "pdf":
        from safeground.export.pdf import render_pdf

        data, warnings = render_pdf(document)
        return Rendered(data, tuple(warnings))
    raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_private(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, readable and writable by its owner only (0600)."""
    from safeground.export.document import ExportError
    from safeground.storage import atomic_write

    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name, like {path / 'pages.pdf'}")
    if not path.parent.is_dir():
        raise ExportError(f"cannot save {path}: the folder {path.parent} does not exist")
    try:
        atomic_write(path, data, keep_backup=False)  # mkstemp makes the file 0600
        os.chmod(path, 0o600)
    except OSError as error:
        raise ExportError(f"cannot save {path}: {error.strerror or error}") from None


def export_to_file(
    workbook: Workbook,
    progress: Progress,
    path: str | os.PathLike,
    fmt: str | None = None,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
) -> ExportResult:
    """Export the chosen pages to ``path`` as ``fmt`` (default: from the suffix, else PDF).

    Raises :class:`NothingToExport`, :class:`UnknownChapter` or :class:`ExportError` (cannot write).
    """
    from safeground.export.document import ExportError, build_document

    path = Path(path).expanduser()
    fmt = fmt or format_for_path(path) or "pdf"
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    document = build_document(workbook, progress, chapters, include_drafts, profile)
    rendered = render(document, fmt)
    write_private(path, rendered.data)
    return ExportResult(path, len(document.pages), rendered.warnings, fmt)


def print_pages(
    workbook: Workbook,
    progress: Progress,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
    printer: str | None = None,
) -> PrintResult:
    """Render the chosen pages as a PDF and send it to ``printer`` (None: the default printer).

    Raises :class:`PrintingError` (no CUPS, no printer, refused), :class:`NothingToExport` or
    :class:`UnknownChapter`. The temporary PDF is private (0600) and deleted once CUPS has it.
    """
    from safeground.export.document import build_document
    from safeground.export.printing import PrintResult, check_printer_name, require_lp, submit

    document = build_document(workbook, progress, chapters, include_drafts, profile)
    require_lp()  # say so before spending time on the PDF
    if printer:
        check_printer_name(printer)
    rendered = render(document, "pdf")
    handle, name = tempfile.mkstemp(prefix="safeground-", suffix=".pdf")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(rendered.data)
        job_id, used = submit(temp, printer)
    finally:
        temp.unlink(missing_ok=True)
    return PrintResult(job_id, used, len(document.pages), rendered.warnings)
