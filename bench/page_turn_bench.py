"""Page turns: Ctrl+N on a chapter page until the next page's title is on the screen, in-process
with Textual's Pilot, against a bare Textual app switching from one screen to the next.

The built-in workbook, fully answered, is turned through from its first page to its last, every
page once per pass (a chapter's last page opens the next chapter). The baseline app has one Label
per screen and switches to a new screen on Ctrl+N. Passes alternate: a pass of the workbook, a
pass of the baseline with as many switches, and so on, so a busy machine weighs on both alike.

Between turns the bench waits half a second, a person reading the page (the chapter screen gets
the next page ready meanwhile); a third pass leafs through, Ctrl+N 50 ms after each page is drawn,
and is reported without a budget.

"On the screen" is the first frame the app draws (``App._display``, outside a batch update) in
which the new page is the one shown and its title is laid out; the clock runs from the moment the
key is handed to the app's driver.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

from bench import common
from bench.common import Figure, median

SIZE = (100, 30)
#: Between turns: a person reading the page (the budgeted figures), and someone holding Ctrl+N
#: to leaf through (a figure without a budget: the next page may still be getting ready).
READING = 0.5
LEAFING = 0.05
#: The budgets the issue sets: the median turn, and the slowest page's median, against the baseline.
MEDIAN_LIMIT = 3.0
PAGE_LIMIT = 5.0


class FrameWatch:
    """Notes when the app draws a frame in which ``ready()`` holds."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.ready: Callable[[], bool] = lambda: False
        self.at: float | None = None
        self._real = app._display

        def display(screen: Any, renderable: Any) -> None:
            self._real(screen, renderable)
            if self.at is None and renderable is not None and not app._batch_count and self.ready():
                self.at = perf_counter()

        app._display = display

    async def turn(self, key: str, ready: Callable[[], bool], pause: float, timeout: float = 10.0) -> float:
        from textual import events

        self.ready, self.at = ready, None
        start = perf_counter()
        event = events.Key(key, None)
        event.set_sender(self.app)
        self.app._driver.send_message(event)
        while self.at is None:
            if perf_counter() - start > timeout:
                raise RuntimeError("the next screen was never drawn")
            await asyncio.sleep(0.001)
        took = self.at - start
        await asyncio.sleep(pause)
        return took


def _title_shown(app: Any, chapter_id: str, page_id: str) -> bool:
    from textual.errors import NoWidget

    from safeground.screens.chapter import ChapterScreen

    screen = app.screen
    if not isinstance(screen, ChapterScreen) or screen.chapter.id != chapter_id or screen.page.id != page_id:
        return False
    # The page shown (a chapter screen keeps the next page ready underneath), and its title the
    # widget drawn on top where it stands: laid out and not covered.
    titles = getattr(screen, "shown", screen).query(".page-title")
    if not titles:
        return False
    title = titles.first()
    region = title.region
    if region.height == 0:
        return False
    try:
        top, _ = screen.get_widget_at(region.x, region.y)
    except NoWidget:
        return False
    return top is title


async def _workbook_pass(data_dir: Path, pages: list[tuple[str, str]], pause: float) -> list[float]:
    """One pass: open the first page, then Ctrl+N through every other page, timing each turn."""
    from safeground.app import SafeGroundApp
    from safeground.loader import load_workbook
    from safeground.storage import ProgressStore

    workbook = load_workbook()
    app = SafeGroundApp(workbook, ProgressStore(data_dir, "default", workbook.id), animate=False)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_page(*pages[0])
        for _ in range(10):
            await pilot.pause()
        await asyncio.sleep(pause)
        watch = FrameWatch(app)
        for chapter_id, page_id in pages[1:]:
            times.append(await watch.turn("ctrl+n", lambda c=chapter_id, p=page_id: _title_shown(app, c, p), pause))
    return times


async def _baseline_pass(switches: int, pause: float) -> list[float]:
    """The same number of turns in a bare Textual app: a new screen with one Label each time."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Label

    class Page(Screen):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

        def compose(self) -> ComposeResult:
            yield Label(f"Page {self.number}", id="title")

    class Bare(App[None]):
        BINDINGS = [("ctrl+n", "next_page", "Next")]

        def __init__(self) -> None:
            super().__init__()
            self.number = 0

        def on_mount(self) -> None:
            self.push_screen(Page(0))

        def action_next_page(self) -> None:
            self.number += 1
            self.switch_screen(Page(self.number))

    def shown(app: Bare, number: int) -> bool:
        screen = app.screen
        return isinstance(screen, Page) and screen.number == number and screen.query_one("#title").region.height > 0

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        watch = FrameWatch(app)
        for number in range(1, switches + 1):
            times.append(await watch.turn("ctrl+n", lambda n=number: shown(app, n), pause))
    return times


def measure(folder: Path, passes: int) -> dict[str, Any]:
    from bench.workbooks import builtin, fully_answered, prepare_data_dir

    workbook = builtin()
    pages = [(chapter.id, page.id) for chapter in workbook.chapters for page in chapter.pages]
    kinds = {
        (chapter.id, page.id): "+".join(sorted({field.kind for field in page.fields}))
        for chapter in workbook.chapters
        for page in chapter.pages
    }
    turns: dict[tuple[str, str], list[float]] = {page: [] for page in pages[1:]}
    leafing: list[float] = []
    baseline: list[float] = []
    warmup = 0 if common.QUICK else 1
    for number in range(warmup + passes):
        data_dir = prepare_data_dir(folder / f"data-{number}", workbook, fully_answered(workbook, 400))
        order = ("workbook", "baseline", "leafing") if number % 2 == 0 else ("leafing", "baseline", "workbook")
        for which in order:
            if which == "workbook":
                times = asyncio.run(_workbook_pass(data_dir, pages, READING))
                if number >= warmup:
                    for page, took in zip(pages[1:], times, strict=True):
                        turns[page].append(took)
            elif which == "leafing":
                leaf_dir = prepare_data_dir(folder / f"leaf-{number}", workbook, fully_answered(workbook, 400))
                times = asyncio.run(_workbook_pass(leaf_dir, pages, LEAFING))
                if number >= warmup:
                    leafing.extend(times)
            else:
                times = asyncio.run(_baseline_pass(len(pages) - 1, READING))
                if number >= warmup:
                    baseline.extend(times)
    return {"turns": turns, "leafing": leafing, "baseline": baseline, "kinds": kinds}


def run(folder: Path, passes: int) -> list[Figure]:
    result = measure(folder, passes)
    turns: dict[tuple[str, str], list[float]] = result["turns"]
    base = median(result["baseline"])
    every = [took for times in turns.values() for took in times]
    per_page = {page: median(times) for page, times in turns.items()}
    slowest = max(per_page, key=lambda page: per_page[page])
    note = (
        f"the built-in workbook, fully answered, {len(turns)} turns a pass at {SIZE[0]}x{SIZE[1]}; "
        f"slowest page {slowest[0]}/{slowest[1]} ({result['kinds'][slowest]})"
    )
    return [
        Figure(
            "Page turn",
            "Ctrl+N to the next page's title drawn, every page (median)",
            median(every),
            len(every),
            "bare Textual app: switch to a new screen",
            base,
            "ratio",
            MEDIAN_LIMIT,
            note=note,
        ),
        Figure(
            "Page turn",
            "the slowest page (its median)",
            per_page[slowest],
            len(turns[slowest]),
            "bare Textual app: switch to a new screen",
            base,
            "ratio",
            PAGE_LIMIT,
            extra={"per_page": {f"{c}/{p}": t for (c, p), t in per_page.items()}},
        ),
        Figure(
            "Page turn",
            f"leafing: Ctrl+N again {LEAFING * 1000:.0f} ms after each page is drawn (median)",
            median(result["leafing"]),
            len(result["leafing"]),
            "bare Textual app: switch to a new screen",
            base,
            note="no budget: the next page may still be getting ready when the key comes",
        ),
    ]
