"""Word wrap for the PDF, done here rather than by fpdf (imported with fpdf).

fpdf's ``multi_cell`` measures a line again for every character it adds, which made long answers
most of the PDF's time (the benchmark's 1,000,000-character answer). Here a line is broken at
spaces, each word measured once per font and remembered, and the renderer sets each piece with
``cell()``. Only left-to-right text that the body font draws alone is wrapped here; the rest still
goes through ``multi_cell``, which shapes and reorders it.
"""

from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF


class WordWrap:
    """Breaks lines to a width at the PDF's current font, remembering each word's width."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        #: Widths of words already measured, per (family, style, size).
        self._widths: dict[tuple[str, str, float], dict[str, float]] = {}

    def _measure(self) -> Callable[[str], float]:
        """``get_string_width`` at the current font, remembering each word's width.

        A long answer repeats the same few thousand words, and fpdf's measuring costs about as
        much as setting a line: measured once per word and font, a 1 MB answer's wrapping went
        from most of the PDF's time to a small part of it."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        widths = self._widths.setdefault(key, {})
        get_string_width = pdf.get_string_width

        def measure(text: str) -> float:
            size = widths.get(text)
            if size is None:
                size = widths[text] = get_string_width(text)
            return size

        return measure

    def wrap(self, line: str, width: float) -> list[str]:
        """``line`` broken into pieces that fit ``width`` at the current font: at spaces, and
        inside a word only when the word alone is wider than the line."""
        measure = self._measure()
        space = measure(" ")
        pieces: list[str] = []
        words: list[str] = []
        used = 0.0
        for word in line.split(" "):
            size = measure(word)
            if size > width:
                if words:
                    pieces.append(" ".join(words))
                    words, used = [], 0.0
                chunks = self._break_word(word, width)
                pieces.extend(chunks[:-1])
                word = chunks[-1]
                size = measure(word)
            wanted = size if not words else used + space + size
            if words and wanted > width:
                pieces.append(" ".join(words))
                words, used = [word], size
            else:
                words.append(word)
                used = wanted
        pieces.append(" ".join(words))
        return pieces

    def _break_word(self, word: str, width: float) -> list[str]:
        """``word`` in pieces that each fit ``width`` (at least one character each).

        Each distinct character is measured once and looked up from there: a pasted run of a
        million characters with no space is a million lookups, not a million calls into fpdf."""
        measure = self._measure()
        widths = {char: measure(char) for char in set(word)}
        chunks: list[str] = []
        start, used = 0, 0.0
        for index, size in enumerate(map(widths.__getitem__, word)):
            if used + size > width and index > start:
                chunks.append(word[start:index])
                start, used = index, 0.0
            used += size
        chunks.append(word[start:])
        return chunks
