"""The ``export`` and ``print`` commands.

``safeground.cli`` calls :func:`register` with its helper that makes a subcommand (with the global
options); each command's handler is stored on the parser (``handler``) for ``cli.main`` to call.
What both share (the program's name, opening the answers) is in :mod:`safeground.cli_support`, so
this module never imports the command line back. Importing it costs nothing: the export's own
modules are imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from safeground.cli_support import PROG, load_progress
from safeground.export.formats import DEFAULT_SUFFIX, FORMATS, format_for_path, suffix_list

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.progress import Progress

PRIVACY_NOTE = "Keep it somewhere private: anyone who can open the file can read your answers."


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``export`` and ``print``; ``command(name, summary)`` returns a new subparser."""
    export = command("export", "save completed pages as text, Markdown, HTML or PDF")
    _selection(export)
    export.add_argument(
        "--format", "-f", choices=FORMATS, help="the file format (default: from the -o file's suffix, else text)"
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=f"the file to write ({suffix_list()}); text and Markdown go to the screen without it. "
        "A pipe or device (like /dev/stdout) is written into",
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace the -o file if it exists (without it, an existing file is never touched)",
    )
    export.set_defaults(handler=_export, command_parser=export)

    printing = command("print", "print completed pages on a printer (through CUPS)")
    _selection(printing)
    printing.add_argument("--printer", "-P", metavar="NAME", help="the printer to use (default: your default printer)")
    printing.set_defaults(handler=_print, command_parser=printing)


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--chapter",
        "-c",
        action="append",
        metavar="ID",
        dest="chapters",
        help="only this chapter (repeat for several; default: all)",
    )
    parser.add_argument(
        "--include-drafts", action="store_true", help="also pages you have started but not finished, marked as drafts"
    )
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="also the answers to questions marked private (left out unless you ask: someone else may read the pages)",
    )
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument(
        "--name",
        metavar="NAME",
        help="whose answers the pages say they are (default: the --profile name, or no name for the default profile)",
    )
    whose.add_argument("--no-name", dest="name", action="store_const", const="", help="put no name on the pages")


def _fail(error: Exception) -> int:
    from safeground.export import NothingToExport, TargetExists
    from safeground.untrusted import for_terminal

    message = str(error)
    if isinstance(error, NothingToExport) and not error.include_drafts:
        message += "; add --include-drafts to include pages you have started"
    elif isinstance(error, NothingToExport) and message.endswith("ask for private answers"):
        message += " (--include-private)"
    if isinstance(error, TargetExists):
        message += ": add --force to replace it, or choose another name"
    print(f"{PROG}: {for_terminal(message)}", file=sys.stderr)
    return 1


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


def _write_stdout(data: bytes, binary: bool = False) -> None:
    """UTF-8 into a pipe or file whatever the locale; to a terminal, in its own encoding."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.isatty() and not binary):
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _load(args: argparse.Namespace) -> tuple[Workbook, Progress, str]:
    """The workbook, the answers, and the region whose support lines end the pages (``--region``,
    else the profile's choice, else the locale's guess)."""
    from safeground.regions import choose
    from safeground.settings import Settings

    workbook, store, progress = load_progress(args)
    region = choose(workbook.support.codes, asked=args.region, saved=Settings.load(store.profile_dir, store.key).region)
    return workbook, progress, region


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from safeground.export import ExportError, TargetExists, build_document, render, write_target
    from safeground.export.output import FILE, STREAM, inspect_target
    from safeground.untrusted import for_terminal

    parser: argparse.ArgumentParser = args.command_parser
    output = args.output
    to_stdout = output is None or output == "-"
    fmt = args.format
    if fmt is None:
        if to_stdout:
            fmt = "text"
        else:
            fmt = format_for_path(output)
            if fmt is None:
                parser.error(
                    f"cannot tell the format from {output!r}: give --format, or a file name ending in "
                    f"{suffix_list('or')}"
                )
    if output is None and fmt in ("html", "pdf"):
        parser.error(f"{fmt} is saved to a file: add -o PATH, like -o pages{DEFAULT_SUFFIX[fmt]}")
    if to_stdout and fmt == "pdf" and sys.stdout.isatty():
        parser.error("a PDF cannot be shown on the screen: add -o PATH, like -o pages.pdf, or pipe it")

    workbook, progress, region = _load(args)
    try:
        target = None
        if not to_stdout:
            # Looked at first, so a file that is there (or a socket, a folder) is refused before
            # any time goes into rendering.
            target = inspect_target(Path(output).expanduser())
            if target.kind == FILE and not args.force:
                raise TargetExists(target.path, target.link_target)
        document = build_document(
            workbook,
            progress,
            args.chapters,
            args.include_drafts,
            args.profile,
            include_private=args.include_private,
            name=args.name,
            region=region,
        )
        rendered = render(document, fmt)
        if target is None:
            _warn(rendered.warnings)
            _write_stdout(rendered.data, binary=fmt == "pdf")
            return 0
        write_target(target, rendered.data, replace=args.force)
    except ExportError as error:
        return _fail(error)
    _warn(rendered.warnings)
    if target.kind == STREAM:
        return 0  # as with -o -: the pages are all that goes into a pipe, and /dev/stdout may be one
    pages = len(document.pages)
    where = for_terminal(target.real)
    if target.link_target is not None:
        where += f" (through the link {for_terminal(target.path)})"
    print(f"Saved {pages} page{'s' if pages != 1 else ''} to {where}")
    print(PRIVACY_NOTE)
    return 0


def _print(args: argparse.Namespace) -> int:
    from safeground.export import ExportError, print_pages

    workbook, progress, region = _load(args)
    try:
        result = print_pages(
            workbook,
            progress,
            args.chapters,
            args.include_drafts,
            args.profile,
            args.printer,
            include_private=args.include_private,
            name=args.name,
            region=region,
        )
    except ExportError as error:
        return _fail(error)
    _warn(result.warnings)
    pages = result.pages
    print(f"{result.message} ({pages} workbook page{'s' if pages != 1 else ''}).")
    print("Collect the pages soon: anyone at the printer can read them.")
    return 0
