"""Run the benchmark: ``make bench`` (or ``python -m bench.run`` from the repository's top folder).

Prints a table of every figure next to its same-run baseline and budget, and writes the same as
JSON to bench/results.json. See bench/README.md for what each line means.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import common
from bench.common import Figure, machine, table

GROUPS = ("startup", "cli", "autosave", "lock", "typing", "pageturn", "export", "scale")
RESULTS = Path(__file__).with_name("results.json")


@dataclass
class Plan:
    """How much to measure. ``quick`` runs every code path once on tiny inputs (the smoke test)."""

    startup_reps: int = 15
    cli_reps: int = 20
    autosave_reps: int = 300
    unlock_reps: int = 7
    typing_reps: int = 30
    typing_chars: int = 20_000
    #: Passes through every page of the built-in workbook (and as many bare screen switches).
    page_turn_passes: int = 5
    export_reps: int = 20
    pdf_reps: int = 7
    scale_sizes: tuple[int, ...] = (10, 50, 100)
    scale_startup_reps: int = 7
    scale_cli_reps: int = 9
    scale_export_reps: int = 7
    scale_pdf_reps: int = 2
    scale_serialize_reps: int = 20
    answer_chars: int = 1500
    scale_answer_chars: int = 400
    #: One very long answer (export) and one very long workbook title (start-up).
    long_answer_chars: int = 1_000_000
    long_answer_reps: int = 7
    long_answer_pdf_reps: int = 5
    long_title_chars: int = 1_950_000
    long_title_reps: int = 7

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            startup_reps=1,
            cli_reps=1,
            autosave_reps=2,
            unlock_reps=1,
            typing_reps=1,
            typing_chars=2000,
            page_turn_passes=1,
            export_reps=1,
            pdf_reps=1,
            scale_sizes=(1, 2, 3),
            scale_startup_reps=1,
            scale_cli_reps=1,
            scale_export_reps=1,
            scale_pdf_reps=1,
            scale_serialize_reps=1,
            answer_chars=200,
            scale_answer_chars=50,
            long_answer_chars=20_000,
            long_answer_reps=1,
            long_answer_pdf_reps=1,
            long_title_chars=20_000,
            long_title_reps=1,
        )


def compile_bytecode() -> None:
    """Compile Safe Ground's modules to bytecode first, as pip does when it installs a wheel.

    Textual, the baseline's library, is installed with its bytecode; a source checkout may not be
    (PYTHONDONTWRITEBYTECODE=1, as on the machines these figures come from, stops Python from
    caching it), and every launch would then compile Safe Ground from source, about 15 ms here that
    no installed copy pays. compileall writes the cache whatever that variable says.
    """
    import compileall

    import safeground

    compileall.compile_dir(str(Path(safeground.__file__).parent), quiet=1)


def run(plan: Plan, groups: tuple[str, ...], folder: Path, log=print) -> list[Figure]:
    from bench import autosave_bench, cli_bench, export_bench, lock_bench, page_turn_bench, startup, typing_bench
    from bench.workbooks import Home, builtin, fully_answered, generate_workbook, huge_title_workbook
    from safeground.loader import load_workbook

    compile_bytecode()
    workbook = builtin()
    progress = fully_answered(workbook, plan.answer_chars)
    builtin_home = Home(folder / "home-builtin", workbook, progress)
    scale: dict[int, Home] = {}
    if "scale" in groups:
        for chapters in plan.scale_sizes:
            workbook_dir = generate_workbook(folder / f"workbook-{chapters}", chapters)
            generated = load_workbook(workbook_dir)
            answered = fully_answered(generated, plan.scale_answer_chars)
            scale[chapters] = Home(folder / f"home-{chapters}", generated, answered, workbook_dir)
    long_title: Home | None = None
    if "startup" in groups:
        title_dir = huge_title_workbook(folder / "workbook-long-title", plan.long_title_chars)
        titled = load_workbook(title_dir)
        long_title = Home(folder / "home-long-title", titled, fully_answered(titled, plan.answer_chars), title_dir)
    figures: list[Figure] = []

    def part(name: str, figures_of) -> None:
        log(f"-- {name} ...")
        started = time.perf_counter()
        new = figures_of()
        figures.extend(new)
        log(f"   {len(new)} figure(s) in {time.perf_counter() - started:.0f} s")

    if "startup" in groups or scale:
        part(
            "start-up (pty)",
            lambda: startup.run(
                builtin_home, scale, plan.startup_reps, plan.scale_startup_reps, with_builtin="startup" in groups
            ),
        )
    if long_title is not None:
        part(
            "start-up with a long title (pty)",
            lambda: startup.run_long_title(builtin_home, long_title, plan.long_title_chars, plan.long_title_reps),
        )
    if "cli" in groups or scale:
        part(
            "command line",
            lambda: cli_bench.run(
                builtin_home, scale, plan.cli_reps, plan.scale_cli_reps, with_builtin="cli" in groups
            ),
        )
    if "autosave" in groups:
        loaded = {n: (h.workbook, h.progress) for n, h in scale.items()}
        part(
            "autosave",
            lambda: autosave_bench.run(
                workbook, progress, folder / "autosave", plan.autosave_reps, loaded, plan.scale_serialize_reps
            ),
        )
    if "lock" in groups:
        part(
            "passphrase lock",
            lambda: lock_bench.run(workbook, progress, folder / "lock", plan.autosave_reps, plan.unlock_reps),
        )
    if "typing" in groups:
        part("typing (Pilot)", lambda: typing_bench.run(folder / "typing", plan.typing_reps, plan.typing_chars))
    if "pageturn" in groups:
        part("page turns (Pilot)", lambda: page_turn_bench.run(folder / "page-turn", plan.page_turn_passes))
    if "export" in groups:
        part(
            "export",
            lambda: export_bench.run(
                workbook, progress, folder / "export", plan.export_reps, plan.pdf_reps, builtin_home
            ),
        )
        part(
            "export of one long answer",
            lambda: export_bench.run_long_answer(
                plan.long_answer_chars, folder / "export-long", plan.long_answer_reps, plan.long_answer_pdf_reps
            ),
        )
    if scale:
        loaded = {n: (h.workbook, h.progress) for n, h in scale.items()}
        part(
            "export at scale",
            lambda: export_bench.run_scale(
                loaded, folder / "export-scale", plan.scale_export_reps, plan.scale_pdf_reps
            ),
        )
    order = {
        "Start-up": 0,
        "Command line": 1,
        "Autosave": 2,
        "Lock": 2.5,
        "Typing": 3,
        "Page turn": 4,
        "Export": 5,
        "Scale": 6,
    }
    figures.sort(key=lambda f: order.get(f.group, 9))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        metavar="GROUP",
        action="append",
        choices=GROUPS,
        help=f"measure only this group (repeatable): {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one repetition on tiny inputs: checks the code paths, not speed"
    )
    parser.add_argument(
        "--json", metavar="PATH", default=str(RESULTS), help=f"where to write the results (default: {RESULTS})"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its budget")
    args = parser.parse_args(argv)
    plan = Plan.quick() if args.quick else Plan()
    common.QUICK = args.quick
    groups = tuple(args.only) if args.only else GROUPS
    about = machine()
    print(
        f"Safe Ground benchmark on {about['nproc']} x {about['cpu']}, Python {about['python']}, "
        f"Textual {about['textual']}; load average {about['load_average_at_start']}"
    )
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="safeground-bench-") as temp:
        figures = run(plan, groups, Path(temp))
    print()
    print(table(figures))
    notes = [f"{f.group}: {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        print()
        for note in notes:
            print(f"* {note}")
    missed = [f for f in figures if f.ok is False]
    print()
    print(f"{len(missed)} figure(s) missed their budget." if missed else "Every figure with a budget is within it.")
    results = {
        "machine": about,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "quick": args.quick,
        "plan": plan.__dict__,
        "figures": [f.to_json() for f in figures],
        "missed": [f"{f.group}: {f.name}" for f in missed],
    }
    Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"Results written to {args.json}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
