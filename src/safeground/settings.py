"""Per-profile settings: whether the welcome note was shown, and the chosen theme.

Kept in ``<data dir>/<profile>/settings.toml``, written atomically like answers. Settings are a
convenience: a missing or unreadable settings file never stops anyone from reaching their answers,
it just means defaults (and the welcome note once more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from safeground import tomlparse
from safeground.storage import atomic_write, make_private_dir

SETTINGS_FILE = "settings.toml"


@dataclass
class Settings:
    welcomed: bool = False
    theme: str = ""
    #: The one-time notes already shown ("share", "compare": the safety note before each).
    notes_seen: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, profile_dir: Path) -> Settings:
        try:
            data = tomlparse.loads((profile_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomlparse.TOMLDecodeError):
            return cls()
        welcomed = data.get("welcomed", False)
        theme = data.get("theme", "")
        seen = data.get("notes_seen", [])
        return cls(
            welcomed=welcomed if isinstance(welcomed, bool) else False,
            theme=theme if isinstance(theme, str) else "",
            notes_seen=[n for n in seen if isinstance(n, str)] if isinstance(seen, list) else [],
        )

    def save(self, profile_dir: Path) -> None:
        """Write the settings; raises OSError for the caller to report (they are not answers)."""
        import tomli_w

        make_private_dir(profile_dir)
        document = {"welcomed": self.welcomed, "theme": self.theme, "notes_seen": self.notes_seen}
        atomic_write(profile_dir / SETTINGS_FILE, tomli_w.dumps(document).encode("utf-8"), keep_backup=False)
