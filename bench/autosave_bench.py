"""Autosave: serialising a fully answered workbook and writing it atomically, as the app does.

The app serialises on its own thread at the autosave tick (``Session.save_soon`` calls
``autosave.serialize``) and the saver thread writes the bytes (``make_private_dir`` then
``storage.atomic_write``: temp file, fsync, backup link, rename, fsync of the folder). Here both
steps run back to back on one thread, which is what one save costs in all. Measured with the real
fsync calls, and again with fsync made a no-op, because on some disks fsync is most of the time
and it is the disk's figure rather than ours. The baseline, interleaved, is a plain write of the
same bytes to a file in the same folder (no temp file, no rename, no fsync).
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


def _save_case(progress: Progress, folder: Path, *, fsync: bool):
    from safeground.autosave import serialize
    from safeground.storage import atomic_write, make_private_dir

    path = folder / "progress.toml"

    def save() -> float:
        start = perf_counter()
        if fsync:
            data = serialize(progress)
            make_private_dir(folder)
            atomic_write(path, data)
        else:
            with fsync_disabled():
                data = serialize(progress)
                make_private_dir(folder)
                atomic_write(path, data)
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
    from safeground.autosave import serialize

    folder.mkdir(parents=True, exist_ok=True)
    data = serialize(progress)
    plain = folder / "plain.toml"

    def plain_write() -> None:
        with open(plain, "wb") as stream:
            stream.write(data)

    def serialize_only() -> None:
        serialize(progress)

    samples = interleave(
        {
            "fsync": _save_case(progress, folder / "with-fsync", fsync=True),
            "nofsync": _save_case(progress, folder / "without-fsync", fsync=False),
            "serialize": serialize_only,
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
            f"serialize + atomic write, with fsync ({size})",
            median(samples["fsync"]),
            reps,
            "plain write of the same bytes",
            base,
            "seconds",
            0.002,
            p99=percentile(samples["fsync"], 99),
            p99_limit=0.010,
        ),
        Figure(
            "Autosave",
            "serialize + atomic write, fsync made a no-op",
            median(samples["nofsync"]),
            reps,
            "plain write of the same bytes",
            base,
            p99=percentile(samples["nofsync"], 99),
        ),
        Figure(
            "Autosave",
            "serialize alone (the app's thread, at the autosave tick)",
            median(samples["serialize"]),
            reps,
            "plain write of the same bytes",
            base,
            p99=percentile(samples["serialize"], 99),
        ),
    ]
    for chapters, (_workbook, big_progress) in sorted((scale or {}).items()):
        big = serialize(big_progress)

        def big_plain(big=big) -> None:
            with open(plain, "wb") as stream:
                stream.write(big)

        scale_samples = interleave(
            {
                "serialize": lambda p=big_progress: serialize(p) and None,
                "plain": big_plain,
            },
            scale_reps,
            warmup=2,
        )
        figures.append(
            Figure(
                "Scale",
                f"serialize at the autosave tick, {chapters} chapters ({len(big) // 1024} KB)",
                median(scale_samples["serialize"]),
                scale_reps,
                "plain write of the same bytes",
                median(scale_samples["plain"]),
                p99=percentile(scale_samples["serialize"], 99),
            )
        )
    return figures
