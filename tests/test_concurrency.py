"""Two Safe Grounds at once: the real app, in two pseudo-terminals.

- A second one on the same profile is refused with a clear screen naming the first (its pid), and
  writes nothing; the first goes on as if nothing happened.
- A lock left by a killed Safe Ground does not lock anyone out.
- Two profiles run side by side without touching each other's files.
- If the data folder is deleted while one runs, it takes the lock again as it writes, so a second
  one is still refused.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness_pty import ENTER, WAIT, PtyApp, welcomed_data_dir
from test_crash import SEED, _answer, _open_page, _sync

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and signals are POSIX")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _seeded(data_dir: Path, profile: str = "default") -> Path:
    welcomed_data_dir(data_dir, profile)
    (data_dir / profile / "safe-ground.toml").write_text(SEED, encoding="utf-8")
    return data_dir / profile / "safe-ground.toml"


def _type(app: PtyApp, path: Path, words: str) -> None:
    _open_page(app)
    before = _answer(path)
    _sync(app, path, before)
    app.write(words)
    app.wait_for(words.split()[-1])


def _saved(path: Path, expected: str) -> None:
    """Wait until the file holds ``expected`` (the app saves within a second; a loaded machine is
    given far longer)."""
    deadline = time.monotonic() + WAIT
    while _answer(path) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"the file holds {_answer(path)!r}, not {expected!r}")
        time.sleep(0.05)


def _status(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "safeground", *args, "status"], capture_output=True, text=True, env=env, timeout=60
    )


def test_a_second_app_on_the_same_profile_is_refused_clearly_and_writes_nothing(tmp_path):
    data_dir = tmp_path / "data"
    progress = _seeded(data_dir)
    with PtyApp(data_dir) as first:
        _type(first, progress, " first words")
        _saved(progress, "k first words")
        before = _files(data_dir / "default")
        with PtyApp(data_dir) as second:
            second.wait_for("This profile is already open")
            screen = second.text()
            assert f"pid {first.pid}" in screen and "--profile" in screen
            second.write(ENTER)  # "Quit" has the focus
            assert second.wait() == 0
        assert _files(data_dir / "default") == before, "the refused app changed nothing"
        # The command line can still read the answers while the app has them open.
        status = _status(data_dir)
        assert status.returncode == 0 and "Continue at" in status.stdout
        # ... and the first app carries on, saving as before.
        first.write(" and more")
        first.wait_for("and more")
        first.signal(signal.SIGTERM)
        assert first.wait() == 0
    assert _answer(progress) == "k first words and more"


def test_a_killed_app_does_not_lock_the_person_out(tmp_path):
    data_dir = tmp_path / "data"
    progress = _seeded(data_dir)
    with PtyApp(data_dir) as first:
        _type(first, progress, " before the kill")
        _saved(progress, "k before the kill")
        first.signal(signal.SIGKILL)
        assert first.wait() == -signal.SIGKILL
    lock = data_dir / "default" / "safe-ground.lock"
    assert f"pid {first.pid}" in lock.read_text(encoding="utf-8"), "the killed app's lock file is still there"
    with PtyApp(data_dir) as second:
        _open_page(second)  # not the "already open" screen
        assert "already open" not in second.text()
        assert f"pid {second.pid}" in lock.read_text(encoding="utf-8")
        second.signal(signal.SIGTERM)
        # Only how it ends matters here, not its exit status: on a machine so loaded that leaving
        # takes longer than SIGTERM's grace, the watchdog ends it with status 1 when it can't
        # confirm the last save in time (test_terminal_gone holds the exit itself to account).
        assert second.wait() in (0, 1)
    assert _answer(progress) == "k before the kill"


def test_two_profiles_side_by_side_do_not_touch_each_other(tmp_path):
    data_dir = tmp_path / "data"
    mine, theirs = _seeded(data_dir), _seeded(data_dir, "partner")
    with PtyApp(data_dir) as one, PtyApp(data_dir, ["--profile", "partner"]) as two:
        _type(one, mine, " my words")
        _type(two, theirs, " their words")
        assert "profile: partner" in two.text()
        one.write(" again")
        two.write(" also")
        one.wait_for("again")
        two.wait_for("also")
        for app in (one, two):
            app.signal(signal.SIGTERM)
            assert app.wait() == 0
    assert _answer(mine) == "k my words again"
    assert _answer(theirs) == "k their words also"
    assert sorted(p.name for p in (data_dir / "partner").iterdir()) == sorted(
        p.name for p in (data_dir / "default").iterdir()
    )
    assert "partner" not in (data_dir / "default" / "safe-ground.lock").read_text(encoding="utf-8")


def test_after_the_data_folder_is_deleted_a_second_app_is_still_refused(tmp_path):
    """Deleting the folder deletes the lock file; the writer recreates the folder and takes the lock
    again on a new lock file, so the profile still counts as open."""
    data_dir = tmp_path / "data"
    progress = _seeded(data_dir)
    with PtyApp(data_dir) as first:
        _type(first, progress, " before")
        _saved(progress, "k before")
        shutil.rmtree(data_dir)
        first.write(" after the folder went")
        first.wait_for("folder went")
        deadline = time.monotonic() + WAIT
        while not progress.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert progress.exists(), "the writer recreated the folder and saved"
        with PtyApp(data_dir) as second:
            second.wait_for("This profile is already open")
            assert f"pid {first.pid}" in second.text()
            second.write(ENTER)
            assert second.wait() == 0
        first.signal(signal.SIGTERM)
        assert first.wait() == 0
    assert _answer(progress) == "k before after the folder went"
