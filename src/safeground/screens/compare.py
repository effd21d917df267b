"""Compare: your answers and your partner's, side by side, page by page.

Made with a :class:`~safeground.share.compare.Comparison` (the app reads the share file and
compares; this screen only shows). At the top, how to use it and the summary: the widest gaps,
the pages only one of you answered, what couldn't be matched. Then each page you both answered,
each question with the two answers in two columns, what they have in common, and the page's "to
talk about" prompt. ``s`` asks the app for a conversation sheet (:class:`SheetWanted`).

Everything on it came from a file someone else made, or from the workbook: it is drawn as plain
text (``plain``/``plain_lines``), so ``[b]`` is two brackets and a letter, and an escape sequence
is a visible ␛.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from safeground.share.compare import YOU, Comparison, PageComparison, Row, capital
from safeground.share.sheet import FOR_TALKING, heading_line, summary_lines
from safeground.widgets.footer import SafeFooter
from safeground.widgets.plain import plain, plain_lines


class SheetWanted(Message):
    """Save this comparison as a conversation sheet (the app asks where, then writes it)."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison


class SheetPrintWanted(Message):
    """Print this comparison as a conversation sheet on the default printer."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison


class CompareScreen(Screen):
    DEFAULT_CSS = """
    CompareScreen #compare { padding: 0 1; }
    CompareScreen .cmp-heading { text-style: bold; margin-top: 1; }
    CompareScreen .cmp-page { text-style: bold; margin-top: 1; color: $accent; }
    CompareScreen .cmp-prompt { margin-top: 1; text-style: bold; }
    CompareScreen .cmp-row { height: auto; }
    CompareScreen .cmp-side { width: 1fr; height: auto; padding-right: 2; }
    CompareScreen .cmp-notes { color: $text-muted; }
    CompareScreen .cmp-talk { margin-top: 1; text-style: italic; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("s", "sheet", "Save sheet…"),
        Binding("p", "print_sheet", "Print sheet"),
    ]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="compare"):
            yield Static(plain(heading_line(self.comparison)), classes="cmp-heading")
            yield Static(plain_lines(FOR_TALKING))
            for title, lines in summary_lines(self.comparison):
                yield Static(plain(title), classes="cmp-heading")
                yield Static(plain_lines("\n".join(f"• {line}" for line in lines)))
            if not self.comparison.pages:
                yield Static(plain("There is no page you both answered yet."), classes="cmp-heading")
            for page in self.comparison.pages:
                yield from self._page(page)
        yield SafeFooter()

    def on_mount(self) -> None:
        self.title = f"Side by side with {self.comparison.them}"

    def _page(self, page: PageComparison) -> ComposeResult:
        yield Static(plain(f"{page.chapter.title} › {page.title}"), classes="cmp-page")
        for row in page.rows:
            yield from self._row(row)
        if page.discuss:
            yield Static(plain_lines(f"To talk about: {page.discuss}"), classes="cmp-talk")

    def _row(self, row: Row) -> ComposeResult:
        yield Static(plain(row.prompt), classes="cmp-prompt")
        yield Horizontal(
            self._side(YOU, row.you), self._side(capital(self.comparison.them), row.them), classes="cmp-row"
        )
        if row.notes:
            yield Static(plain_lines("\n".join(row.notes)), classes="cmp-notes")

    @staticmethod
    def _side(who: str, lines: tuple[str, ...]) -> Widget:
        return Static(plain_lines("\n".join((f"{who}:", *(lines or ("(no answer)",))))), classes="cmp-side")

    def action_sheet(self) -> None:
        self.post_message(SheetWanted(self.comparison))

    def action_print_sheet(self) -> None:
        self.post_message(SheetPrintWanted(self.comparison))

    def action_close(self) -> None:
        self.dismiss()
