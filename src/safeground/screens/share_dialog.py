"""Sharing with a partner: the safety note shown first, the share dialog, and asking for a file.

- :class:`SafetyNote`: before the first share and the first compare (the app remembers, per
  profile): comparing is for talking, not scoring; nobody has to; F1 has people to talk to.
- :class:`ShareDialog`: the completed pages that can be shared, none ticked; what each ticked
  page would put in the file, word for word; the name to appear under; where to save. It
  dismisses with a :class:`ShareRequest`, and the app writes the file through
  :func:`safeground.share.fileformat.save_chosen`, which chooses again by the same rules: a
  private question never reaches the file, whatever reached this dialog.
- :class:`FileDialog`: a file name to open or save (the share file to compare, the sheet).

Everything from outside (answers, titles, paths) is drawn as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from safeground.share.choosing import preview, shareable_pages
from safeground.widgets.plain import plain, plain_lines

if TYPE_CHECKING:
    from safeground.content import Workbook
    from safeground.progress import Progress

SAFETY_NOTE = """\
Comparing answers is for talking, not for scoring. Different answers are not wrong ones: they show \
where there is something to learn about each other.

You don't have to share or compare anything. If talking about this with your partner doesn't feel \
safe, trust that feeling: F1 has people you can talk to, in confidence.

Only the pages you tick are shared, and never a question marked private."""
PLAIN_TEXT_NOTE = "A share file is plain text (TOML): anyone who opens it can read what you tick here."


@dataclass(frozen=True)
class ShareRequest:
    """What the share dialog asks for: pages as ``chapter/page``, the name, the file."""

    page_keys: tuple[str, ...]
    name: str
    path: Path


class SafetyNote(ModalScreen[bool]):
    """Dismisses True to go on, False to leave it for now."""

    DEFAULT_CSS = """
    SafetyNote #safety-box { width: 72; max-width: 100%; height: auto; }
    SafetyNote #safety-text { margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "not_now", "Not now")]

    def __init__(self, doing: str) -> None:
        super().__init__()
        #: "share" or "compare": what the button goes on to.
        self.doing = doing

    def compose(self) -> ComposeResult:
        with Vertical(id="safety-box", classes="dialog"):
            yield Label("Before you " + self.doing, classes="dialog-title")
            yield Static(Content(SAFETY_NOTE), id="safety-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Go on", id="safety-go", variant="primary", compact=True)
                yield Button("Not now", id="safety-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#safety-go", Button).focus()

    @on(Button.Pressed, "#safety-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#safety-no")
    def action_not_now(self) -> None:
        self.dismiss(False)


def default_share_path() -> Path:
    from safeground.screens.print_dialog import default_folder

    return default_folder() / f"safe-ground-share-{date.today():%Y-%m-%d}.toml"


class ShareDialog(ModalScreen[ShareRequest | None]):
    """The pages to share (none ticked), what they hold, the name, the file."""

    DEFAULT_CSS = """
    ShareDialog #share-box { width: 100; max-width: 100%; height: 100%; max-height: 40; }
    ShareDialog #share-body { height: 1fr; }
    ShareDialog #share-pages { height: auto; max-height: 10; }
    ShareDialog #share-preview { height: auto; margin: 1 0; color: $text-muted; }
    ShareDialog .share-label { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, workbook: Workbook, progress: Progress, path: Path | None = None) -> None:
        super().__init__()
        self.pages = shareable_pages(workbook, progress)
        self.path = path

    def compose(self) -> ComposeResult:
        rows = [(plain(f"{p.chapter.title} › {p.page.title}"), p.key, False) for p in self.pages]
        with Vertical(id="share-box", classes="dialog"):
            yield Label("Share with your partner", classes="dialog-title")
            with VerticalScroll(id="share-body"):
                if rows:
                    yield Label("Tick the pages to share (completed pages only)", classes="share-label")
                    yield SelectionList[str](*rows, id="share-pages")
                else:
                    yield Static(Content("No page is complete yet: a page can be shared once it is."))
                yield Static(Content("Nothing is ticked yet."), id="share-preview")
                yield Label("Your name as your partner will see it (leave empty for none)", classes="share-label")
                yield Input("", placeholder="No name", id="share-name", compact=True)
                yield Label("Save to", classes="share-label")
                yield Input(str(self.path or default_share_path()), id="share-path", compact=True)
                yield Static(Content(PLAIN_TEXT_NOTE), id="share-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="share-go", variant="primary", compact=True)
                yield Button("Cancel", id="share-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#share-pages" if self.pages else "#share-cancel").focus()

    @property
    def chosen(self) -> list[str]:
        if not self.pages:
            return []
        ticked = set(self.query_one("#share-pages", SelectionList).selected)
        return [p.key for p in self.pages if p.key in ticked]

    @on(SelectionList.SelectedChanged, "#share-pages")
    def _show_preview(self) -> None:
        chosen = set(self.chosen)
        lines: list[str] = []
        for page in self.pages:
            if page.key in chosen:
                lines.append(f"{page.page.title}:")
                lines.extend(f"  {line}" for line in preview(page))
        text = "What will be in the file:\n" + "\n".join(lines) if lines else "Nothing is ticked yet."
        self.query_one("#share-preview", Static).update(plain_lines(text))

    @on(Button.Pressed, "#share-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#share-go")
    @on(Input.Submitted)
    def _go(self) -> None:
        chosen = self.chosen
        if not chosen:
            self.notify("Tick at least one page to share.", severity="warning")
            return
        path = self.query_one("#share-path", Input).value.strip()
        if not path:
            self.notify("Give a file name to save to.", severity="warning")
            return
        name = self.query_one("#share-name", Input).value.strip()
        self.dismiss(ShareRequest(tuple(chosen), name, Path(path).expanduser()))


class FileDialog(ModalScreen[Path | None]):
    """Asks for one file name: ``title``, a line saying what it is for, and the name to start with."""

    DEFAULT_CSS = """
    FileDialog #file-box { width: 80; max-width: 100%; height: auto; }
    FileDialog #file-about { margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, about: str, start: str = "", button: str = "Open") -> None:
        super().__init__()
        self.heading = title
        self.about = about
        self.start = start
        self.button = button

    def compose(self) -> ComposeResult:
        with Vertical(id="file-box", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(Content(self.about), id="file-about")
            yield Input(self.start, placeholder="A file name", id="file-path", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.button, id="file-go", variant="primary", compact=True)
                yield Button("Cancel", id="file-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#file-path", Input).focus()

    @on(Button.Pressed, "#file-go")
    @on(Input.Submitted, "#file-path")
    def _go(self) -> None:
        text = self.query_one("#file-path", Input).value.strip()
        if not text:
            self.notify("Give a file name.", severity="warning")
            return
        self.dismiss(Path(text).expanduser())

    @on(Button.Pressed, "#file-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
