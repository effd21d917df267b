"""The ``lock``, ``unlock`` and ``change-passphrase`` commands: a passphrase for one profile.

Locking seals every file of the profile's folder (progress files, their ``.bak``, files set aside,
settings) with one key derived from the passphrase (see :mod:`safeground.vault`); unlocking writes
them back as plain TOML; changing the passphrase seals them again under a new key and a new salt.
Each file is replaced by the same atomic write answers always use, and the profile's OS lock is
held throughout, so a Safe Ground open on it meanwhile can't write between two files.

The passphrase is read without echo from the terminal, asked twice when it is set; from a pipe,
one line each (the current passphrase first, then the new one). Never from the environment or the
command line, never stored. No Textual here.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from safeground import vault
from safeground.cli_support import PROG, Asker, CommandError, ask_passphrase, load_progress, open_store, profile_flag
from safeground.loader import load_workbook
from safeground.settings import Settings
from safeground.storage import SETTINGS_FILE, TEMP_PREFIX, ProgressStore, atomic_write
from safeground.untrusted import for_terminal

FORGOTTEN = (
    "A passphrase can't be recovered by anyone if it is forgotten: not by you, not by the makers of "
    "Safe Ground, not by anybody else. Without it, these answers can never be opened again."
)


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the three commands; ``command(name, summary)`` returns a new subparser."""
    command("lock", "protect this profile's answers with a passphrase (they are encrypted on disk)").set_defaults(
        handler=lock
    )
    command("unlock", "remove the passphrase: the answers are stored unencrypted again").set_defaults(handler=unlock)
    command("change-passphrase", "choose a new passphrase for a locked profile").set_defaults(handler=change_passphrase)


def lock(args: argparse.Namespace, *, ask: Asker = ask_passphrase, params: vault.KdfParams | None = None) -> int:
    """``params`` is the key derivation's cost (the default, unless a test passes a cheaper one)."""
    store = open_store(args, load_workbook(args.workbook).id)
    if store.profile_locked():
        raise CommandError(
            f"this profile is already locked. To choose a new passphrase: {PROG} change-passphrase{profile_flag(args)}"
        )
    load_progress(args, ask=None)  # a progress file that can't be read stops here, untouched
    print(FORGOTTEN)
    if not _go_on_after_export_offer(args):
        return 1
    new = _new_passphrase(ask)
    with store:
        key = vault.Key.new(new, params)
        count = _reseal(store, None, key)
    print(f"Locked: {count} file(s) in {for_terminal(str(store.profile_dir))} are encrypted with your passphrase.")
    print("Safe Ground will ask for it each time your answers are opened.")
    return 0


def unlock(args: argparse.Namespace, *, ask: Asker = ask_passphrase) -> int:
    store = _locked_store(args, ask)
    with store:
        count = _reseal(store, store.key, None)
    store.forget_key()
    print(f"Unlocked: {count} file(s) are stored without encryption again; no passphrase will be asked.")
    return 0


def change_passphrase(
    args: argparse.Namespace, *, ask: Asker = ask_passphrase, params: vault.KdfParams | None = None
) -> int:
    store = _locked_store(args, ask)
    print(FORGOTTEN)
    new = _new_passphrase(ask)
    with store:
        key = vault.Key.new(new, params)
        _reseal(store, store.key, key)
    store.forget_key()
    key.forget()
    print("Your passphrase is changed; the old one no longer opens these answers.")
    return 0


def _locked_store(args: argparse.Namespace, ask: Asker) -> ProgressStore:
    store = open_store(args, load_workbook(args.workbook).id, ask=ask)
    if store.key is None:
        raise CommandError(f"this profile has no passphrase. To set one: {PROG} lock{profile_flag(args)}")
    return store


def _go_on_after_export_offer(args: argparse.Namespace) -> bool:
    """Offer to save a readable copy first; on a pipe there is no one to ask, so go on."""
    export = f"{PROG} export --include-drafts --include-private{profile_flag(args)} -o my-answers.txt"
    if not sys.stdin.isatty():
        print(f"A copy you can read without it can be saved first with: {export}")
        return True
    reply = input("Save a copy of your answers first, to keep somewhere safe? [y/N] ").strip().lower()
    if reply in ("y", "yes"):
        print(f"Nothing was changed. Save your copy with:\n  {export}\nthen run '{PROG} lock' again.")
        return False
    return True


def _new_passphrase(ask: Asker) -> str:
    new = ask("New passphrase: ")
    if not new:
        raise CommandError("an empty passphrase protects nothing; nothing was changed")
    if sys.stdin.isatty() and ask("The same passphrase again: ") != new:
        raise CommandError("the two passphrases were not the same; nothing was changed")
    return new


def profile_files(store: ProgressStore) -> list[Path]:
    """Every file the profile keeps: progress files, .bak, files set aside, settings; not the
    lock files and not a temp file of a write in progress. Links are not ours and are left."""
    found = []
    for entry in os.scandir(store.profile_dir):
        if entry.name.startswith(TEMP_PREFIX) or entry.name.endswith(".lock"):
            continue
        if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
            found.append(Path(entry.path))
    return sorted(found, key=lambda path: path == store.path)  # the progress file last


def _reseal(store: ProgressStore, old: vault.Key | None, new: vault.Key | None) -> int:
    """Write every file of the profile again, opened with ``old`` and sealed with ``new`` (None:
    plain). Every file is opened before any is written: one that can't be stops it all, with
    nothing changed. The settings file is made when missing: it marks a profile with no answers
    yet as locked. The progress file is written last."""
    contents = []
    for path in profile_files(store):
        raw = path.read_bytes()
        if vault.is_sealed(raw):
            if old is None:
                raise CommandError(f"{for_terminal(str(path))} is already sealed; nothing was changed")
            try:
                raw = old.open(raw)
            except vault.VaultError as error:
                raise CommandError(
                    f"{for_terminal(str(path))} can't be decrypted ({error}); nothing was changed"
                ) from None
        contents.append((path, raw))
    if new is not None and not any(path.name == SETTINGS_FILE for path, _ in contents):
        contents.insert(0, (store.settings_path, Settings().to_bytes()))
    for path, plain in contents:
        atomic_write(path, new.seal(plain) if new is not None else plain, keep_backup=False)
    return len(contents)
