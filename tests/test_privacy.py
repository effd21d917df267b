"""Privacy: who can read the answers, where they are written, and what the terminal keeps.

- The folders Safe Ground makes are 0700 and its files 0600 even under umask 000: the progress
  file, its .bak, settings.toml, the lock, and files moved aside. (Run by the real app and the
  real command; the in-process checks are in test_storage.py.)
- Nothing of the answers is written outside the data folder: the real app runs with HOME, TMPDIR,
  the XDG folders and its working folder all fresh, and afterwards no file anywhere in them, nor
  in /tmp, /var/tmp or /dev/shm, holds a word of what was typed.
- After the quick exit no answer text is left on the terminal: tmux runs a shell, the app is
  started from it, and the whole pane including its scrollback is read afterwards.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from harness_pty import ENTER, LAUNCHER, WAIT, PtyApp, child_env, children_of, end_processes, welcomed_data_dir
from test_crash import PAGE_TITLE, SEED, _answer, _open_page, _progress_path, _sync

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions, pseudo-terminals and tmux")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _wait(condition, timeout: float = WAIT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        time.sleep(0.05)


def test_everything_is_private_under_an_open_umask(tmp_path):
    data_dir = tmp_path / "fresh" / "data"
    profile = data_dir / "default"
    progress = profile / "safe-ground.toml"
    with PtyApp(data_dir, umask=0o000) as app:
        app.wait_for("not therapy")  # the first-run note: Enter writes settings.toml
        app.write(ENTER)
        app.wait_for("Start")
        _wait(lambda: (profile / "settings.toml").exists(), what="settings.toml")
        app.write(ENTER)
        # The page saves where you are once it is built; keys typed from then on reach its first
        # question even before the cursor is drawn there.
        _wait(progress.exists, what="the progress file")
        for _ in range(2):  # two saves, so there is a .bak
            before = progress.read_bytes()
            app.write("\x1b[B" + ENTER)  # Down, Enter: choose an option (saved at once)
            _wait(lambda before=before: progress.read_bytes() != before, what="a save")
        assert progress.with_name("safe-ground.toml.bak").exists()
        app.write("\x11")  # Ctrl+Q
        assert app.wait() == 0
    moved = subprocess.run(
        [sys.executable, "-m", "safeground", "--data-dir", str(data_dir), "start-fresh", "--force"],
        capture_output=True,
        text=True,
        umask=0o000,
        timeout=60,
    )
    assert moved.returncode == 0, moved.stderr
    files = sorted(p.name for p in profile.iterdir())
    assert any(name.startswith("safe-ground.toml.broken-") for name in files)
    assert {"safe-ground.toml.bak", "settings.toml", "safe-ground.lock"} <= set(files)
    assert _mode(data_dir) == 0o700 and _mode(profile) == 0o700, "folders Safe Ground made"
    for name in files:
        assert _mode(profile / name) == 0o600, f"{name} is {oct(_mode(profile / name))}"
    assert _mode(data_dir.parent) == 0o700, "the parent it had to create as well"


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def _holding(roots, needle: bytes, since: float, skip: Path) -> list[str]:
    """Files under ``roots`` changed since ``since`` (outside ``skip``) whose bytes hold ``needle``."""
    found = []
    for root in roots:
        for folder, dirnames, filenames in os.walk(root, onerror=lambda error: None):
            if Path(folder) == skip or skip in Path(folder).parents:
                dirnames.clear()
                continue
            for name in filenames:
                path = Path(folder) / name
                try:
                    info = path.lstat()
                    if not stat.S_ISREG(info.st_mode) or info.st_mtime < since or info.st_size > 50_000_000:
                        continue
                    if needle in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


@pytest.mark.parametrize("leave", ["quit", "quick exit"])
def test_nothing_of_the_answers_is_written_outside_the_data_folder(tmp_path, leave):
    marker = f"private-{uuid.uuid4().hex[:12]}"
    started = time.time() - 1
    home, temp, work = tmp_path / "home", tmp_path / "tmp", tmp_path / "cwd"
    for folder in (home, temp, work):
        folder.mkdir()
    data_dir = welcomed_data_dir(tmp_path / "data")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    env = child_env(
        data_dir,
        HOME=str(home),
        TMPDIR=str(temp),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_RUNTIME_DIR=str(temp / "run"),
    )
    app = PtyApp(data_dir, env=env)
    try:
        _open_page(app)
        _sync(app, _progress_path(data_dir), "")
        app.write(f" {marker} ")
        app.wait_for(marker)
        app.write("\x11" if leave == "quit" else "\x1b[24~")
        assert app.wait() == 0
    finally:
        app.close()
    assert marker in _answer(_progress_path(data_dir)), "it was saved, in the data folder"
    assert _files_under(home) == [] and _files_under(temp) == [] and _files_under(work) == [], (
        "nothing else was written"
    )
    places = [tmp_path, Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    assert _holding([p for p in places if p.exists()], marker.encode(), started, data_dir) == []


# -- the terminal after the quick exit ---------------------------------------------------------


class Tmux:
    """A tmux server of our own (its own socket), running one shell in a 100x30 window."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.socket = folder / "tmux.sock"
        self.env = env
        self.pids: list[int] = []  # the server and the pane's shell
        try:
            self.tmux("new-session", "-d", "-s", "sg", "-x", "100", "-y", "30", "bash --norc --noprofile")
            self.pids = [int(n) for n in self.tmux("display-message", "-p", "-t", "sg", "#{pid} #{pane_pid}").split()]
            self.tmux("set-option", "-g", "history-limit", "5000")
        except BaseException:
            self.close()
            raise

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, env=self.env, timeout=WAIT
        )
        if result.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {result.stderr}")
        return result.stdout

    def screen_and_scrollback(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "sg")

    def wait_for(self, text: str, timeout: float = WAIT) -> None:
        _wait(lambda: text in self.tmux("capture-pane", "-p", "-t", "sg"), timeout, f"{text!r} in tmux")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "sg", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "sg")

    def close(self) -> None:
        """End the server on our socket and whatever runs in it: they get the hang-up (the app saves
        and exits on it), and SIGKILL if any is still running 5 seconds later."""
        started = [*self.pids, *(child for pid in self.pids for child in children_of(pid))]
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, env=self.env, timeout=WAIT)
        end_processes(started)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux to read a terminal's scrollback")
@pytest.mark.parametrize("keys", [("Escape", "Escape"), ("F12",)], ids=["Esc Esc", "F12"])
def test_after_the_quick_exit_no_answer_is_left_on_the_terminal(tmp_path, keys):
    marker = f"secret-{uuid.uuid4().hex[:10]}"
    data_dir = welcomed_data_dir(tmp_path / "data")
    progress = _progress_path(data_dir)
    progress.write_text(SEED, encoding="utf-8")
    env = child_env(data_dir, PS1="$ ", HOME=str(tmp_path))
    env.pop("TMUX", None)
    tmux = Tmux(tmp_path, env)
    try:
        tmux.keys("echo before-the-app", "Enter")
        # Typed as after-the-''app: the command line on screen must not read as the shell's answer
        # (waiting for it found the command itself, before the app had even cleared the screen).
        tmux.keys(f"{sys.executable} -c \"$SG_LAUNCHER\"; echo after-the-''app", "Enter")
        tmux.wait_for("pages complete")  # the home screen's overall line
        home = tmux.screen()
        tmux.keys("Enter")
        try:
            tmux.wait_for(PAGE_TITLE, timeout=WAIT / 2)
        except AssertionError:
            if tmux.screen() != home:  # the key arrived: a slow page is waited for, not pressed twice
                raise
            tmux.keys("Enter")
            tmux.wait_for(PAGE_TITLE)
        tmux.keys("-l", "k")  # once the page is drawn, a key typed reaches its answer
        _wait(lambda: bool(_answer(progress)), what="the letter typed reaching the file")
        tmux.keys("-l", f" {marker} and more private words")
        tmux.wait_for(marker)
        tmux.keys(*keys)
        tmux.wait_for("after-the-app")
        everything = tmux.screen_and_scrollback()
    finally:
        tmux.close()
    assert marker in _answer(progress), "the quick exit saved it"
    assert marker not in everything and "private words" not in everything
    assert PAGE_TITLE not in everything and "Safe Ground" not in everything, "nothing of the workbook either"
    assert "after-the-app" in everything


@pytest.fixture(autouse=True)
def _launcher_in_env(monkeypatch):
    """The tmux shell starts the app the way the harness does, from $SG_LAUNCHER."""
    monkeypatch.setenv("SG_LAUNCHER", LAUNCHER)
