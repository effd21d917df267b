"""Printing and exporting completed pages: text, Markdown, HTML and PDF, and printing through CUPS.

The app and the command line call these:

- :func:`build_document` picks the pages and turns the answers into a :class:`PrintDocument`
  (format-neutral: the review screen can show it as it is).
- :func:`render` makes one format's bytes from a document; :func:`export_to_file` does it all and
  writes the file (atomically, readable by its owner only, never over an existing file unless
  asked, straight into a pipe or device: see :mod:`safeground.export.output`).
- :func:`print_pages` renders a PDF and sends it to a CUPS printer; :func:`list_printers` and
  :func:`default_printer` feed a print dialog.

Failures are :class:`ExportError` (its subclasses :class:`NothingToExport`, :class:`UnknownChapter`,
:class:`PrintingError`, :class:`TargetExists`) with a message to show as it is. Importing this package is cheap: fpdf is
imported only when a PDF is made, and nothing here imports Textual.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeground.export.errors import ExportError, NothingToExport, UnknownChapter
from safeground.export.formats import DEFAULT_SUFFIX, FORMAT_TABLE, FORMATS, LABELS, SUFFIXES, Format, format_for_path
from safeground.storage import DEFAULT_PROFILE

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.export.document import PrintDocument, PrintPage, build_document, clean
    from safeground.export.output import Target, TargetExists
    from safeground.export.printing import Printer, PrintingError, PrintResult, default_printer, list_printers
    from safeground.progress import Progress

# The command line imports this package for the export commands' options (``safeground --help``,
# ``status``, and the app's start-up go through it), so the names that live in its modules are
# imported on first use rather than here.
_LAZY = {
    **dict.fromkeys(
        ("PrintDocument", "PrintPage", "build_document", "clean"),
        "document",
    ),
    **dict.fromkeys(("PrintingError", "Printer", "PrintResult", "default_printer", "list_printers"), "printing"),
    "TargetExists": "output",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_SUFFIX",
    "FORMATS",
    "FORMAT_TABLE",
    "LABELS",
    "Format",
    "SUFFIXES",
    "ExportError",
    "ExportResult",
    "NothingToExport",
    "PrintDocument",
    "print_document",
    "PrintPage",
    "PrintResult",
    "Printer",
    "PrintingError",
    "Rendered",
    "TargetExists",
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
    #: The file that was written when ``path`` is a link to it (the link is kept).
    link_target: Path | None = None


def render(document: PrintDocument, fmt: str) -> Rendered:
    """``document`` as ``fmt`` (one of :data:`FORMATS`). Text formats are UTF-8."""
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


def write_private(path: str | os.PathLike, data: bytes, *, replace: bool = False) -> Target:
    """Write ``data`` to ``path``: a private (0600) file put in place in one step, or straight into
    a pipe or device. Returns where it went. Raises :class:`TargetExists` when ``path`` is a file
    and ``replace`` is false, :class:`ExportError` for anything else that can't be written."""
    from safeground.export.output import inspect_target

    target = inspect_target(Path(path))
    write_target(target, data, replace=replace)
    return target


def write_target(target: Target, data: bytes, *, replace: bool = False) -> None:
    """:func:`write_private` for a target already looked at (to refuse before rendering)."""
    from safeground.export.output import write

    try:
        write(target, data, replace=replace)
    except OSError as error:
        raise ExportError(f"cannot save {target.path}: {error.strerror or error}") from None


def export_to_file(
    workbook: Workbook,
    progress: Progress,
    path: str | os.PathLike,
    fmt: str | None = None,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
    *,
    replace: bool = False,
    include_private: bool = False,
    name: str | None = None,
    region: str | None = None,
) -> ExportResult:
    """Export the chosen pages to ``path`` as ``fmt`` (default: from the suffix, else PDF).

    Private questions are left out unless ``include_private``; the pages carry ``name`` (None:
    the profile's name unless it is the default one, "": no name). See :func:`build_document`.

    An existing file is replaced only with ``replace``; without it :class:`TargetExists` is raised
    before anything is rendered. Raises :class:`NothingToExport`, :class:`UnknownChapter` or
    :class:`ExportError` (cannot write there).
    """
    from safeground.export.document import build_document
    from safeground.export.output import FILE, TargetExists, inspect_target

    path = Path(path).expanduser()
    fmt = fmt or format_for_path(path) or "pdf"
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    target = inspect_target(path)
    if target.kind == FILE and not replace:
        raise TargetExists(path, target.link_target)
    document = build_document(
        workbook, progress, chapters, include_drafts, profile, include_private=include_private, name=name, region=region
    )
    rendered = render(document, fmt)
    write_target(target, rendered.data, replace=replace)
    return ExportResult(path, len(document.pages), rendered.warnings, fmt, target.link_target)


def print_pages(
    workbook: Workbook,
    progress: Progress,
    chapters: Iterable[str] | None = None,
    include_drafts: bool = False,
    profile: str = DEFAULT_PROFILE,
    printer: str | None = None,
    *,
    include_private: bool = False,
    name: str | None = None,
    region: str | None = None,
) -> PrintResult:
    """Render the chosen pages as a PDF and send it to ``printer`` (None: the default printer).
    ``include_private`` and ``name`` as for :func:`export_to_file`.

    Raises :class:`PrintingError` (no CUPS, no printer, refused), :class:`NothingToExport` or
    :class:`UnknownChapter`. The temporary PDF is private (0600, in a 0700 folder of its own) and
    deleted once CUPS has it, or when SIGTERM, SIGHUP or SIGINT ends the command first.
    """
    from safeground.export.document import build_document

    document = build_document(
        workbook, progress, chapters, include_drafts, profile, include_private=include_private, name=name, region=region
    )
    return print_document(document, printer)


def print_document(document: PrintDocument, printer: str | None = None) -> PrintResult:
    """Render ``document`` as a PDF and send it to ``printer`` (None: the default printer), the
    temporary PDF private and deleted as :func:`print_pages` says. Raises :class:`PrintingError`."""
    from safeground.export.output import private_folder, write_private_file
    from safeground.export.printing import PrintingError, PrintResult, check_printer_name, require_lp, submit

    require_lp()  # say so before spending time on the PDF
    if printer:
        check_printer_name(printer)
    rendered = render(document, "pdf")
    try:
        with private_folder() as folder:
            pdf = folder / "pages.pdf"
            write_private_file(pdf, rendered.data)
            job_id, used = submit(pdf, printer)
    except OSError as error:
        raise PrintingError(f"cannot make the PDF to print ({error.strerror or error})") from None
    return PrintResult(job_id, used, len(document.pages), rendered.warnings)
