"""Print or save: which chapters, drafts or not, and where to (a printer, or a file in a format).

Printing and rendering run on a worker thread (a PDF takes a moment, ``lp`` may wait on CUPS), so
the dialog stays responsive; a notice names the print job or the saved file afterwards. A file that
is already there is replaced only after asking (:class:`ConfirmReplace`).

Paths, printer names and error messages come from outside: every notice and label holding them is
plain text (``markup=False``, ``Content``), since a folder named ``notes[/]`` is not markup, and
control characters in them are drawn as stand-ins.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, SelectionList, Static

from safeground.untrusted import for_terminal
from safeground.widgets.plain import plain

if TYPE_CHECKING:
    from safeground.app import SafeGroundApp
    from safeground.export import Printer, TargetExists

FORMAT_CHOICES = [("PDF", "pdf"), ("Web page (HTML)", "html"), ("Markdown", "markdown"), ("Plain text", "text")]
SUFFIX = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
REMINDER = "Printed pages and saved files can be read by anyone who finds them. Keep them somewhere private."


def default_folder() -> Path:
    """The documents folder when there is one, else the home folder (we don't create folders unasked)."""
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


class PrintDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, chapter_ids: list[str] | None = None, include_drafts: bool = False) -> None:
        super().__init__()
        self.preselected = chapter_ids
        self.include_drafts = include_drafts
        self.printers: list[Printer] = []

    @property
    def safeground(self) -> SafeGroundApp:
        return cast("SafeGroundApp", self.app)

    def compose(self) -> ComposeResult:
        session = self.safeground.session
        assert session is not None
        workbook, progress = session.workbook, session.progress
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
        file_name = f"safe-ground-{date.today():%Y-%m-%d}.pdf"
        with Vertical(id="print-box", classes="dialog"):
            yield Label("Print or save pages", classes="dialog-title")
            with VerticalScroll(id="print-body"):
                yield Label("Chapters", classes="print-label")
                yield SelectionList[str](*rows, id="print-chapters")
                yield Checkbox("Include unfinished pages (marked as drafts)", self.include_drafts, id="print-drafts")
                yield Label("Where to", classes="print-label")
                with RadioSet(id="print-destination"):
                    yield RadioButton("A printer", id="to-printer")
                    yield RadioButton("A file", value=True, id="to-file")
                yield Select[str]([], prompt="Looking for printers…", id="print-printer", compact=True, disabled=True)
                with Horizontal(id="print-file-row"):
                    yield Select[str](FORMAT_CHOICES, value="pdf", allow_blank=False, id="print-format", compact=True)
                    yield Input(str(default_folder() / file_name), id="print-path", compact=True)
                yield Static(Content(REMINDER), id="print-reminder")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="print-go", variant="primary", compact=True)
                yield Button("Cancel", id="print-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#print-go", Button).focus()
        self._destination_changed()
        self.find_printers()

    @work(thread=True, exclusive=True, group="printers")
    def find_printers(self) -> None:
        from safeground.export import list_printers

        printers = list_printers()
        self.app.call_from_thread(self._show_printers, printers)

    def _show_printers(self, printers: list[Printer]) -> None:
        self.printers = printers
        select = self.query_one("#print-printer", Select)
        if printers:
            select.set_options(
                [(Content(for_terminal(p.name) + (" (default)" if p.is_default else "")), p.name) for p in printers]
            )
            select.value = printers[0].name
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
        path_input.value = str(path.with_suffix(SUFFIX[str(event.value)]))

    @on(Button.Pressed, "#print-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#print-go")
    def _go(self) -> None:
        chapters = list(self.query_one("#print-chapters", SelectionList).selected)
        if not chapters:
            self.app.notify("Choose at least one chapter.", severity="warning")
            return
        drafts = self.query_one("#print-drafts", Checkbox).value
        if self.to_printer:
            select = self.query_one("#print-printer", Select)
            if select.is_blank():
                self.app.notify(
                    "No printer to print to. Choose 'A file' to save the pages instead.", severity="warning"
                )
                return
            self.run_job(chapters, drafts, printer=str(select.value), path=None, fmt=None)
        else:
            path_text = self.query_one("#print-path", Input).value.strip()
            if not path_text:
                self.app.notify("Give a file name to save to.", severity="warning")
                return
            fmt = str(self.query_one("#print-format", Select).value)
            self.run_job(chapters, drafts, printer=None, path=Path(path_text).expanduser(), fmt=fmt)
        self.query_one("#print-go", Button).disabled = True

    @work(thread=True, exclusive=True, group="print-job")
    def run_job(
        self,
        chapters: list[str],
        drafts: bool,
        *,
        printer: str | None,
        path: Path | None,
        fmt: str | None,
        replace: bool = False,
    ) -> None:
        from safeground.export import ExportError, TargetExists, export_to_file, print_pages

        session = self.safeground.session
        assert session is not None
        try:
            if printer is not None:
                result = print_pages(session.workbook, session.progress, chapters, drafts, session.profile, printer)
                message, warnings = result.message + ".", result.warnings
            else:
                assert path is not None
                exported = export_to_file(
                    session.workbook, session.progress, path, fmt, chapters, drafts, session.profile, replace=replace
                )
                pages = f"{exported.pages} page{'s' if exported.pages != 1 else ''}"
                where = (
                    f"{exported.link_target} (through the link {exported.path})"
                    if exported.link_target
                    else exported.path
                )
                message, warnings = f"Saved {pages} to {where}.", exported.warnings
        except TargetExists as exists:
            self.app.call_from_thread(self._ask_replace, exists, chapters, drafts, fmt)
            return
        except ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._finished, message, warnings)

    def _ask_replace(self, exists: TargetExists, chapters: list[str], drafts: bool, fmt: str | None) -> None:
        """The file is there: replace it only if the person says so; otherwise let them pick another name."""
        from safeground.screens.confirm_replace import ConfirmReplace

        def answered(replace: bool | None) -> None:
            if replace:
                self.run_job(chapters, drafts, printer=None, path=exists.path, fmt=fmt, replace=True)
                return
            self.query_one("#print-go", Button).disabled = False
            self.query_one("#print-path", Input).focus()

        self.app.push_screen(ConfirmReplace(exists.path, exists.link_target), answered)

    def _notify(self, message: str, **options) -> None:
        """A notice that shows ``message`` as it is (it may hold a path or an answer)."""
        self.app.notify(for_terminal(message), markup=False, **options)

    def _failed(self, message: str) -> None:
        self.query_one("#print-go", Button).disabled = False
        self._notify(message, title="Not done", severity="warning", timeout=10)

    def _finished(self, message: str, warnings: tuple[str, ...]) -> None:
        self._notify(message, title="Done", timeout=10)
        for warning in warnings:
            self._notify(warning, severity="warning", timeout=10)
        self.dismiss(None)
