"""A diagnostic for start-up: the home screen's widgets and stylesheet, with none of Safe Ground's code.

The same widget tree as safeground/screens/home.py (header, title, purpose, continue button, a list
of four chapter rows drawn as text with their bars, the overall bar, the keys line, footer), the same
safeground.tcss, the same key bindings and breakpoints, filled with fixed text. Nothing from the
safeground package is imported, nothing is read from disk but the stylesheet. Started and
ready-marked like bench/minimal_app.py, it shows how much of Safe Ground's start-up is Textual
drawing this screen, and so how much is left for Safe Ground's own code to explain.
Keep it in step with the home screen when that changes shape.
"""

import os
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, ListItem, ListView, Static

READY_FD_ENV = "SAFEGROUND_BENCH_READY_FD"
CSS = Path(__file__).resolve().parent.parent / "src" / "safeground" / "safeground.tcss"
CHAPTERS = [
    ("What emotional safety is", "What safety feels like, and what it lets each of you do", 6),
    ("Seeing your partner as a friend", "The friendship underneath, and how it was built", 5),
    ("When you disagree", "Respect in conflict, and what each of you brings to it", 4),
    ("Fighting fair", "Ground rules, gentle starts, time-outs and repair", 5),
]


def announce_ready() -> None:
    descriptor = os.environ.pop(READY_FD_ENV, None)
    if descriptor:
        try:
            os.write(int(descriptor), b"ready\n")
            os.close(int(descriptor))
        except (ValueError, OSError):
            pass


class Row(ListItem):
    def __init__(self, title: str, summary: str, pages: int) -> None:
        super().__init__(classes="chapter-row -complete")
        self.title_text, self.summary, self.pages = title, summary, pages

    def render(self) -> Content:
        # Drawn as text, one widget per row, as the home screen's rows are.
        width = self.content_size.width
        title = Content(self.title_text).truncate(max(1, width - 38), ellipsis=True, pad=True)
        line = Content.styled(title.plain, "bold") + Content("  ") + Content.styled("━" * 20, "$primary")
        line += Content("  ") + Content.styled(f"✓ {self.pages}/{self.pages} pages", "$success")
        return Content("\n").join([line, Content.styled("  " + self.summary, "dim")])


class Home(Screen):
    BINDINGS = [("c", "continue", "Continue"), Binding("down", "focus_chapters", "Chapters", show=False)]

    def compose(self) -> ComposeResult:
        total = sum(pages for _, _, pages in CHAPTERS)
        yield Header()
        with VerticalScroll(id="home"):
            yield Label(Content("Safe Ground"), id="home-title")
            yield Static(Content("A gentle workbook about how safe you feel with your partner."), id="home-purpose")
            yield Button(Content("Continue: Fighting fair · More support"), id="continue", variant="primary")
            yield ListView(*[Row(*chapter) for chapter in CHAPTERS], id="chapters")
            yield Static(
                Content.styled(f"Overall: {total} of {total} pages complete", "dim")
                + Content("\n")
                + Content.styled("━" * 32, "$primary")
                + Content("  100%"),
                id="overall",
            )
            yield Static(
                Content("F1 support · Ctrl+R review · F2 print or save · Esc Esc or F12 quick exit · Ctrl+P commands"),
                id="home-keys",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()
        self.call_after_refresh(announce_ready)


class ReplicaApp(App[None]):
    CSS_PATH = str(CSS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS = [
        Binding("f1", "support", "Support", priority=True),
        Binding("question_mark", "support", "Support", show=False),
        Binding("f12", "quick_exit", "Quick exit", priority=True),
        Binding("ctrl+r", "review", "Review"),
        Binding("f2", "print_dialog", "Print", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def on_mount(self) -> None:
        self.title = "Safe Ground"
        self.push_screen(Home())


if __name__ == "__main__":
    ReplicaApp().run()
