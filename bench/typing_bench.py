"""Typing: one keystroke in a long_text field that already holds 20,000 characters, against the
same keystroke in an empty field on the same page, in-process with Textual's Pilot.

What is timed is the work the keystroke costs the app: the time the event loop spends running
callbacks (the key, the TextArea's edit, the Changed messages, the page's marks, the status line,
and the repaint) from the moment the key is sent until the app has drawn and gone quiet. That is
what has to fit in a 16 ms frame. The wall-clock time until the last frame is drawn is reported
too; it also holds Textual's frame pacing (a refresh waits for the next 1/60 s tick).

The same run checks that saving stays off the keystroke path: every call of ``take_snapshot``,
``to_bytes`` (serialising), ``serialize`` and ``atomic_write`` is recorded with its thread and
whether it came from the autosave tick. Only the snapshot may run on the app's thread, and only at
the tick; serialising and writing belong to the saver thread.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import traceback
from pathlib import Path
from time import perf_counter
from typing import Any

from bench import common
from bench.common import Figure, median
from bench.workbooks import long_text

BIG_CHARS = 20_000
QUIET = 0.05

WORKBOOK_TOML = """id = "typing"
title = "Typing"
version = "1"
description = "A page with two long answers, for the typing benchmark, and a page after it."
chapters = ["typing"]
"""

CHAPTER_TOML = """id = "typing"
title = "Typing"
summary = "Two long answers"
intro = ""

[[pages]]
id = "page"
title = "Two long answers"
text = "Write as much as you like."

[[pages.fields]]
id = "big"
kind = "long_text"
prompt = "The long one"

[[pages.fields]]
id = "empty"
kind = "long_text"
prompt = "The empty one"
required = false

# The page after: the app builds it while the person types on the first and keeps it underneath,
# so the keystrokes are timed with it there, as they are in the workbook.
[[pages]]
id = "after"
title = "The page after"
text = "More to write."

[[pages.fields]]
id = "later"
kind = "long_text"
prompt = "Another long one"
"""


class LoopClock:
    """Adds up the time asyncio spends running callbacks (tasks' steps, timers) while active."""

    def __init__(self) -> None:
        self.active = False
        self.busy = 0.0
        self._original = None

    def __enter__(self) -> LoopClock:
        handle_class = asyncio.events.Handle
        original = handle_class._run
        clock = self

        def _run(handle):
            if not clock.active:
                return original(handle)
            start = perf_counter()
            try:
                return original(handle)
            finally:
                clock.busy += perf_counter() - start

        self._original = original
        handle_class._run = _run
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.events.Handle._run = self._original


#: What saving does, in order; ``serialize`` is the two first steps in one (export, quitting).
SAVING_STEPS = ("take_snapshot", "to_bytes", "serialize", "atomic_write")
#: The steps that produce or write the file's text: never on the app's thread while someone types.
SAVER_THREAD_STEPS = frozenset({"to_bytes", "serialize", "atomic_write"})


class SaveSpy:
    """Records where the saving steps are called from while typing is measured."""

    def __init__(self) -> None:
        self.in_window = False
        self.calls: list[dict[str, Any]] = []
        self._patched: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> SaveSpy:
        import safeground.autosave
        import safeground.session
        import safeground.storage

        for module in (safeground.autosave, safeground.session, safeground.storage):
            for name in SAVING_STEPS:
                original = getattr(module, name, None)
                if callable(original) and not getattr(original, "_bench_spy", False):
                    wrapper = self._wrap(name, original)
                    self._patched.append((module, name, original))
                    setattr(module, name, wrapper)
        return self

    def _wrap(self, name: str, original):
        spy = self

        def wrapper(*args, **kwargs):
            stack = [frame.name for frame in traceback.extract_stack(limit=30)]
            spy.calls.append(
                {
                    "what": name,
                    "thread": threading.current_thread().name,
                    "main_thread": threading.current_thread() is threading.main_thread(),
                    "tick": "_autosave_tick" in stack,
                    "while_typing": spy.in_window,
                }
            )
            return original(*args, **kwargs)

        wrapper._bench_spy = True  # type: ignore[attr-defined]
        return wrapper

    def __exit__(self, *exc: object) -> None:
        for module, name, original in reversed(self._patched):
            setattr(module, name, original)

    def on_keystroke_path(self) -> list[dict[str, Any]]:
        """Saving work done on the app's thread while typing: any step because of a key, and
        serialising or writing at all (the autosave tick only takes the snapshot)."""
        return [
            c
            for c in self.calls
            if c["while_typing"] and c["main_thread"] and (not c["tick"] or c["what"] in SAVER_THREAD_STEPS)
        ]


def make_typing_workbook(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workbook.toml").write_text(WORKBOOK_TOML, encoding="utf-8")
    (folder / "typing.toml").write_text(CHAPTER_TOML, encoding="utf-8")
    return folder


async def _measure(workbook_dir: Path, data_dir: Path, reps: int, big_chars: int) -> dict[str, Any]:
    from textual import events
    from textual.widgets import TextArea

    from bench.workbooks import prepare_data_dir
    from safeground.app import SafeGroundApp
    from safeground.loader import load_workbook
    from safeground.progress import Progress
    from safeground.storage import ProgressStore

    workbook = load_workbook(workbook_dir)
    progress = Progress(workbook.id, workbook.version)
    text = long_text(big_chars)
    progress.set(workbook, "typing", "page", "big", text)
    progress.set(workbook, "typing", "after", "later", text[:2000])
    prepare_data_dir(data_dir, workbook, progress)
    store = ProgressStore(data_dir, "default", workbook.id)
    app = SafeGroundApp(workbook, store, animate=False)
    busy: dict[str, list[float]] = {"big": [], "empty": []}
    drawn: dict[str, list[float]] = {"big": [], "empty": []}
    with SaveSpy() as spy, LoopClock() as clock:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.open_page("typing", "page", "big")
            for _ in range(100):
                await pilot.pause()
                if getattr(app.screen, "next_ready", None) is not None:
                    break
            else:
                raise RuntimeError("the page after was never got ready underneath")
            areas = {name: app.screen.query_one(f"#field-{name} TextArea", TextArea) for name in ("big", "empty")}
            if len(areas["big"].text) != len(text):
                raise RuntimeError(f"the big field holds {len(areas['big'].text)} characters, not {len(text)}")
            for area in areas.values():
                area.cursor_blink = False
            displays: list[float] = []
            real_display = app._display

            def display(*args, **kwargs):
                result = real_display(*args, **kwargs)
                displays.append(perf_counter())
                return result

            app._display = display  # type: ignore[method-assign]

            async def settle() -> None:
                await pilot.pause()
                await asyncio.sleep(QUIET)

            warmup = 0 if common.QUICK else 1
            for round_number in range(reps + warmup):
                order = ("big", "empty") if round_number % 2 == 0 else ("empty", "big")
                for name in order:
                    area = areas[name]
                    area.focus()
                    area.move_cursor(area.document.end)
                    await settle()
                    displays.clear()
                    clock.busy = 0.0
                    spy.in_window = True
                    clock.active = True
                    start = perf_counter()
                    key = events.Key("x", "x")
                    key.set_sender(app)
                    app._driver.send_message(key)
                    deadline = start + 5
                    while perf_counter() < deadline:
                        await asyncio.sleep(0.002)
                        if displays and perf_counter() - displays[-1] > QUIET:
                            break
                    clock.active = False
                    spy.in_window = False
                    if not displays:
                        raise RuntimeError("the keystroke was never drawn")
                    if round_number >= warmup:  # the first round warms up
                        busy[name].append(clock.busy)
                        drawn[name].append(displays[-1] - start)
                    await pilot.press("backspace")
                    await settle()
            final = {name: len(area.text) for name, area in areas.items()}
        app._display = real_display  # type: ignore[method-assign]
    return {
        "busy": busy,
        "drawn": drawn,
        "final_lengths": final,
        "save_calls": spy.calls,
        "on_keystroke_path": spy.on_keystroke_path(),
    }


def measure(folder: Path, reps: int, big_chars: int = BIG_CHARS) -> dict[str, Any]:
    workbook_dir = make_typing_workbook(folder / "workbook")
    return asyncio.run(_measure(workbook_dir, folder / "data", reps, big_chars))


def run(folder: Path, reps: int, big_chars: int = BIG_CHARS) -> list[Figure]:
    result = measure(folder, reps, big_chars)
    busy, drawn = result["busy"], result["drawn"]
    path = result["on_keystroke_path"]
    calls = result["save_calls"]
    ticks = sum(1 for c in calls if c["what"] == "take_snapshot" and c["tick"])
    serialised = sum(1 for c in calls if c["what"] in ("to_bytes", "serialize") and not c["main_thread"])
    writes_elsewhere = sum(1 for c in calls if c["what"] == "atomic_write" and c["main_thread"])
    note = (
        f"saving on the keystroke path: {len(path)} call(s); snapshots at the autosave tick: {ticks}; "
        f"serialised on the saver thread: {serialised}; atomic writes off the saver thread: {writes_elsewhere}"
    )
    figure = Figure(
        "Typing",
        f"keystroke in a long_text holding {big_chars:,} characters (loop busy time)",
        median(busy["big"]),
        len(busy["big"]),
        "same keystroke, empty field",
        median(busy["empty"]),
        "seconds",
        0.016,
        note=note,
        extra={"save_calls": calls, "final_lengths": result["final_lengths"]},
    )
    if path:
        figure.note += " -- SAVING RAN ON THE KEYSTROKE PATH"
        figure.extra["violations"] = path
    return [
        figure,
        Figure(
            "Typing",
            "same keystroke, until its last frame is drawn (wall clock, frame pacing included)",
            median(drawn["big"]),
            len(drawn["big"]),
            "same, empty field",
            median(drawn["empty"]),
        ),
    ]


if __name__ == "__main__":  # python -m bench.typing_bench: a quick look on its own
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        for f in run(Path(temp), int(sys.argv[1]) if len(sys.argv) > 1 else 10):
            print(f.name, f.value, f.baseline, f.note)
