"""Start-up: from launch to the home screen drawn, in a real pseudo-terminal.

Safe Ground is started as a person starts it: the ``safeground`` command with no options (plus
``--workbook DIR`` for the generated workbooks), finding its data folder through $XDG_DATA_HOME.
The baseline is bench/minimal_app.py, one Label, started by the same interpreter in the same kind
of pty. Both write a line to SAFEGROUND_BENCH_READY_FD once their first screen has been drawn
(Safe Ground's home screen does it from ``on_mount`` via ``call_after_refresh``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.common import Figure, interleave, median
from bench.pty_launch import child_env, time_to_ready
from bench.workbooks import Home

MINIMAL_APP = Path(__file__).with_name("minimal_app.py")
REPLICA_APP = Path(__file__).with_name("replica_app.py")
REPO = Path(__file__).resolve().parent.parent


def safeground_command() -> list[str]:
    """The installed ``safeground`` script beside this interpreter, else ``python -m safeground``."""
    script = Path(sys.executable).with_name("safeground")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "safeground"]


def launcher(argv: list[str], env: dict[str, str]):
    return lambda: time_to_ready(argv, env, cwd=REPO)


def safeground_launcher(home: Home):
    return launcher(safeground_command() + home.args(), home.env(child_env()))


def run_long_title(builtin_home: Home, long_title: Home, chars: int, reps: int) -> list[Figure]:
    """The built-in workbook with a title of ``chars`` characters (a damaged or hostile workbook
    folder), next to the same workbook as it ships: the title is drawn cut short, so the home
    screen should cost about the same (reading the larger file is the difference)."""
    samples = interleave({"builtin": safeground_launcher(builtin_home), "long": safeground_launcher(long_title)}, reps)
    return [
        Figure(
            "Start-up",
            f"home screen ready, workbook title of {chars:,} characters",
            median(samples["long"]),
            reps,
            "the same, title as shipped",
            median(samples["builtin"]),
            "ratio",
            1.5,
        )
    ]


def run(
    builtin_home: Home, scale: dict[int, Home], reps: int, scale_reps: int, with_builtin: bool = True
) -> list[Figure]:
    figures = []
    if with_builtin:
        samples = interleave(
            {
                "minimal": launcher([sys.executable, str(MINIMAL_APP)], child_env()),
                "replica": launcher([sys.executable, str(REPLICA_APP)], child_env()),
                "safeground": safeground_launcher(builtin_home),
            },
            reps,
        )
        figures.append(
            Figure(
                "Start-up",
                "home screen ready (built-in workbook, all answered)",
                median(samples["safeground"]),
                reps,
                "minimal Textual app",
                median(samples["minimal"]),
                "ratio",
                1.3,
                note="launch to home screen drawn, in a 120x40 pty; baseline: one Label, started the same way",
            )
        )
        figures.append(
            Figure(
                "Start-up",
                "diagnostic: the same screen in plain Textual, no Safe Ground code",
                median(samples["replica"]),
                reps,
                "minimal Textual app",
                median(samples["minimal"]),
                note="bench/replica_app.py: Textual's own cost of drawing the home screen's widgets and stylesheet",
            )
        )
    if scale:
        cases = {"builtin": safeground_launcher(builtin_home)}
        for chapters, home in sorted(scale.items()):
            cases[str(chapters)] = safeground_launcher(home)
        scale_samples = interleave(cases, scale_reps)
        builtin_median = median(scale_samples["builtin"])
        largest = max(scale)
        for chapters in sorted(scale):
            figures.append(
                Figure(
                    "Scale",
                    f"home screen ready, {chapters} chapters",
                    median(scale_samples[str(chapters)]),
                    scale_reps,
                    "built-in workbook",
                    builtin_median,
                    "ratio" if chapters == largest else "",
                    2.0 if chapters == largest else None,
                )
            )
    return figures
