"""PDF, made with fpdf2 (imported here only, and only when a PDF is made).

This module lays the pages out: the line at the top and the footer of every sheet, the page's own
text, each question and its answer. Two neighbours do the rest: :mod:`.pdf_glyphs` adds the fonts
and makes every string fit what they can draw (warning about what they cannot), and
:mod:`.pdf_wrap` breaks long lines to the page's width. The text is embedded as a font subset with
its Unicode map, so the words come back out of any PDF reader's copy and search exactly as they
were typed. Right-to-left paragraphs (Hebrew, Arabic) are shaped and laid out right to left when
the uharfbuzz package is there.
"""

from __future__ import annotations

import importlib
import logging
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from safeground.export.answers import ListAnswer, NoAnswer, OptionsAnswer, ScaleAnswer, StatementsAnswer, TextAnswer
from safeground.export.blocks import Block, BulletList, Heading, Inline, Paragraph, Quote, Span
from safeground.export.cleaning import base_direction, has_rtl
from safeground.export.document import PrintDocument, PrintField, PrintPage
from safeground.export.fonts import FontChoice, find_fonts, font_env_problem
from safeground.export.pdf_glyphs import PLACEHOLDER, Glyphs
from safeground.export.pdf_wrap import WordWrap

__all__ = ["PLACEHOLDER", "PdfRenderer", "paper_size", "render_pdf"]

PAPER_SIZES = {"a4": "A4", "letter": "Letter", "legal": "Legal", "a3": "A3", "a5": "A5"}

# Sizes in points, lengths in millimetres.
TITLE_SIZE, PROMPT_SIZE, ANSWER_SIZE, TEXT_SIZE, SMALL_SIZE = 16, 11, 11, 10, 8
LINE = 5.6
PADDING = 1.2
MARGIN = 20
INDENT = 6
GREY, DARK, BLACK = (100, 100, 100), (55, 55, 55), (0, 0, 0)
Color = tuple[int, int, int]


def paper_size() -> str:
    """``$PAPERSIZE``, else ``/etc/papersize`` (Debian's libpaper setting), else A4."""
    chosen = os.environ.get("PAPERSIZE", "").strip().lower()
    if not chosen:
        try:
            for line in Path("/etc/papersize").read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    chosen = line.strip().lower()
                    break
        except OSError:
            pass
    return PAPER_SIZES.get(chosen, "A4")


def _shaping_available() -> bool:
    try:
        importlib.import_module("uharfbuzz")  # fpdf2 uses it to shape and reorder right-to-left text
    except ImportError:
        return False
    return True


class _Document(FPDF):
    """fpdf's page furniture, handed to the renderer."""

    def __init__(self, renderer: PdfRenderer, **kwargs):
        super().__init__(**kwargs)
        self.renderer = renderer

    def header(self) -> None:
        self.renderer.header()

    def footer(self) -> None:
        self.renderer.footer()


class PdfRenderer:
    def __init__(self, document: PrintDocument, fonts: FontChoice | None = None, paper: str | None = None):
        self.document = document
        self.shaping = _shaping_available()
        self.rtl_unshaped = False
        self.current: PrintPage | None = None
        self.next_page: PrintPage | None = None
        self.continued = False

        pdf = _Document(self, orientation="portrait", unit="mm", format=paper or paper_size())
        self.pdf = pdf
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.set_title(document.title)
        pdf.set_creator("Safe Ground")
        pdf.set_lang(document.lang)
        pdf.alias_nb_pages("")  # only the footer counts pages: see footer()
        self.glyphs = Glyphs(pdf, fonts if fonts is not None else find_fonts())
        self.family = self.glyphs.family
        self.core = self.glyphs.core
        self.fit = self.glyphs.fit
        self.has_glyphs = self.glyphs.has
        self.wrapper = WordWrap(pdf)
        self.warnings: list[str] = list(self.glyphs.warnings)
        problem = font_env_problem()
        if problem:
            self.warnings.append(problem)

    # -- page furniture --------------------------------------------------------------------------

    def header(self) -> None:
        pdf = self.pdf
        pdf.alias_nb_pages("")  # "" is no alias: the page's own text must never stand for the page count
        if self.next_page is not None:
            self.current, self.next_page, self.continued = self.next_page, None, False
        else:
            self.continued = True
        page = self.current
        if page is None:
            return
        shaping, pdf.text_shaping = pdf.text_shaping, None
        pdf.set_font(self.family, "", SMALL_SIZE)
        pdf.set_text_color(*GREY)
        pdf.set_xy(MARGIN, 9)
        left = self.fit(" · ".join(self.document.context(page)))
        right = self.fit(f"{page.title} (continued)") if self.continued else ""
        width = pdf.epw
        if right:
            pdf.cell(width / 2, 4, self._shorten(left, width / 2 - 2), align="L")
            pdf.cell(width / 2, 4, self._shorten(right, width / 2 - 2), align="R")
        else:
            pdf.cell(width, 4, self._shorten(left, width), align="L")
        pdf.set_draw_color(190, 190, 190)
        pdf.line(MARGIN, 14, pdf.w - MARGIN, 14)
        pdf.set_text_color(*BLACK)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.text_shaping = shaping

    def footer(self) -> None:
        pdf = self.pdf
        page = self.current
        if page is None:
            return
        shaping, pdf.text_shaping = pdf.text_shaping, None
        pdf.alias_nb_pages("{nb}")  # stays set after the last page, when fpdf fills in the count
        pdf.set_font(self.family, "", SMALL_SIZE)
        pdf.set_text_color(*GREY)
        pdf.set_draw_color(190, 190, 190)
        pdf.line(MARGIN, pdf.h - 14, pdf.w - MARGIN, pdf.h - 14)
        pdf.set_xy(MARGIN, pdf.h - 13)
        width = pdf.epw
        left = self.fit(" · ".join(self.document.footer(page)))
        pdf.cell(width * 0.7, 4, self._shorten(left, width * 0.7 - 2), align="L")
        pdf.cell(width * 0.3, 4, f"Page {pdf.page_no()} of {{nb}}", align="R")
        pdf.set_text_color(*BLACK)
        pdf.text_shaping = shaping

    def _shorten(self, text: str, width: float) -> str:
        """``text`` cut (with an ellipsis) to fit on one line of ``width``."""
        if self.pdf.get_string_width(text) <= width:
            return text
        ellipsis = "…" if self.has_glyphs("…") else "..."
        # The longest prefix that fits, by bisection: titles may be long. No line of the page
        # holds 1,000 characters, so a longer title is not measured whole at every step.
        low, high = 0, min(len(text), 1000)
        while low < high:
            middle = (low + high + 1) // 2
            if self.pdf.get_string_width(text[:middle] + ellipsis) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ellipsis

    # -- text ------------------------------------------------------------------------------------

    def paragraph(
        self,
        text: str,
        *,
        size: float = ANSWER_SIZE,
        style: str = "",
        indent: float = 0,
        color: Color = BLACK,
        height: float = LINE,
        after: float = 1.5,
    ) -> None:
        """Text wrapped to the page and flowing over pages. Each line as typed is laid out in its
        own direction (as Unicode's bidi rules treat lines): right-aligned and shaped when it
        starts with right-to-left letters."""
        pdf = self.pdf
        pdf.set_font(self.family, style, size)
        pdf.set_text_color(*color)
        text = self.fit(text, style)
        # Asked once of the whole text, then only of its lines when the answer is not simply yes
        # (or no): a long answer has thousands of lines.
        any_rtl = has_rtl(text)
        all_plain = self.glyphs.plain(text, style)
        for line in text.split("\n"):
            rtl = any_rtl and base_direction(line) == "rtl"
            shaped = False
            if any_rtl and has_rtl(line) and not self.core:
                if self.shaping:
                    pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr")
                    shaped = True
                else:
                    self.rtl_unshaped = True
            width = pdf.epw - indent
            if not shaped and not rtl and (all_plain or self.glyphs.plain(line, style)):
                # Left-to-right text the body font draws: wrapped here, word by word, and each
                # line set with cell(). fpdf's multi_cell measures a line again for every
                # character it adds, which made long answers most of the PDF's time.
                for part in self.wrapper.wrap(line, width):
                    pdf.set_x(MARGIN + indent)
                    pdf.cell(width, height, part, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                continue
            pdf.set_x(MARGIN + indent)
            pdf.multi_cell(width, height, line, align="R" if rtl else "L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if shaped:
                pdf.set_text_shaping(False)
        pdf.set_text_color(*BLACK)
        if after:
            pdf.ln(after)

    def marked(self, mark: str, text: str, *, indent: float, style: str = "", size: float = ANSWER_SIZE) -> None:
        """A line that starts with a mark (a check box, a bullet) and wraps beside it."""
        pdf = self.pdf
        pdf.set_font(self.family, style, size)
        mark_width = max(5.0, pdf.get_string_width(mark) + 2)
        if pdf.will_page_break(LINE):
            pdf.add_page()
        y = pdf.get_y()
        page = pdf.page_no()
        pdf.set_x(MARGIN + indent)
        pdf.set_font(self.family, "", size)
        pdf.cell(mark_width, LINE, mark)
        if pdf.page_no() == page:
            pdf.set_y(y)
        self.paragraph(text, size=size, style=style, indent=indent + mark_width, after=0.6)

    def spans(self, spans: Inline, *, size: float = TEXT_SIZE, indent: float = 0, color: Color = DARK) -> None:
        """The workbook's own text, with its bold and italic, flowing from the current position."""
        pdf = self.pdf
        left = pdf.l_margin
        pdf.set_left_margin(MARGIN + indent)
        pdf.set_text_color(*color)
        if pdf.get_x() < MARGIN + indent:
            pdf.set_x(MARGIN + indent)
        for span in spans:
            style = ("B" if span.bold else "") + ("I" if span.italic else "")
            pdf.set_font(self.family, style, size)
            pdf.write(LINE - 0.6, self.fit(span.text, style))
        pdf.ln(LINE - 0.6)
        pdf.set_left_margin(left)
        pdf.set_text_color(*BLACK)

    def block(self, block: Block) -> None:
        pdf = self.pdf
        if isinstance(block, Paragraph):
            self.spans(block.spans)
        elif isinstance(block, Heading):
            self.spans(tuple(Span(s.text, True, s.italic) for s in block.spans), size=TEXT_SIZE + 1, color=BLACK)
        elif isinstance(block, Quote):
            pdf.set_x(MARGIN + INDENT)
            self.spans(block.spans, indent=INDENT)
        elif isinstance(block, BulletList):
            for number, item in enumerate(block.items, start=block.start):
                marker = f"{number}." if block.ordered else ("•" if self.has_glyphs("•") else "-")
                pdf.set_font(self.family, "", TEXT_SIZE)
                pdf.set_text_color(*DARK)
                pdf.set_x(MARGIN + 2)
                pdf.cell(INDENT, LINE - 0.6, marker)
                self.spans(item, indent=2 + INDENT)
                pdf.ln(0.6)
        pdf.ln(2)

    # -- pages -----------------------------------------------------------------------------------

    def page(self, page: PrintPage) -> None:
        pdf = self.pdf
        self.next_page = page
        pdf.add_page()
        self.paragraph(page.title, size=TITLE_SIZE, style="B", height=8, after=2)
        if page.draft:
            pdf.set_font(self.family, "B", PROMPT_SIZE)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.5)
            pdf.cell(
                0, 8, "DRAFT: this page is not finished yet.", border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.set_line_width(0.2)
            pdf.ln(3)
        for block in page.text:
            self.block(block)
        for field in page.fields:
            self.field(field)

    def field(self, field: PrintField) -> None:
        pdf = self.pdf
        pdf.ln(2)
        if pdf.will_page_break(LINE * 3):
            pdf.add_page()  # keep a question with the start of its answer
        self.paragraph(field.prompt, size=PROMPT_SIZE, style="B", after=1)
        answer = field.answer
        if isinstance(answer, NoAnswer):
            self.paragraph(answer.text, style="I", color=GREY, indent=INDENT)
        else:
            FIELD_RENDERERS[field.kind](self, answer)

    def written(self, answer: TextAnswer) -> None:
        for lines in answer.paragraphs:
            self.paragraph("\n".join(lines), indent=INDENT, after=2)

    def options(self, answer: OptionsAnswer) -> None:
        checked, unchecked = ("\u2611", "\u2610") if self.has_glyphs("\u2611\u2610") else ("[x]", "[ ]")
        for option in answer.options:
            mark = checked if option.chosen else unchecked
            self.marked(mark, option.label, indent=INDENT, style="B" if option.chosen else "")

    def scale(self, answer: ScaleAnswer) -> None:
        self.paragraph(answer.text, indent=INDENT)

    def items(self, answer: ListAnswer) -> None:
        bullet = "•" if self.has_glyphs("•") else "-"
        for item in answer.items:
            self.marked(bullet, item, indent=INDENT)

    def statements(self, answer: StatementsAnswer) -> None:
        """A table of statement and rating. fpdf cannot split one table row over two pages, so a
        row too tall for a page (a very long statement) turns the whole field into a list."""
        pdf = self.pdf
        self.paragraph(answer.scale.sentence, style="I", size=TEXT_SIZE, color=DARK, indent=INDENT)
        pdf.set_font(self.family, "", TEXT_SIZE)
        width = pdf.epw - INDENT
        columns = (width * 0.68, width * 0.32)
        rows = [(self.fit(row.statement), self.fit(row.rating_text)) for row in answer.rows]
        room = pdf.page_break_trigger - pdf.t_margin - 3 * LINE
        if any(
            self._cell_height(text, column) > room for row in rows for text, column in zip(row, columns, strict=True)
        ):
            self._statements_as_list(rows)
            return
        left = pdf.l_margin
        pdf.set_left_margin(MARGIN + INDENT)
        pdf.set_x(MARGIN + INDENT)
        pdf.set_draw_color(150, 150, 150)
        shaped = self.shaping and not self.core and any(has_rtl(text) for row in rows for text in row)
        if shaped:
            pdf.set_text_shaping(True)  # right-to-left statements, laid out in their own direction
        try:
            with pdf.table(
                width=width,
                col_widths=columns,
                align="LEFT",
                line_height=LINE,
                text_align=("LEFT", "LEFT"),
                first_row_as_headings=True,
                padding=PADDING,
            ) as table:
                heading = table.row()
                heading.cell("Statement")
                heading.cell("Rating")
                for statement, rating in rows:
                    cells = table.row()
                    cells.cell(statement)
                    cells.cell(rating)
        except ValueError:  # a row fpdf still finds too tall: the list says the same
            pdf.set_left_margin(left)
            self._statements_as_list(rows)
            return
        finally:
            if shaped:
                pdf.set_text_shaping(False)
        pdf.set_left_margin(left)
        pdf.ln(2)

    def _cell_height(self, text: str, width: float) -> float:
        lines = self.pdf.multi_cell(width - 2 * PADDING, LINE, text, dry_run=True, output="LINES")
        count = len(lines) if isinstance(lines, list) else 1  # output="LINES" gives the list of lines
        return count * LINE + 2 * PADDING

    def _statements_as_list(self, rows: list[tuple[str, str]]) -> None:
        for statement, rating in rows:
            self.paragraph(statement, size=TEXT_SIZE, indent=INDENT, after=0.5)
            self.paragraph(rating, size=TEXT_SIZE, style="B", indent=2 * INDENT, after=1.5)

    # -- the whole document ----------------------------------------------------------------------

    def support(self) -> None:
        """The support lines after the last page's answers, on its sheet while they fit."""
        section = self.document.support
        if section is None:
            return
        pdf = self.pdf
        pdf.ln(6)
        pdf.set_draw_color(190, 190, 190)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.ln(3)
        self.paragraph(section.heading, size=PROMPT_SIZE, style="B", after=1)
        if section.whose:
            self.paragraph(section.whose, size=SMALL_SIZE, color=GREY, after=1)
        self.paragraph(section.emergency, size=TEXT_SIZE, style="B", after=1.5)
        for name, contact, url in section.lines:
            self.paragraph(f"{name}: {contact}" + (f" ({url})" if url else ""), size=TEXT_SIZE, after=1)

    def render(self) -> bytes:
        for page in self.document.pages:
            self.page(page)
        self.support()
        with warnings.catch_warnings():
            # Past 999 pages the count is a digit wider than the room fpdf keeps for it; the
            # footer's last digit then reaches a little into the margin, which is harmless, and
            # fpdf's warning would only reach the person as a confusing line of Python.
            warnings.filterwarnings("ignore", message="The total page count", category=UserWarning)
            data = bytes(self.pdf.output())
        self._collect_warnings()
        return data

    def _collect_warnings(self) -> None:
        missing = self.glyphs.missing_warning()
        if missing:
            self.warnings.append(missing)
        if self.rtl_unshaped:
            self.warnings.append(
                "right-to-left text (Hebrew, Arabic) may print with its letters in the wrong order: "
                "install the uharfbuzz Python package to lay it out correctly"
            )


#: Field kind -> how its answer is laid out (the kinds of ``answers.ANSWER_MAKERS``; each method
#: takes the answer type that kind's maker returns).
FIELD_RENDERERS: dict[str, Callable[[PdfRenderer, Any], None]] = {
    "text": PdfRenderer.written,
    "long_text": PdfRenderer.written,
    "choice": PdfRenderer.options,
    "checklist": PdfRenderer.options,
    "scale": PdfRenderer.scale,
    "statements": PdfRenderer.statements,
    "list": PdfRenderer.items,
}


def render_pdf(
    document: PrintDocument, fonts: FontChoice | None = None, paper: str | None = None
) -> tuple[bytes, list[str]]:
    """The PDF's bytes and the warnings to pass on (characters that could not be drawn, ...)."""
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    renderer = PdfRenderer(document, fonts, paper)
    data = renderer.render()
    return data, renderer.warnings
