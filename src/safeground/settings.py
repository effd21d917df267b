"""Per-profile settings: whether the welcome note was shown, the chosen theme, and the region
whose support lines to show (two-letter code, or "other"; "" until the person chooses).

Kept in ``<data dir>/<profile>/settings.toml``, written atomically like answers. Settings are a
convenience: a missing or unreadable settings file never stops anyone from reaching their answers,
it just means defaults (and the welcome note once more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from safeground import tomlparse
from safeground.storage import atomic_write, make_private_dir

SETTINGS_FILE = "settings.toml"


@dataclass
class Settings:
    welcomed: bool = False
    theme: str = ""
    region: str = ""

    @classmethod
    def load(cls, profile_dir: Path) -> Settings:
        try:
            data = tomlparse.loads((profile_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomlparse.TOMLDecodeError):
            return cls()
        welcomed = data.get("welcomed", False)
        theme = data.get("theme", "")
        region = data.get("region", "")
        return cls(
            welcomed=welcomed if isinstance(welcomed, bool) else False,
            theme=theme if isinstance(theme, str) else "",
            # Only what a region code can be: the file is ours, but anyone can edit it.
            region=region if isinstance(region, str) and re.fullmatch("[a-z]{2}|other", region) else "",
        )

    def save(self, profile_dir: Path) -> None:
        """Write the settings; raises OSError for the caller to report (they are not answers)."""
        import tomli_w

        make_private_dir(profile_dir)
        document = {"welcomed": self.welcomed, "theme": self.theme, "region": self.region}
        atomic_write(profile_dir / SETTINGS_FILE, tomli_w.dumps(document).encode("utf-8"), keep_backup=False)
