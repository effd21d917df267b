"""Print or save: which chapters, drafts or not, private answers or not, whose name on the pages,
and where to (a printer, or a file in a format).

The dialog only asks. It dismisses with a :class:`~safeground.print_job.PrintJob` (or None), and the
app runs the job on a worker thread, names the print job or the saved file in a notice, asks before
replacing a file that is there (:class:`ConfirmReplace`), and opens the dialog again with the same
choices when the job could not be done. The printers are looked for by the app too, and handed
down through :attr:`PrintDialog.printers` once known. A folder that isn't there is created only
when the person says so (:class:`ConfirmCreateFolder`), before the dialog closes.

Private answers are left out unless the box is ticked, and it starts unticked every time the
dialog is opened afresh: the pages may be read by the partner the answers are about.

Paths, printer names and error messages come from outside: every label holding them is plain text
(``Content``), since a folder named ``notes[/]`` is not markup, and control characters in them are
drawn as stand-ins.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, SelectionList, Static

from safeground.export.document import whose
from safeground.export.formats import DEFAULT_SUFFIX, FORMAT_TABLE, format_for_path
from safeground.print_job import PrintJob
from safeground.screens.confirm_folder import ConfirmCreateFolder
from safeground.storage import DEFAULT_PROFILE
from safeground.untrusted import for_terminal
from safeground.widgets.checklist_field import ChecklistBox
from safeground.widgets.choice_field import ChoiceSet, DotButton
from safeground.widgets.plain import plain
from safeground.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.export import Printer
    from safeground.progress import Progress

#: The export's formats, PDF first (what most people print or save), the rest in the export's order.
FORMAT_CHOICES = [(f.label, f.name) for f in sorted(FORMAT_TABLE, key=lambda f: f.name != "pdf")]
REMINDER = "Printed pages and saved files can be read by anyone who finds them. Keep them somewhere private."


def private_label(count: int) -> str:
    """The private box's label: what ticking it adds, in words."""
    questions = "question" if count == 1 else "questions"
    return f"Include private answers ({count} {questions} marked private)"


def default_folder() -> Path:
    """The documents folder when there is one, else the home folder (we don't create folders unasked)."""
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


class PrintDialog(ModalScreen[PrintJob | None]):
    """Dismisses with the job the person asked for, or None when they cancel.

    ``again`` fills the dialog with the choices of a job that was not done (the file was there and
    is kept, or saving failed), so that only what needs changing has to be changed.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    #: The printers found (set by the app once it has looked); None while it looks.
    printers: var[list[Printer] | None] = var(None, init=False)

    def __init__(
        self,
        workbook: Workbook,
        progress: Progress,
        chapter_ids: list[str] | None = None,
        include_drafts: bool = False,
        *,
        again: PrintJob | None = None,
        focus_path: bool = False,
        profile: str | None = None,
    ) -> None:
        super().__init__()
        self.workbook = workbook
        self.progress = progress
        self.preselected = list(again.chapter_ids) if again else chapter_ids
        self.include_drafts = again.include_drafts if again else include_drafts
        self.again = again
        self.focus_path = focus_path
        self._profile = profile
        #: How many questions in the workbook are marked private (the box is left out when none).
        self.private_count = sum(f.private for c in workbook.chapters for p in c.pages for f in p.fields)

    @property
    def profile(self) -> str:
        """Whose answers: the profile the opener names (the default one when it names none)."""
        return self._profile if self._profile is not None else DEFAULT_PROFILE

    def compose(self) -> ComposeResult:
        workbook, progress, again = self.workbook, self.progress, self.again
        chosen = set(self.preselected or [c.id for c in workbook.chapters])
        rows = []
        for chapter in workbook.chapters:
            done = progress.chapter_progress(chapter).done
            rows.append(
                (
                    plain(f"{chapter.title} ({done} of {len(chapter.pages)} pages complete)"),
                    chapter.id,
                    chapter.id in chosen,
                )
            )
        to_printer = again is not None and again.printer is not None
        fmt = again.fmt if again and again.fmt in DEFAULT_SUFFIX else "pdf"
        path = again.path if again and again.path else default_folder() / f"safe-ground-{date.today():%Y-%m-%d}.pdf"
        with Vertical(id="print-box", classes="dialog"):
            yield Label("Print or save pages", classes="dialog-title")
            with VerticalScroll(id="print-body"):
                yield Label("Chapters", classes="print-label")
                yield ChecklistBox(*rows, id="print-chapters", compact=True)
                yield TickBox(
                    "Include unfinished pages (marked as drafts)", self.include_drafts, id="print-drafts", compact=True
                )
                if self.private_count:
                    private = again.include_private if again else False
                    yield TickBox(private_label(self.private_count), private, id="print-private", compact=True)
                yield Label("Where to", classes="print-label")
                with ChoiceSet(id="print-destination", compact=True):
                    yield DotButton("A printer", to_printer, id="to-printer")
                    yield DotButton("A file", not to_printer, id="to-file")
                yield Select[str]([], prompt="Looking for printers…", id="print-printer", compact=True, disabled=True)
                with Horizontal(id="print-file-row"):
                    yield Select[str](FORMAT_CHOICES, value=fmt, allow_blank=False, id="print-format", compact=True)
                    yield Input(str(path), id="print-path", compact=True)
                yield Label("Name on the pages (leave empty for none)", classes="print-label")
                name = again.name if again and again.name is not None else whose(self.profile)
                yield Input(name, placeholder="No name", id="print-name", compact=True)
                yield Static(Content(REMINDER), id="print-reminder")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="print-go", variant="primary", compact=True)
                yield Button("Cancel", id="print-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#print-path" if self.focus_path else "#print-go").focus()
        self._destination_changed()
        self.call_after_refresh(self._show_printers)  # they may have come while it was built

    def watch_printers(self) -> None:
        if self.is_mounted:
            self._show_printers()

    def _show_printers(self) -> None:
        printers = self.printers
        if printers is None:
            return  # still looking
        select = self.query_one("#print-printer", Select)
        if printers:
            select.set_options(
                [(Content(for_terminal(p.name) + (" (default)" if p.is_default else "")), p.name) for p in printers]
            )
            wanted = self.again.printer if self.again else None
            select.value = wanted if wanted in {p.name for p in printers} else printers[0].name
            select.prompt = "Printer"
        else:
            select.set_options([])
            select.prompt = "No printers found (is CUPS installed and running?)"
        self._destination_changed()

    @property
    def to_printer(self) -> bool:
        return self.query_one("#to-printer", RadioButton).value

    @on(RadioSet.Changed, "#print-destination")
    def _destination_changed(self) -> None:
        printing = self.to_printer
        self.query_one("#print-printer", Select).disabled = not (printing and self.printers)
        self.query_one("#print-file-row").display = not printing
        self.query_one("#print-go", Button).label = "Print" if printing else "Save"

    @on(Select.Changed, "#print-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.select.is_blank():
            return
        path_input = self.query_one("#print-path", Input)
        path = Path(path_input.value or "safe-ground")
        path_input.value = str(path.with_suffix(DEFAULT_SUFFIX[str(event.value)]))

    @on(Button.Pressed, "#print-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#print-go")
    @on(Input.Submitted, "#print-path")
    @on(Input.Submitted, "#print-name")
    def _go(self) -> None:
        """Print or save (the button, or Enter in a text box); first, offer to create a missing folder."""
        job = self._job()
        if job is None:
            return
        folder = job.path.parent if job.path is not None else None
        if folder is not None and not folder.exists() and not folder.is_symlink():
            self.app.push_screen(ConfirmCreateFolder(folder), lambda create: self._folder_answered(job, folder, create))
            return
        self.dismiss(job)

    def _folder_answered(self, job: PrintJob, folder: Path, create: bool | None) -> None:
        if not create:
            self.query_one("#print-path", Input).focus()
            return
        try:
            # Private (0700): it holds the pages about to be saved. Parents are made as usual.
            folder.mkdir(mode=0o700, parents=True)
        except OSError as error:
            message = f"Could not create {folder}: {error.strerror or error}"
            self.notify(for_terminal(message), title="Not saved", severity="warning", timeout=10, markup=False)
            self.query_one("#print-path", Input).focus()
            return
        self.dismiss(job)

    def _job(self) -> PrintJob | None:
        """The job the choices describe, or None after saying what is missing."""
        chapters = tuple(self.query_one("#print-chapters", SelectionList).selected)
        if not chapters:
            self.notify("Choose at least one chapter.", severity="warning")
            return None
        drafts = self.query_one("#print-drafts", Checkbox).value
        private = bool(self.private_count) and self.query_one("#print-private", Checkbox).value
        typed = self.query_one("#print-name", Input).value.strip()
        # None when left as suggested (the profile's name, or none): only a change is recorded.
        name = None if typed == whose(self.profile) else typed
        if self.to_printer:
            select = self.query_one("#print-printer", Select)
            if select.is_blank():
                self.notify("No printer to print to. Choose 'A file' to save the pages instead.", severity="warning")
                return None
            return PrintJob(chapters, drafts, printer=str(select.value), include_private=private, name=name)
        path_text = self.query_one("#print-path", Input).value.strip()
        if not path_text:
            self.notify("Give a file name to save to.", severity="warning")
            return None
        path = Path(path_text).expanduser()
        # A name typed with a suffix (pages.md) asks for that format, as on the command line:
        # a PDF saved under a .md name would open as garbage.
        fmt = format_for_path(path) or str(self.query_one("#print-format", Select).value)
        return PrintJob(chapters, drafts, path=path, fmt=fmt, include_private=private, name=name)
