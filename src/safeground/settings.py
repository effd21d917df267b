"""Per-profile settings: whether the welcome note was shown, the chosen theme, the region whose
support lines to show (two-letter code, or "other"; "" until the person chooses), and how soon the
app locks itself when nobody types (for a profile locked with a passphrase).

Kept in ``<data dir>/<profile>/settings.toml``, written atomically like answers, and sealed with the
profile's key when the profile is locked (it also tells that the profile is locked when there are
no answers yet). Settings are a convenience: a missing or unreadable settings file never stops
anyone from reaching their answers, it just means defaults (and the welcome note once more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from safeground import tomlparse, vault
from safeground.storage import SETTINGS_FILE, StorageError, atomic_write, make_private_dir

#: Minutes without a key before a locked profile's app locks itself; 0 never.
DEFAULT_LOCK_AFTER = 5


@dataclass
class Settings:
    welcomed: bool = False
    theme: str = ""
    region: str = ""
    lock_after: int = DEFAULT_LOCK_AFTER
    #: The one-time notes already shown ("share", "compare": the safety note before each).
    notes_seen: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, profile_dir: Path, key: vault.Key | None = None) -> Settings:
        """The settings; defaults when the file is missing, unreadable, or sealed and ``key`` is
        None (the profile is still locked)."""
        try:
            raw = (profile_dir / SETTINGS_FILE).read_bytes()
            if vault.is_sealed(raw):
                if key is None:
                    return cls()
                raw = key.open(raw)
            data = tomlparse.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomlparse.TOMLDecodeError, vault.VaultError):
            return cls()
        welcomed = data.get("welcomed", False)
        theme = data.get("theme", "")
        region = data.get("region", "")
        lock_after = data.get("lock_after_minutes", DEFAULT_LOCK_AFTER)
        seen = data.get("notes_seen", [])
        return cls(
            welcomed=welcomed if isinstance(welcomed, bool) else False,
            theme=theme if isinstance(theme, str) else "",
            # Only what a region code can be: the file is ours, but anyone can edit it.
            region=region if isinstance(region, str) and re.fullmatch("[a-z]{2}|other", region) else "",
            lock_after=lock_after if type(lock_after) is int and 0 <= lock_after <= 24 * 60 else DEFAULT_LOCK_AFTER,
            notes_seen=[n for n in seen if isinstance(n, str)] if isinstance(seen, list) else [],
        )

    def to_bytes(self) -> bytes:
        import tomli_w

        document = {
            "welcomed": self.welcomed,
            "theme": self.theme,
            "region": self.region,
            "lock_after_minutes": self.lock_after,
            "notes_seen": self.notes_seen,
        }
        return tomli_w.dumps(document).encode("utf-8")

    def save(self, profile_dir: Path, key: vault.Key | None = None) -> None:
        """Write the settings (sealed with ``key`` when given); raises OSError or StorageError for
        the caller to report (they are not answers). A sealed settings file is never replaced by
        a plain one."""
        make_private_dir(profile_dir)
        path = profile_dir / SETTINGS_FILE
        data = self.to_bytes()
        if key is not None:
            data = key.seal(data)
        elif _sealed(path):
            raise StorageError(f"{path} is locked with a passphrase; unlock it before saving")
        atomic_write(path, data, keep_backup=False)


def _sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return vault.is_sealed(stream.read(len(vault.MAGIC)))
    except OSError:
        return False
