"""The command line: ``safeground status`` against ``python -c pass``, and status as workbooks grow.

Run as a person runs it: a new process each time, the ``safeground`` script with its data found
through $XDG_DATA_HOME, output to a pipe, every answer filled in.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.common import Figure, interleave, median
from bench.linearity import linearity_figure
from bench.startup import safeground_command
from bench.workbooks import Home


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}


def command(argv: list[str], env: dict[str, str] | None = None):
    env = env if env is not None else _base_env()

    def run_once() -> None:
        result = subprocess.run(argv, capture_output=True, env=env)
        if result.returncode != 0:
            raise RuntimeError(f"{argv} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")

    return run_once


def status(home: Home):
    return command(safeground_command() + ["status"] + home.args(), home.env(_base_env()))


def python_pass():
    return command([sys.executable, "-c", "pass"])


def run(
    builtin_home: Home, scale: dict[int, Home], reps: int, scale_reps: int, with_builtin: bool = True
) -> list[Figure]:
    figures = []
    if with_builtin:
        samples = interleave({"pass": python_pass(), "status": status(builtin_home)}, reps)
        figures.append(
            Figure(
                "Command line",
                "safeground status (built-in workbook, all answered)",
                median(samples["status"]),
                reps,
                "python -c pass",
                median(samples["pass"]),
                "ratio",
                10.0,
            )
        )
    if scale:
        cases = {"pass": python_pass()}
        for chapters, home in sorted(scale.items()):
            cases[str(chapters)] = status(home)
        scale_samples = interleave(cases, scale_reps)
        base = median(scale_samples["pass"])
        curve = {chapters: median(scale_samples[str(chapters)]) for chapters in sorted(scale)}
        for chapters, value in curve.items():
            figures.append(Figure("Scale", f"status, {chapters} chapters", value, scale_reps, "python -c pass", base))
        figures.append(linearity_figure("status", {n: scale_samples[str(n)] for n in sorted(scale)}))
    return figures
