"""The ``share`` and ``compare`` commands.

``safeground.cli`` calls :func:`register` with its helper that makes a subcommand, as it does for
the export commands. Importing this module costs nothing: the share modules are imported when a
command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from safeground.cli_support import CommandError, load_progress
from safeground.export.formats import FORMATS, format_for_path, suffix_list

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.progress import Progress

SHARE_NOTE = "It is plain text (TOML): anyone who opens it can read these answers. Private questions are never in it."


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``share`` and ``compare``; ``command(name, summary)`` returns a new subparser."""
    share = command("share", "save the pages you choose to a file for your partner (plain text, TOML)")
    share.add_argument("-o", "--output", metavar="FILE", required=True, help="the share file to write")
    share.add_argument(
        "--chapter",
        "-c",
        action="append",
        default=[],
        metavar="ID",
        dest="chapters",
        help="share this chapter's completed pages (repeat for several)",
    )
    share.add_argument(
        "--page",
        "-p",
        action="append",
        default=[],
        metavar="CHAPTER/PAGE",
        dest="pages",
        help="share this page (repeat for several)",
    )
    share.add_argument(
        "--name", metavar="NAME", default="", help="how you want to appear to your partner (default: no name)"
    )
    share.add_argument("--force", action="store_true", help="replace FILE if it exists")
    share.set_defaults(handler=_share)

    compare = command("compare", "show your answers beside the ones in a share file, page by page")
    compare.add_argument("file", metavar="FILE", help="the share file your partner gave you")
    compare.add_argument(
        "-o", "--output", metavar="PATH", help=f"save a conversation sheet ({suffix_list()}) instead of printing"
    )
    compare.add_argument("--format", "-f", choices=FORMATS, help="the sheet's format (default: from the suffix)")
    compare.add_argument("--force", action="store_true", help="replace the -o file if it exists")
    compare.set_defaults(handler=_compare, command_parser=compare)


def open_own_answers(args: argparse.Namespace) -> tuple[Workbook, Progress]:
    """The person's own workbook and answers, opened as ``status`` and ``export`` open them.
    Kept in one place: a profile lock that asks for a passphrase belongs here."""
    workbook, _store, progress = load_progress(args)
    return workbook, progress


def _share(args: argparse.Namespace) -> int:
    from datetime import date

    from safeground.export import ExportError, TargetExists
    from safeground.share import fileformat
    from safeground.share.choosing import ChoiceError, choose
    from safeground.untrusted import for_terminal

    workbook, progress = open_own_answers(args)
    try:
        pages = choose(workbook, progress, args.chapters, args.pages)
        shared = fileformat.build(workbook, pages, args.name, date.today())
        written = fileformat.write(args.output, shared, replace=args.force)
    except ChoiceError as error:
        raise CommandError(str(error)) from None
    except TargetExists as error:
        raise CommandError(f"{error}: add --force to replace it, or choose another name") from None
    except ExportError as error:
        raise CommandError(str(error)) from None
    count = len(pages)
    print(for_terminal(f"Saved {count} page{'s' if count != 1 else ''} to share in {written}."))
    print(SHARE_NOTE)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from pathlib import Path

    from safeground.export import ExportError, TargetExists, render, write_private
    from safeground.share import fileformat
    from safeground.share.compare import compare
    from safeground.share.sheet import sheet_document
    from safeground.untrusted import for_terminal

    fmt = args.format
    if args.output and fmt is None:
        fmt = format_for_path(args.output)
        if fmt is None:
            args.command_parser.error(
                f"cannot tell the format from {args.output!r}: give --format, or {suffix_list('or')}"
            )
    workbook, progress = open_own_answers(args)
    try:
        shared = fileformat.read(args.file, workbook)
    except fileformat.ShareFileError as error:
        raise CommandError(f"{error}. Your own answers are untouched.") from None
    comparison = compare(workbook, progress, shared)
    document = sheet_document(comparison, workbook.id)
    if not args.output:
        text = render(document, "text").data.decode("utf-8").replace("\f", "\n")
        sys.stdout.write(for_terminal(text, multiline=True))
        return 0
    try:
        rendered = render(document, fmt or "text")
        target = write_private(Path(args.output).expanduser(), rendered.data, replace=args.force)
    except TargetExists as error:
        raise CommandError(f"{error}: add --force to replace it, or choose another name") from None
    except ExportError as error:
        raise CommandError(str(error)) from None
    print(for_terminal(f"Saved the conversation sheet to {target.real}."))
    print("Keep it somewhere private: it holds both of your answers.")
    return 0
