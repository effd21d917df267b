"""Putting an export where the person asked, and nowhere else, and leaving nothing behind.

An export holds someone's answers, so where it lands matters:

- **A new file** is written to a temp file beside it and linked into place, so it is never
  half-written and a file that appears meanwhile is never replaced.
- **An existing file** is replaced only when the person said so (``--force``, or "Replace" in the
  app): the file name the print dialog suggests repeats each day, and yesterday's file is theirs.
- **A link to a file** is followed: its target is replaced (after asking, as above) and the link is
  kept. Replacing the link itself would silently cut it from the file it pointed to.
- **A pipe (FIFO) or a character device** is written straight into: that is how
  ``-o >(gpg -c > file)``, ``-o /dev/stdout`` and ``-o /dev/null`` work. Replacing it would put a
  plaintext file where the pipe or device was (as root, in place of the system's ``/dev/null``).
- **Anything else** (a folder, a socket, a disk) is refused with one sentence.

Temp files are named ``.safeground-export-<pid>-<random>.tmp`` (beside the target) and print's
private folder ``safeground-print-<pid>-<random>`` (in the temp folder). SIGTERM, SIGHUP and SIGINT
during the write remove them before the process ends as the signal would have ended it; after a
SIGKILL the next export or print removes them, once the process named in them is gone. Signal
handlers can only be set from the main thread (the command line); the app writes from a worker
thread and ends cleanly on SIGTERM and SIGHUP (see ``app.py``), so only SIGKILL leaves anything,
and the next run removes it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeground.export.errors import ExportError

EXPORT_PREFIX = ".safeground-export-"
PRINT_PREFIX = "safeground-print-"
# mkstemp/mkdtemp add eight characters from [a-z0-9_]; nothing else matches, so nobody else's files
# are ever touched.
_EXPORT_TEMP = re.compile(rf"^{re.escape(EXPORT_PREFIX)}(\d+)-[a-z0-9_]{{8}}\.tmp$")
_PRINT_TEMP = re.compile(rf"^{re.escape(PRINT_PREFIX)}(\d+)-[a-z0-9_]{{8}}$")
# Names for a descriptor this process already has open (``-o /dev/stdout > file``): written into
# as they are, even when the descriptor is a regular file, like a shell redirection.
_DESCRIPTOR_PATH = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|\d+)/fd/\d+)$")

NEW, FILE, STREAM = "new", "file", "stream"
CLEANUP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
_CHUNK = 1 << 16


class TargetExists(ExportError):
    """The file is there already, and nobody said to replace it."""

    def __init__(self, path: Path, link_target: Path | None = None):
        self.path = path
        #: The file that would be replaced, when ``path`` is a link to it.
        self.link_target = link_target
        where = f"{path} is a link to {link_target}, which already exists" if link_target else f"{path} already exists"
        super().__init__(where)


@dataclass(frozen=True)
class Target:
    """Where an export goes, as found on disk just before writing."""

    #: The path as the person gave it.
    path: Path
    #: :data:`NEW` (nothing there yet), :data:`FILE` (a regular file) or :data:`STREAM` (pipe, device).
    kind: str
    #: The file that is written: ``path`` itself, or the file a link at ``path`` points to.
    real: Path

    @property
    def link_target(self) -> Path | None:
        return self.real if self.real != self.path else None


def inspect_target(path: Path) -> Target:
    """What is at ``path``; raises :class:`ExportError` (one sentence) for what cannot be written."""
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        _check_folder(path)
        return Target(path, NEW, path)
    except OSError as error:
        raise ExportError(f"cannot save {path}: {error.strerror or error}") from None
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ExportError(
            f"{path} is a link to {_link_text(path)}, which does not exist: give the name of a file to save to"
        ) from None
    except OSError as error:
        raise ExportError(f"cannot save {path}: {error.strerror or error}") from None
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or (stat.S_ISREG(mode) and _DESCRIPTOR_PATH.match(str(path))):
        return Target(path, STREAM, path)
    if stat.S_ISDIR(mode):
        raise ExportError(f"{path} is a folder: give a file name, like {path / 'pages.pdf'}")
    if stat.S_ISREG(mode):
        return Target(path, FILE, Path(os.path.realpath(path)) if is_link else path)
    raise ExportError(f"{path} is {_describe(mode)}, not a file: give the name of a file to save to")


def write(target: Target, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to ``target`` as the module docstring says. Raises :class:`TargetExists`,
    :class:`ExportError` or OSError as it comes."""
    if target.kind == STREAM:
        _write_stream(target.path, data)
    elif target.kind == FILE and not replace:
        raise TargetExists(target.path, target.link_target)
    else:
        _write_file(target, data, replace=replace)


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise ExportError(f"cannot save {path}: the folder {path.parent} does not exist")


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "something"


def _describe(mode: int) -> str:
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a disk (a block device)"
    return "something other than a file"


# -- writing -------------------------------------------------------------------------------------


def _write_all(fd: int, data: bytes) -> None:
    """All of ``data``: a pipe takes a write in pieces."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:_CHUNK]) :]


def _write_stream(path: Path, data: bytes) -> None:
    """Straight into the pipe or device: no temp file, nothing created, nothing truncated."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or _DESCRIPTOR_PATH.match(str(path))):
            raise ExportError(f"{path} changed while it was being saved; nothing was written")  # swapped under us
        if os.isatty(fd) and data.startswith(b"%PDF"):
            raise ExportError(f"{path} is a terminal, and a PDF cannot be shown on one: save it to a file")
        try:
            _write_all(fd, data)
        except BrokenPipeError:
            raise ExportError(f"the program reading {path} stopped before all the pages were written") from None
    finally:
        os.close(fd)


def _write_file(target: Target, data: bytes, *, replace: bool) -> None:
    """A private (0600) temp file beside the file, then moved into place in one step."""
    real = target.real
    folder = real.parent
    remove_stale(folder, _EXPORT_TEMP)
    fd, name = tempfile.mkstemp(prefix=f"{EXPORT_PREFIX}{os.getpid()}-", suffix=".tmp", dir=folder)
    temp = Path(name)
    with removed_on_signals(temp):
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if replace:
                os.replace(temp, real)
            else:
                _move_into_new(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    _fsync_folder(folder)


def _move_into_new(temp: Path, target: Target) -> None:
    """Move ``temp`` to a name that must not exist yet. A hard link fails if something appeared there
    since we looked, where a rename would replace it; file systems without hard links get the rename
    after one more look."""
    try:
        os.link(temp, target.real)
    except FileExistsError:
        raise TargetExists(target.path, target.link_target) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK):
            raise
        if os.path.lexists(target.real):
            raise TargetExists(target.path, target.link_target) from None
        os.replace(temp, target.real)
        return
    temp.unlink()


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible everywhere; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- print's private folder ----------------------------------------------------------------------


@contextmanager
def private_folder() -> Iterator[Path]:
    """A folder only this account can open (0700), removed afterwards, also on SIGTERM/SIGHUP/SIGINT."""
    remove_stale(Path(tempfile.gettempdir()), _PRINT_TEMP)
    folder = Path(tempfile.mkdtemp(prefix=f"{PRINT_PREFIX}{os.getpid()}-"))
    with removed_on_signals(folder):
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def write_private_file(path: Path, data: bytes) -> None:
    """A new file readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


# -- what a killed run left behind ---------------------------------------------------------------


def remove_stale(folder: Path, pattern: re.Pattern[str] = _EXPORT_TEMP) -> None:
    """Remove our temp files (or print folders) in ``folder`` whose writer is gone.

    Only names of our exact pattern, owned by this account, whose process no longer runs: a temp
    file another export is still writing, or anybody else's file, is left alone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match is None or _running(int(match.group(1))):
            continue
        path = folder / name
        try:
            info = os.lstat(path)
            if info.st_uid != os.geteuid():
                continue
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(path)
            elif stat.S_ISREG(info.st_mode):
                path.unlink()
        except OSError:
            continue  # someone else removed it, or we may not: nothing to say about it


def _running(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another account's process: running
    return True


# -- signals -------------------------------------------------------------------------------------

_live: set[Path] = set()
_live_lock = threading.Lock()


@contextmanager
def removed_on_signals(path: Path) -> Iterator[None]:
    """Remove ``path`` (file or folder) if SIGTERM, SIGHUP or SIGINT arrives meanwhile.

    From the main thread only (Python runs signal handlers there); elsewhere this only records the
    path. A signal someone chose to ignore (``nohup``) stays ignored.
    """
    installed: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in CLEANUP_SIGNALS:
            previous = signal.getsignal(signum)
            if previous in (signal.SIG_IGN, None):
                continue
            signal.signal(signum, _handler(previous))
            installed[signum] = previous
    with _live_lock:
        _live.add(path)
    try:
        yield
    finally:
        with _live_lock:
            _live.discard(path)
        for signum, previous in installed.items():
            signal.signal(signum, previous)


def _handler(previous: Any):
    def on_signal(signum: int, frame: Any) -> None:
        _remove_live()
        if callable(previous):
            previous(signum, frame)  # SIGINT: KeyboardInterrupt, so the command exits with 130
            return
        # End as the signal would have ended us, so whoever started us sees the usual status.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return on_signal


def _remove_live() -> None:
    with _live_lock:
        paths = list(_live)
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:
                pass
