"""What the command line's commands share: the program's name, their failure, opening the answers.

Both ``safeground.cli`` and ``safeground.export.commands`` import this; neither imports the other's
helpers, so the two never import each other. No Textual here.
"""

from __future__ import annotations

import argparse

from safeground.content import Workbook
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.storage import DEFAULT_PROFILE, ProgressFileError, ProgressStore, resolve_data_dir

#: The command's name, as ``--help`` and every message show it.
PROG = "safeground"


class CommandError(Exception):
    """A failure to report as one line and exit 1."""


def open_store(args: argparse.Namespace, workbook_id: str) -> ProgressStore:
    """The progress file of ``--profile`` in ``--data-dir`` for this workbook."""
    return ProgressStore(resolve_data_dir(args.data_dir), args.profile, workbook_id)


def profile_flag(args: argparse.Namespace) -> str:
    """`` --profile NAME`` to repeat in a suggested command, or nothing for the default profile."""
    return f" --profile {args.profile}" if args.profile != DEFAULT_PROFILE else ""


def load_progress(args: argparse.Namespace) -> tuple[Workbook, ProgressStore, Progress]:
    """The workbook (``--workbook``) and the profile's answers in it.

    A progress file that cannot be read is left untouched and raises :class:`CommandError` that
    says how to start fresh while keeping it."""
    workbook = load_workbook(args.workbook)
    store = open_store(args, workbook.id)
    try:
        progress = store.load(workbook)
    except ProgressFileError as error:
        raise CommandError(
            f"{error}\n  Nothing was changed: your answers in that file are untouched.\n"
            f"  To keep it and start fresh: {PROG} start-fresh{profile_flag(args)}"
        ) from None
    return workbook, store, progress
