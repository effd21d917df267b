"""Finding a Unicode TrueType font for the PDF on this system.

In order: ``$SAFEGROUND_FONT`` (a ``.ttf`` file, or ``builtin`` for the PDF's built-in Helvetica),
then DejaVu Sans, Noto Sans, Liberation Sans and Arial, each through fontconfig (``fc-match``)
when it is installed and at the usual paths otherwise. Regular, bold, italic and bold italic files
are used when the family has them. Color emoji come from Noto Color Emoji when it is installed
(``$SAFEGROUND_EMOJI_FONT`` names another file, or ``none``).

Nothing here imports fpdf.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FONT_ENV = "SAFEGROUND_FONT"
EMOJI_FONT_ENV = "SAFEGROUND_EMOJI_FONT"
#: Values of $SAFEGROUND_FONT that ask for the built-in (Latin-only) font.
BUILTIN = ("builtin", "core", "helvetica")
FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")
STYLES = ("", "B", "I", "BI")
_FC_STYLE = {"": "regular", "B": "bold", "I": "italic", "BI": "bold:italic"}

_FOLDERS = (
    "/usr/share/fonts/truetype/{debian}",
    "/usr/share/fonts/{debian}",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
#: family -> (Debian folder name, {style: file names})
_KNOWN: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "DejaVu Sans": (
        "dejavu",
        {
            "": ("DejaVuSans.ttf",),
            "B": ("DejaVuSans-Bold.ttf",),
            "I": ("DejaVuSans-Oblique.ttf",),
            "BI": ("DejaVuSans-BoldOblique.ttf",),
        },
    ),
    "Noto Sans": (
        "noto",
        {
            "": ("NotoSans-Regular.ttf",),
            "B": ("NotoSans-Bold.ttf",),
            "I": ("NotoSans-Italic.ttf",),
            "BI": ("NotoSans-BoldItalic.ttf",),
        },
    ),
    "Liberation Sans": (
        "liberation",
        {
            "": ("LiberationSans-Regular.ttf",),
            "B": ("LiberationSans-Bold.ttf",),
            "I": ("LiberationSans-Italic.ttf",),
            "BI": ("LiberationSans-BoldItalic.ttf",),
        },
    ),
    "Arial": (
        "msttcorefonts",
        {
            "": ("Arial.ttf", "arial.ttf"),
            "B": ("Arial Bold.ttf", "Arial_Bold.ttf", "arialbd.ttf"),
            "I": ("Arial Italic.ttf", "Arial_Italic.ttf", "ariali.ttf"),
            "BI": ("Arial Bold Italic.ttf", "Arial_Bold_Italic.ttf", "arialbi.ttf"),
        },
    ),
}
_EMOJI_FILES = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
    "~/.local/share/fonts/NotoColorEmoji.ttf",
)


@dataclass(frozen=True)
class FontFiles:
    """A font family's files by style: ``""`` regular, ``"B"``, ``"I"``, ``"BI"``."""

    family: str
    files: dict[str, Path]

    @property
    def regular(self) -> Path:
        return self.files[""]

    def file(self, style: str) -> Path:
        """The file for ``style``, or the nearest one the family has (bold italic → bold → regular)."""
        for candidate in (style, style.replace("I", ""), style.replace("B", ""), ""):
            if candidate in self.files:
                return self.files[candidate]
        return self.regular


@dataclass(frozen=True)
class FontChoice:
    """What the PDF will use: a Unicode text font (or None for the built-in one) and an emoji font."""

    text: FontFiles | None
    emoji: Path | None
    #: Why the built-in font is used, when it is.
    reason: str = ""


def _usable(path: Path) -> bool:
    return path.suffix.lower() == ".ttf" and path.is_file()


def _fc_match(family: str, style: str) -> Path | None:
    """The file fontconfig picks for ``family`` in ``style``, if it really is that family."""
    if not shutil.which("fc-match"):
        return None
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family[0]}\\n%{file}\\n%{style[0]}", f"{family}:{_FC_STYLE[style]}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2:
        return None
    found_family, file = lines[0].strip(), lines[1].strip()
    if found_family.lower() != family.lower() or not file:
        return None  # fontconfig substitutes another family when it lacks the one asked for
    path = Path(file)
    if not _usable(path):
        return None
    found_style = (lines[2] if len(lines) > 2 else "").lower()
    wants_bold, wants_italic = "B" in style, "I" in style
    is_bold = "bold" in found_style
    is_italic = "italic" in found_style or "oblique" in found_style
    if (wants_bold, wants_italic) != (is_bold, is_italic):
        return None  # the family has no such style: fontconfig gave us another
    return path


def _known_path(family: str, style: str) -> Path | None:
    debian, names = _KNOWN[family]
    for folder in _FOLDERS:
        base = Path(folder.format(debian=debian)).expanduser()
        for name in names.get(style, ()):
            path = base / name
            if _usable(path):
                return path
    return None


def find_family(family: str) -> FontFiles | None:
    files: dict[str, Path] = {}
    for style in STYLES:
        path = _fc_match(family, style) or _known_path(family, style)
        if path is not None:
            files[style] = path
    if "" not in files:
        return None
    return FontFiles(family, files)


def _from_environment() -> FontChoice | None:
    chosen = os.environ.get(FONT_ENV, "").strip()
    if not chosen:
        return None
    if chosen.lower() in BUILTIN:
        return FontChoice(None, None, f"{FONT_ENV}={chosen} asks for the built-in font")
    path = Path(chosen).expanduser()
    if _usable(path):
        return FontChoice(FontFiles(path.stem, {"": path}), find_emoji_font())
    return None  # not a usable file: look for the usual fonts instead (the warning says so)


def find_emoji_font() -> Path | None:
    chosen = os.environ.get(EMOJI_FONT_ENV, "").strip()
    if chosen.lower() == "none":
        return None
    if chosen:
        path = Path(chosen).expanduser()
        return path if _usable(path) else None
    found = _fc_match("Noto Color Emoji", "")
    if found:
        return found
    for file in _EMOJI_FILES:
        path = Path(file).expanduser()
        if _usable(path):
            return path
    return None


@functools.lru_cache(maxsize=4)
def _find_fonts(font_env: str, emoji_env: str) -> FontChoice:
    from_env = _from_environment()
    if from_env is not None:
        return from_env
    for family in FAMILIES:
        files = find_family(family)
        if files is not None:
            return FontChoice(files, find_emoji_font())
    return FontChoice(None, None, f"no Unicode font was found (looked for {', '.join(FAMILIES)})")


def find_fonts() -> FontChoice:
    """The fonts to use, looked up once per process (and again if the environment changes)."""
    return _find_fonts(os.environ.get(FONT_ENV, ""), os.environ.get(EMOJI_FONT_ENV, ""))


def font_env_problem() -> str | None:
    """A warning when $SAFEGROUND_FONT names something that is not a usable .ttf file."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if not chosen or chosen.lower() in BUILTIN:
        return None
    path = Path(chosen).expanduser()
    if not _usable(path):
        return f"{FONT_ENV}={chosen} is not a TrueType (.ttf) file, so it was not used"
    return None
