"""Which characters the PDF's fonts can draw, and text made fit for them (imported with fpdf).

The text is set in a Unicode TrueType font from the system (see :mod:`safeground.export.fonts`);
emoji come from Noto Color Emoji when installed. Nothing is ever left for fpdf to choke on:
characters no font here can draw are replaced by U+FFFD (or ``?``) before fpdf sees them, and
counted for a warning naming them. Without any Unicode font the PDF falls back to the built-in
Helvetica, which draws Windows-1252 (Western European letters, curly quotes, dashes); everything
else becomes ``?``, again with a warning.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from fpdf import FPDF
from fpdf.fonts import TTFFont

from safeground.export.fonts import FontChoice

PLACEHOLDER = "\ufffd"
CORE_FONT = "Helvetica"
CORE_ENCODING = "windows-1252"
BODY = "body"
EMOJI = "emoji"
STYLES = ("", "B", "I", "BI")

# Invisible characters that may simply be dropped when no font has them (joiners, variation
# selectors, direction marks): nothing is lost on paper.
_DROPPABLE = {"Cf"}


def _cmap(pdf: FPDF, name: str) -> set[int]:
    """The characters an added TrueType font draws (a built-in font has no map)."""
    font = pdf.fonts[name]
    return set(font.cmap) if isinstance(font, TTFFont) else set()


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


class Glyphs:
    """The fonts added to one PDF, and what they can draw."""

    def __init__(self, pdf: FPDF, fonts: FontChoice):
        self.pdf = pdf
        self.fonts = fonts
        #: Characters no font could draw, with how often they were replaced.
        self.missing: Counter[str] = Counter()
        #: Problems with the fonts themselves, for the person to read.
        self.warnings: list[str] = []
        self.cmaps: dict[str, set[int]] = {}
        self.emoji_cmap: set[int] = set()
        self._emoji_tried = False
        self.core = True
        self.family = CORE_FONT
        if fonts.text is None:
            pdf.core_fonts_encoding = CORE_ENCODING
            return
        try:
            for style in STYLES:
                pdf.add_font(BODY, style, str(fonts.text.file(style)))
                self.cmaps[style] = _cmap(pdf, BODY + style)
        except Exception as error:  # a damaged or unreadable font file  # noqa: BLE001
            self.fonts = FontChoice(None, None, f"the font {fonts.text.family} could not be read ({error})")
            self.cmaps = {}
            pdf.core_fonts_encoding = CORE_ENCODING
            self.warnings.append(f"{self.fonts.reason}; the PDF uses the built-in {CORE_FONT} instead")
            return
        self.core, self.family = False, BODY

    def _emoji(self) -> set[int]:
        """The emoji font's characters, adding it as the fallback font the first time.

        It is added when fit() first meets a character the body font lacks: most documents have
        none, and with a fallback font fpdf checks every character it lays out (a tenth of the
        time of a long PDF)."""
        if not self._emoji_tried:
            self._emoji_tried = True
            if self.fonts.emoji:
                try:
                    self.pdf.add_font(EMOJI, "", str(self.fonts.emoji))
                except Exception:  # a font fpdf cannot read: go on without color emoji  # noqa: BLE001
                    return self.emoji_cmap
                self.emoji_cmap = _cmap(self.pdf, EMOJI)
                self.pdf.set_fallback_fonts([EMOJI], exact_match=False)
        return self.emoji_cmap

    def fit(self, text: str, style: str = "") -> str:
        """``text`` with what no font here can draw replaced (and counted for the warning)."""
        if self.core:
            return self._fit_core(text)
        cmap = self.cmaps[style]
        distinct = dict.fromkeys(text)  # each character once, in the order they first appear
        if all(ord(c) in cmap for c in distinct):
            return text
        emoji = self._emoji()
        placeholder = PLACEHOLDER if ord(PLACEHOLDER) in cmap else "?"

        def verdict(char: str) -> str | None:
            code = ord(char)
            if code in cmap or code in emoji or char == "\n":
                return char
            if unicodedata.category(char) in _DROPPABLE or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
                return ""
            if unicodedata.category(char) == "Zs":
                return " "
            return None

        return self._replace(text, distinct, verdict, placeholder)

    def _fit_core(self, text: str) -> str:
        def verdict(char: str) -> str | None:
            try:
                char.encode(CORE_ENCODING)
                return char
            except UnicodeEncodeError:
                pass
            category = unicodedata.category(char)
            if category in _DROPPABLE or category in ("Mn", "Me"):
                return ""
            if category == "Zs":
                return " "
            return None

        return self._replace(text, dict.fromkeys(text), verdict, "?")

    def _replace(
        self, text: str, distinct: Iterable[str], verdict: Callable[[str], str | None], placeholder: str
    ) -> str:
        """``text`` with each character as ``verdict`` says: itself, something else (``""``
        drops it), or None for one no font draws, which becomes ``placeholder`` and is counted.

        Each distinct character is decided once and the text translated in one pass: a long
        answer holds a million characters but only a few dozen different ones."""
        table: dict[int, str] = {}
        missing: list[str] = []
        for char in distinct:
            result = verdict(char)
            if result is None:
                missing.append(char)
                result = placeholder
            if result != char:
                table[ord(char)] = result
        if missing:
            counts = Counter(text)
            for char in missing:  # in the order they first appear, as the warning lists them
                self.missing[char] += counts[char]
        return text.translate(table) if table else text

    def has(self, text: str) -> bool:
        """Whether the body font draws every character of ``text`` (a mark, a bullet)."""
        if self.core:
            try:
                text.encode(CORE_ENCODING)
                return True
            except UnicodeEncodeError:
                return False
        return all(ord(c) in self.cmaps[""] for c in text)

    def plain(self, line: str, style: str) -> bool:
        """Whether ``line`` is drawn by the body font alone (no fallback font, no shaping)."""
        if self.core:
            return True
        cmap = self.cmaps[style]
        return all(ord(c) in cmap for c in set(line))

    def missing_warning(self) -> str | None:
        """What could not be drawn, and how to draw it next time; None when everything was."""
        if not self.missing:
            return None
        examples = ", ".join(f"'{c}' (U+{ord(c):04X})" for c, _ in self.missing.most_common(8))
        count = sum(self.missing.values())
        more = "" if len(self.missing) <= 8 else f" and {len(self.missing) - 8} other kinds"
        if self.core:
            return (
                f"{self.fonts.reason or 'no Unicode font was found'}, so the PDF uses the built-in "
                f"{CORE_FONT}, which cannot draw {count} character(s) here: {examples}{more}. They "
                f"print as '?'. Install DejaVu Sans (Debian/Ubuntu: apt install fonts-dejavu-core) "
                f"or set SAFEGROUND_FONT to a .ttf file to print them."
            )
        family = self.fonts.text.family if self.fonts.text else CORE_FONT
        fonts = f"the font {family}" + (" or the emoji font" if self.emoji_cmap else "")
        hint = ""
        if not self.emoji_cmap and any(_is_emoji(c) for c in self.missing):
            hint = " For emoji, install Noto Color Emoji (Debian/Ubuntu: apt install fonts-noto-color-emoji)."
        return f"{count} character(s) are not in {fonts} and print as '{PLACEHOLDER}': {examples}{more}.{hint}"
