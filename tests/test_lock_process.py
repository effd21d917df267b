"""The passphrase lock across the process boundary: the real commands with the real key derivation
settings, and a locked profile's process killed (SIGKILL) in the middle of saving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from safeground import vault
from safeground.loader import load_workbook
from safeground.storage import ProgressStore

MINI = Path(__file__).parent / "data" / "mini"
PROBE = "quiet-harbour-9031"


def run(data_dir: Path, tmp: Path, *command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-m", "safeground", "--workbook", str(MINI), "--data-dir", str(data_dir), *command],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def holds_probe(*folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    if PROBE.encode() in Path(root, name).read_bytes():
                        found.append(Path(root, name))
                except OSError:
                    continue
    return found


def test_lock_and_every_way_in_with_the_real_key_derivation(tmp_path):
    data_dir, tmp = tmp_path / "data", tmp_path / "tmp"
    tmp.mkdir()
    locked = run(data_dir, tmp, "lock", stdin="a long passphrase\n")
    assert locked.returncode == 0, locked.stderr
    assert "can't be recovered by anyone" in locked.stdout
    settings = (data_dir / "default" / "settings.toml").read_bytes()
    assert settings[:10] == vault.MAGIC + bytes([1, vault.KDF_ARGON2ID])
    assert vault.read_header(settings).params == vault.ARGON2ID_DEFAULT
    assert run(data_dir, tmp, "status", stdin="a long passphrase\n").returncode == 0
    wrong = run(data_dir, tmp, "status", stdin="a wrong one\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "safeground: that passphrase doesn't open these answers. Nothing was read or changed; try again."
    )
    assert run(data_dir, tmp, "export", stdin="\n").returncode == 1


SAVER = """
import sys
from safeground import vault
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.settings import Settings
from safeground.storage import ProgressStore

workbook = load_workbook({mini!r})
store = ProgressStore({data!r}, "default", workbook.id)
store.key = vault.Key.new("pass", vault.KdfParams(vault.KDF_ARGON2ID, 8, 1, 1))
Settings().save(store.profile_dir, store.key)
progress = Progress(workbook.id, workbook.version)
with store:
    for round in range(100000):
        progress.set(workbook, "first", "words", "story", {probe!r} * 40000 + str(round))
        store.save(progress)
        print(round, flush=True)
"""


def test_sigkill_while_saving_a_locked_profile_leaves_a_file_that_decrypts(tmp_path):
    data_dir, tmp = tmp_path / "data", tmp_path / "tmp"
    tmp.mkdir()
    script = SAVER.format(mini=str(MINI), data=str(data_dir), probe=PROBE)
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    try:
        assert child.stdout is not None
        for _ in range(5):  # five saves done; the sixth is under way when the signal lands
            assert child.stdout.readline(), "the saver stopped early"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    store = ProgressStore(data_dir, "default", load_workbook(MINI).id)
    store.unlock("pass")
    story = store.load(load_workbook(MINI)).get("first", "words", "story")
    assert story.startswith(PROBE) and int(story[len(PROBE) * 40000 :]) >= 4
    places = [data_dir, tmp] + ([Path("/dev/shm")] if os.path.isdir("/dev/shm") else [])
    assert holds_probe(*places) == []
