"""Timing, statistics and the results table shared by the benchmark's parts.

Every figure is measured next to a baseline in the same run, interleaved (figure, baseline,
figure, baseline, ...), so that whatever the machine is doing meanwhile weighs on both alike.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from time import perf_counter
from typing import Any


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100), nearest-rank: a value that was actually measured."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


#: Set by ``--quick``: no warm-up rounds (the smoke test checks code paths, not speed).
QUICK = False


def interleave(cases: dict[str, Callable[[], float | None]], reps: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run each case once per round, ``reps`` rounds, rotating the order each round.

    A case returns its own duration in seconds (when it times only part of what it does), or None
    to be timed whole. Warm-up rounds are run and thrown away.
    """
    if QUICK:
        warmup = 0
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(warmup + reps):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            start = perf_counter()
            took = cases[name]()
            elapsed = perf_counter() - start if took is None else took
            if round_number >= warmup:
                samples[name].append(elapsed)
    return samples


@dataclass
class Figure:
    """One line of the results table: a measurement, its baseline, and its budget."""

    group: str
    name: str
    #: Median, in seconds.
    value: float
    samples: int
    baseline_name: str = ""
    baseline: float | None = None
    #: "ratio" (value / baseline at most ``limit``), "seconds" (value at most ``limit``), or "" (reported only).
    budget_kind: str = ""
    limit: float | None = None
    p99: float | None = None
    p99_limit: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline:
            return self.value / self.baseline
        return None

    @property
    def ok(self) -> bool | None:
        """True or False against the budget; None when there is no budget."""
        checks = []
        if self.budget_kind == "ratio" and self.limit is not None and self.ratio is not None:
            checks.append(self.ratio <= self.limit)
        elif self.budget_kind == "seconds" and self.limit is not None:
            checks.append(self.value < self.limit)
        elif self.budget_kind == "linear" and self.limit is not None:
            checks.append(self.value == self.value and self.value <= self.limit)  # NaN: not measurable
        if self.p99_limit is not None and self.p99 is not None:
            checks.append(self.p99 < self.p99_limit)
        return all(checks) if checks else None

    @property
    def budget_text(self) -> str:
        parts = []
        if self.budget_kind == "ratio" and self.limit is not None:
            parts.append(f"<= {self.limit:g}x")
        elif self.budget_kind == "seconds" and self.limit is not None:
            parts.append(f"< {fmt_time(self.limit)}")
        elif self.budget_kind == "linear" and self.limit is not None:
            parts.append(f"<= {self.limit:g} (linear)")
        if self.p99_limit is not None:
            parts.append(f"p99 < {fmt_time(self.p99_limit)}")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, ok=self.ok, budget=self.budget_text)
        return data


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


def table(figures: list[Figure]) -> str:
    """The results as a Markdown table (readable as it is in a terminal, and pasted in the README)."""
    header = ["Figure", "Median", "p99", "Baseline (same run)", "Baseline", "Ratio", "Budget", ""]
    rows = []
    for f in figures:
        verdict = {True: "ok", False: "MISSED", None: ""}[f.ok]
        rows.append(
            [
                f"{f.group}: {f.name}",
                f"{f.value:.2f}" if f.budget_kind == "linear" else fmt_time(f.value),
                fmt_time(f.p99),
                f.baseline_name,
                fmt_time(f.baseline),
                f"{f.ratio:.2f}x" if f.ratio is not None else "",
                f.budget_text,
                verdict,
            ]
        )
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    """Where the figures came from."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for row in cpuinfo:
                if row.startswith("model name"):
                    model = row.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor()
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    from importlib.metadata import version

    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "textual": version("textual"),
        "fpdf2": version("fpdf2"),
        "load_average_at_start": load,
    }
