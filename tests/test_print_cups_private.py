"""Private answers and the name on the pages, printed through a real CUPS printer (cups-pdf).

Skipped unless SAFEGROUND_TEST_PRINTER names a cups-pdf printer (see tests/test_print_cups.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid

from export_fixtures import answer_page, builtin, pdf_text_pypdf, squash, write_progress
from safeground.progress import Progress
from test_print_cups import _wait_for_pdf, cups_printer  # noqa: F401 (a fixture, used by name)


def _print(data_dir, printer: str, *options: str) -> str:
    """``safeground --profile sam print OPTIONS``; the text of the PDF cups-pdf wrote."""
    since = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "safeground", "--data-dir", str(data_dir), "--profile", "sam", "print"]
        + ["--printer", printer, *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    match = re.match(rf"Sent to printer {re.escape(printer)} as job {re.escape(printer)}-(\d+) ", result.stdout)
    assert match, result.stdout
    pdf = _wait_for_pdf(match.group(1), since)
    try:
        return squash(pdf_text_pypdf(pdf))
    finally:
        pdf.unlink(missing_ok=True)


def test_private_answers_and_the_name_through_cups(cups_printer, tmp_path):  # noqa: F811
    secret = f"Private {uuid.uuid4().hex[:10]}"
    workbook = builtin()
    progress = Progress(workbook.id, workbook.version)
    chapter = workbook.chapter("when-you-disagree")
    assert chapter is not None
    answer_page(workbook, progress, chapter, chapter.pages[0], text=secret)
    write_progress(tmp_path / "data", workbook, progress, profile="sam")
    speak = workbook.locate("when-you-disagree", "respect-in-conflict", "safe-to-speak")
    assert speak is not None

    shared = _print(tmp_path / "data", cups_printer)
    assert squash(chapter.pages[0].title) in shared
    assert secret not in shared and squash(speak.prompt) not in shared
    assert "Answered by sam" in shared

    mine = _print(tmp_path / "data", cups_printer, "--include-private", "--no-name")
    assert secret in mine and squash(speak.prompt) in mine
    assert "Answered by" not in mine
