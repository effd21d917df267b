"""A real print round trip: ``safeground print`` → CUPS → cups-pdf → a PDF file whose text holds the
answers.

Needs a running CUPS with a cups-pdf queue named in ``$SAFEGROUND_TEST_PRINTER``; ``.ci/run`` sets
one up with ``.ci/cups-setup.sh`` (Debian, as root). Elsewhere the test is skipped, saying exactly
what is missing; in CI (``CI=true``) a missing printer is a failure, never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from export_fixtures import answer_page, builtin, no_space, pdf_text_poppler, pdf_text_pypdf, squash, write_progress
from safeground.progress import Progress

PRINTER_ENV = "SAFEGROUND_TEST_PRINTER"
WAIT_SECONDS = 60
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _lpstat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["lpstat", *args], capture_output=True, text=True, timeout=15, env={**os.environ, "LC_ALL": "C"}, check=False
    )


def _why_cups_cannot_run() -> str | None:
    printer = os.environ.get(PRINTER_ENV, "").strip()
    if not printer:
        return (
            f"${PRINTER_ENV} is not set: run '.ci/cups-setup.sh' (Debian, as root) to start CUPS with a "
            f"cups-pdf queue, then set {PRINTER_ENV}=SafeGroundPDF"
        )
    for tool in ("lp", "lpstat"):
        if not shutil.which(tool):
            return f"'{tool}' is not installed (Debian: cups-client)"
    running = _lpstat("-r")
    if "scheduler is running" not in running.stdout:
        return f"the CUPS scheduler is not running (lpstat -r: {(running.stdout + running.stderr).strip()!r})"
    queue = _lpstat("-p", printer)
    if queue.returncode != 0:
        return f"CUPS has no printer named {printer!r} (lpstat -p: {queue.stderr.strip()!r})"
    return None


@pytest.fixture
def cups_printer() -> str:
    reason = _why_cups_cannot_run()
    if reason:
        if _in_ci():
            pytest.fail(f"the CUPS round trip must run in CI, but cannot: {reason}")
        pytest.skip(reason)
    return os.environ[PRINTER_ENV].strip()


def _output_folders() -> list[Path]:
    """Where cups-pdf may write: its configured ``Out`` (with ${HOME} and ${USER} of this account),
    then the Debian defaults."""
    user = pwd.getpwuid(os.getuid())
    folders: list[Path] = []
    try:
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"^\s*Out\s+(\S.*?)\s*$", line)
            if match:
                out = match.group(1).replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
                folders.append(Path(out))
    except OSError:
        pass
    folders += [
        Path(user.pw_dir) / "PDF",
        Path("/var/spool/cups-pdf") / user.pw_name,
        Path("/var/spool/cups-pdf/ANONYMOUS"),
    ]
    return list(dict.fromkeys(folders))


def _wait_for_pdf(job_number: str, since: float) -> Path:
    """The PDF cups-pdf wrote for this job (its name ends in ``job_<number>.pdf``)."""
    deadline = time.monotonic() + WAIT_SECONDS
    folders = _output_folders()
    while time.monotonic() < deadline:
        for folder in folders:
            for name in glob.glob(str(folder / f"*job_{job_number}.pdf")):
                path = Path(name)
                try:
                    if path.stat().st_mtime >= since - 5 and path.stat().st_size > 0:
                        time.sleep(0.5)  # let cups-pdf finish writing and close it
                        return path
                except OSError:
                    continue
        time.sleep(0.5)
    jobs = _lpstat("-W", "all", "-o").stdout.strip()
    log = ""
    try:
        log = "\n".join(Path("/var/log/cups/error_log").read_text(errors="replace").splitlines()[-15:])
    except OSError:
        pass
    pytest.fail(
        f"no PDF for job {job_number} within {WAIT_SECONDS} s in {', '.join(map(str, folders))}.\n"
        f"lpstat -W all -o:\n{jobs}\nCUPS error_log (tail):\n{log}"
    )


def test_print_round_trip_through_cups_pdf(cups_printer, tmp_path):
    token = uuid.uuid4().hex[:10]
    words = f"Round trip {token}: café, naïve, “curly” and ‘single’ quotes — an em dash – an en dash"
    workbook = builtin()
    chapter = workbook.chapters[0]
    progress = Progress(workbook.id, workbook.version)
    for page in chapter.pages[:2]:
        answer_page(workbook, progress, chapter, page, text=words)
    data_dir = tmp_path / "data"
    write_progress(data_dir, workbook, progress)

    temp = tmp_path / "tmp"
    temp.mkdir()

    since = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "safeground", "--data-dir", str(data_dir), "print", "--printer", cups_printer],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == [], "the private PDF is gone once CUPS has it"
    match = re.match(
        rf"Sent to printer {re.escape(cups_printer)} as job ({re.escape(cups_printer)}-(\d+)) ", result.stdout
    )
    assert match, result.stdout

    pdf = _wait_for_pdf(match.group(2), since)
    try:
        text = pdf_text_pypdf(pdf)
        flat = squash(text)
        assert flat.count(squash(words)) >= 2, flat[:2000]
        for page in chapter.pages[:2]:
            assert squash(page.title) in flat
            for field in page.fields:
                assert squash(field.prompt) in flat
        assert "Page 1 of" in flat
        assert chapter.pages[2].title not in flat  # not completed, not printed
        poppler = pdf_text_poppler(pdf)
        if poppler is not None:
            assert squash(words) in squash(poppler)
            assert token in no_space(poppler)
    finally:
        pdf.unlink(missing_ok=True)
