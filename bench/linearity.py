"""Whether a cost grows linearly with the number of chapters.

Given the times at three sizes (10, 50 and 100 chapters), compare the cost of each extra chapter
in the upper half of the range with its cost in the lower half. Linear growth gives 1; quadratic
growth gives 2.5 over 10 -> 50 -> 100. The budget allows 1.5, for noise. The check uses each size's
fastest run (what the work costs when nothing else gets in the way), because one slow median
from a busy machine would otherwise bend the curve; the table shows the medians too.
"""

from __future__ import annotations

from bench.common import Figure

#: Per-chapter cost in the upper half over the lower half; linear is 1, quadratic 2.5.
LIMIT = 1.5


def marginal_ratio(curve: dict[int, float]) -> float | None:
    sizes = sorted(curve)
    if len(sizes) < 3:
        return None
    low, mid, high = sizes[0], sizes[len(sizes) // 2], sizes[-1]
    lower = (curve[mid] - curve[low]) / (mid - low)
    upper = (curve[high] - curve[mid]) / (high - mid)
    if lower <= 0:
        return None
    return upper / lower


def linearity_figure(what: str, samples: dict[int, list[float]]) -> Figure:
    """``samples``: chapters -> the times measured at that size."""
    curve = {n: min(values) for n, values in samples.items()}
    ratio = marginal_ratio(curve)
    sizes = sorted(curve)
    points = ", ".join(f"{n}: {curve[n] * 1000:.0f} ms" for n in sizes)
    figure = Figure(
        "Scale",
        f"{what} grows linearly (fastest runs: {points})",
        value=ratio if ratio is not None else float("nan"),
        samples=min(len(v) for v in samples.values()),
        note="per-chapter cost, upper half / lower half of the range (linear 1, quadratic 2.5)",
        extra={"curve_seconds": {str(n): curve[n] for n in sizes}, "marginal_ratio": ratio},
    )
    figure.budget_kind = "linear"
    figure.limit = LIMIT
    return figure
