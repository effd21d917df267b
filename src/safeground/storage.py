"""Where answers live on disk, and how they get there without ever being lost.

One progress file per profile and workbook: ``<data dir>/<profile>/<workbook id>.toml``.

- Writes are atomic: a temp file in the same folder, flushed and fsynced, then renamed over the old
  file, whose previous version is kept as ``<name>.toml.bak``. A crash at any moment leaves either
  the old file or the new one, never half of one.
- Folders are 0700 and files 0600 whatever the umask: these are private reflections.
- A file that does not parse or does not fit the format is never overwritten or deleted. The
  caller gets a :class:`ProgressFileError` naming the file and line, and may :meth:`move_aside` it.
- A locked profile (``safeground lock``, see :mod:`safeground.vault`) has every file sealed with
  its key: :meth:`ProgressStore.unlock` derives the key once, and from then on reading opens and
  writing seals, inside the same atomic write, so no plaintext ever reaches the folder. Without
  the key a locked file is neither read (:class:`NeedsPassphrase`) nor written over.
- One process edits a profile at a time. The lock is an OS file lock (``flock``), which the kernel
  drops when its process dies, so a killed ``safeground`` never locks the person out.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from safeground import tomlparse, vault
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
SETTINGS_FILE = "settings.toml"


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


class NeedsPassphrase(ProgressFileError):
    """The profile is locked: its passphrase must be given (:meth:`ProgressStore.unlock`) first.
    Like any progress file that can't be used as it is, the file is left untouched."""

    def __init__(self, path: Path):
        super().__init__(path, "is locked with a passphrase; it must be given to open it")


# -- who holds a profile's lock ---------------------------------------------------------------

#: What :func:`holder_state` can say about the process that holds a profile's lock.
HOLDER_RUNNING = "running"  # in a terminal (or no way to tell otherwise): someone may be using it
HOLDER_NO_TERMINAL = "no-terminal"  # alive, but the terminal it had is gone: nobody can use it
HOLDER_GONE = "gone"  # the recorded process is not running; something else keeps the lock
HOLDER_ELSEWHERE = "elsewhere"  # another computer (a shared folder): nothing here can tell


@dataclass(frozen=True)
class LockHolder:
    """Who holds a profile's lock, as the lock file records it.

    The file's first line is for people (``pid 4242 on laptop since 2025-03-01 20:15``); the
    next ones let :func:`holder_state` tell a Safe Ground someone is using from one whose terminal
    was closed (``tty``) and from an unrelated process that got the same pid later (``started``).
    """

    pid: int | None = None
    host: str = ""
    since: str = ""
    tty: str = ""
    started: str = ""

    @classmethod
    def this_process(cls) -> LockHolder:
        return cls(
            os.getpid(), _host_name(), f"{datetime.now():%Y-%m-%d %H:%M}", _own_tty(), _proc_stat(os.getpid())[1]
        )

    @classmethod
    def parse(cls, text: str) -> LockHolder:
        """Read a lock file's record; anything it cannot read is left empty."""
        lines = text.splitlines()
        first = re.match(r"pid (\d+) on (\S+) since (.+)", lines[0].strip()) if lines else None
        extra = dict(line.strip().partition(" ")[::2] for line in lines[1:] if line.strip())
        if first is None:
            return cls(tty=extra.get("tty", ""), started=extra.get("started", ""))
        return cls(int(first.group(1)), first.group(2), first.group(3), extra.get("tty", ""), extra.get("started", ""))

    def record(self) -> str:
        lines = [str(self)] + [
            f"{key} {value}" for key, value in (("tty", self.tty), ("started", self.started)) if value
        ]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        if self.pid is None:
            return "another process"
        return f"pid {self.pid} on {self.host} since {self.since}"


def holder_state(holder: LockHolder) -> str:
    """What the process holding a lock is doing now: one of the HOLDER_* values."""
    if holder.pid is None or (holder.host and holder.host != _host_name()):
        return HOLDER_ELSEWHERE
    tty_nr, started = _proc_stat(holder.pid)
    if tty_nr is None:
        if os.path.isdir("/proc"):
            return HOLDER_GONE
        try:  # no /proc (macOS): only whether the pid exists
            os.kill(holder.pid, 0)
        except ProcessLookupError:
            return HOLDER_GONE
        except OSError:
            pass
        return HOLDER_RUNNING
    if holder.started and started and holder.started != started:
        return HOLDER_GONE  # the pid now belongs to a process that started later
    if holder.tty and tty_nr == 0:
        return HOLDER_NO_TERMINAL  # the kernel lets go of a terminal it hung up
    return HOLDER_RUNNING


def _host_name() -> str:
    return os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "this computer")


def _own_tty() -> str:
    for descriptor in (0, 1, 2):
        try:
            return os.ttyname(descriptor)
        except OSError:
            continue
    return ""


def _proc_stat(pid: int) -> tuple[int | None, str]:
    """(its controlling terminal's number, 0 for none; when it started) from /proc/<pid>/stat,
    or (None, "") when there is no such process or no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # the name before ")" may hold spaces
        if fields[0] == "Z":
            return None, ""  # a zombie: ended, only waiting for its parent
        return int(fields[4]), fields[19]
    except (OSError, IndexError, ValueError):
        return None, ""


class ProfileLocked(StorageError):
    """Another Safe Ground already has this profile open."""

    def __init__(self, path: Path, holder: LockHolder):
        self.path = path
        self.holder = holder
        super().__init__(
            f"this profile is already open in another Safe Ground ({holder}). "
            "Close that one first, or use --profile NAME for a separate set of answers."
        )


# -----------------------------------------------------------------------------------------------


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
    """Create ``path`` (and its parents) readable by this account only, or say why it can't be used.

    Every folder created here is 0700 whatever the umask (``mkdir(parents=True)`` would give the
    parents the umask's default). Folders that already exist above ``path`` are left as they are:
    the person may have chosen them. An existing ``path`` is made private only when it is a real
    folder of this account's: never through a symbolic link, never someone else's folder.
    """
    missing = []
    folder = path
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made meanwhile, not by us: not ours to change
        except OSError as error:
            raise StorageError(_cannot_use(folder, error, writing=True)) from error
        _make_private(folder)
    check_folder(path, writing=True)
    _make_private(path)


def _make_private(folder: Path) -> None:
    """chmod 0700 a real folder of ours that others can open; links and others' folders are left."""
    try:
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and info.st_mode & 0o077 and _is_mine(info):
            os.chmod(folder, 0o700)
    except OSError:
        pass  # a folder we cannot tighten still works; writing into it says what is wrong


def _is_mine(info: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or info.st_uid == os.geteuid()


def check_folder(folder: Path, *, writing: bool) -> None:
    """Raise :class:`StorageError` with one clear sentence if ``folder`` is a file, cannot be
    reached, or (``writing``) cannot be written by this account. A missing folder is fine."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return
    except OSError as error:
        raise StorageError(_cannot_use(folder, error, writing=writing)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(_not_a_folder(folder))
    if not os.access(folder, os.X_OK | (os.W_OK if writing else 0)) and not _read_only_mount(folder):
        raise StorageError(_not_usable(folder, info))


def _read_only_mount(folder: Path) -> bool:
    """A read-only filesystem denies writing whatever the permissions say; the write's own
    error ("Read-only file system") says so better than advice about owners would."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _cannot_use(folder: Path, error: OSError, *, writing: bool) -> str:
    """What stops us using ``folder``: the nearest folder that exists, at or above it, is a file,
    or this account can't open it (or write in it, to save)."""
    for place in [folder, *folder.parents]:
        try:
            info = os.stat(place)
        except OSError:
            continue  # missing, under a file, or under a folder we can't open: found further up
        if not stat.S_ISDIR(info.st_mode):
            return _not_a_folder(place)
        if not os.access(place, os.X_OK | (os.W_OK if writing else 0)) and not _read_only_mount(place):
            return _not_usable(place, info)
        break
    return f"cannot use the folder {folder}: {error.strerror or error}"


def _not_a_folder(path: Path) -> str:
    return (
        f"{path} is a file, not a folder, so Safe Ground can't keep answers in it; move that file "
        "away, or choose another profile (--profile NAME) or data folder (--data-dir DIR)"
    )


def _not_usable(folder: Path, info: os.stat_result) -> str:
    """Name the folder's owner: a folder made by one ``sudo safeground`` belongs to root."""
    me = _user_name(os.geteuid()) if hasattr(os, "geteuid") else "you"
    if _is_mine(info):
        return (
            f"your account's permissions on the folder {folder} don't let Safe Ground use it "
            f"for your answers; allow it with: chmod u+rwx {folder}"
        )
    return (
        f"the folder {folder} belongs to {_user_name(info.st_uid)}, not to your account ({me}), so Safe Ground "
        f"can't keep your answers in it (this happens after running it once with sudo); give it back with: "
        f"sudo chown -R {me} {folder}"
    )


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True) -> os.stat_result:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new, never a mix.

    The previous version is kept as ``<name>.bak`` (a hard link, so keeping it costs no copy).
    Returns the new file's status (inode, size, time), so a caller can tell later whether someone
    else changed it. Raises OSError as it comes (ENOSPC, EROFS, ...) after cleaning up its temp file.
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
            written = os.fstat(stream.fileno())
        if keep_backup:
            _keep_backup(path)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    return written


def _keep_backup(path: Path) -> None:
    """Keep ``path`` as ``<name>.bak``. Only a plain file is kept: a symbolic link there is not our
    file, and linking or chmod-ing it would reach whatever it points to."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
    except FileNotFoundError:
        return
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
        #: The progress file as we last read or wrote it (see :meth:`write`): NOT_SEEN before
        #: either, None when there was no file.
        self._seen: _Seen | None | object = NOT_SEEN
        #: The locked profile's key, from :meth:`unlock` until :meth:`forget_key`.
        self.key: vault.Key | None = None

    # -- the passphrase lock -----------------------------------------------------------------

    @property
    def settings_path(self) -> Path:
        return self.profile_dir / SETTINGS_FILE

    def profile_locked(self) -> bool:
        """Whether this profile is locked: its progress file or its settings are sealed."""
        return any(_starts_sealed(path) for path in (self.path, self.settings_path))

    def needs_passphrase(self) -> bool:
        return self.key is None and self.profile_locked()

    def check_sealed(self) -> None:
        """Before asking for a passphrase: raise :class:`ProgressFileError` if the sealed file's
        header can't be read (cut short, damaged, from a newer Safe Ground), when no passphrase
        could open it anyway."""
        source = self._unlock_source()
        if source is not None:
            _check_header(*source)

    def _unlock_source(self) -> tuple[Path, bytes] | None:
        for path in (self.path, self.settings_path):
            if _starts_sealed(path):
                return path, _read_no_follow(path)
        return None

    def unlock(self, passphrase: str) -> None:
        """Derive the key from ``passphrase`` (once; every save then only encrypts). Raises
        :class:`safeground.vault.WrongPassphrase`, or :class:`ProgressFileError` for a file that
        can't be decrypted whatever the passphrase. Nothing is written."""
        source = self._unlock_source()
        if source is not None:
            _check_header(*source)
            self.key = vault.Key.unlock(source[1], passphrase)

    def forget_key(self) -> None:
        if self.key is not None:
            self.key.forget()
        self.key = None

    # -- reading -----------------------------------------------------------------------------

    def load(self, workbook: Workbook) -> Progress:
        """The saved progress, a fresh one when there is no file yet, or ProgressFileError."""
        exists = self.has_file()
        self._check_plain_files()
        if not exists:
            self._seen = None
            return Progress(workbook.id, workbook.version)
        document = self.read_document()
        try:
            return Progress.from_document(document, workbook)
        except ProgressFormatError as error:
            raise ProgressFileError(
                self.path, f"{error.where}: {error.message}", _line_of_key(self.path, error.where)
            ) from None

    def has_file(self) -> bool:
        """Whether there is something where the progress file goes (a link counts). Raises
        :class:`StorageError` when the profile folder can't be looked into (see check_folder)."""
        check_folder(self.profile_dir, writing=False)
        return os.path.lexists(self.path)

    def _check_plain_files(self) -> None:
        """The progress file and its .bak must be plain files, not symbolic links: saving replaces
        them, which would silently turn a link into a file and leave its target behind."""
        for path in (self.path, self.backup_path):
            if os.path.islink(path):
                target = os.readlink(path)
                message = (
                    f"is a symbolic link (to {target}); Safe Ground only keeps answers in a plain file here, "
                    "so it left the link and what it points to as they are. Put the file itself here instead, "
                    "or use --data-dir DIR to keep your answers in another folder"
                )
                if path == self.path:
                    raise ProgressFileError(path, message)
                raise StorageError(f"{path} {message}")

    def read_document(self) -> dict[str, Any]:
        path = self.path
        if path.is_dir():
            raise ProgressFileError(path, "is a folder where the progress file should be; move it away to start fresh")
        try:
            info = path.stat()
            if info.st_size > MAX_PROGRESS_BYTES:
                raise ProgressFileError(
                    path,
                    f"is {info.st_size // (1024 * 1024)} MB, too large to be a progress file; it was left as it is",
                )
            raw = path.read_bytes()
        except OSError as error:
            raise ProgressFileError(
                path, f"cannot be read ({error.strerror or error}); check its permissions"
            ) from None
        self._seen = _Seen.of(info, raw)
        raw = self._opened(raw)
        if not raw.strip():
            raise ProgressFileError(
                path, "is empty; it was left as it is (the previous version may be in the .bak file beside it)"
            )
        try:
            return tomlparse.read(raw)[0]
        except tomlparse.NotUtf8 as error:
            message = "is not UTF-8 text, so it is not a progress file Safe Ground wrote"
            raise ProgressFileError(path, message, error.line) from None
        except tomlparse.NotToml as error:
            raise ProgressFileError(path, f"is not valid TOML ({error.reason})", error.line) from None

    def _opened(self, raw: bytes) -> bytes:
        """The plaintext of a sealed progress file (a plain one is returned as it is)."""
        if not vault.is_sealed(raw):
            return raw
        if self.key is None:
            _check_header(self.path, raw)
            raise NeedsPassphrase(self.path)
        try:
            return self.key.open(raw)
        except vault.WrongPassphrase:
            message = "was locked with another passphrase than the one just given; it was left as it is"
            raise ProgressFileError(self.path, message) from None
        except vault.VaultError as error:
            raise ProgressFileError(self.path, f"can't be decrypted: {error}; it was left as it is") from None

    # -- writing -----------------------------------------------------------------------------

    def save(self, progress: Progress) -> HandEditKept | None:
        """Write ``progress`` atomically (see :meth:`write`). Raises OSError (disk full, read-only,
        ...) for the caller to report and retry; the answers stay in memory either way."""
        import tomli_w  # kept off the import path of commands that only read

        progress.updated = datetime.now().astimezone().replace(microsecond=0)
        data = tomli_w.dumps(progress.to_document(), multiline_strings=True).encode("utf-8")
        return self.write(data)

    def write(
        self, data: bytes, *, writer: Callable[[Path, bytes], os.stat_result] = atomic_write
    ) -> HandEditKept | None:
        """Replace the progress file with ``data``, first keeping any edit made to it by hand.

        If the file on disk is not the one we last read or wrote (someone edited it while Safe
        Ground had it open, or copied the .bak over it), its bytes are copied to a new file beside
        it before ours replace them, and the returned :class:`HandEditKept` says where. A symbolic
        link put there is refused (StorageError), never replaced. ``writer`` is
        :func:`atomic_write`; the saver passes its own reference, which tests swap for a failing one.
        """
        make_private_dir(self.profile_dir)
        data = self.sealed(data, self.path)
        kept = self._keep_hand_edit()
        written = writer(self.path, data)
        self._seen = _Seen.of(written, data)
        return kept

    def sealed(self, data: bytes, path: Path) -> bytes:
        """``data`` as it may be written at ``path``: sealed when the profile is unlocked. Without
        the key, a sealed file there is never replaced by plaintext (StorageError)."""
        if self.key is not None:
            return self.key.seal(data)
        if _starts_sealed(path):
            raise StorageError(f"{path} is locked with a passphrase; unlock it before saving")
        return data

    def _keep_hand_edit(self) -> HandEditKept | None:
        seen = self._seen
        if seen is NOT_SEEN:
            return None  # nothing read or written yet: there is no version of ours to compare with
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return None  # deleted: nothing to keep (the .bak, if any, still has the last save)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            raise StorageError(
                f"{self.path} is no longer a plain file (something replaced it while Safe Ground was open); "
                "your answers were not saved over it: move it away and they will be"
            )
        if isinstance(seen, _Seen) and seen.same_status(info):
            return None
        raw = _read_no_follow(self.path)
        if isinstance(seen, _Seen) and raw == seen.data:
            self._seen = _Seen.of(info, raw)  # touched, not changed
            return None
        copy = _write_new_private_file(self.path, raw)
        self._seen = _Seen.of(info, raw)  # kept once: a retry after a failed save makes no second copy
        return HandEditKept(self.path, copy)

    def move_aside(self) -> Path:
        """Rename a file we cannot use to ``<name>.toml.broken-<timestamp>``, keeping every byte."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        counter = 1
        while os.path.lexists(target):
            counter += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{counter}")
        try:
            os.rename(self.path, target)
            if stat.S_ISREG(os.lstat(target).st_mode):  # a link moved aside is not ours to chmod
                os.chmod(target, 0o600)
        except OSError as error:
            raise StorageError(f"cannot move {self.path} aside: {error.strerror or error}") from error
        self._seen = None
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
        stream = os.fdopen(self._open_lock_file(), "r+", encoding="utf-8")
        if not _try_lock(stream):
            holder = LockHolder.parse(stream.read())
            stream.close()
            raise ProfileLocked(self.lock_path, holder)
        stream.seek(0)
        stream.truncate()
        stream.write(LockHolder.this_process().record())
        stream.flush()
        self._lock_stream = stream
        self.remove_stale_temp_files()

    def _open_lock_file(self) -> int:
        """Open (or create, 0600) the lock file without following a symbolic link and without
        truncating: a link planted there must never lead us to empty or lock someone's file."""
        flags = (
            os.O_RDWR
            | os.O_CREAT
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_NONBLOCK", 0)
        )
        try:
            descriptor = os.open(self.lock_path, flags, 0o600)
        except OSError as error:
            if os.path.islink(self.lock_path):
                raise StorageError(
                    f"{self.lock_path} is a symbolic link, where Safe Ground keeps a small lock file of its own; "
                    "it left the link and what it points to alone: remove the link and start again"
                ) from None
            if error.errno in (errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EROFS):
                raise StorageError(_cannot_use(self.profile_dir, error, writing=True)) from None
            raise StorageError(f"cannot open the lock file {self.lock_path}: {error.strerror or error}") from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise StorageError(
                f"{self.lock_path} is not a plain file, where Safe Ground keeps a small lock file of its own; "
                "move it away and start again"
            )
        return descriptor

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

    def __enter__(self) -> ProgressStore:
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
    """Best effort: the line where the key or table at a dotted key path is written."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return tomlparse.line_of_key(text, where)


#: The progress file's state before it was first read or written.
NOT_SEEN = object()


@dataclass(frozen=True)
class _Seen:
    """The progress file as we last read or wrote it: its status, to notice a change cheaply, and
    its bytes, to tell a real change from a touch."""

    inode: int
    size: int
    mtime_ns: int
    data: bytes

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> _Seen:
        return cls(info.st_ino, info.st_size, info.st_mtime_ns, data)

    def same_status(self, info: os.stat_result) -> bool:
        return (self.inode, self.size, self.mtime_ns) == (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class HandEditKept:
    """A save found the progress file changed on disk (edited by hand while Safe Ground had it
    open) and kept that version as ``copy`` before writing the answers on screen over it."""

    path: Path
    copy: Path

    def __str__(self) -> str:
        return (
            f"{self.path.name} was changed outside Safe Ground while it was open. That version is kept, "
            f"unchanged, as {self.copy}; the progress file now holds the answers you see here."
        )


def _check_header(path: Path, raw: bytes) -> None:
    try:
        vault.read_header(raw)
    except vault.VaultError as error:
        raise ProgressFileError(path, f"can't be decrypted: {error}; it was left as it is") from None


def _starts_sealed(path: Path) -> bool:
    """Whether the plain file at ``path`` starts as a sealed file does (a link never counts)."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags)  # non-blocking: a FIFO put there must not hang us
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False  # a folder, a FIFO, a device: not a sealed file, and not ours to read
        return vault.is_sealed(os.read(descriptor, len(vault.MAGIC)))
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _read_no_follow(path: Path) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read()


def _write_new_private_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``<stem>.edited-<date>T<time>.toml`` beside ``path`` (0600), adding -2,
    -3... rather than ever replacing a file that is there."""
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for counter in range(1, 1000):
        suffix = "" if counter == 1 else f"-{counter}"
        copy = path.with_name(f"{path.stem}.edited-{stamp}{suffix}{path.suffix}")
        try:
            descriptor = os.open(copy, flags, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        return copy
    raise StorageError(f"cannot find a free name beside {path} to keep the version edited by hand")
