"""Crashes: the real app in a pseudo-terminal, killed with SIGKILL at random moments.

Each run starts ``safeground`` in its own terminal, presses Enter on the contents page (which opens
the page to continue, cursor in the long answer), types like a person, and is killed: at a random
moment, as soon as a save is under way (a temp file exists), or while it is still starting. After
every kill:

- the progress file parses and loads, and so does its ``.bak``;
- it holds everything typed more than one second before the kill (and nothing that wasn't typed);
- nothing is left behind except, after a kill in the middle of a save, that save's temp file
  (``.tmp-safe-ground.toml.*``): no process can tidy up after SIGKILL. The next start removes it
  under the profile's lock, before showing anything, and that is checked too.

Three chains of runs go side by side, each on its own data folder, two of them with slow saves
(each fsync and backup link followed by a short pause) so that kills land inside saves often.

SIGTERM and SIGHUP (sent, and the terminal really closed) save everything and exit cleanly.
"""

from __future__ import annotations

import os
import random
import signal
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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

SEED = f"""format = 1
workbook = "safe-ground"

[position]
chapter = "{CHAPTER}"
page = "{PAGE}"
field = "{FIELD}"
"""


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
    killed_at: float = 0.0
    saved_count: int = 0
    lag: float = 0.0
    leftovers: list[str] = field(default_factory=list)

    def required(self) -> int:
        """Characters typed more than BUDGET seconds before the kill: these must be on disk."""
        return max((count for moment, count in self.chunks if moment <= self.killed_at - BUDGET), default=0)

    def describe(self) -> str:
        return f"chain {self.chain} run {self.number} ({self.mode})"


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


def _one_run(run: Run, data_dir: Path, rng: random.Random, slow: float, workbook) -> None:
    path = _progress_path(data_dir)
    before = _answer(path)
    app = PtyApp(data_dir, slow_saves=slow)
    try:
        if run.mode == "starting":
            time.sleep(rng.uniform(0.0, 0.7))
            run.killed_at = app.signal(signal.SIGKILL)
            run.base = before
        else:
            _open_page(app)
            # The previous run's leftovers are gone by the time anything is on screen.
            assert not _leftovers(data_dir), f"{run.describe()}: temp files survived the next start"
            run.base = _sync(app, path, before)
            _type_and_kill(app, run, data_dir, rng)
        assert app.wait() == -signal.SIGKILL
    finally:
        app.close()
    run.leftovers = _leftovers(data_dir)
    for name in run.leftovers:
        assert name.startswith(f"{TEMP_PREFIX}safe-ground.toml"), f"{run.describe()}: unexpected {name}"
    _check_files(run, data_dir, workbook)


def _type_and_kill(app: PtyApp, run: Run, data_dir: Path, rng: random.Random) -> None:
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
        while time.monotonic() < pause_until:
            moment = time.monotonic()
            if moment >= kill_at or (
                watch_from is not None
                and moment >= watch_from
                and any(p.name.startswith(TEMP_PREFIX) for p in profile.iterdir())
            ):
                run.killed_at = app.signal(signal.SIGKILL)
                return
            time.sleep(0.002)


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
        f"characters, {required} were typed more than {BUDGET} s before the kill"
    )
    run.saved_count = count
    unsaved = [moment for moment, typed in run.chunks if typed > count]
    run.lag = run.killed_at - unsaved[0] if unsaved else 0.0


def _chain(number: int, root: Path, slow: float) -> list[Run]:
    rng = random.Random(f"crash-{number}-{os.getpid()}-{time.time_ns()}")
    workbook = load_workbook()
    data_dir = welcomed_data_dir(root / f"chain-{number}")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    runs = []
    modes = ["random"] * 8 + ["mid-save"] * 7 + ["starting"] * 3
    rng.shuffle(modes)
    for index, mode in enumerate(modes[:RUNS_PER_CHAIN]):
        run = Run(number, index, mode)
        _one_run(run, data_dir, rng, slow, workbook)
        runs.append(run)
    # The next start after the last kill tidies up too (the app does exactly this when it opens).
    with ProgressStore(data_dir, "default", workbook.id):
        assert not _leftovers(data_dir)
    return runs


@pytest.mark.alone
def test_sigkill_at_random_moments_never_loses_more_than_the_last_second(tmp_path):
    started = time.monotonic()
    with ThreadPoolExecutor(CHAINS) as pool:
        futures = [pool.submit(_chain, number, tmp_path, slow) for number, slow in enumerate([0.0, 0.08, 0.15])]
        runs = [run for future in futures for run in future.result()]
    elapsed = time.monotonic() - started
    mid_save = [run for run in runs if run.leftovers]
    typed = sum(len(run.typed) for run in runs)
    print(
        f"\n{len(runs)} SIGKILLs in {elapsed:.0f} s: {len(mid_save)} left a save's temp file behind, "
        f"{sum(run.mode == 'starting' for run in runs)} while starting; {typed} characters typed, "
        f"{sum(run.saved_count for run in runs)} saved; the oldest unsaved keystroke at a kill was "
        f"{max(run.lag for run in runs):.2f} s old (budget {BUDGET} s)"
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
