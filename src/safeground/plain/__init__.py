"""Plain mode: the workbook as a line-by-line conversation on standard input and output.

``safeground --plain`` (or ``SAFEGROUND_PLAIN=1``) asks the same questions as the app, one at a
time, with no full-screen drawing and no escape codes, for a screen reader, a braille display, a
pipe or a script. It imports no Textual, so it starts about as fast as ``safeground status``.

It uses the app's own pieces: the profile's lock (one Safe Ground at a time writes a profile), the
same :class:`~safeground.session.Session` rules for answers, and the same atomic write of the same
progress file after every answer. The end of input, Ctrl+D or ``quit`` leaves with everything
saved and exit status 0.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TextIO

from safeground.cli_support import PROG, CommandError, ask_passphrase, forgiving, open_store, profile_flag
from safeground.loader import load_workbook
from safeground.plain.conversation import Conversation
from safeground.plain.printing import Printer
from safeground.plain.reading import LineReader
from safeground.plain.steps import all_steps, index_of
from safeground.regions import choose
from safeground.session import Session
from safeground.settings import Settings
from safeground.storage import ProfileLocked, ProgressFileError, StorageError

INTRO = (
    "Safe Ground, plain mode. Each question says how to answer it. At any question you can type "
    "'support' (or 'help') for people to reach out to, 'skip', 'back', 'contents' or 'quit'. "
    "Each answer is saved as soon as you give it."
)


def open_session(args: argparse.Namespace) -> Session:
    """The workbook and the profile's answers, with the profile's lock taken, as the app opens them.

    A progress file that cannot be read is left untouched (CommandError says how to start fresh,
    as ``status`` does); a profile open in another Safe Ground is a CommandError too."""
    workbook = load_workbook(args.workbook)
    # A locked profile asks for its passphrase first (from the first line of a pipe), as every way in does.
    store = open_store(args, workbook.id, ask=ask_passphrase)
    # The support lines `support` prints: the region the app would show (``--region``, else the
    # profile's choice, else the locale's guess).
    saved = Settings.load(store.profile_dir, store.key).region
    region = choose(workbook.support.codes, asked=getattr(args, "region", None), saved=saved)
    workbook = replace(workbook, support=workbook.support.opening(region))
    try:
        store.acquire_lock()
    except ProfileLocked as error:
        raise CommandError(
            f"these answers are open in another Safe Ground ({error.holder}); close it first, then try again."
        ) from None
    try:
        progress = store.load(workbook)
    except ProgressFileError as error:
        store.release_lock()
        raise CommandError(
            f"{error}\n  Nothing was changed: your answers in that file are untouched.\n"
            f"  To keep it and start fresh: {PROG} start-fresh{profile_flag(args)}"
        ) from None
    except StorageError:
        store.release_lock()
        raise
    return Session(workbook, store, progress)


def run_plain(args: argparse.Namespace, source: TextIO | None = None, out: TextIO | None = None) -> int:
    """Hold the conversation (on stdin and stdout unless given); the process's exit status."""
    session = open_session(args)
    source = source if source is not None else forgiving(sys.stdin)
    out = out if out is not None else sys.stdout
    printer = Printer(out)
    try:
        saver = _Saver(session, printer)
        steps = all_steps(session.workbook)
        start = _start(session, steps, getattr(args, "chapter", None))
        printer.line(INTRO)
        printer.line()
        Conversation(session, LineReader(source, out), printer, saver.save).run(start)
        saver.save(leaving=True)
        printer.line("Your answers are saved. You can come back any time.")
    except KeyboardInterrupt:
        saver.save(leaving=True)
        return 130
    finally:
        session.close()
    return 0


def _start(session: Session, steps: list, chapter_id: str | None) -> int:
    """The first step: the chapter asked for, or where the person left off."""
    workbook, progress = session.workbook, session.progress
    if chapter_id:
        if workbook.chapter(chapter_id) is None:
            ids = ", ".join(c.id for c in workbook.chapters)
            raise CommandError(f"this workbook has no chapter '{chapter_id}'; its chapters are: {ids}")
        return index_of(steps, chapter_id)
    resume = progress.resume_position(workbook)
    return index_of(steps, resume.chapter, resume.page, resume.field, progress)


class _Saver:
    """Writes the answers after each one (atomically, the .bak kept, a hand edit kept beside the
    file), and once more on leaving if the place to resume changed; nothing when nothing did.

    A failed write keeps every answer in memory and is tried again with the next one; when
    leaving, it is a CommandError (exit 1) that names the problem, so it is never a quiet loss."""

    def __init__(self, session: Session, printer: Printer):
        self.session = session
        self.printer = printer
        self.saved_revision = session.revision

    def save(self, *, leaving: bool = False) -> None:
        session, store = self.session, self.session.store
        if session.revision == self.saved_revision:
            return
        try:
            store.ensure_locked()
            kept = store.save(session.progress)
        except (OSError, StorageError) as error:
            reason = getattr(error, "strerror", None) or error
            if leaving:
                raise CommandError(f"your answers could not be saved to {store.path}: {reason}") from None
            self.printer.line(
                f"Your answer is kept for now but could not be saved yet ({reason}); it will be tried again."
            )
            return
        self.saved_revision = session.revision
        if kept is not None:
            self.printer.line(str(kept))
