"""Files and folders that are not what they seem, and a file edited by hand while the app is open.

- A symbolic link where the lock file, the progress file or its ``.bak`` should be is refused with
  a clear message; what it points to is never emptied, replaced or chmod-ed.
- A profile folder this account can't use (made by one ``sudo safeground``, so owned by root), or
  a profile name that is an existing file, is one clear sentence naming the owner and what to do,
  in the command line and in the app, never a traceback.
- An edit made by hand while the app has the file open is kept beside it (``<id>.edited-<time>.toml``,
  0600, never over another file) before the app's next save, and the app says where.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app_support import KINDS_WORKBOOK, make_app, open_page, settle
from safeground import cli
from safeground.autosave import BackgroundSaver
from safeground.loader import load_workbook
from safeground.storage import HandEditKept, ProgressFileError, ProgressStore, StorageError

SIZE = (100, 30)
KINDS = load_workbook(KINDS_WORKBOOK)
OUTSIDE = b"# a file of the person's, somewhere else\nimportant = true\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _store(data_dir: Path, profile: str = "default") -> ProgressStore:
    return ProgressStore(data_dir, profile, KINDS.id)


def _saved(data_dir: Path, name: str = "Sam") -> ProgressStore:
    store = _store(data_dir)
    progress = store.load(KINDS)
    progress.set(KINDS, "kinds", "text", "name", name)
    store.save(progress)
    return store


def _valid_file(name: str) -> bytes:
    return f'format = 1\nworkbook = "kinds"\n\n[answers.kinds.text]\nname = "{name}"\n'.encode()


def _cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--workbook", str(KINDS_WORKBOOK), "--data-dir", str(data_dir), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file of the person's outside the data folder, readable by others (0644)."""
    path = tmp_path / "elsewhere" / "notes.toml"
    path.parent.mkdir()
    path.write_bytes(OUTSIDE)
    path.chmod(0o644)
    return path


# -- symbolic links --------------------------------------------------------------------------------


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_left_whole(tmp_path, outside):
    store = _store(tmp_path / "data")
    store.profile_dir.mkdir(parents=True)
    store.lock_path.symlink_to(outside)
    with pytest.raises(StorageError, match="is a symbolic link") as caught:
        store.acquire_lock()
    assert str(store.lock_path) in str(caught.value)
    assert not store.locked
    assert outside.read_bytes() == OUTSIDE, "the file the link points to is not emptied"
    assert _mode(outside) == 0o644
    assert store.lock_path.is_symlink()


def test_a_symlinked_progress_file_is_refused_and_nothing_is_changed(tmp_path):
    data_dir = tmp_path / "data"
    target = tmp_path / "synced" / "kinds.toml"
    target.parent.mkdir()
    target.write_bytes(_valid_file("Sam"))
    target.chmod(0o644)
    store = _store(data_dir)
    store.profile_dir.mkdir(parents=True)
    store.path.symlink_to(target)

    with pytest.raises(ProgressFileError, match="is a symbolic link") as caught:
        store.load(KINDS)
    assert str(target) in str(caught.value) and "--data-dir" in str(caught.value)
    code, out, err = _cli(data_dir, "status")
    assert code == 1 and "is a symbolic link" in err and "Traceback" not in err

    # Start fresh moves the link aside; the file it points to keeps its bytes and its mode.
    assert _cli(data_dir, "start-fresh")[0] == 0
    moved = next(store.profile_dir.glob("kinds.toml.broken-*"))
    assert moved.is_symlink() and Path(os.readlink(moved)) == target
    assert target.read_bytes() == _valid_file("Sam")
    assert _mode(target) == 0o644, "never chmod a file we did not create"
    assert not store.backup_path.exists()


async def test_a_symlinked_progress_file_in_the_app(tmp_path, outside):
    from safeground.screens.problem import ProblemScreen

    data_dir = tmp_path / "data"
    store = _store(data_dir)
    store.profile_dir.mkdir(parents=True)
    store.path.symlink_to(outside)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert "is a symbolic link" in str(app.screen.query_one("#problem-message").render())
    assert store.path.is_symlink() and not os.path.lexists(store.backup_path)
    assert outside.read_bytes() == OUTSIDE and _mode(outside) == 0o644


def test_a_link_put_in_place_of_the_file_while_open_is_not_saved_over(tmp_path, outside):
    store = _saved(tmp_path / "data")
    progress = store.load(KINDS)
    store.save(progress)
    store.path.unlink()
    store.path.symlink_to(outside)
    progress.set(KINDS, "kinds", "text", "name", "Alex")
    with pytest.raises(StorageError, match="no longer a plain file"):
        store.save(progress)
    assert store.path.is_symlink(), "the link is left as it is"
    assert not store.backup_path.is_symlink()
    assert outside.read_bytes() == OUTSIDE and _mode(outside) == 0o644


def test_a_symlinked_bak_file_is_refused(tmp_path, outside):
    store = _saved(tmp_path / "data")
    store.backup_path.symlink_to(outside)
    with pytest.raises(StorageError, match="is a symbolic link") as caught:
        store.load(KINDS)
    assert str(store.backup_path) in str(caught.value)
    assert outside.read_bytes() == OUTSIDE


def test_a_symlinked_profile_folder_is_used_but_not_chmodded(tmp_path):
    """A profile folder the person put elsewhere (an encrypted volume, say) works; its
    permissions stay theirs. The files Safe Ground writes in it are still 0600."""
    elsewhere = tmp_path / "volume" / "answers"
    elsewhere.mkdir(parents=True)
    elsewhere.chmod(0o750)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "default").symlink_to(elsewhere)
    store = _saved(data_dir, "Sam")
    with store:
        pass
    assert _mode(elsewhere) == 0o750
    assert (elsewhere / "kinds.toml").is_file() and _mode(elsewhere / "kinds.toml") == 0o600
    assert _store(data_dir).load(KINDS).get("kinds", "text", "name") == "Sam"


# -- folders this account can't use ---------------------------------------------------------------


def test_a_profile_name_that_is_a_file_is_one_clear_sentence(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    notes = data_dir / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    notes.chmod(0o644)
    for args in (["status"], ["status", "--json"]):
        code, out, err = _cli(data_dir, "--profile", "notes.txt", *args)
        assert code == 1 and out == "", (out, err)
        assert f"{notes} is a file, not a folder" in err and "--profile NAME" in err
        assert err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(StorageError, match="is a file, not a folder"):
        _store(data_dir, "notes.txt").acquire_lock()
    assert notes.read_text(encoding="utf-8") == "my notes"
    assert _mode(notes) == 0o644, "never chmod a file we did not create"


async def test_a_profile_name_that_is_a_file_in_the_app(tmp_path):
    from safeground.screens.problem import ProblemScreen

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    notes = data_dir / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    notes.chmod(0o644)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK, profile="notes.txt", welcomed=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert f"{notes} is a file, not a folder" in str(app.screen.query_one("#problem-message").render())
    assert notes.read_text(encoding="utf-8") == "my notes" and _mode(notes) == 0o644


_AS_NOBODY = textwrap.dedent(
    """
    import asyncio, os, sys
    import gettext, locale, tomllib  # imported as root: this Python lives where 'nobody' cannot look
    from safeground import cli
    from safeground.app import SafeGroundApp
    from safeground.loader import load_workbook
    from safeground.storage import ProgressStore
    import textual.drivers.headless_driver, textual.drivers.linux_driver, textual.pilot  # likewise
    uid, gid, what = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    args = sys.argv[4:]
    cli.build_parser().parse_args(args)
    os.setgroups([]); os.setgid(gid); os.setuid(uid)
    if what == "cli":
        sys.exit(cli.main(args))

    async def run_app():
        workbook = load_workbook(args[1])
        app = SafeGroundApp(workbook, ProgressStore(args[3], "default", workbook.id), animate=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            print(type(app.screen).__name__)
            print(app.screen.query_one("#problem-message").render())

    asyncio.run(run_app())
    """
)


@pytest.fixture
def made_with_sudo():
    """A data folder whose profile folder root made (by one ``sudo safeground``), in a place
    'nobody' can reach (tmp_path's parents are private to root); yields (data_dir, nobody)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root: to make a folder owned by someone else, and to run as 'nobody'")
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' user")
    root = Path("/tmp") / f"sg-sudo-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    data_dir = root / "data"
    _saved(data_dir, "Sam")  # as root: the profile folder is root's, 0700
    for folder in (root, data_dir):
        folder.chmod(0o755)
    before = (data_dir / "default" / "kinds.toml").read_bytes()
    try:
        yield data_dir, nobody
        assert (data_dir / "default" / "kinds.toml").read_bytes() == before
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _as_nobody(nobody, what: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            _AS_NOBODY,
            str(nobody.pw_uid),
            str(nobody.pw_gid),
            what,
            "--workbook",
            str(KINDS_WORKBOOK),
            "--data-dir",
            str(data_dir),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(data_dir.parent), "SAFEGROUND_DATA_DIR": str(data_dir)},
    )


@pytest.mark.parametrize("command", [["status"], ["start-fresh", "--force"]])
def test_a_profile_folder_owned_by_root_on_the_command_line(made_with_sudo, command):
    data_dir, nobody = made_with_sudo
    result = _as_nobody(nobody, "cli", data_dir, *command)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert f"{data_dir / 'default'} belongs to root, not to your account (nobody)" in result.stderr
    assert f"sudo chown -R nobody {data_dir / 'default'}" in result.stderr


def test_a_profile_folder_owned_by_root_in_the_app(made_with_sudo):
    data_dir, nobody = made_with_sudo
    result = _as_nobody(nobody, "app", data_dir)
    assert result.returncode == 0, result.stderr
    screen, message = result.stdout.split("\n", 1)
    assert screen == "ProblemScreen"
    assert "belongs to root, not to your account (nobody)" in " ".join(message.split())


# -- edits made by hand while the app is open --------------------------------------------------------


def _edited_copies(store: ProgressStore) -> list[Path]:
    return sorted(store.profile_dir.glob("kinds.edited-*.toml"))


def test_a_hand_edit_is_kept_beside_the_file_before_the_next_save(tmp_path):
    store = _saved(tmp_path / "data", "Sam")
    progress = store.load(KINDS)
    progress.set(KINDS, "kinds", "text", "name", "Sam, from the app")
    assert store.save(progress) is None, "our own last save is not a hand edit"

    hand_edit = _valid_file("Sam, as I wrote it by hand")
    store.path.write_bytes(hand_edit)  # an editor writing in place, while the app has the file
    # Names already taken (this minute's and the next) are never written over.
    stamps = [datetime.now() + timedelta(minutes=m) for m in (0, 1)]
    taken = [store.profile_dir / f"kinds.edited-{s:%Y-%m-%dT%H%M}.toml" for s in stamps]
    for other in taken:
        other.write_bytes(b"someone else's")

    progress.set(KINDS, "kinds", "text", "name", "Sam, typed again")
    kept = store.save(progress)
    assert isinstance(kept, HandEditKept)
    assert kept.copy.read_bytes() == hand_edit, "the person's edit, byte for byte"
    assert _mode(kept.copy) == 0o600
    assert re.fullmatch(r"kinds\.edited-\d{4}-\d\d-\d\dT\d{4}-2\.toml", kept.copy.name), kept.copy.name
    assert all(other.read_bytes() == b"someone else's" for other in taken)
    assert str(kept.copy) in str(kept) and "changed outside Safe Ground" in str(kept)
    assert store.load(KINDS).get("kinds", "text", "name") == "Sam, typed again"

    # The next saves (the .bak turns over) make no more copies; the edit stays in its copy.
    progress.set(KINDS, "kinds", "text", "name", "Sam, once more")
    assert store.save(progress) is None and store.save(progress) is None
    assert _edited_copies(store) == sorted([kept.copy, *taken])
    assert kept.copy.read_bytes() == hand_edit


def test_the_bak_copied_back_while_open_is_a_hand_edit_too(tmp_path):
    store = _saved(tmp_path / "data", "first")
    progress = store.load(KINDS)
    progress.set(KINDS, "kinds", "text", "name", "second")
    store.save(progress)
    shutil.copyfile(store.backup_path, store.path)  # "to go back one save"
    kept = store.save(progress)
    assert kept is not None and b'name = "first"' in kept.copy.read_bytes()


def test_a_touched_file_is_not_a_hand_edit(tmp_path):
    store = _saved(tmp_path / "data")
    progress = store.load(KINDS)
    later = time.time() + 5
    os.utime(store.path, (later, later))
    assert store.save(progress) is None
    assert _edited_copies(store) == []


def test_a_file_made_while_open_where_there_was_none_is_kept(tmp_path):
    store = _store(tmp_path / "data")
    progress = store.load(KINDS)  # no file yet
    store.profile_dir.mkdir(parents=True)
    store.path.write_bytes(_valid_file("copied in from a backup"))
    progress.set(KINDS, "kinds", "text", "name", "typed")
    kept = store.save(progress)
    assert kept is not None and b"copied in from a backup" in kept.copy.read_bytes()


def test_the_saver_reports_a_kept_hand_edit_once(tmp_path):
    store = _saved(tmp_path / "data")
    store.load(KINDS)
    results = []
    saver = BackgroundSaver(store, lambda revision, error: results.append((revision, error)))
    try:
        saver.request(1, _valid_file("ours"))
        assert saver.flush(10)
        assert saver.take_notices() == []
        store.path.write_bytes(_valid_file("edited by hand"))
        saver.request(2, _valid_file("ours again"))
        assert saver.flush(10)
        notices = saver.take_notices()
        assert [n.copy.read_bytes() for n in notices] == [_valid_file("edited by hand")]
        assert saver.take_notices() == [], "each notice is given once"
        assert results == [(1, None), (2, None)], "keeping the edit is not a failed save"
    finally:
        saver.close()


async def test_the_app_keeps_a_hand_edit_and_says_where(tmp_path):
    data_dir = tmp_path / "data"
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    path = data_dir / "default" / "kinds.toml"
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"Sam")
        await settle(pilot, app)
        assert b'name = "Sam"' in path.read_bytes()

        hand_edit = path.read_bytes().replace(b'name = "Sam"', b'name = "Sam, edited in another window"')
        path.write_bytes(hand_edit)
        await pilot.press(*"!")
        await settle(pilot, app)
        await pilot.pause()
        copies = sorted(path.parent.glob("kinds.edited-*.toml"))
        assert len(copies) == 1 and copies[0].read_bytes() == hand_edit
        notices = [n.message for n in app._notifications]
        assert any(copies[0].name in message and "changed outside Safe Ground" in message for message in notices), (
            notices
        )
    assert b'name = "Sam!"' in path.read_bytes()
