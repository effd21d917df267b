"""One person's open workbook: the content, their answers, where they are, and saving.

The app's screens talk to a :class:`Session` rather than to storage, so the rules (what changes count
as changes, when a save is due, what read-only means) live here, free of Textual and easy to test.
"""

from __future__ import annotations

from typing import Any

from safeground.autosave import BackgroundSaver, ResultCallback, serialize, take_snapshot
from safeground.content import Workbook
from safeground.kinds import KINDS, with_hidden_part
from safeground.progress import Position, Progress
from safeground.storage import ProgressStore


class Session:
    """The workbook, the progress in memory, and the saver that keeps the file in step."""

    def __init__(self, workbook: Workbook, store: ProgressStore, progress: Progress, *, read_only: bool = False):
        self.workbook = workbook
        self.store = store
        self.progress = progress
        self.read_only = read_only
        #: Bumped on every change; the saver reports which revision reached the disk.
        self.revision = 0
        self.saver: BackgroundSaver | None = None

    def start_saving(self, on_result: ResultCallback | None = None) -> None:
        if not self.read_only and self.saver is None:
            self.saver = BackgroundSaver(self.store, on_result)

    @property
    def profile(self) -> str:
        return self.store.profile

    # -- changes -----------------------------------------------------------------------------

    def answer(self, chapter_id: str, page_id: str, field_id: str, value: Any) -> None:
        old = self.progress.get(chapter_id, page_id, field_id)
        fld = self.workbook.locate(chapter_id, page_id, field_id)
        if fld is not None and old is not None and not KINDS[fld.kind].has_shape(old):
            # Written for another kind of question (the workbook changed): never shown, so an empty
            # value is not a change; a real answer moves the earlier one aside, still in the file.
            if value is None or value in ("", [], {}):
                return
            self.progress.set_aside(chapter_id, page_id, field_id)
            self.revision += 1
            old = None
        if fld is not None:  # keep the options and statements the workbook no longer shows
            value = with_hidden_part(fld, old, value)
        if old == value:
            return
        self.progress.set(self.workbook, chapter_id, page_id, field_id, value)
        self.revision += 1

    def move_to(self, chapter_id: str, page_id: str, field_id: str = "") -> None:
        position = Position(chapter_id, page_id, field_id)
        if position != self.progress.position:
            self.progress.position = position
            self.revision += 1

    # -- saving ------------------------------------------------------------------------------

    @property
    def unsaved(self) -> bool:
        """True while a change has not reached the disk yet."""
        if self.read_only or self.saver is None:
            return False
        return self.saver.saved_revision < self.revision

    def save_soon(self) -> None:
        """Hand a snapshot of the current state to the writer thread, which serialises and writes
        it; returns at once. Taking the snapshot is the only part that runs on the caller's thread."""
        if self.saver is not None and not self.read_only and self.saver.requested_revision < self.revision:
            self.saver.request(self.revision, take_snapshot(self.progress))

    def save_and_wait(self, timeout: float = 3.0) -> bool:
        """Save everything now and wait for it (quitting). True when it is all on disk."""
        if self.read_only or self.saver is None:
            return True
        self.save_soon()
        return self.saver.flush(timeout) and not self.unsaved

    def take_notices(self) -> list:
        """Hand edits that saves kept beside the progress file, each returned once (see
        :class:`safeground.storage.HandEditKept`), for the app to tell the person about."""
        return self.saver.take_notices() if self.saver is not None else []

    def export_unsaved(self, path) -> None:
        """Write the answers somewhere else (when the data folder cannot be written)."""
        from pathlib import Path

        from safeground.storage import atomic_write

        data = serialize(self.progress)
        if self.store.key is not None:  # a locked profile's answers stay sealed wherever they go
            data = self.store.key.seal(data)
        atomic_write(Path(path), data, keep_backup=False)

    def lock_again(self, timeout: float = 3.0) -> bool:
        """Save, stop the writer and drop the key, keeping the profile's OS lock (nobody else may
        open it meanwhile). The session can't be used after this: unlocking makes a new one.
        True when everything reached the disk first."""
        saved = self.save_and_wait(timeout)
        if self.saver is not None:
            self.saver.close(timeout)
            self.saver = None
        self.store.forget_key()
        return saved

    def close(self) -> None:
        if self.saver is not None:
            self.saver.close()
        self.store.release_lock()
