"""What the command line's commands share: the program's name, their failure, opening the answers.

Both ``safeground.cli`` and ``safeground.export.commands`` import this; neither imports the other's
helpers, so the two never import each other. No Textual here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from safeground.content import Workbook
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.storage import DEFAULT_PROFILE, ProgressFileError, ProgressStore, resolve_data_dir

#: Asks for a passphrase with the prompt given; returns what was typed (see :func:`ask_passphrase`).
Asker = Callable[[str], str]

#: The command's name, as ``--help`` and every message show it.
PROG = "safeground"


class CommandError(Exception):
    """A failure to report as one line and exit 1."""


def ask_passphrase(prompt: str = "Passphrase: ") -> str:
    """A passphrase from the terminal, not echoed; when standard input is not a terminal (a script,
    a test), its next line. Never from the environment or the command line: those are seen by
    other processes and kept in shell history."""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line[:-1] if line.endswith("\n") else line


def open_store(args: argparse.Namespace, workbook_id: str, *, ask: Asker | None = None) -> ProgressStore:
    """The progress file of ``--profile`` in ``--data-dir`` for this workbook.

    The one way every command opens answers: with ``ask`` (usually :func:`ask_passphrase`), a
    locked profile asks for its passphrase and comes back unlocked; a wrong one raises
    :class:`CommandError` (exit 1) and nothing is read or written. Without ``ask`` the store is
    returned as it is (``where`` needs no passphrase; reading a locked file then fails)."""
    store = ProgressStore(resolve_data_dir(args.data_dir), args.profile, workbook_id)
    if ask is not None and store.needs_passphrase():
        unlock_store(store, ask)
    return store


def unlock_store(store: ProgressStore, ask: Asker) -> None:
    """Ask for the passphrase once and unlock ``store``, or raise :class:`CommandError`."""
    from safeground.vault import WrongPassphrase

    try:
        store.check_sealed()  # a file no passphrase can open is said so without asking for one
        store.unlock(ask(f"Passphrase for {store.profile}: "))
    except WrongPassphrase:
        raise CommandError(
            "that passphrase doesn't open these answers. Nothing was read or changed; try again."
        ) from None
    except ProgressFileError as error:
        raise CommandError(f"{error}\n  Nothing was changed: the file is kept exactly as it is.") from None


def profile_flag(args: argparse.Namespace) -> str:
    """`` --profile NAME`` to repeat in a suggested command, or nothing for the default profile."""
    return f" --profile {args.profile}" if args.profile != DEFAULT_PROFILE else ""


def load_progress(
    args: argparse.Namespace, *, ask: Asker | None = ask_passphrase
) -> tuple[Workbook, ProgressStore, Progress]:
    """The workbook (``--workbook``) and the profile's answers in it (asking for the passphrase
    of a locked profile, see :func:`open_store`).

    A progress file that cannot be read is left untouched and raises :class:`CommandError` that
    says how to start fresh while keeping it."""
    workbook = load_workbook(args.workbook)
    store = open_store(args, workbook.id, ask=ask)
    try:
        progress = store.load(workbook)
    except ProgressFileError as error:
        raise CommandError(
            f"{error}\n  Nothing was changed: your answers in that file are untouched.\n"
            f"  To keep it and start fresh: {PROG} start-fresh{profile_flag(args)}"
        ) from None
    return workbook, store, progress


def forgiving(stream: TextIO) -> TextIO:
    """``stream`` set to put U+FFFD (reading) or '?' (writing) where a character can't be decoded or
    shown, rather than stop with a traceback: input that isn't UTF-8, PYTHONIOENCODING=ascii."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream
