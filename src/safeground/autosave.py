"""Saving in the background, so typing never waits for the disk.

At each autosave tick the app takes a :class:`Snapshot` of the progress on its own thread: a
read-only copy of the answers, which is cheap (no text is produced). It hands that to
:class:`BackgroundSaver`, whose one writer thread turns the newest snapshot it has into the file's
bytes (tomli_w) and writes them. Serialising there keeps it off the app's thread, where it was a
pause in the typing that grew with the workbook (13 ms per tick at 100 chapters). Older requests
that were not written yet are simply replaced: only the latest state matters, and the one thread
writes them in the order they were asked for. A failed write (disk full, read-only folder, folder
removed) is reported, kept, and retried with the next request or :meth:`retry`; nothing in memory
is dropped. A save that found the file edited by hand, and kept that version beside it, leaves a
notice for :meth:`take_notices`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from time import perf_counter, sleep
from typing import TYPE_CHECKING, Any

from safeground.progress import Progress
from safeground.storage import HandEditKept, ProgressStore, atomic_write, make_private_dir

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

#: Called on the writer thread with (revision, error or None) after each write attempt.
ResultCallback = Callable[[int, BaseException | None], None]


@dataclass(frozen=True)
class Snapshot:
    """The progress file's content at one moment, as a read-only document (see
    :meth:`Progress.frozen_document`): typing after it was taken cannot change what it writes."""

    document: Mapping[str, Any]


def take_snapshot(progress: Progress) -> Snapshot:
    """The progress as it is now, stamped with the time of saving. Runs on the app's thread."""
    progress.updated = datetime.now().astimezone().replace(microsecond=0)
    return Snapshot(progress.frozen_document())


def to_bytes(snapshot: Snapshot) -> bytes:
    """The progress file's bytes for ``snapshot`` (docs/progress-format.md). Runs on the saver thread."""
    import tomli_w  # kept off the start-up path: the first save imports it, on the saver thread

    chunks = _Chunks()
    try:
        tomli_w.dump(snapshot.document, chunks, multiline_strings=True)  # dumps(), a table at a time
    except UnicodeEncodeError:
        # A lone surrogate (half of a UTF-16 pair, as a console can hand over) is not a character
        # and has no UTF-8 form. Halves that make a pair are joined; one left alone is written
        # as U+FFFD rather than stopping every save from then on.
        text = tomli_w.dumps(snapshot.document, multiline_strings=True)
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")
    return chunks.getvalue()


class _Chunks(BytesIO):
    """Collects the file's bytes from tomli_w, a table at a time, and lets the app's thread run.

    Serialising is pure Python, so while the saver thread does it the app's thread waits for the
    interpreter lock, which Python hands over only every 5 ms (``sys.getswitchinterval``): at 100
    chapters (30 ms and more of serialising) the screen got 5 ms stalls again and again, the worst
    about 20 ms. Pausing briefly every couple of milliseconds hands the lock over at once; the
    worst stall measured went to about 10-14 ms, for about 13% more time on the saver thread
    (both measured on a busy machine, where a short sleep lasts longer than asked).
    """

    #: How long the saver serialises before it lets the app's thread in, and for how long.
    EVERY = 0.002
    PAUSE = 0.0001

    def __init__(self) -> None:
        super().__init__()
        self._since = perf_counter()

    def write(self, data: ReadableBuffer, /) -> int:
        written = super().write(data)
        if perf_counter() - self._since > self.EVERY:
            sleep(self.PAUSE)  # releases the interpreter lock; a waiting thread takes it
            self._since = perf_counter()
        return written


def serialize(progress: Progress) -> bytes:
    """The progress file's bytes, stamped with the time of saving, in one step (on any thread)."""
    return to_bytes(take_snapshot(progress))


class BackgroundSaver:
    """One writer thread that writes the newest requested version of a progress file."""

    def __init__(self, store: ProgressStore, on_result: ResultCallback | None = None):
        self.store = store
        self.on_result = on_result
        self._condition = threading.Condition()
        self._pending: tuple[int, bytes | Snapshot] | None = None
        #: The newest request, kept to write again after a failure (as bytes once serialised).
        self._last_data: tuple[int, bytes | Snapshot] | None = None
        self.saved_revision = 0
        self.requested_revision = 0
        self.last_error: BaseException | None = None
        #: Hand edits kept beside the file by saves, not yet taken by the app to tell the person.
        self._notices: list[HandEditKept] = []
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="safeground-saver", daemon=True)
        self._thread.start()

    def request(self, revision: int, data: bytes | Snapshot) -> None:
        """Ask for ``data`` (the state at ``revision``: a snapshot, or the file's bytes) to be
        written; returns at once. A snapshot is serialised on the writer thread."""
        with self._condition:
            self._pending = (revision, data)
            self._last_data = (revision, data)
            self.requested_revision = max(self.requested_revision, revision)
            self._condition.notify_all()

    def retry(self) -> None:
        """Write the newest data again after a failure (the app calls this on a timer)."""
        with self._condition:
            if self._last_data and self.saved_revision < self._last_data[0] and self._pending is None:
                self._pending = self._last_data
                self._condition.notify_all()

    def take_notices(self) -> list[HandEditKept]:
        """What saves found that the person should hear about (once each); empty most of the time."""
        with self._condition:
            notices, self._notices = self._notices, []
        return notices

    @property
    def up_to_date(self) -> bool:
        return self.saved_revision >= self.requested_revision

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything requested is written (or failed). True when all is on disk."""
        with self._condition:
            self._condition.wait_for(lambda: self._pending is None and not self._busy, timeout)
            return self.up_to_date

    def close(self, timeout: float = 5.0) -> bool:
        saved = self.flush(timeout)
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join(timeout)
        return saved

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                revision, data = self._pending
                self._pending = None
                self._busy = True
            error: BaseException | None = None
            kept: HandEditKept | None = None
            try:
                if isinstance(data, Snapshot):
                    data = self._serialised(revision, data)
                make_private_dir(self.store.profile_dir)
                self.store.ensure_locked()  # the folder may have been deleted, lock file and all
                kept = self.store.write(data, writer=atomic_write)  # looked up here: tests make it fail
            except Exception as caught:  # any failure is reported, never lost in a thread
                error = caught
            with self._condition:
                if kept is not None:
                    self._notices.append(kept)
                self._busy = False
                if error is None:
                    self.saved_revision = max(self.saved_revision, revision)
                    self.last_error = None
                else:
                    self.last_error = error
                self._condition.notify_all()
            if self.on_result is not None:
                self.on_result(revision, error)

    def _serialised(self, revision: int, snapshot: Snapshot) -> bytes:
        """The bytes of ``snapshot``; kept as the data to retry with, so a retry does not serialise
        the same answers again (unless a newer request replaced them meanwhile)."""
        data = to_bytes(snapshot)  # looked up here: the benchmark records which thread calls it
        with self._condition:
            if self._last_data is not None and self._last_data[1] is snapshot:
                self._last_data = (revision, data)
        return data
