"""Progress files on disk: atomic writes, backups, permissions, corrupt files, the profile lock."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from safeground.progress import Progress
from safeground.storage import (
    DATA_DIR_ENV,
    TEMP_PREFIX,
    ProfileLocked,
    ProgressFileError,
    ProgressStore,
    StorageError,
    atomic_write,
    check_profile_name,
    resolve_data_dir,
)


def _store(data_dir: Path, workbook, profile: str = "default") -> ProgressStore:
    return ProgressStore(data_dir, profile, workbook.id)


def _saved(data_dir: Path, workbook, name: str = "Sam", profile: str = "default") -> ProgressStore:
    store = _store(data_dir, workbook, profile)
    progress = Progress(workbook.id)
    progress.set(workbook, "first", "words", "name", name)
    store.save(progress)
    return store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- where files go --------------------------------------------------------------------------------


def test_one_file_per_profile_and_workbook(data_dir, mini_workbook):
    store = _saved(data_dir, mini_workbook)
    assert store.path == data_dir / "default" / "mini.toml"
    assert store.path.is_file()
    other = _saved(data_dir, mini_workbook, "Ana", profile="partner")
    assert other.path == data_dir / "partner" / "mini.toml"
    assert store.load(mini_workbook).get("first", "words", "name") == "Sam"
    assert other.load(mini_workbook).get("first", "words", "name") == "Ana"


def test_data_dir_override_then_environment_then_platform(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "given") == tmp_path / "given"
    assert resolve_data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv(DATA_DIR_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert resolve_data_dir(None) == tmp_path / "xdg" / "safeground"
    assert resolve_data_dir("~/answers") == Path.home() / "answers"


@pytest.mark.parametrize("name", ["default", "partner-2", "Ana", "a.b_c", "x" * 64, "Zoë"])
def test_good_profile_names(name):
    assert check_profile_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", ".", "..", "../escape", "a/b", "-dash", ".hidden", "x" * 65, "with space", "nul\x00", "abc\n", "abc\r\n"],
)
def test_bad_profile_names(name, data_dir):
    with pytest.raises(StorageError, match="profile name"):
        check_profile_name(name)
    with pytest.raises(StorageError):
        ProgressStore(data_dir, name, "mini")


def test_no_file_yet_means_fresh_progress(data_dir, mini_workbook):
    progress = _store(data_dir, mini_workbook).load(mini_workbook)
    assert progress.answers == {}
    assert progress.workbook_version == "2.0"
    assert not data_dir.exists(), "reading creates nothing"


# -- atomic writes and the backup ------------------------------------------------------------------


def test_the_previous_version_is_kept_as_bak(data_dir, mini_workbook):
    store = _saved(data_dir, mini_workbook, "first version")
    assert not store.backup_path.exists()
    first = store.path.read_bytes()
    progress = store.load(mini_workbook)
    progress.set(mini_workbook, "first", "words", "name", "second version")
    store.save(progress)
    assert store.backup_path.read_bytes() == first
    second = store.path.read_bytes()
    assert second != first
    progress.set(mini_workbook, "first", "words", "name", "third version")
    store.save(progress)
    assert store.backup_path.read_bytes() == second
    assert store.backup_path.name == "mini.toml.bak"
    assert sorted(p.name for p in store.profile_dir.iterdir()) == ["mini.toml", "mini.toml.bak"]


def _fail_on_final_rename(monkeypatch, target: Path):
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            raise OSError(errno.EIO, "simulated failure")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def _fail_always(monkeypatch, name: str):
    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device (simulated)")

    monkeypatch.setattr(os, name, fail)


@pytest.mark.parametrize("failure", ["fsync", "replace", "final-rename", "write"])
def test_a_failed_write_leaves_the_old_file_intact(data_dir, mini_workbook, monkeypatch, failure):
    store = _saved(data_dir, mini_workbook, "the old answer")
    progress = store.load(mini_workbook)
    progress.set(mini_workbook, "first", "words", "name", "the new answer")
    store.save(progress)  # so there is a .bak as well
    before = _folder_snapshot(store.profile_dir)
    progress.set(mini_workbook, "first", "words", "name", "an answer that never lands")

    if failure == "final-rename":
        _fail_on_final_rename(monkeypatch, store.path)
    elif failure == "write":  # the disk fills up half way through the new file
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, stream):
                self.stream = stream

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.stream.close()

            def write(self, data):
                self.stream.write(data[: len(data) // 2])
                self.stream.flush()
                raise OSError(errno.ENOSPC, "No space left on device (simulated)")

            def __getattr__(self, name):
                return getattr(self.stream, name)

        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k)))
    else:
        _fail_always(monkeypatch, failure)
    with pytest.raises(OSError):
        store.save(progress)
    monkeypatch.undo()

    after = _folder_snapshot(store.profile_dir)
    assert after["mini.toml"] == before["mini.toml"], "the progress file is byte-for-byte the same"
    assert not [name for name in after if name.startswith(TEMP_PREFIX)], f"temp files left: {sorted(after)}"
    assert store.load(mini_workbook).get("first", "words", "name") == "the new answer"
    # The answer is still in memory, and the next save works.
    store.save(progress)
    assert store.load(mini_workbook).get("first", "words", "name") == "an answer that never lands"


def test_atomic_write_leaves_no_temp_file_on_success(tmp_path):
    target = tmp_path / "file.toml"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert (tmp_path / "file.toml.bak").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.toml", "file.toml.bak"]


def test_stale_temp_files_from_a_killed_write_are_cleared(data_dir, mini_workbook):
    store = _saved(data_dir, mini_workbook)
    leftover = store.profile_dir / f"{TEMP_PREFIX}mini.toml.abc123"
    leftover.write_bytes(b"half a fi")
    unrelated = store.profile_dir / "notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    with store:
        pass
    assert not leftover.exists()
    assert unrelated.read_text(encoding="utf-8") == "mine"
    assert store.path.exists()


# -- permissions -----------------------------------------------------------------------------------


@pytest.fixture
def open_umask():
    previous = os.umask(0o000)
    yield
    os.umask(previous)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_folders_are_0700_and_files_0600_even_with_an_open_umask(tmp_path, mini_workbook, open_umask):
    data_dir = tmp_path / "deep" / "data"
    store = _saved(data_dir, mini_workbook)
    _saved(data_dir, mini_workbook, "again")  # makes the .bak
    with store:
        assert _mode(store.lock_path) == 0o600
    assert _mode(store.profile_dir) == 0o700
    assert _mode(data_dir) == 0o700, "the data folder Safe Ground created is private too"
    assert _mode(store.path) == 0o600
    assert _mode(store.backup_path) == 0o600
    moved = store.move_aside()
    assert _mode(moved) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_open_profile_folder_is_made_private(data_dir, mini_workbook, open_umask):
    (data_dir / "default").mkdir(parents=True, mode=0o777)
    assert _mode(data_dir / "default") == 0o777
    store = _saved(data_dir, mini_workbook)
    assert _mode(store.profile_dir) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_data_folder_the_person_chose_is_left_as_it_is(tmp_path, mini_workbook):
    chosen = tmp_path / "shared"
    chosen.mkdir()
    chosen.chmod(0o755)
    _saved(chosen, mini_workbook)
    assert _mode(chosen) == 0o755
    assert _mode(chosen / "default") == 0o700


def test_a_data_folder_that_cannot_be_created_is_a_clear_error(tmp_path, mini_workbook):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    store = _store(blocker / "data", mini_workbook)
    progress = Progress(mini_workbook.id)
    with pytest.raises(StorageError, match="is a file, not a folder") as caught:
        store.save(progress)
    assert str(caught.value).startswith(f"{blocker} is a file"), "names the file in the way"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# -- corrupt files ---------------------------------------------------------------------------------

_VALID = 'format = 1\nworkbook = "mini"\n\n[answers.first.words]\nname = "Sam"\n'

CORRUPT = {
    "truncated": (_VALID[: _VALID.index('"Sam"') + 3].encode(), "is not valid TOML", 5),
    # bytes 0..127 are ASCII, with one newline; 0x80 is where UTF-8 fails, on line 2.
    "random bytes": (bytes(range(256)) * 4, "is not UTF-8 text", bytes(range(128)).count(b"\n") + 1),
    "random text": (b"\x01\x02 lorem ipsum ]]]] = = =", "is not valid TOML", 1),
    "nul byte": (_VALID.replace("Sam", "S\x00m").encode(), "is not valid TOML", 5),
    "empty": (b"", "is empty", None),
    "only whitespace": (b"\n\n   \n", "is empty", None),
    "not our format": (b'title = "my shopping list"\n', "title: is not part of the progress format", 1),
    "no format": (b'workbook = "mini"\n', "format: is missing or not a whole number", None),
    "format 2": (b'format = 2\nworkbook = "mini"\n', "made by a newer Safe Ground", 1),
    "another workbook": (b'format = 1\nworkbook = "other"\n', "but this file belongs to workbook 'mini'", 2),
    "answers not a table": (b'format = 1\nworkbook = "mini"\nanswers = "lots"\n', "answers: must be a table", 3),
    "deeply nested": (b"format = 1\nx = " + b"[" * 5000, "nested too deeply", None),
}


#: Answers whose shape does not fit their question (a question whose kind changed, or a slip in a
#: hand edit): the file opens, the answer is kept as it is, and it is listed as orphaned.
MISFITS = {
    "text as number": (_VALID.replace('"Sam"', "42").encode(), "so its answer must be a string", 5),
    "choice as list": (
        b'format = 1\nworkbook = "mini"\n[answers.first.picks]\nmood = ["calm"]\n',
        "must be an option id",
        4,
    ),
    "checklist as text": (
        b'format = 1\nworkbook = "mini"\n[answers.first.picks]\nsigns = "warm"\n',
        "must be an array of option ids",
        4,
    ),
    "scale as text": (
        b'format = 1\nworkbook = "mini"\n\n[answers.first.numbers]\ncloseness = "four"\n',
        "must be a whole number",
        5,
    ),
    "statements as list": (
        b'format = 1\nworkbook = "mini"\n[answers.first.numbers]\nratings = [1, 2]\n',
        "must be a table of statement id",
        4,
    ),
    "list of numbers": (
        b'format = 1\nworkbook = "mini"\n[answers.second.items]\nthings = [1, 2]\n',
        "must be an array of strings",
        4,
    ),
}


@pytest.mark.parametrize("case", sorted(MISFITS))
def test_an_answer_of_the_wrong_shape_is_kept_not_an_error(data_dir, mini_workbook, case):
    content, _words, _line = MISFITS[case]
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    store.path.write_bytes(content)
    progress = store.load(mini_workbook)
    orphans = progress.orphans(mini_workbook)
    assert len(orphans) == 1 and "was written for a different kind of question" in orphans[0].reason
    store.save(progress)
    again = store.load(mini_workbook).orphans(mini_workbook)
    assert [(o.address, o.value) for o in again] == [(o.address, o.value) for o in orphans]


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_files_are_reported_and_left_intact(data_dir, mini_workbook, case):
    content, expected, line = CORRUPT[case]
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    store.path.write_bytes(content)
    for _ in range(2):
        with pytest.raises(ProgressFileError) as caught:
            store.load(mini_workbook)
        error = caught.value
        assert error.path == store.path
        assert str(store.path) in str(error)
        assert expected in str(error)
        assert error.line == line
        if line:
            assert f"{store.path}:{line}:" in str(error)
    assert store.path.read_bytes() == content
    assert sorted(p.name for p in store.profile_dir.iterdir()) == ["mini.toml"]


def test_a_folder_where_the_file_should_be(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    store.path.mkdir(parents=True)
    (store.path / "inside.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ProgressFileError, match="is a folder where the progress file should be") as caught:
        store.load(mini_workbook)
    assert caught.value.path == store.path
    assert (store.path / "inside.txt").read_text(encoding="utf-8") == "keep me"
    moved = store.move_aside()
    assert (moved / "inside.txt").read_text(encoding="utf-8") == "keep me"
    assert store.load(mini_workbook).answers == {}


def test_a_dangling_symlink_is_an_error_not_a_fresh_start(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    store.path.symlink_to(data_dir / "elsewhere.toml")
    with pytest.raises(ProgressFileError, match="is a symbolic link"):
        store.load(mini_workbook)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root can read a chmod 000 file, so there is no unreadable file to test with",
)
def test_an_unreadable_file(data_dir, mini_workbook):
    store = _saved(data_dir, mini_workbook)
    store.path.chmod(0)
    try:
        with pytest.raises(ProgressFileError, match="cannot be read"):
            store.load(mini_workbook)
    finally:
        store.path.chmod(0o600)


def test_a_huge_file_is_refused_without_reading_it(data_dir, mini_workbook, monkeypatch):
    import safeground.storage as storage

    store = _saved(data_dir, mini_workbook)
    monkeypatch.setattr(storage, "MAX_PROGRESS_BYTES", 10)
    with pytest.raises(ProgressFileError, match="too large to be a progress file"):
        store.load(mini_workbook)


def test_move_aside_keeps_every_byte(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    content = b"\xff\xfe not toml \x00 at all" + bytes(range(256))
    store.path.write_bytes(content)
    first = store.move_aside()
    assert first.read_bytes() == content
    assert first.parent == store.profile_dir
    assert first.name.startswith("mini.toml.broken-")
    assert not store.path.exists()
    # Twice in the same second: the second one gets its own name.
    store.path.write_bytes(b"second")
    second = store.move_aside()
    assert second != first
    assert first.read_bytes() == content and second.read_bytes() == b"second"
    # After moving aside, a fresh start saves normally, and the moved files stay.
    fresh = store.load(mini_workbook)
    fresh.set(mini_workbook, "first", "words", "name", "new")
    store.save(fresh)
    assert first.read_bytes() == content


def test_move_aside_with_nothing_there_is_a_clear_error(data_dir, mini_workbook):
    with pytest.raises(StorageError, match="cannot move"):
        _store(data_dir, mini_workbook).move_aside()


# -- the lock --------------------------------------------------------------------------------------

_HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from safeground.storage import ProgressStore
    store = ProgressStore(sys.argv[1], sys.argv[2], "mini")
    store.acquire_lock()
    print("locked", flush=True)
    time.sleep(60)
    """
)


def _hold_lock_in_a_subprocess(data_dir: Path, profile: str = "default") -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(data_dir), profile],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None  # both are pipes
    line = child.stdout.readline()
    if line.strip() != "locked":
        child.kill()
        raise AssertionError(f"the child did not take the lock: {line!r} {child.stderr.read()}")
    return child


def test_a_second_store_on_the_same_profile_is_refused(data_dir, mini_workbook):
    first = _store(data_dir, mini_workbook)
    second = _store(data_dir, mini_workbook)
    with first:
        assert first.locked
        with pytest.raises(ProfileLocked) as caught:
            second.acquire_lock()
        assert f"pid {os.getpid()}" in str(caught.value)
        assert "already open in another Safe Ground" in str(caught.value)
        assert "--profile NAME" in str(caught.value)
        assert not second.locked
        first.acquire_lock()  # taking it again in the same store is harmless
    assert not first.locked
    with second:
        assert second.locked


def test_the_lock_holds_across_processes(data_dir, mini_workbook):
    child = _hold_lock_in_a_subprocess(data_dir)
    try:
        store = _store(data_dir, mini_workbook)
        with pytest.raises(ProfileLocked) as caught:
            store.acquire_lock()
        assert caught.value.holder.pid == child.pid and f"pid {child.pid}" in str(caught.value)
        # A different profile is not affected.
        with _store(data_dir, mini_workbook, profile="partner") as other:
            assert other.locked
    finally:
        child.terminate()
        child.wait(10)


def test_a_lock_left_by_a_killed_process_does_not_lock_anyone_out(data_dir, mini_workbook):
    child = _hold_lock_in_a_subprocess(data_dir)
    store = _store(data_dir, mini_workbook)
    with pytest.raises(ProfileLocked):
        store.acquire_lock()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert store.lock_path.exists(), "the killed process left its lock file behind"
    assert f"pid {child.pid}" in store.lock_path.read_text(encoding="utf-8")
    deadline = time.monotonic() + 5
    while True:  # the kernel drops the lock as the process goes; allow it a moment
        try:
            store.acquire_lock()
            break
        except ProfileLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    assert store.locked
    assert f"pid {os.getpid()}" in store.lock_path.read_text(encoding="utf-8")
    store.release_lock()


def test_two_profiles_do_not_interfere(data_dir, mini_workbook):
    one = _saved(data_dir, mini_workbook, "one", profile="one")
    before = one.path.read_bytes()
    with _store(data_dir, mini_workbook, profile="one"), _store(data_dir, mini_workbook, profile="two") as two:
        progress = two.load(mini_workbook)
        progress.set(mini_workbook, "first", "words", "name", "two")
        two.save(progress)
        two.save(progress)
    assert one.path.read_bytes() == before
    assert not one.backup_path.exists()
    assert one.load(mini_workbook).get("first", "words", "name") == "one"
    assert _store(data_dir, mini_workbook, profile="two").load(mini_workbook).get("first", "words", "name") == "two"
