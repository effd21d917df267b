"""Export: a fully answered workbook to PDF, HTML, Markdown and text, as ``export_to_file`` does it
(pick the pages, render, write the file atomically).

Baselines, interleaved with the figures: for PDF, fpdf2 making a one-page PDF with the same four
embedded font styles (the fixed cost of any PDF made this way); for the text formats,
``json.dumps`` of the same answers (the cost of touching every answer once). The first PDF in a
process also imports fpdf2 and fontTools; that cost is reported once, separately, as the command
line pays it: ``safeground export -o pages.pdf`` in a new process, next to ``python -c pass``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.common import Figure, interleave, median
from bench.linearity import linearity_figure
from bench.workbooks import Home
from safeground.content import Workbook
from safeground.progress import Progress

FORMATS = ("pdf", "html", "markdown", "text")
LIMITS = {"pdf": 0.5, "html": 0.05, "markdown": 0.05, "text": 0.05}


def _export(workbook: Workbook, progress: Progress, folder: Path, fmt: str):
    from safeground.export import DEFAULT_SUFFIX, export_to_file

    path = folder / f"pages{DEFAULT_SUFFIX[fmt]}"

    def run_once() -> None:
        export_to_file(workbook, progress, path, fmt, replace=True)  # the same file each repetition

    return run_once


def _pdf_floor():
    from fpdf import FPDF

    from safeground.export.fonts import find_fonts

    fonts = find_fonts()

    def run_once() -> None:
        pdf = FPDF()
        if fonts.text is not None:
            for style in ("", "B", "I", "BI"):
                pdf.add_font("body", style, str(fonts.text.file(style)))
            pdf.set_font("body", size=11)
        else:
            pdf.set_font("Helvetica", size=11)
        pdf.add_page()
        pdf.multi_cell(0, 6, "A single paragraph on a single page.")
        pdf.output()

    return run_once


def run(
    workbook: Workbook, progress: Progress, folder: Path, reps: int, pdf_reps: int, home: Home | None = None
) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    answers = progress.answers

    def touch_answers() -> None:
        json.dumps(answers)

    cases = {fmt: _export(workbook, progress, folder, fmt) for fmt in FORMATS if fmt != "pdf"}
    cases["json"] = touch_answers
    samples = interleave(cases, reps, warmup=2)
    pdf_samples = interleave(
        {"pdf": _export(workbook, progress, folder, "pdf"), "floor": _pdf_floor()}, pdf_reps, warmup=1
    )
    figures = [
        Figure(
            "Export",
            "PDF (built-in workbook, all answered)",
            median(pdf_samples["pdf"]),
            pdf_reps,
            "fpdf2: one page, same fonts",
            median(pdf_samples["floor"]),
            "seconds",
            LIMITS["pdf"],
        )
    ]
    for fmt in ("html", "markdown", "text"):
        figures.append(
            Figure(
                "Export",
                f"{fmt.upper() if fmt == 'html' else fmt.capitalize()} (built-in workbook, all answered)",
                median(samples[fmt]),
                reps,
                "json.dumps of the same answers",
                median(samples["json"]),
                "seconds",
                LIMITS[fmt],
            )
        )
    if home is not None:
        from bench.cli_bench import command, python_pass
        from bench.startup import safeground_command

        env = home.env({k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")})
        cli_pdf = command(
            safeground_command() + ["export", "--force", "-o", str(folder / "cli.pdf")] + home.args(), env
        )
        cli = interleave({"cli": cli_pdf, "pass": python_pass()}, max(1, pdf_reps // 2), warmup=0)
        figures.append(
            Figure(
                "Export",
                "safeground export -o pages.pdf (new process, imports included)",
                median(cli["cli"]),
                len(cli["cli"]),
                "python -c pass",
                median(cli["pass"]),
            )
        )
    return figures


#: Budgets for one very long answer (issue 9): a 1 MB answer to PDF in under 2 s, to text under 0.2 s.
LONG_ANSWER_LIMITS = {"pdf": 2.0, "text": 0.2}


def run_long_answer(chars: int, folder: Path, reps: int, pdf_reps: int) -> list[Figure]:
    """One answer of ``chars`` characters to PDF and to text, through ``export_to_file``.

    Baselines as for the built-in workbook, interleaved: fpdf2's one-page PDF for the PDF, and
    ``json.dumps`` of the same answer (touching each of its characters once) for the text."""
    from bench.workbooks import one_long_answer

    folder.mkdir(parents=True, exist_ok=True)
    workbook, progress = one_long_answer(chars)
    answers = progress.answers

    def touch_answer() -> None:
        json.dumps(answers)

    text = interleave({"text": _export(workbook, progress, folder, "text"), "json": touch_answer}, reps, warmup=1)
    pdf = interleave({"pdf": _export(workbook, progress, folder, "pdf"), "floor": _pdf_floor()}, pdf_reps, warmup=1)
    what = f"one answer of {chars:,} characters"
    return [
        Figure(
            "Export",
            f"PDF ({what})",
            median(pdf["pdf"]),
            pdf_reps,
            "fpdf2: one page, same fonts",
            median(pdf["floor"]),
            "seconds",
            LONG_ANSWER_LIMITS["pdf"],
        ),
        Figure(
            "Export",
            f"Text ({what})",
            median(text["text"]),
            reps,
            "json.dumps of the same answer",
            median(text["json"]),
            "seconds",
            LONG_ANSWER_LIMITS["text"],
        ),
    ]


def run_scale(scale: dict[int, tuple[Workbook, Progress]], folder: Path, reps: int, pdf_reps: int) -> list[Figure]:
    figures: list[Figure] = []
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        cases = {str(n): _export(w, p, folder, fmt) for n, (w, p) in sorted(scale.items())}
        samples = interleave(cases, pdf_reps if fmt == "pdf" else reps, warmup=0 if fmt == "pdf" else 1)
        curve = {int(n): median(values) for n, values in samples.items()}
        for chapters, value in curve.items():
            figures.append(Figure("Scale", f"export {fmt}, {chapters} chapters", value, len(samples[str(chapters)])))
        figures.append(linearity_figure(f"export {fmt}", {int(n): values for n, values in samples.items()}))
    return figures
