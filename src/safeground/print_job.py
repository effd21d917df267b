"""A print job: what the print dialog hands back, and running it (a printer, or a file).

The dialog only asks; the app runs the job on a worker thread with a copy of the answers taken on
its own thread, so typing meanwhile never changes what is being printed under the printer's feet.
No Textual here: the job is plain data and its outcome is two strings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from safeground.content import Workbook
from safeground.progress import Progress


@dataclass(frozen=True)
class PrintJob:
    """Which chapters, drafts or not, and where to: ``printer``, or ``path`` in format ``fmt``."""

    chapter_ids: tuple[str, ...]
    include_drafts: bool = False
    printer: str | None = None
    path: Path | None = None
    fmt: str | None = None
    #: Set once the person said a file that is there may be replaced.
    replace: bool = False
    #: The answers to private questions too (left out unless the person ticks the box).
    include_private: bool = False
    #: The name the pages carry: None for the profile's (none for the default profile), "" for none.
    name: str | None = None

    def replacing(self) -> PrintJob:
        return replace(self, replace=True)


@dataclass(frozen=True)
class PrintOutcome:
    """What to tell the person: one sentence, and the export's warnings."""

    message: str
    warnings: tuple[str, ...] = ()


def run_print_job(
    job: PrintJob, workbook: Workbook, progress: Progress, profile: str, region: str | None = None
) -> PrintOutcome:
    """Print or save ``job``, ending with ``region``'s support lines. Raises ``TargetExists`` (ask
    before replacing) or ``ExportError``."""
    # Looked up when called: the export package is only loaded once something is printed.
    from safeground import export

    chapters = list(job.chapter_ids)
    if job.printer is not None:
        result = export.print_pages(
            workbook,
            progress,
            chapters,
            job.include_drafts,
            profile,
            job.printer,
            include_private=job.include_private,
            name=job.name,
            region=region,
        )
        return PrintOutcome(result.message + "." + _private_note(job, workbook), tuple(result.warnings))
    if job.path is None:
        raise ValueError("a print job needs a printer or a path")
    exported = export.export_to_file(
        workbook,
        progress,
        job.path,
        job.fmt,
        chapters,
        job.include_drafts,
        profile,
        replace=job.replace,
        include_private=job.include_private,
        name=job.name,
        region=region,
    )
    pages = f"{exported.pages} page{'s' if exported.pages != 1 else ''}"
    where = f"{exported.link_target} (through the link {exported.path})" if exported.link_target else exported.path
    return PrintOutcome(f"Saved {pages} to {where}.{_private_note(job, workbook)}", tuple(exported.warnings))


def _private_note(job: PrintJob, workbook: Workbook) -> str:
    """Whether private answers went on the pages, said in words: the box's tick alone is told
    apart by colour, which a terminal without colours (NO_COLOR) doesn't show."""
    if not any(f.private for c in workbook.chapters for p in c.pages for f in p.fields):
        return ""
    return " Private answers are included." if job.include_private else " Private answers were left out."
