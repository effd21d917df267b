"""Crashes: the real app in a pseudo-terminal, killed with SIGKILL at random moments.

Each run starts ``safeground`` in its own terminal, presses Enter on the contents page (which opens
the page to continue, cursor in the long answer), types like a person, and is killed: at a random
moment, as soon as a save is under way (a temp file exists), or while it is still starting. After
every kill:

- the progress file parses and loads, and so does its ``.bak``;
- it holds everything the app had on screen more than one second before the kill (and nothing
  that wasn't typed);
- nothing is left behind except, after a kill in the middle of a save, that save's temp file
  (``.tmp-safe-ground.toml.*``): no process can tidy up after SIGKILL. The next start removes it
  under the profile's lock, before showing anything, and that is checked too.

Three chains of runs go side by side, each on its own data folder, two of them with slow saves
(each fsync and backup link followed by a short pause) so that kills land inside saves often.

When a keystroke counts as typed. The promise is about what the app has. A key the test wrote
to the terminal that the app has not read yet (starved of CPU, say, by two busy processes on a
two-core machine beside the other chains' apps) is not the app's to save, however long it waits
there; counting from the write made the test fail on a loaded machine with autosave working. So a
key counts from the moment the app has drawn it: the test keeps a copy of the screen from the
app's output (:class:`Screen`) and, after each frame the app finishes, reads the answer's text
before the cursor. That is the typing up to the last key the app has handled (read, put in the
answer, drawn): the first sign from outside that the app has a key. The draw comes a frame after
the change and the test looks every POLL seconds, so the moment noted is late by a few tens of
milliseconds at most, in the app's favour, against a budget of a second. Frames are taken whole:
the test tells Textual, which asks as it starts, that the terminal has synchronised output (DEC
mode 2026, as most terminals do), so each frame comes between two markers and half a frame is
never read as the screen. Each typing run first waits for the letter it syncs on to show at the
cursor, so a screen the test can no longer read fails loudly instead of requiring nothing.

The plans are random but seeded: each chain, and each run in it, draws from a fixed seed, printed
with the result and in every failure (``SAFEGROUND_CRASH_SEED=N`` runs another). A replay repeats
the plan (modes, words, pauses, kill moments); the machine's timing, and the slow saves' pauses
(drawn in the child), still differ.

SIGTERM and SIGHUP (sent, and the terminal really closed) save everything and exit cleanly.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.cells import cell_len

from harness_pty import ENTER, WAIT, PtyApp, welcomed_data_dir
from safeground.loader import load_workbook
from safeground.storage import TEMP_PREFIX, ProgressStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and signals are POSIX")

CHAPTER, PAGE, FIELD = "what-safety-is", "safety-and-security", "why-now"
PAGE_TITLE = "Two words that sound alike"
#: What the app promises: a crash loses at most the last second of typing.
BUDGET = 1.0
CHAINS = 3
RUNS_PER_CHAIN = 18  # 54 kills
WORDS = "we talk about the small things first then the hard ones slowly café naïve ünïcode 💛 ø 日本".split()
#: Where every run's plan comes from (see the module's docstring); SAFEGROUND_CRASH_SEED replays another.
RANDOM_SEED = int(os.environ.get("SAFEGROUND_CRASH_SEED") or 1)
#: How often a typing thread looks at the clock, the screen and the profile folder between words.
#: Three threads looking every 2 ms took CPU from the apps they watch on a small machine; every
#: 10 ms still sees each slow save's temp file (it lives through an fsync and a pause of 20 ms or more).
POLL = 0.01
#: Terminal size (columns, rows), as PtyApp's default.
SIZE = (100, 30)

SEED = f"""format = 1
workbook = "safe-ground"

[position]
chapter = "{CHAPTER}"
page = "{PAGE}"
field = "{FIELD}"
"""

# -- the screen, as the app drew it ------------------------------------------------------------

#: Textual asks the terminal whether it has synchronised output; the test answers yes ("supported,
#: off"), and from then on the app brackets each frame, ending it with FRAME_END.
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = "\x1b[?2026;2$y"
FRAME_END = b"\x1b[?2026l"
#: The text area's "tall" border: a left edge, the top edge, a right edge. Typed text has none of them.
LEFT_EDGE, TOP_EDGE, RIGHT_EDGE = "▊", "▔", "▎"
_TOKEN = re.compile(
    r"\x1b\[([0-9;?]*)[ -/]*([@-~])"  # CSI: the cursor moves (H) and screen clears (J) count
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b."  # the rest: ignored
    r"|([^\x1b\r\n]+)|(\r)|(\n)",
    re.DOTALL,
)
#: Colours and styles, dropped in one pass first: most of a frame, and of no use here.
_STYLE = re.compile(r"\x1b\[[0-9;]*m")
#: Characters one cell wide: ASCII, Latin letters (not the combining marks after them), box drawing
#: and block elements (borders, scrollbars). Runs of these are written at once, the rest one by one.
_NARROW = re.compile(r"[\x20-\x7e\u00a0-\u02ff\u2500-\u259f]*")


class Screen:
    """What the app has drawn: a grid of cells kept from its terminal output. Only what a Textual
    app uses to draw is followed (cursor moves, text, line breaks, clearing); colours are ignored.
    A frame ends with the cursor moved to where the focused text area has it."""

    def __init__(self, app: PtyApp, size: tuple[int, int] = SIZE):
        self.app = app
        self.columns, self.rows = size
        self.cells = self._blank()
        self.row = self.column = 0
        self.applied = 0  # bytes of the app's output applied so far (up to the end of a frame)

    def _blank(self) -> list[list[str]]:
        return [[" "] * self.columns for _ in range(self.rows)]

    def before_cursor(self) -> tuple[float, str | None]:
        """Apply the frames the app finished since the last call. Returns the moment the output
        was read and the text before the cursor in the text area the last finished frame shows
        (a soft-wrapped line's break and runs of spaces as one space); None if its cursor is not
        in a text area whose top is in view."""
        output = self.app.output
        moment = time.monotonic()  # everything in ``output`` had arrived by now
        end = output.rfind(FRAME_END, self.applied)
        if end >= 0:
            end += len(FRAME_END)
            self._apply(output[self.applied : end].decode("utf-8", "replace"))
            self.applied = end
        return moment, self._text_before_cursor()

    def _apply(self, text: str) -> None:
        for match in _TOKEN.finditer(_STYLE.sub("", text)):
            params, final, printable, carriage_return, line_feed = match.groups()
            if printable:
                self._print(printable)
            elif final == "H":
                row, _, column = (params or "").partition(";")
                self.row, self.column = int(row or 1) - 1, int(column or 1) - 1
            elif final == "J" and params in ("2", "3"):
                self.cells = self._blank()
            elif carriage_return:
                self.column = 0
            elif line_feed:
                self.row += 1

    def _print(self, text: str) -> None:
        line = self.cells[self.row] if 0 <= self.row < self.rows else None
        if _NARROW.fullmatch(text):  # most of it: one cell a character, written at once
            if line is not None and 0 <= self.column < self.columns:
                line[self.column : self.column + len(text)] = text[: self.columns - self.column]
            self.column += len(text)
            return
        for character in text:
            width = cell_len(character)
            if line is not None and width and 0 <= self.column < self.columns:
                line[self.column] = character
                if width == 2 and self.column + 1 < self.columns:
                    line[self.column + 1] = ""  # the second half of a wide character
            self.column += width

    def _text_before_cursor(self) -> str | None:
        row, column = self.row, min(self.column, self.columns)
        if not 0 <= row < self.rows:
            return None
        line = self.cells[row]
        edges = [x for x in range(column) if line[x] == LEFT_EDGE]
        if not edges:
            return None
        edge = edges[-1]
        start = edge + 2  # the border, then a cell of padding
        if column < start:
            return None
        parts = ["".join(line[start:column])]
        above = row - 1
        while above >= 0 and self.cells[above][edge] == LEFT_EDGE and self.cells[above][edge + 1] != TOP_EDGE:
            parts.append(self._content(above, start))
            above -= 1
        if above < 0 or self.cells[above][edge] != LEFT_EDGE:
            return None  # the text area's top is out of view: its start is not on the screen
        return re.sub(r"\s+", " ", " ".join(reversed(parts)))

    def _content(self, row: int, start: int) -> str:
        line = self.cells[row]
        stop = line.index(RIGHT_EDGE, start) if RIGHT_EDGE in line[start:] else self.columns
        return "".join(line[start:stop])

    def dump(self) -> str:
        return "\n".join("".join(line).rstrip() for line in self.cells)


def _progress_path(data_dir: Path) -> Path:
    return data_dir / "default" / "safe-ground.toml"


def _leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "default").iterdir() if p.name.startswith(TEMP_PREFIX))


def _answer(path: Path) -> str:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return document.get("answers", {}).get(CHAPTER, {}).get(PAGE, {}).get(FIELD, "")


def _inserted_count(saved: str, base: str, typed: str) -> int | None:
    """How many of ``typed``'s first characters ``saved`` holds, inserted in one place in ``base``
    (wherever the cursor was); None if ``saved`` is anything else."""
    count = len(saved) - len(base)
    if not 0 <= count <= len(typed):
        return None
    piece = typed[:count]
    for at in range(len(base) + 1):
        if saved[:at] == base[:at] and saved[at : at + count] == piece and saved[at + count :] == base[at:]:
            return count
    return None


@dataclass
class Run:
    chain: int
    number: int
    mode: str
    base: str = ""
    typed: str = ""
    #: (moment the chunk was handed to the terminal, characters typed up to and including it)
    chunks: list[tuple[float, int]] = field(default_factory=list)
    #: The answer's text before the cursor on screen when the typing began (the letter synced on).
    prefix: str = ""
    #: (moment a frame was seen, characters of ``typed`` it shows before the cursor), growing
    shown: list[tuple[float, int]] = field(default_factory=list)
    killed_at: float = 0.0
    saved_count: int = 0
    lag: float = 0.0  # how long the oldest unsaved key the app had drawn had been on screen
    typed_lag: float = 0.0  # how long before the kill the oldest unsaved key was typed (drawn or not)
    leftovers: list[str] = field(default_factory=list)

    def look(self, screen: Screen) -> None:
        """Note how much of the typing the app's newest finished frame shows."""
        moment, text = screen.before_cursor()
        if text is None or not text.startswith(self.prefix) or not (self.prefix + self.typed).startswith(text):
            return
        count = len(text) - len(self.prefix)
        if count > self.seen():
            self.shown.append((moment, count))

    def seen(self) -> int:
        return self.shown[-1][1] if self.shown else 0

    def required(self) -> int:
        """Characters the app had drawn more than BUDGET seconds before the kill: these must be on disk."""
        return max((count for moment, count in self.shown if moment <= self.killed_at - BUDGET), default=0)

    def draw_delay(self) -> float:
        """The longest a key waited between being typed and being drawn by the app."""
        return max(
            (moment - min(at for at, typed in self.chunks if typed >= count) for moment, count in self.shown),
            default=0.0,
        )

    def describe(self) -> str:
        return f"chain {self.chain} run {self.number} ({self.mode}; replay with SAFEGROUND_CRASH_SEED={RANDOM_SEED})"


def _open_page(app: PtyApp) -> None:
    """Enter on the contents page continues on the page we were on."""
    app.wait_for("pages complete")  # the home screen's overall line
    drawn = app.output
    app.write(ENTER)
    try:
        app.wait_for(PAGE_TITLE, timeout=WAIT / 2)
        return
    except AssertionError:
        # Pressed again only if the app drew nothing at all since: then the key went nowhere. A
        # slow page is waited for, never pressed twice (a second Enter would land in the answer).
        if app.output != drawn:
            raise
    app.write(ENTER)
    app.wait_for(PAGE_TITLE)


def _sync(app: PtyApp, path: Path, before: str) -> str:
    """Type one letter and wait until it reaches the file: then the cursor is in the answer for
    certain. Once the page is drawn one letter is enough (keys typed while it is built wait for its
    field), and the letter is typed once, so a slow save never doubles it."""
    app.write("k")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            now = _answer(path)
        except FileNotFoundError:
            now = before
        except (OSError, tomllib.TOMLDecodeError) as error:  # pragma: no cover - a real failure
            raise AssertionError(f"the progress file broke while the app ran: {error}") from error
        if now != before:
            return now
        if app.process.poll() is not None:
            raise AssertionError(f"safeground exited ({app.process.returncode}) before saving:\n{app.text()[-1500:]}")
        time.sleep(0.02)
    raise AssertionError(f"typing never reached {path}:\n{app.text()[-1500:]}")


def _synced_on_screen(app: PtyApp, screen: Screen, run: Run) -> str:
    """Wait until a finished frame shows the letter ``_sync`` typed just before the cursor, and
    return the text before the cursor then. If the screen cannot be read this way (the app draws
    differently now), the run fails here rather than later finding nothing it must check."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        _, text = screen.before_cursor()
        if text is not None and text.endswith("k"):
            return text
        if app.process.poll() is not None:
            break
        time.sleep(POLL)
    raise AssertionError(
        f"{run.describe()}: the letter typed to sync on never showed before the answer's cursor on "
        f"the screen the test keeps (cursor at row {screen.row}, column {screen.column}):\n{screen.dump()}"
    )


def _one_run(run: Run, data_dir: Path, rng: random.Random, slow: float, workbook) -> None:
    path = _progress_path(data_dir)
    before = _answer(path)
    app = PtyApp(data_dir, size=SIZE, slow_saves=slow)
    try:
        if run.mode == "starting":
            time.sleep(rng.uniform(0.0, 0.7))
            run.killed_at = app.signal(signal.SIGKILL)
            run.base = before
        else:
            screen = Screen(app)
            app.wait_for(lambda: SYNC_QUERY in app.output)  # asked as the app starts, before anything is drawn
            app.write(SYNC_SUPPORTED)
            _open_page(app)
            # The previous run's leftovers are gone by the time anything is on screen.
            assert not _leftovers(data_dir), f"{run.describe()}: temp files survived the next start"
            run.base = _sync(app, path, before)
            run.prefix = _synced_on_screen(app, screen, run)
            _type_and_kill(app, screen, run, data_dir, rng)
        assert app.wait() == -signal.SIGKILL
    finally:
        app.close()
    run.leftovers = _leftovers(data_dir)
    for name in run.leftovers:
        assert name.startswith(f"{TEMP_PREFIX}safe-ground.toml"), f"{run.describe()}: unexpected {name}"
    _check_files(run, data_dir, workbook)


def _type_and_kill(app: PtyApp, screen: Screen, run: Run, data_dir: Path, rng: random.Random) -> None:
    start = time.monotonic()
    duration = rng.uniform(0.5, 2.5)
    kill_at = start + rng.uniform(0.0, duration + 0.8)
    if run.mode == "mid-save":
        # Kill as soon as a save is seen under way after this moment; keep typing until then
        # (with fast saves a temp file may live too briefly to be seen: then kill at 6 s anyway).
        watch_from, stop_typing, kill_at = start + rng.uniform(0.3, 1.5), start + 6.0, start + 6.0
    else:
        watch_from, stop_typing = None, start + duration
    profile = data_dir / "default"
    while True:
        if time.monotonic() < stop_typing:
            text = rng.choice(WORDS) + " "
            cut = rng.randint(1, len(text))
            for piece in (text[:cut], text[cut:]):
                if piece:
                    run.typed += piece
                    run.chunks.append((app.write(piece), len(run.typed)))
        pause_until = time.monotonic() + rng.uniform(0.03, 0.12)
        while True:
            run.look(screen)
            moment = time.monotonic()
            if moment >= kill_at or (
                watch_from is not None
                and moment >= watch_from
                and any(p.name.startswith(TEMP_PREFIX) for p in profile.iterdir())
            ):
                run.killed_at = app.signal(signal.SIGKILL)
                return
            if moment >= pause_until:
                break
            time.sleep(min(POLL, pause_until - moment, kill_at - moment))


def _check_files(run: Run, data_dir: Path, workbook) -> None:
    path = _progress_path(data_dir)
    assert path.is_file(), f"{run.describe()}: the progress file is gone"
    store = ProgressStore(data_dir, "default", workbook.id)
    store.load(workbook)  # parses and fits the format, or raises with the file named
    backup = path.with_name(path.name + ".bak")
    if backup.exists():
        tomllib.loads(backup.read_text(encoding="utf-8"))
    saved = _answer(path)
    count = _inserted_count(saved, run.base, run.typed)
    assert count is not None, (
        f"{run.describe()}: saved text is not the typed text:\n{saved!r}\nbase {run.base!r}\ntyped {run.typed!r}"
    )
    required = run.required()
    assert count >= required, (
        f"{run.describe()}: lost typing older than {BUDGET} s: saved {count} of {len(run.typed)} "
        f"characters, but the app had drawn {required} of them more than {BUDGET} s before the kill"
    )
    run.saved_count = count
    drawn_unsaved = [moment for moment, shown in run.shown if shown > count]
    run.lag = run.killed_at - drawn_unsaved[0] if drawn_unsaved else 0.0
    typed_unsaved = [moment for moment, typed in run.chunks if typed > count]
    run.typed_lag = run.killed_at - typed_unsaved[0] if typed_unsaved else 0.0


def _chain(number: int, root: Path, slow: float) -> list[Run]:
    workbook = load_workbook()
    data_dir = welcomed_data_dir(root / f"chain-{number}")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    runs = []
    modes = ["random"] * 8 + ["mid-save"] * 7 + ["starting"] * 3
    random.Random(f"crash-{RANDOM_SEED}-{number}").shuffle(modes)
    for index, mode in enumerate(modes[:RUNS_PER_CHAIN]):
        run = Run(number, index, mode)
        # Each run's own generator: its plan does not depend on how long the runs before it typed.
        _one_run(run, data_dir, random.Random(f"crash-{RANDOM_SEED}-{number}-{index}"), slow, workbook)
        runs.append(run)
    # The next start after the last kill tidies up too (the app does exactly this when it opens).
    with ProgressStore(data_dir, "default", workbook.id):
        assert not _leftovers(data_dir)
    return runs


@pytest.mark.alone
def test_sigkill_at_random_moments_never_loses_more_than_the_last_second(tmp_path):
    print(f"\nSIGKILL runs from seed {RANDOM_SEED} (SAFEGROUND_CRASH_SEED replays one)")
    started = time.monotonic()
    with ThreadPoolExecutor(CHAINS) as pool:
        futures = [pool.submit(_chain, number, tmp_path, slow) for number, slow in enumerate([0.0, 0.08, 0.15])]
        runs = [run for future in futures for run in future.result()]
    elapsed = time.monotonic() - started
    mid_save = [run for run in runs if run.leftovers]
    typed = sum(len(run.typed) for run in runs)
    drawn = sum(run.seen() for run in runs)
    lag = max(run.lag for run in runs)
    print(
        f"{len(runs)} SIGKILLs in {elapsed:.0f} s: {len(mid_save)} left a save's temp file behind, "
        f"{sum(run.mode == 'starting' for run in runs)} while starting; {typed} characters typed, {drawn} "
        f"drawn by the kill, {sum(run.saved_count for run in runs)} saved. The oldest unsaved keystroke "
        f"at a kill had been drawn {lag:.2f} s before (budget {BUDGET} s, margin {BUDGET - lag:.2f} s) and "
        f"typed {max(run.typed_lag for run in runs):.2f} s before; the app drew a key at most "
        f"{max(run.draw_delay() for run in runs):.2f} s after it was typed"
    )
    assert len(runs) >= 50
    assert len(mid_save) >= 5, "kills landed inside saves too rarely to test them"


# -- SIGTERM and SIGHUP ----------------------------------------------------------------------------


def _typed_and_shown(app: PtyApp, data_dir: Path, words: str) -> None:
    """Open the page, type ``words`` and wait until the app has drawn the last of them (so it has
    them), but not until they are saved."""
    _open_page(app)
    _sync(app, _progress_path(data_dir), "")
    app.write(words)
    app.wait_for(words.split()[-1])


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    data_dir = welcomed_data_dir(tmp_path / "data")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    return data_dir


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_save_everything_and_exit_cleanly(seeded, signum):
    words = " the last words before the signal zebra42"
    with PtyApp(seeded) as app:
        _typed_and_shown(app, seeded, words)
        app.signal(signum)
        assert app.wait() == 0
    assert _answer(_progress_path(seeded)) == "k" + words
    assert not _leftovers(seeded)
    with ProgressStore(seeded, "default", "safe-ground") as store:  # the lock was let go
        assert store.locked


def test_closing_the_terminal_saves_everything(seeded):
    """The terminal window closes: the kernel hangs up the app's controlling terminal."""
    words = " written just before the window closed quokka17"
    app = PtyApp(seeded)
    try:
        _typed_and_shown(app, seeded, words)
        os.close(app.master)  # the only handle on the terminal's side: this is the hang-up
        app.master = -1
        app.wait()
    finally:
        app.close()
    assert _answer(_progress_path(seeded)) == "k" + words
    assert not _leftovers(seeded)
