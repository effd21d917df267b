"""The ``safeground`` command: the app by default, and a few commands that need no screen.

Only ``safeground`` with no command imports Textual; ``status``, ``where``, ``check`` and
``start-fresh`` stay light so they answer at once (a test holds us to that). Every failure is one
clear line on stderr and exit code 1 (2 for a command line that doesn't parse), never a traceback.

Whatever is printed from a workbook, a progress file, a path or an error message goes through
:func:`~safeground.untrusted.for_terminal` first: any of them can hold escape sequences, and the
terminal would obey them (clear the screen, write the clipboard) instead of showing them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from safeground import __version__
from safeground.cli_support import PROG, CommandError, ask_passphrase, forgiving, load_progress, open_store
from safeground.export.commands import register as register_export_commands
from safeground.loader import WorkbookError, builtin_workbook_dir, check_workbook, load_workbook
from safeground.lock_commands import register as register_lock_commands
from safeground.share.commands import register as register_share_commands
from safeground.storage import DEFAULT_PROFILE, ProgressFileError, StorageError
from safeground.support_command import register as register_support_command
from safeground.untrusted import for_terminal


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes, before or after the command's name."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS if suppress else DEFAULT_PROFILE,
        help="whose answers: partners on one computer each use their own (default: default)",
    )
    parser.add_argument(
        "--workbook", metavar="DIR", default=default, help="use the workbook in DIR instead of the built-in one"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where answers are kept (default: $SAFEGROUND_DATA_DIR, else your user data folder)",
    )
    parser.add_argument(
        "--region",
        metavar="CODE",
        default=default,
        help="whose support lines to show: us, gb, ie, ca, au, nz or other (default: your choice, else your locale's)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Safe Ground: a workbook for cultivating emotional safety in your relationship. "
        "With no command, opens the workbook.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _global_options(parser, suppress=False)
    parser.add_argument(
        "--plain", action="store_true", help="a line-by-line conversation, no full screen (also SAFEGROUND_PLAIN=1)"
    )
    parser.add_argument("--chapter", metavar="ID", help="with --plain: start at this chapter")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        _global_options(sub, suppress=True)
        return sub

    status = command("status", "show how far you are in each chapter and where you'd resume")
    status.add_argument("--json", action="store_true", help="print the same as JSON, for scripts")
    command("where", "print the data folder and the progress file's path")
    check = command("check", "check a workbook folder and list every problem in it")
    check.add_argument("dir", nargs="?", metavar="DIR", help="the workbook folder (default: the built-in workbook)")
    fresh = command("start-fresh", "set the progress file aside (kept, renamed) and start with no answers")
    fresh.add_argument("--force", action="store_true", help="also when the file is fine (it is still kept)")
    register_export_commands(command)  # export, print
    register_support_command(command)  # support
    register_lock_commands(command)  # lock, unlock, change-passphrase
    register_share_commands(command)  # share, compare
    return parser


#: The exit status when the reader went away before all was written (``| head``): what a shell
#: reports for a command that SIGPIPE ended, 128 + 13, so ``set -o pipefail`` still notices.
EXIT_PIPE_CLOSED = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; every command is pipe-safe (see :func:`_reader_gone`)."""
    try:
        try:
            return _main(argv)
        finally:
            # Flushed here (also after --help, which leaves by SystemExit), where a closed pipe
            # can still be caught, rather than on the way out, where Python can only print
            # "Exception ignored ... BrokenPipeError".
            sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader of our output closed it early (``safeground status --json | head -c 10``): stop
    quietly, as ``cat`` would. Python's note on SIGPIPE: point the standard streams at devnull, so
    the flush at exit finds nothing left to write into the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (a test's capture): nothing will flush into a pipe
    os.close(devnull)
    return EXIT_PIPE_CLOSED


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    plain = args.command is None and (args.plain or os.environ.get("SAFEGROUND_PLAIN", "") not in ("", "0"))
    if args.chapter and not plain:
        parser.error("--chapter is for the plain mode: add --plain")
    try:
        if plain:
            from safeground.plain import run_plain  # no Textual: starts as fast as status

            _tolerate_narrow_output()
            return run_plain(args)
        if args.command is None:
            return _run_app(args)
        _tolerate_narrow_output()
        handler = (
            getattr(args, "handler", None)
            or {"status": _status, "where": _where, "check": _check, "start-fresh": _start_fresh}[args.command]
        )
        return handler(args)
    except (CommandError, StorageError) as error:
        # Several lines at times (a progress file's problem and what to do about it).
        print(for_terminal(f"{PROG}: {error}", multiline=True), file=sys.stderr)
        return 1
    except WorkbookError as error:
        # One line: the first problem, and the command that lists them all for this very folder.
        folder = args.workbook or builtin_workbook_dir()
        count = len(error.problems)
        more = f"{count} problems" if count > 1 else "1 problem"
        print(
            for_terminal(
                f"{PROG}: {error.problems[0]} ({more} in this workbook; '{PROG} check {folder}' lists them all)"
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


def _tolerate_narrow_output() -> None:
    """Where the output can't show a character (PYTHONIOENCODING=ascii, an old console), print a
    '?' for it rather than stop with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        forgiving(stream)


def _run_app(args: argparse.Namespace) -> int:
    try:
        from safeground.app import run_app
    except ImportError:  # the app arrives in its own module; until then, say so
        print(f"{PROG}: the workbook app is not available in this build; try '{PROG} status'.", file=sys.stderr)
        return 1
    return run_app(workbook_dir=args.workbook, data_dir=args.data_dir, profile=args.profile, region=args.region)


def _bar(fraction: float, width: int = 20) -> str:
    full, empty = ("█", "░") if _stdout_can("█░") else ("#", "-")
    filled = round(fraction * width)
    return full * filled + empty * (width - filled)


def _stdout_can(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _say(line: str) -> None:
    """Print a line that holds text from a workbook, a progress file or a path."""
    print(for_terminal(line))


def _json_for_terminal(text: str) -> str:
    """JSON escapes C0 controls itself; DEL and the C1 controls (which it leaves raw when
    ensure_ascii is off) are written as escapes too. The data is the same; the terminal is safe."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _status(args: argparse.Namespace) -> int:
    workbook, store, progress = load_progress(args)
    chapters = [progress.chapter_progress(c) for c in workbook.chapters]
    done = sum(c.done for c in chapters)
    total = workbook.page_count
    resume = progress.resume_position(workbook)
    resume_chapter = workbook.chapter(resume.chapter)
    resume_page = resume_chapter.page(resume.page) if resume_chapter else None
    orphans = progress.orphans(workbook)
    if args.json:
        import json  # only for --json

        print(
            _json_for_terminal(
                json.dumps(
                    {
                        "workbook": {"id": workbook.id, "title": workbook.title, "version": workbook.version},
                        "profile": args.profile,
                        "progress_file": str(store.path),
                        "saved": store.path.exists(),
                        "chapters": [
                            {
                                "id": c.chapter.id,
                                "title": c.chapter.title,
                                "pages_done": c.done,
                                "pages_total": c.total,
                                "unfinished_pages": [
                                    {"id": page.id, "title": page.title}
                                    for page in progress.unfinished_pages(c.chapter)
                                ],
                            }
                            for c in chapters
                        ],
                        "pages_done": done,
                        "pages_total": total,
                        "percent": round(100 * done / total) if total else 100,
                        "resume": {"chapter": resume.chapter, "page": resume.page, "field": resume.field},
                        "orphaned_answers": [
                            {"chapter": o.chapter, "page": o.page, "field": o.field, "reason": o.reason}
                            for o in orphans
                        ],
                    },
                    ensure_ascii=not _stdout_can("\u00e9\u203a\U0001f49b"),
                    indent=2,
                )
            )
        )
        return 0
    separator = " › " if _stdout_can("›") else " > "
    _say(
        f"{workbook.title} ({workbook.version})"
        + (f" · profile {args.profile}" if args.profile != DEFAULT_PROFILE else "")
    )
    print()
    # for_terminal draws each control character as one character, so the columns still line up.
    width = max(len(c.chapter.title) for c in chapters)
    for entry in chapters:
        _say(f"  {entry.chapter.title:<{width}}  {_bar(entry.fraction)}  {entry.done}/{entry.total} pages")
        to_finish = progress.pages_to_finish(entry.chapter)
        if to_finish:  # "3/4 pages" says how many are left; this says which
            _say(f"    to finish: {', '.join(page.title for page in to_finish)}")
    print()
    print(f"Overall: {round(100 * done / total) if total else 100}% ({done} of {total} pages complete)")
    if resume_chapter and resume_page:
        verb = "Continue at" if progress.has_answers else "Start at"
        _say(f"{verb}: {resume_chapter.title}{separator}{resume_page.title}")
    _say(f"Progress file: {store.path}" + ("" if store.path.exists() else " (not saved yet)"))
    if orphans:
        print()
        print(f"{len(orphans)} answer(s) are kept in the file but the workbook can no longer show them:")
        for orphan in orphans:
            _say(f"  {orphan.address.replace(' › ', separator)}: {orphan.reason}")
    return 0


def _where(args: argparse.Namespace) -> int:
    workbook_id = load_workbook(args.workbook).id
    store = open_store(args, workbook_id)
    _say(f"Data folder:   {store.data_dir}")
    _say(f"Profile:       {store.profile_dir}")
    _say(f"Progress file: {store.path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    folder = Path(args.dir or args.workbook or builtin_workbook_dir())
    workbook, problems = check_workbook(folder)
    if problems:
        for problem in problems:
            print(for_terminal(problem), file=sys.stderr)
        print(for_terminal(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {folder}"), file=sys.stderr)
        return 1
    assert workbook is not None
    fields = sum(len(p.fields) for c in workbook.chapters for p in c.pages)
    _say(
        f"{folder}: OK ({workbook.title}, {len(workbook.chapters)} chapters, {workbook.page_count} pages, {fields} questions)"
    )
    return 0


def _start_fresh(args: argparse.Namespace) -> int:
    workbook = load_workbook(args.workbook)
    # Whether a locked file is fine can only be told after its passphrase; --force needs none.
    store = open_store(args, workbook.id, ask=None if args.force else ask_passphrase)
    if not store.has_file():
        _say(f"There is no progress file yet at {store.path}: you already start fresh.")
        return 0
    with store:
        if not args.force:
            try:
                store.load(workbook)
            except ProgressFileError:
                pass
            else:
                raise CommandError(
                    f"{store.path} is fine, so it was left in place. Add --force to set it aside anyway (it is kept either way)."
                )
        moved = store.move_aside()
    _say(f"Your old progress file is kept at {moved}.")
    print("Safe Ground will start fresh next time you open it.")
    return 0
