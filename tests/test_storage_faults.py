"""Storage faults while the app runs: a full disk, a read-only data folder, the folder deleted.

Each time: a notice says so, the answers stay in memory (and on screen), the old file stays whole
and no temp file is left, saving is retried, and once the fault clears everything typed is saved.

The first tests run in-process with the fault simulated where the operating system would raise it
(``fsync`` failing with ENOSPC, creating the temp file failing with EROFS: running as root, a
``chmod`` would not stop us). The folder really is deleted. The last tests make the faults real:
the app runs in its own mount namespace on a small tmpfs that is filled up, then remounted
read-only (skipped where mount namespaces are not allowed).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import tomllib
from pathlib import Path

import pytest

from app_support import KINDS_WORKBOOK, answers, make_app, open_page, settle
from safeground.storage import TEMP_PREFIX, ProfileLocked, ProgressStore

SIZE = (100, 30)


@pytest.fixture
def quick_retry(monkeypatch):
    import safeground.app as app_module

    monkeypatch.setattr(app_module, "RETRY_INTERVAL", 0.5)


async def _until(pilot, condition, what: str, timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds: a save, a retry or a notice takes well under
    a second on a quiet machine, and can take many on a loaded one."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)] if folder.exists() else []


async def _fault_then_recovery(tmp_path, pilot, app, fault: dict, reason: str) -> None:
    """Type, save; fail the disk; type more; check the notice and that nothing moved; clear it."""
    profile = tmp_path / "default"
    await open_page(pilot, app, "kinds", "long-text")
    await pilot.press(*"saved before")
    await settle(pilot, app)
    before = (profile / "kinds.toml").read_bytes()
    fault["on"] = True
    await pilot.press(*" and typed during the fault")
    await _until(
        pilot,
        lambda: any(reason in notice and "safe" in notice for notice in _notices(app)),
        f"a notice naming {reason!r}",
    )
    await _until(pilot, lambda: "Not saved" in app.sub_title, "'Not saved' in the header")
    assert (profile / "kinds.toml").read_bytes() == before, "the old file is whole"
    assert _temp_files(profile) == [], "a failed write leaves no temp file"
    text = "saved before and typed during the fault"
    assert app.session.progress.get("kinds", "long-text", "story") == text, "kept in memory"
    assert app.screen.query_one("TextArea").text == text, "and on screen"
    await pilot.pause(1.2)  # retried (and failing) meanwhile
    assert "Not saved" in app.sub_title
    fault["on"] = False
    await _until(pilot, lambda: any("saved again" in notice for notice in _notices(app)), "'saved again'")
    assert app.sub_title.startswith("Saved")
    await pilot.press(*", then more")
    await settle(pilot, app)


async def test_a_full_disk(tmp_path, monkeypatch, quick_retry):
    real_fsync = os.fsync
    fault = {"on": False}

    def fsync(descriptor):
        if fault["on"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _fault_then_recovery(tmp_path, pilot, app, fault, "No space left on device")
    assert (
        answers(tmp_path, "kinds")["kinds"]["long-text"]["story"]
        == "saved before and typed during the fault, then more"
    )
    assert _temp_files(tmp_path / "default") == []


async def test_a_read_only_data_folder(tmp_path, monkeypatch, quick_retry):
    real_mkstemp = tempfile.mkstemp
    fault = {"on": False}

    def mkstemp(*args, **kwargs):
        if fault["on"]:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _fault_then_recovery(tmp_path, pilot, app, fault, "Read-only file system")
        fault["on"] = True
        app.theme = "nord"  # settings cannot be written either: that is not worth a notice
        await pilot.pause()
        assert app.is_running
        fault["on"] = False
    assert (
        answers(tmp_path, "kinds")["kinds"]["long-text"]["story"]
        == "saved before and typed during the fault, then more"
    )


async def test_the_data_folder_deleted_while_the_app_runs(tmp_path):
    data_dir = tmp_path / "data"
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"one")
        await settle(pilot, app)
        shutil.rmtree(data_dir)
        await pilot.press(*" two")
        await settle(pilot, app)
        await pilot.pause()  # the writer's report reaches the header
        assert app.sub_title.startswith("Saved")
        profile = data_dir / "default"
        assert stat.S_IMODE(profile.stat().st_mode) == 0o700, "recreated as private as before"
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE((profile / "kinds.toml").stat().st_mode) == 0o600
        # The lock was taken again on a new lock file: the profile still counts as open.
        with pytest.raises(ProfileLocked):
            ProgressStore(data_dir, "default", "kinds").acquire_lock()
        shutil.rmtree(data_dir)  # and once more, with nothing typed since: quitting saves
        await pilot.press(*" three")
    assert answers(data_dir, "kinds")["kinds"]["text"]["name"] == "one two three"


def test_a_lock_lost_with_its_folder_is_taken_again_or_reported(tmp_path):
    store = ProgressStore(tmp_path, "default", "kinds")
    store.acquire_lock()
    shutil.rmtree(tmp_path / "default")
    (tmp_path / "default").mkdir()
    store.ensure_locked()
    assert store.locked and store.lock_path.exists()
    with pytest.raises(ProfileLocked):
        ProgressStore(tmp_path, "default", "kinds").acquire_lock()
    # Someone else got in first: writing is refused until the lock is ours again.
    shutil.rmtree(tmp_path / "default")
    (tmp_path / "default").mkdir()
    other = ProgressStore(tmp_path, "default", "kinds")
    other.acquire_lock()
    with pytest.raises(ProfileLocked):
        store.ensure_locked()
    with pytest.raises(ProfileLocked):
        store.ensure_locked()
    other.release_lock()
    store.ensure_locked()
    assert store.locked
    store.release_lock()
    store.ensure_locked()  # an unlocked store is left alone
    assert not store.locked


async def test_a_save_refused_because_another_app_took_the_profile_is_reported(tmp_path, quick_retry):
    data_dir = tmp_path / "data"
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"mine")
        await settle(pilot, app)
        shutil.rmtree(data_dir / "default")
        intruder = ProgressStore(data_dir, "default", "kinds")
        intruder.acquire_lock()
        await pilot.press(*" still mine")
        await _until(
            pilot,
            lambda: any("already open in another Safe Ground" in notice for notice in _notices(app)),
            "the notice",
        )
        assert not (data_dir / "default" / "kinds.toml").exists(), "nothing written over the other's"
        intruder.release_lock()
        await _until(pilot, lambda: app.sub_title.startswith("Saved"), "'Saved' in the header")
    assert answers(data_dir, "kinds")["kinds"]["text"]["name"] == "mine still mine"


# -- real faults: a tmpfs of our own -----------------------------------------------------------


def _namespaces_work() -> bool:
    if os.name != "posix" or not shutil.which("unshare") or not shutil.which("nsenter"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder],
            capture_output=True,
        )
    return probe.returncode == 0


real_faults = pytest.mark.skipif(
    not _namespaces_work(), reason="needs unshare and mount (root in a mount namespace) for a real tmpfs"
)


class TmpfsApp:
    """The real app in a pseudo-terminal whose data folder is a small tmpfs that only it sees."""

    def __init__(self, tmp_path: Path, size: str = "512k"):
        from harness_pty import PtyApp, child_env, welcomed_data_dir
        from test_crash import SEED

        seed = welcomed_data_dir(tmp_path / "seed")
        (seed / "default" / "safe-ground.toml").write_text(SEED, encoding="utf-8")
        self.mount = tmp_path / "mnt"
        self.mount.mkdir()
        script = 'mount -t tmpfs -o "size=$1,mode=0700" tmpfs "$2" && cp -a "$3/." "$2/" && shift 3 && exec "$@"'
        prefix = [
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            script,
            "sh",
            size,
            str(self.mount),
            str(seed),
        ]
        self.app = PtyApp(self.mount, prefix=prefix, env=child_env(self.mount))

    def inside(self, *parts: str) -> Path:
        """A path in the app's tmpfs, seen through its mount namespace."""
        return Path(f"/proc/{self.app.pid}/root") / str(self.mount).lstrip("/") / Path(*parts)

    def nsenter(self, *command: str) -> None:
        subprocess.run(
            ["nsenter", "-t", str(self.app.pid), "-m", *command], check=True, capture_output=True, timeout=60
        )

    def answer(self) -> str:
        from test_crash import CHAPTER, FIELD, PAGE

        document = tomllib.loads(self.inside("default", "safe-ground.toml").read_text(encoding="utf-8"))
        return document.get("answers", {}).get(CHAPTER, {}).get(PAGE, {}).get(FIELD, "")

    def wait_for_answer(self, expected: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.answer() != expected:
            if time.monotonic() > deadline:
                raise AssertionError(f"the file holds {self.answer()!r}, not {expected!r}")
            time.sleep(0.1)


def _open_and_type(tmpfs: TmpfsApp, words: str) -> None:
    """Open the page, make sure the cursor is in the answer (a letter typed reaches the file), type.
    One letter, typed once: keys typed while the page is built wait for its field."""
    from test_crash import _open_page

    app = tmpfs.app
    _open_page(app)
    app.write("k")
    tmpfs.wait_for_answer("k")
    app.write(words)
    app.wait_for(words.split()[-1])
    tmpfs.wait_for_answer("k" + words)


@real_faults
def test_a_really_full_disk(tmp_path):
    tmpfs = TmpfsApp(tmp_path)
    with tmpfs.app as app:
        _open_and_type(tmpfs, " written while there was room")
        before = tmpfs.inside("default", "safe-ground.toml").read_bytes()
        filler = tmpfs.inside("filler")
        with open(filler, "wb") as stream:  # fill the disk up
            try:
                while True:
                    stream.write(b"\0" * 65536)
                    stream.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC
        app.write(" typed on a full disk")
        app.wait_for("No space left")
        app.wait_for("Not saved")
        assert tmpfs.inside("default", "safe-ground.toml").read_bytes() == before
        assert _temp_files(tmpfs.inside("default")) == []
        filler.unlink()
        tmpfs.wait_for_answer("k written while there was room typed on a full disk")
        app.wait_for("saved again")
        app.signal(signal.SIGTERM)
        assert app.wait() == 0


@real_faults
def test_a_really_read_only_data_folder(tmp_path):
    tmpfs = TmpfsApp(tmp_path)
    with tmpfs.app as app:
        _open_and_type(tmpfs, " written while writable")
        before = tmpfs.inside("default", "safe-ground.toml").read_bytes()
        # A read-only mount over the profile folder (remounting the whole tmpfs read-only is
        # refused while the app holds its lock file open for writing).
        folder = str(tmpfs.mount / "default")
        tmpfs.nsenter("mount", "--bind", folder, folder)
        tmpfs.nsenter("mount", "-o", "remount,bind,ro", folder)
        app.write(" typed while read-only")
        app.wait_for("Read-only")  # the notice: "... (Read-only file system)", wrapped
        assert tmpfs.inside("default", "safe-ground.toml").read_bytes() == before
        app.wait_for("Not saved")
        tmpfs.nsenter("umount", folder)
        tmpfs.wait_for_answer("k written while writable typed while read-only")
        app.signal(signal.SIGTERM)
        assert app.wait() == 0
