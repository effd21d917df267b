"""Where answers live on disk, and how they get there without ever being lost.

One progress file per profile and workbook: ``<data dir>/<profile>/<workbook id>.toml``.

- Writes are atomic: a temp file in the same folder, flushed and fsynced, then renamed over the old
  file, whose previous version is kept as ``<name>.toml.bak``. A crash at any moment leaves either
  the old file or the new one, never half of one.
- Folders are 0700 and files 0600 whatever the umask: these are private reflections.
- A file that does not parse or does not fit the format is never overwritten or deleted. The
  caller gets a :class:`ProgressFileError` naming the file and line, and may :meth:`move_aside` it.
- One process edits a profile at a time. The lock is an OS file lock (``flock``), which the kernel
  drops when its process dies, so a killed ``safeground`` never locks the person out.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from safeground import tomlparse
from safeground.content import Workbook
from safeground.progress import Progress, ProgressFormatError

APP_NAME = "safeground"
DATA_DIR_ENV = "SAFEGROUND_DATA_DIR"
DEFAULT_PROFILE = "default"
#: Matched whole (``fullmatch``): with ``match`` and ``$``, a name ending in a newline would pass.
PROFILE_PATTERN = re.compile(r"[\w][\w.-]{0,63}")
#: Larger than any workbook someone could fill by hand; past this we refuse rather than stall.
MAX_PROGRESS_BYTES = 64 * 1024 * 1024
TEMP_PREFIX = ".tmp-"


class StorageError(Exception):
    """Something about the data folder or a progress file, said plainly for the person."""


class ProgressFileError(StorageError):
    """A progress file that cannot be used as it is. It is left untouched on disk."""

    def __init__(self, path: Path, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        place = f"{path}:{line}" if line else str(path)
        super().__init__(f"{place}: {message}")


class ProfileLocked(StorageError):
    """Another Safe Ground already has this profile open."""

    def __init__(self, path: Path, holder: str):
        self.path = path
        self.holder = holder
        super().__init__(
            f"this profile is already open in another Safe Ground ({holder}). "
            "Close that one first, or use --profile NAME for a separate set of answers."
        )


def default_data_dir() -> Path:
    from platformdirs import user_data_dir  # imported here: only needed when no override is given

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(override: str | os.PathLike | None = None) -> Path:
    """``--data-dir`` first, then ``SAFEGROUND_DATA_DIR``, then the platform's user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser() if chosen else default_data_dir()


def check_profile_name(name: str) -> str:
    """Profile names become folder names, so they are kept to letters, digits, ``.``, ``_``, ``-``."""
    if not PROFILE_PATTERN.fullmatch(name) or name in (".", ".."):
        raise StorageError(
            f"profile name {name!r} can only use letters, digits, '.', '_' and '-' (up to 64, not starting with '.' or '-')"
        )
    return name


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) readable by this account only.

    Every folder created here is 0700 whatever the umask (``mkdir(parents=True)`` would give the
    parents the umask's default). Folders that already exist above ``path`` are left as they are:
    the person may have chosen them.
    """
    try:
        missing = []
        folder = path
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
            folder.chmod(0o700)
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError as error:
        raise StorageError(f"cannot create the data folder {path}: {error.strerror or error}") from error


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new, never a mix.

    The previous version is kept as ``<name>.bak`` (a hard link, so keeping it costs no copy).
    Raises OSError as it comes (ENOSPC, EROFS, ...) after cleaning up its temp file.
    """
    folder = path.parent
    import tempfile  # imported on the first save, not at start-up

    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX + path.name + ".", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if keep_backup and path.exists():
            _keep_backup(path)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _keep_backup(path: Path) -> None:
    backup = path.with_name(path.name + ".bak")
    staging = path.with_name(TEMP_PREFIX + path.name + ".bak")
    staging.unlink(missing_ok=True)
    try:
        try:
            os.link(path, staging)
        except OSError:
            staging.write_bytes(path.read_bytes())
        os.chmod(staging, 0o600)
        os.replace(staging, backup)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the rename itself is still atomic
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


class ProgressStore:
    """The progress file of one profile for one workbook, and its lock."""

    def __init__(self, data_dir: Path, profile: str, workbook_id: str):
        self.data_dir = Path(data_dir)
        self.profile = check_profile_name(profile)
        self.workbook_id = workbook_id
        self.profile_dir = self.data_dir / profile
        self.path = self.profile_dir / f"{workbook_id}.toml"
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name[: -len(".toml")] + ".lock")
        self._lock_stream: IO[str] | None = None
        #: Set while the lock we held was lost with its folder and could not be taken again.
        self._lock_lost = False

    # -- reading -----------------------------------------------------------------------------

    def load(self, workbook: Workbook) -> Progress:
        """The saved progress, a fresh one when there is no file yet, or ProgressFileError."""
        if not self.path.exists() and not self.path.is_symlink():
            return Progress(workbook.id, workbook.version)
        document = self.read_document()
        try:
            return Progress.from_document(document, workbook)
        except ProgressFormatError as error:
            raise ProgressFileError(self.path, f"{error.where}: {error.message}", _line_of_key(self.path, error.where)) from None

    def read_document(self) -> dict[str, Any]:
        path = self.path
        if path.is_dir():
            raise ProgressFileError(path, "is a folder where the progress file should be; move it away to start fresh")
        try:
            size = path.stat().st_size
            if size > MAX_PROGRESS_BYTES:
                raise ProgressFileError(path, f"is {size // (1024 * 1024)} MB, too large to be a progress file; it was left as it is")
            raw = path.read_bytes()
        except OSError as error:
            raise ProgressFileError(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
        if not raw.strip():
            raise ProgressFileError(path, "is empty; it was left as it is (the previous version may be in the .bak file beside it)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ProgressFileError(path, "is not UTF-8 text, so it is not a progress file Safe Ground wrote", line) from None
        try:
            return tomlparse.loads(text)
        except RecursionError:  # tomllib recurses once per nesting level: "x = [[[[..." runs out of stack
            raise ProgressFileError(path, "is not valid TOML (its values are nested too deeply)") from None
        except tomlparse.TOMLDecodeError as error:
            match = re.search(r"line (\d+)", str(error))
            line = int(match.group(1)) if match else None
            if line is None and "at end of document" in str(error):  # cut short: the last line
                line = text.rstrip("\n").count("\n") + 1
            reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
            raise ProgressFileError(path, f"is not valid TOML ({reason})", line) from None

    # -- writing -----------------------------------------------------------------------------

    def save(self, progress: Progress) -> None:
        """Write ``progress`` atomically. Raises OSError (disk full, read-only, ...) for the caller
        to report and retry; the answers stay in memory either way."""
        import tomli_w  # kept off the import path of commands that only read

        progress.updated = datetime.now().astimezone().replace(microsecond=0)
        data = tomli_w.dumps(progress.to_document(), multiline_strings=True).encode("utf-8")
        make_private_dir(self.profile_dir)
        atomic_write(self.path, data)

    def move_aside(self) -> Path:
        """Rename a file we cannot use to ``<name>.toml.broken-<timestamp>``, keeping every byte."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{counter}")
        try:
            os.rename(self.path, target)
            if target.is_file():
                target.chmod(0o600)
        except OSError as error:
            raise StorageError(f"cannot move {self.path} aside: {error.strerror or error}") from error
        return target

    def remove_stale_temp_files(self) -> None:
        """Temp files left by a process killed mid-write hold nothing the real file lacks."""
        for leftover in self.profile_dir.glob(f"{TEMP_PREFIX}{self.path.name}*"):
            leftover.unlink(missing_ok=True)

    # -- the lock ----------------------------------------------------------------------------

    def acquire_lock(self) -> None:
        """Take this profile's lock, or raise :class:`ProfileLocked` naming who holds it."""
        if self._lock_stream is not None:
            return
        make_private_dir(self.profile_dir)
        descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        stream = os.fdopen(descriptor, "r+", encoding="utf-8")
        if not _try_lock(stream):
            holder = stream.read().strip() or "another process"
            stream.close()
            raise ProfileLocked(self.lock_path, holder)
        stream.seek(0)
        stream.truncate()
        host = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "this computer")
        stream.write(f"pid {os.getpid()} on {host} since {datetime.now():%Y-%m-%d %H:%M}\n")
        stream.flush()
        self._lock_stream = stream
        self.remove_stale_temp_files()

    def release_lock(self) -> None:
        self._lock_lost = False
        if self._lock_stream is not None:
            self._lock_stream.close()  # closing the descriptor drops the OS lock
            self._lock_stream = None

    def ensure_locked(self) -> None:
        """Before a write: if the lock file we hold was deleted (the whole data folder removed
        while the app ran), take the lock again on a new one, so that a second Safe Ground still
        finds the profile open. Raises :class:`ProfileLocked` if another one took it meanwhile;
        then nothing may be written until it is ours again. Does nothing for an unlocked store."""
        stream = self._lock_stream
        if stream is None:
            if self._lock_lost:
                self.acquire_lock()
                self._lock_lost = False
            return
        try:
            if os.path.samestat(os.fstat(stream.fileno()), os.stat(self.lock_path)):
                return
        except FileNotFoundError:
            pass
        except OSError:
            return  # cannot tell; the write itself will report a folder it cannot use
        self.release_lock()
        self._lock_lost = True
        self.acquire_lock()
        self._lock_lost = False

    @property
    def locked(self) -> bool:
        return self._lock_stream is not None

    def __enter__(self) -> "ProgressStore":
        self.acquire_lock()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release_lock()


def _try_lock(stream: IO[str]) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _line_of_key(path: Path, where: str) -> int | None:
    """Best effort: the line where the last part of a dotted key path is written."""
    if not where:
        return None
    last = where.rsplit(".", 1)[-1]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    table = where.rsplit(".", 1)[0] if "." in where else ""
    in_table = table == ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.strip("[]").strip() == table or table == ""
            if stripped.strip("[]").strip() == where:
                return number
            continue
        if in_table and re.match(rf'^"?{re.escape(last)}"?\s*=', stripped):
            return number
    return None
