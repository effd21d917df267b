"""Autosave: saving a fully answered workbook as the app does, and the app thread's share of it.

At the autosave tick the app takes a snapshot of the answers on its own thread
(``Session.save_soon`` calls ``autosave.take_snapshot``: a read-only copy, no text). The saver
thread serialises it (``autosave.to_bytes``, tomli_w) and writes the bytes (``make_private_dir``
then ``storage.atomic_write``: temp file, fsync, backup link, rename, fsync of the folder). Here the
steps run back to back on one thread, which is what one save costs in all. Measured with the real
fsync calls, and again with fsync made a no-op, because on some disks fsync is most of the time
and it is the disk's figure rather than ours. The baseline, interleaved, is a plain write of the
same bytes to a file in the same folder (no temp file, no rename, no fsync).

The app thread's share is given on its own, next to the whole save without fsync: that is the
pause a person typing gets at each tick. The scale group gives it for the generated workbooks,
next to the serialisation the saver thread does for them.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

from bench.common import Figure, interleave, median, percentile
from safeground.content import Workbook
from safeground.progress import Progress


@contextmanager
def fsync_disabled():
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = real


def _save(progress: Progress, path: Path) -> None:
    """One whole save: the snapshot (app thread), then serialising and writing (saver thread)."""
    from safeground.autosave import take_snapshot, to_bytes
    from safeground.storage import atomic_write, make_private_dir

    data = to_bytes(take_snapshot(progress))
    make_private_dir(path.parent)
    atomic_write(path, data)


def _tick_case(workbook: Workbook, progress: Progress):
    """The app thread's part of one autosave tick after some typing: one answer changed (not
    timed), then the snapshot (timed). Snapshots reuse the copies of pages that did not change,
    so a tick with no change at all would be cheaper than any real one."""
    from safeground.autosave import take_snapshot

    chapter_id, page_id, field_id, text = next(
        (c, p, f, v)
        for c, pages in progress.answers.items()
        for p, fields in pages.items()
        for f, v in fields.items()
        if isinstance(v, str)
    )
    typed = [0]

    def tick() -> float:
        typed[0] += 1
        progress.set(workbook, chapter_id, page_id, field_id, text + "x" * (typed[0] % 2))
        start = perf_counter()
        take_snapshot(progress)
        return perf_counter() - start

    return tick


def _save_case(progress: Progress, folder: Path, *, fsync: bool):
    path = folder / "progress.toml"

    def save() -> float:
        start = perf_counter()
        if fsync:
            _save(progress, path)
        else:
            with fsync_disabled():
                _save(progress, path)
        return perf_counter() - start

    return save


def run(
    workbook: Workbook,
    progress: Progress,
    folder: Path,
    reps: int,
    scale: dict[int, tuple[Workbook, Progress]] | None = None,
    scale_reps: int = 20,
) -> list[Figure]:
    from safeground.autosave import serialize, take_snapshot, to_bytes

    folder.mkdir(parents=True, exist_ok=True)
    data = serialize(progress)
    plain = folder / "plain.toml"
    snapshot = take_snapshot(progress)

    def plain_write() -> None:
        with open(plain, "wb") as stream:
            stream.write(data)

    samples = interleave(
        {
            "fsync": _save_case(progress, folder / "with-fsync", fsync=True),
            "nofsync": _save_case(progress, folder / "without-fsync", fsync=False),
            "snapshot": _tick_case(workbook, progress),
            "serialise": lambda: to_bytes(snapshot) and None,
            "plain": plain_write,
        },
        reps,
        warmup=5,
    )
    base = median(samples["plain"])
    size = f"{len(data) // 1024} KB file"
    figures = [
        Figure(
            "Autosave",
            f"snapshot + serialise + atomic write, with fsync ({size})",
            median(samples["fsync"]),
            reps,
            "plain write of the same bytes",
            base,
            "seconds",
            # On the saver thread, where nobody waits for it: the budget is that a save is long
            # done by the next tick (1 s), with room to spare on a slow disk.
            0.005,
            p99=percentile(samples["fsync"], 99),
            p99_limit=0.020,
        ),
        Figure(
            "Autosave",
            "snapshot + serialise + atomic write, fsync made a no-op",
            median(samples["nofsync"]),
            reps,
            "plain write of the same bytes",
            base,
            p99=percentile(samples["nofsync"], 99),
        ),
        Figure(
            "Autosave",
            "the app's thread at the autosave tick: the snapshot, one answer changed",
            median(samples["snapshot"]),
            reps,
            "the whole save, fsync a no-op",
            median(samples["nofsync"]),
            "seconds",
            # What a keystroke can wait behind: far under one frame (16 ms).
            0.001,
            p99=percentile(samples["snapshot"], 99),
            note="the ratio is the app thread's share of a save; the rest runs on the saver thread",
        ),
        Figure(
            "Autosave",
            "serialising the snapshot (the saver thread)",
            median(samples["serialise"]),
            reps,
            "plain write of the same bytes",
            base,
            p99=percentile(samples["serialise"], 99),
        ),
    ]
    for chapters, (big_workbook, big_progress) in sorted((scale or {}).items()):
        big_snapshot = take_snapshot(big_progress)
        big = to_bytes(big_snapshot)
        scale_samples = interleave(
            {
                "snapshot": _tick_case(big_workbook, big_progress),
                "serialise": lambda s=big_snapshot: to_bytes(s) and None,
            },
            scale_reps,
            warmup=2,
        )
        figures.append(
            Figure(
                "Scale",
                f"the app's thread at the autosave tick, {chapters} chapters ({len(big) // 1024} KB)",
                median(scale_samples["snapshot"]),
                scale_reps,
                "serialising it (the saver thread)",
                median(scale_samples["serialise"]),
                p99=percentile(scale_samples["snapshot"], 99),
            )
        )
    return figures
