"""Shared test fixtures.

Keep each group below self-contained: other groups (for example the app's) may be added after it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import settings

# -- core: data folders and workbook folders ---------------------------------------------------

TESTS_DIR = Path(__file__).resolve().parent
#: A small valid workbook with two chapters and every field kind (see tests/data/mini/).
MINI_WORKBOOK_DIR = TESTS_DIR / "data" / "mini"


# Property tests: no time limit per example (a loaded machine is slower, never different) and the
# same examples on every run, so the suite is deterministic; a test's own @settings adds to this.
settings.register_profile("safeground", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("safeground")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "wheel: builds the wheel and installs it in a fresh venv (about a minute)")
    config.addinivalue_line(
        "markers",
        "alone: holds the app to a time budget while it runs; `make test` runs these after the rest, "
        "by themselves, so the suite's other process doesn't eat the app's time",
    )


def write_workbook(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (name -> text or bytes) into ``folder`` and return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(name="write_workbook")
def _write_workbook_fixture():
    """``write_workbook(folder, files)`` as a fixture, for tests that would rather not import it."""
    return write_workbook


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder (not created yet), also set as SAFEGROUND_DATA_DIR so nothing in a
    test can reach the real user data folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A private copy of the mini workbook folder, free to edit."""
    return Path(shutil.copytree(MINI_WORKBOOK_DIR, tmp_path / "mini"))


@pytest.fixture
def mini_workbook(mini_dir: Path):
    from safeground.loader import load_workbook

    return load_workbook(mini_dir)


# -- the session guard: nothing a test started outlives the run --------------------------------
#
# Apps left running by the terminal tests used to spin at 40% CPU for half an hour after `make
# test`. Each test reaps what it starts (harness_pty.PtyApp.close, the tmux fixture); this is the
# backstop. It kills what is left and fails the run, loudly: a leftover means a test does not
# clean up after itself, and only a failure gets that fixed before the processes pile up.


def _ours_left_running(session: pytest.Session) -> list[tuple[int, str]]:
    """(pid, command line) of every process this run started that still runs: our descendants,
    and processes elsewhere (a tmux server, an app in it) whose environment points into our
    temporary folder."""
    import os

    from harness_pty import children_of

    # pytest's tmp_path plugin keeps its factory on the config, outside pytest's typed API.
    factory: pytest.TempPathFactory | None = vars(session.config).get("_tmp_path_factory")
    try:
        basetemp = str(factory.getbasetemp()) + os.sep if factory is not None else None
    except (OSError, ValueError):
        basetemp = None
    candidates = set(children_of(os.getpid()))
    if basetemp and Path("/proc/self/environ").exists():
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    if basetemp.encode() in (entry / "environ").read_bytes() + (entry / "cmdline").read_bytes():
                        candidates.add(int(entry.name))
                except OSError:
                    continue
    found = []
    for pid in sorted(candidates):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            continue  # ended, waiting to be reaped: nothing runs
        found.append((pid, command or "?"))
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import os
    import signal
    import sys

    if os.name != "posix":
        return
    import harness_pty as harness

    forgotten = harness.live_apps()
    for app in forgotten:
        app.close()
    leftovers = _ours_left_running(session)
    for pid, _command in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if forgotten or leftovers:
        lines = [f"  pid {app.pid}: a PtyApp never closed" for app in forgotten]
        lines += [f"  pid {pid}: {command[:150]}" for pid, command in leftovers]
        message = "tests left processes running (now killed):\n" + "\n".join(lines)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "leftover processes", red=True)
            reporter.write_line(message)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
