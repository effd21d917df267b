"""The passphrase lock: how long unlocking takes, and what it adds to an autosave.

Unlocking is one key derivation with the settings a new lock gets (``vault.default_params()``):
Argon2id, 128 MiB, 4 passes. It is slow on purpose, so that guessing passphrases is slow too; the
aim is 0.3 to 1 s on a 2-core machine. Its baseline, interleaved, is the OWASP minimum (Argon2id,
19 MiB, 2 passes): the ratio says how much more a guess costs than that floor.

An autosave of a locked profile after unlocking is the whole save as the app does it (snapshot,
serialise, seal with the key kept in memory, ``ProgressStore.write``: hand-edit check, temp file,
backup link, rename), fsync made a no-op as in the autosave group's second line. Its baseline is
the same save of an unlocked profile. The key is never derived again here: a save only encrypts.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

from bench.autosave_bench import fsync_disabled
from bench.common import Figure, interleave, median, percentile
from safeground.content import Workbook
from safeground.progress import Progress

OWASP_MINIMUM = (19 * 1024, 2, 1)


def _unlock_case(sealed: bytes):
    from safeground.vault import Key

    def unlock() -> float:
        start = perf_counter()
        Key.unlock(sealed, "a passphrase of some length")
        return perf_counter() - start

    return unlock


def _save_case(workbook: Workbook, progress: Progress, folder: Path, *, locked: bool):
    from safeground.autosave import take_snapshot, to_bytes
    from safeground.storage import ProgressStore
    from safeground.vault import Key

    store = ProgressStore(folder, "bench", workbook.id)
    if locked:
        store.key = Key.new("a passphrase of some length")  # derived once, as unlocking does
    store.write(to_bytes(take_snapshot(progress)))

    def save() -> float:
        start = perf_counter()
        with fsync_disabled():
            store.write(to_bytes(take_snapshot(progress)))
        return perf_counter() - start

    return save


def run(workbook: Workbook, progress: Progress, folder: Path, reps: int, unlock_reps: int) -> list[Figure]:
    from safeground.autosave import take_snapshot, to_bytes
    from safeground.vault import KDF_ARGON2ID, KdfParams, Key, default_params

    folder.mkdir(parents=True, exist_ok=True)
    params = default_params()
    sealed = Key.new("a passphrase of some length", params).seal(b"x")
    floor = Key.new("a passphrase of some length", KdfParams(KDF_ARGON2ID, *OWASP_MINIMUM)).seal(b"x")
    unlock = interleave({"unlock": _unlock_case(sealed), "floor": _unlock_case(floor)}, unlock_reps, warmup=1)
    saves = interleave(
        {
            "locked": _save_case(workbook, progress, folder / "locked", locked=True),
            "plain": _save_case(workbook, progress, folder / "plain", locked=False),
        },
        reps,
        warmup=5,
    )
    data = to_bytes(take_snapshot(progress))
    key = Key.new("a passphrase of some length")
    seal = interleave({"seal": lambda: key.seal(data) and None}, reps, warmup=5)
    kdf = f"Argon2id {params.a // 1024} MiB, t={params.b}" if params.kdf == KDF_ARGON2ID else "scrypt"
    return [
        Figure(
            "Lock",
            f"unlocking: deriving the key ({kdf})",
            median(unlock["unlock"]),
            unlock_reps,
            "OWASP's minimum (Argon2id 19 MiB, t=2)",
            median(unlock["floor"]),
            "seconds",
            1.0,
            note="aim 0.3-1 s: slower to unlock, slower to guess",
        ),
        Figure(
            "Lock",
            "sealing the saved bytes (AES-256-GCM with the kept key): the lock's own share",
            median(seal["seal"]),
            reps,
            "the locked autosave below",
            median(saves["locked"]),
        ),
        Figure(
            "Lock",
            "autosave of a locked profile after unlocking (seal + write, fsync a no-op)",
            median(saves["locked"]),
            reps,
            "the same save, profile not locked",
            median(saves["plain"]),
            "seconds",
            0.002,
            p99=percentile(saves["locked"], 99),
            p99_limit=0.010,
        ),
    ]
