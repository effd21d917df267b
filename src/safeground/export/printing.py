"""Printing through CUPS: the ``lp`` and ``lpstat`` commands, with plain-language errors.

Only the command-line tools are used (no CUPS library binding), so printing works wherever CUPS's
client is installed (Linux, macOS) and says clearly what is missing where it is not. Every
function here runs ``lp``/``lpstat`` with ``LC_ALL=C`` so their answers can be read, and with a
time limit so a stuck print service never hangs Safe Ground.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from safeground.export.errors import ExportError

#: The job's title in the print queue, which other people on a shared printer can see.
JOB_TITLE = "workbook-pages"
LP_TIMEOUT = 60
LPSTAT_TIMEOUT = 10
SUGGESTION = "save a PDF instead: safeground export -o pages.pdf"
# CUPS destination names: printable, no spaces, slashes or '#' (and not an option for lp).
_PRINTER_NAME = re.compile(r"^[^\s/#\\\-][^\s/#\\]{0,126}$")
_REQUEST_ID = re.compile(r"request id is (\S+)", re.IGNORECASE)


class PrintingError(ExportError):
    """Printing is not possible, or the print service refused the job: one line to show as is."""


@dataclass(frozen=True)
class Printer:
    """A CUPS destination, for the app's print dialog."""

    name: str
    is_default: bool = False
    #: "idle", "printing", "disabled" or "" when CUPS did not say.
    state: str = ""


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    printer: str
    pages: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return f"Sent to printer {self.printer} as job {self.job_id}"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        check=False,
        errors="replace",
    )


def lp_available() -> bool:
    return shutil.which("lp") is not None


def require_lp() -> None:
    """Raise :class:`PrintingError` unless CUPS's ``lp`` is there to print with."""
    if not lp_available():
        raise PrintingError(f"printing needs CUPS, and its 'lp' command was not found; you can {SUGGESTION}")


def check_printer_name(name: str) -> str:
    if not _PRINTER_NAME.match(name):
        raise PrintingError(f"{name!r} is not a printer name CUPS would use (no spaces, '/', '#' or leading '-')")
    return name


def default_printer() -> str | None:
    """The default destination CUPS would print to, or None (no CUPS, none set, not running)."""
    for variable in ("LPDEST", "PRINTER"):
        if os.environ.get(variable):
            return os.environ[variable]
    if not shutil.which("lpstat"):
        return None
    try:
        result = _run(["lpstat", "-d"], LPSTAT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"system default destination:\s*(\S+)", result.stdout)
    return match.group(1) if match else None


def list_printers() -> list[Printer]:
    """The printers CUPS offers, default first; empty when CUPS is not installed or not running."""
    if not shutil.which("lpstat"):
        return []
    try:
        names_run = _run(["lpstat", "-e"], LPSTAT_TIMEOUT)
        states_run = _run(["lpstat", "-p"], LPSTAT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return []
    names = (
        [line.strip() for line in names_run.stdout.splitlines() if line.strip()] if names_run.returncode == 0 else []
    )
    states: dict[str, str] = {}
    for line in states_run.stdout.splitlines():
        match = re.match(r"printer (\S+) (?:is |now )?(idle|printing|disabled)", line)
        if match:
            states[match.group(1)] = match.group(2)
            if match.group(1) not in names:
                names.append(match.group(1))
    default = default_printer()
    printers = [Printer(name, name == default, states.get(name, "")) for name in dict.fromkeys(names)]
    printers.sort(key=lambda p: not p.is_default)
    return printers


def _explain(stderr: str, printer: str | None) -> str:
    """One line for the person, from what lp said (lp runs in the C locale)."""
    text = " ".join(stderr.split())
    lowered = text.lower()
    if "no default destination" in lowered:
        return f"no default printer is set up: name one with --printer NAME (see 'lpstat -e'), or {SUGGESTION}"
    if "does not exist" in lowered or "unknown destination" in lowered or ("not found" in lowered and printer):
        known = [p.name for p in list_printers()]
        listed = f" (printers here: {', '.join(known)})" if known else ""
        return f"there is no printer named {printer!r}{listed}; you can {SUGGESTION}"
    if any(
        s in lowered
        for s in (
            "scheduler not responding",
            "not running",
            "connection refused",
            "bad file descriptor",
            "no such file or directory",
            "unable to connect",
        )
    ):
        return f"the print service (CUPS) is not running; you can {SUGGESTION}"
    if "not accepting" in lowered:
        return f"printer {printer or 'the default printer'} is not accepting jobs right now; you can {SUGGESTION}"
    if "forbidden" in lowered or "not authorized" in lowered or "unauthorized" in lowered:
        return f"the print service did not let this account print to {printer or 'the default printer'}; you can {SUGGESTION}"
    reason = text.removeprefix("lp: ").removeprefix("Error - ") or "no reason given"
    return f"lp could not send the pages ({reason}); you can {SUGGESTION}"


def submit(pdf: Path, printer: str | None = None, title: str = JOB_TITLE) -> tuple[str, str]:
    """Hand ``pdf`` to CUPS's ``lp``; returns (job id, printer). Raises :class:`PrintingError`.

    ``lp`` copies the file into the print queue before it returns, so the caller may delete it then.
    """
    require_lp()
    command = ["lp", "-t", title]
    if printer:
        command += ["-d", check_printer_name(printer)]
    command += ["--", str(pdf)]
    try:
        result = _run(command, LP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PrintingError(
            f"the print service did not answer within {LP_TIMEOUT} seconds; you can {SUGGESTION}"
        ) from None
    except OSError as error:
        raise PrintingError(f"could not run lp ({error.strerror or error}); you can {SUGGESTION}") from None
    match = _REQUEST_ID.search(result.stdout) or _REQUEST_ID.search(result.stderr)
    if result.returncode != 0 or not match:
        raise PrintingError(_explain(result.stderr or result.stdout, printer))
    job_id = match.group(1)
    if printer:
        return job_id, printer
    # CUPS job ids are <destination>-<number>.
    return job_id, job_id.rsplit("-", 1)[0] if "-" in job_id else (default_printer() or "default")
