"""The passphrase lock, in process: the sealed format, the store and settings, and the commands.

Keys here are derived with tiny Argon2id settings passed in (``FAST``), so each test takes
milliseconds; tests/test_lock_process.py runs the real defaults end to end.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import tempfile
from pathlib import Path

import pytest

from safeground import vault
from safeground.cli import build_parser, main
from safeground.cli_support import CommandError
from safeground.loader import load_workbook
from safeground.lock_commands import change_passphrase, lock, unlock
from safeground.progress import Progress
from safeground.settings import Settings
from safeground.storage import NeedsPassphrase, ProgressFileError, ProgressStore, StorageError

FAST = vault.KdfParams(vault.KDF_ARGON2ID, 8, 1, 1)
PROBE = "pebble-lantern-4417"


def fill(store: ProgressStore, workbook, text: str = PROBE) -> Progress:
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, "first", "words", "name", text)
    store.save(progress)
    return progress


def holds_probe(*folders: Path) -> list[Path]:
    """Every file under ``folders`` whose bytes hold the probe answer."""
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root, name)
                try:
                    if PROBE.encode() in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def scan_places(data_dir: Path) -> list[Path]:
    places = [data_dir, Path(tempfile.gettempdir())]
    return places + ([Path("/dev/shm")] if os.path.isdir("/dev/shm") else [])


@pytest.fixture(autouse=True)
def own_tmpdir(tmp_path, monkeypatch):
    """Temp files go to a folder of the test's own, which is then scanned whole."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def stdin_lines(monkeypatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))


def args_for(mini_dir: Path, data_dir: Path, *command: str):
    return build_parser().parse_args(["--workbook", str(mini_dir), "--data-dir", str(data_dir), *command])


def pipe_ask(prompt: str) -> str:
    from safeground.cli_support import ask_passphrase

    return ask_passphrase(prompt)


# -- the sealed format ------------------------------------------------------------------------


def test_sealed_file_has_the_documented_header_and_opens_again():
    key = vault.Key.new("correct horse", FAST)
    sealed = key.seal(b"answers = 1\n")
    magic, version, kdf, memory, iterations, lanes = struct.unpack_from(">8sBBIII", sealed)
    assert (magic, version, kdf, memory, iterations, lanes) == (vault.MAGIC, 1, vault.KDF_ARGON2ID, 8, 1, 1)
    assert sealed[22:38] == key.salt
    assert len(sealed) == 66 + len(b"answers = 1\n") + 16
    assert vault.Key.unlock(sealed, "correct horse").open(sealed) == b"answers = 1\n"
    # A fresh nonce per write, a fresh salt per passphrase set.
    assert key.seal(b"x")[54:66] != key.seal(b"x")[54:66]
    assert vault.Key.new("correct horse", FAST).salt != key.salt


def test_the_file_opens_with_the_standard_primitives_alone():
    """What docs/progress-format.md tells another tool to do, done with cryptography directly."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    sealed = vault.Key.new("pass", FAST).seal(b"hello")
    memory, iterations, lanes = struct.unpack_from(">III", sealed, 10)
    salt, nonce = sealed[22:38], sealed[54:66]
    derived = Argon2id(salt=salt, length=64, iterations=iterations, lanes=lanes, memory_cost=memory).derive(b"pass")
    assert AESGCM(derived[:32]).decrypt(nonce, sealed[66:], sealed[:66]) == b"hello"


def test_wrong_passphrase_and_damage_are_told_apart():
    sealed = vault.Key.new("right", FAST).seal(b"secret words")
    with pytest.raises(vault.WrongPassphrase):
        vault.Key.unlock(sealed, "wrong")
    key = vault.Key.unlock(sealed, "right")
    flipped = bytearray(sealed)
    flipped[70] ^= 0x01
    with pytest.raises(vault.CannotDecrypt, match="damaged"):
        key.open(bytes(flipped))
    with pytest.raises(vault.CannotDecrypt, match="cut short"):
        vault.Key.unlock(sealed[:40], "right")
    with pytest.raises(vault.CannotDecrypt):
        key.open(sealed[:-3])
    # The header is authenticated: a nonce changed in it fails as damage, never decrypts wrongly.
    changed = bytearray(sealed)
    changed[60] ^= 0x80
    with pytest.raises(vault.CannotDecrypt):
        key.open(bytes(changed))


def test_a_file_from_this_version_still_opens_after_a_header_version_bump(monkeypatch):
    """A later Safe Ground writes version 2 (here: one more byte in its header) and keeps the
    version 1 reader: a file sealed today opens there, and is written back in version 2."""
    old_file = vault.Key.new("pass", FAST).seal(b"written today")

    def read_v2(data: bytes):
        header = vault.READERS[1](data[:9] + data[10:])  # v2 = v1 with a flags byte after the version
        return vault.Header(2, header.params, header.salt, header.check, header.nonce, data[:67])

    def write_v2(params, salt, check, nonce):
        v1 = vault.WRITERS[1](params, salt, check, nonce)
        return v1[:8] + bytes([2, 0]) + v1[9:]

    monkeypatch.setitem(vault.READERS, 2, read_v2)
    monkeypatch.setitem(vault.WRITERS, 2, write_v2)
    monkeypatch.setattr(vault, "FORMAT_VERSION", 2)
    key = vault.Key.unlock(old_file, "pass")
    assert key.open(old_file) == b"written today"
    new_file = vault.Key(bytes(64), FAST, key.salt, version=2).seal(b"written later")
    assert new_file[8] == 2
    assert vault.Key(bytes(64), FAST, key.salt, version=2).open(new_file) == b"written later"


def test_a_file_from_a_newer_version_says_so():
    sealed = bytearray(vault.Key.new("pass", FAST).seal(b"x"))
    sealed[8] = 99
    with pytest.raises(vault.NewerFormat, match="newer Safe Ground"):
        vault.Key.unlock(bytes(sealed), "pass")


def test_a_hostile_header_cannot_ask_for_gigabytes():
    sealed = bytearray(vault.Key.new("pass", FAST).seal(b"x"))
    struct.pack_into(">I", sealed, 10, 0xFFFFFFFF)
    with pytest.raises(vault.CannotDecrypt, match="header is damaged"):
        vault.Key.unlock(bytes(sealed), "pass")


def test_scrypt_where_argon2id_is_missing(monkeypatch):
    monkeypatch.setattr(vault, "argon2id_available", lambda: False)
    assert vault.default_params() == vault.SCRYPT_DEFAULT == vault.KdfParams(vault.KDF_SCRYPT, 17, 8, 1)
    small = vault.KdfParams(vault.KDF_SCRYPT, 4, 8, 1)
    sealed = vault.Key.new("pass", small).seal(b"scrypt")
    assert sealed[9] == vault.KDF_SCRYPT
    assert vault.Key.unlock(sealed, "pass").open(sealed) == b"scrypt"


def test_defaults_meet_owasp_minimums():
    assert vault.ARGON2ID_DEFAULT.a >= 19 * 1024 and vault.ARGON2ID_DEFAULT.b >= 2


def test_forgotten_key_can_neither_read_nor_write():
    key = vault.Key.new("pass", FAST)
    sealed = key.seal(b"x")
    key.forget()
    with pytest.raises(vault.VaultError):
        key.seal(b"y")
    with pytest.raises(vault.VaultError):
        key.open(sealed)


# -- the store and settings -------------------------------------------------------------------


def locked_store(data_dir: Path, workbook, passphrase: str = "pass") -> ProgressStore:
    store = ProgressStore(data_dir, "default", workbook.id)
    store.key = vault.Key.new(passphrase, FAST)
    Settings(welcomed=True).save(store.profile_dir, store.key)
    return store


def test_a_locked_store_writes_nothing_readable(data_dir, mini_workbook):
    store = locked_store(data_dir, mini_workbook)
    fill(store, mini_workbook, PROBE + "-old")
    fill(store, mini_workbook)
    assert store.backup_path.exists()
    assert holds_probe(*scan_places(data_dir)) == []
    # Another process, or the next start: locked until the passphrase is given.
    again = ProgressStore(data_dir, "default", mini_workbook.id)
    assert again.needs_passphrase()
    with pytest.raises(NeedsPassphrase):
        again.load(mini_workbook)
    with pytest.raises(vault.WrongPassphrase):
        again.unlock("Pass")
    again.unlock("pass")
    assert again.load(mini_workbook).get("first", "words", "name") == PROBE
    assert Settings.load(again.profile_dir, again.key).welcomed
    assert not Settings.load(again.profile_dir).welcomed  # without the key: defaults, nothing read


def test_without_the_key_a_sealed_file_is_never_written_over(data_dir, mini_workbook):
    store = locked_store(data_dir, mini_workbook)
    fill(store, mini_workbook)
    before = store.path.read_bytes()
    store.forget_key()
    with pytest.raises(StorageError, match="locked with a passphrase"):
        store.save(Progress(mini_workbook.id, mini_workbook.version))
    with pytest.raises(StorageError, match="locked with a passphrase"):
        Settings().save(store.profile_dir)
    assert store.path.read_bytes() == before


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_sealed_file_is_kept_byte_for_byte(data_dir, mini_workbook, damage):
    store = locked_store(data_dir, mini_workbook)
    fill(store, mini_workbook)
    raw = bytearray(store.path.read_bytes())
    if damage == "flip":
        raw[80] ^= 0x20
    else:
        del raw[100:]
    store.path.write_bytes(bytes(raw))
    again = ProgressStore(data_dir, "default", mini_workbook.id)
    again.unlock("pass")
    with pytest.raises(ProgressFileError, match="can't be decrypted"):
        again.load(mini_workbook)
    assert store.path.read_bytes() == bytes(raw)


def test_a_failed_save_leaves_no_plaintext(data_dir, mini_workbook):
    from safeground.autosave import BackgroundSaver

    store = locked_store(data_dir, mini_workbook)
    fill(store, mini_workbook, "first version")

    def failing(path, data):  # the disk fills up after the temp file was half written
        (path.parent / ".tmp-half").write_bytes(data[:50])
        raise OSError(28, "No space left on device")

    saver = BackgroundSaver(store)
    progress = Progress(mini_workbook.id, mini_workbook.version)
    progress.set(mini_workbook, "first", "words", "name", PROBE)
    import safeground.autosave as autosave

    real = autosave.atomic_write
    autosave.atomic_write = failing
    try:
        from safeground.autosave import serialize

        saver.request(1, serialize(progress))
        assert not saver.flush()
        assert saver.last_error is not None
    finally:
        autosave.atomic_write = real
        saver.close()
    assert holds_probe(*scan_places(data_dir)) == []


def test_answers_exported_when_the_folder_fails_stay_sealed(data_dir, mini_workbook, tmp_path):
    from safeground.session import Session

    store = locked_store(data_dir, mini_workbook)
    progress = fill(store, mini_workbook)
    Session(mini_workbook, store, progress).export_unsaved(tmp_path / "elsewhere.toml")
    assert vault.is_sealed((tmp_path / "elsewhere.toml").read_bytes())


# -- the commands -----------------------------------------------------------------------------


def test_lock_status_unlock_and_change(data_dir, mini_dir, monkeypatch, capsys):
    workbook = load_workbook(mini_dir)
    store = ProgressStore(data_dir, "default", workbook.id)
    fill(store, workbook, PROBE + "-before")
    fill(store, workbook)
    aside = store.path.with_name(store.path.name + ".broken-20250101-000000")
    aside.write_text(f'note = "{PROBE}"\n')

    stdin_lines(monkeypatch, "first pass")
    assert lock(args_for(mini_dir, data_dir, "lock"), ask=pipe_ask, params=FAST) == 0
    out = capsys.readouterr().out
    assert "can't be recovered by anyone" in out and "export" in out
    for path in (store.path, store.backup_path, aside, store.settings_path):
        assert vault.is_sealed(path.read_bytes()), path
    assert holds_probe(*scan_places(data_dir)) == []

    # Every way in asks: status with the right passphrase works, with a wrong one exits 1.
    stdin_lines(monkeypatch, "first pass")
    assert main(["--workbook", str(mini_dir), "status"]) == 0
    assert "1/3 pages" in capsys.readouterr().out
    before = {path: path.read_bytes() for path in store.profile_dir.iterdir()}
    for command in (["status"], ["export"], ["export", "--include-drafts", "-o", str(data_dir / "x.txt")]):
        stdin_lines(monkeypatch, "not it")
        assert main(["--workbook", str(mini_dir), *command]) == 1
        assert "doesn't open these answers" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in store.profile_dir.iterdir()} == before

    stdin_lines(monkeypatch, "first pass", "second pass")
    assert change_passphrase(args_for(mini_dir, data_dir, "change-passphrase"), ask=pipe_ask, params=FAST) == 0
    stdin_lines(monkeypatch, "first pass")
    with pytest.raises(CommandError):
        unlock(args_for(mini_dir, data_dir, "unlock"), ask=pipe_ask)

    stdin_lines(monkeypatch, "second pass")
    assert unlock(args_for(mini_dir, data_dir, "unlock"), ask=pipe_ask) == 0
    assert PROBE in store.path.read_text() and PROBE in aside.read_text()
    assert not store.profile_locked()
    assert main(["--workbook", str(mini_dir), "status"]) == 0  # no passphrase asked any more


def test_lock_twice_and_unlock_unlocked_say_what_to_do(data_dir, mini_dir, monkeypatch):
    with pytest.raises(CommandError, match="has no passphrase"):
        unlock(args_for(mini_dir, data_dir, "unlock"), ask=pipe_ask)
    stdin_lines(monkeypatch, "p")
    assert lock(args_for(mini_dir, data_dir, "lock"), ask=pipe_ask, params=FAST) == 0  # no answers yet
    store = ProgressStore(data_dir, "default", load_workbook(mini_dir).id)
    assert store.profile_locked() and store.needs_passphrase()
    with pytest.raises(CommandError, match="already locked"):
        lock(args_for(mini_dir, data_dir, "lock"), ask=pipe_ask, params=FAST)


def test_an_empty_passphrase_is_refused(data_dir, mini_dir, monkeypatch):
    stdin_lines(monkeypatch, "")
    with pytest.raises(CommandError, match="empty passphrase"):
        lock(args_for(mini_dir, data_dir, "lock"), ask=pipe_ask, params=FAST)
    assert not ProgressStore(data_dir, "default", load_workbook(mini_dir).id).profile_locked()


def test_a_terminal_asks_twice_and_offers_an_export_first(data_dir, mini_dir, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked = iter(["one", "two"])
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    with pytest.raises(CommandError, match="not the same"):
        lock(args_for(mini_dir, data_dir, "lock"), ask=lambda prompt: next(asked), params=FAST)
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert lock(args_for(mini_dir, data_dir, "lock"), ask=lambda prompt: "unused", params=FAST) == 1
    assert "Nothing was changed" in capsys.readouterr().out
    assert not ProgressStore(data_dir, "default", load_workbook(mini_dir).id).profile_locked()


def test_a_damaged_locked_file_is_reported_kept_and_can_be_set_aside(data_dir, mini_dir, monkeypatch, capsys):
    workbook = load_workbook(mini_dir)
    store = ProgressStore(data_dir, "default", workbook.id)
    fill(store, workbook)
    stdin_lines(monkeypatch, "pass")
    assert lock(args_for(mini_dir, data_dir, "lock"), ask=pipe_ask, params=FAST) == 0
    damaged = bytearray(store.path.read_bytes())
    damaged[-5] ^= 0x04
    store.path.write_bytes(bytes(damaged))
    capsys.readouterr()
    stdin_lines(monkeypatch, "pass")
    assert main(["--workbook", str(mini_dir), "status"]) == 1
    err = capsys.readouterr().err
    assert "can't be decrypted" in err and "start-fresh" in err
    assert store.path.read_bytes() == bytes(damaged)
    stdin_lines(monkeypatch, "pass")
    assert main(["--workbook", str(mini_dir), "start-fresh"]) == 0
    (moved,) = store.profile_dir.glob("mini.toml.broken-*")
    assert moved.read_bytes() == bytes(damaged)


def test_a_locked_file_cut_short_is_reported_without_asking(data_dir, mini_dir, monkeypatch, capsys):
    workbook = load_workbook(mini_dir)
    store = locked_store(data_dir, workbook)
    fill(store, workbook)
    store.path.write_bytes(store.path.read_bytes()[:20])
    store.settings_path.unlink()
    monkeypatch.setattr(sys, "stdin", io.StringIO("never read\n"))
    assert main(["--workbook", str(mini_dir), "status"]) == 1
    assert "can't be decrypted: it is cut short" in capsys.readouterr().err
    assert sys.stdin.read() == "never read\n"
    with pytest.raises(ProgressFileError, match="cut short"):
        ProgressStore(data_dir, "default", workbook.id).load(workbook)
