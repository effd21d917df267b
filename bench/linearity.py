"""Whether a cost grows linearly with the number of chapters.

Given medians at three sizes (10, 50 and 100 chapters), compare the cost of each extra chapter in
the upper half of the range with its cost in the lower half. Linear growth gives 1; quadratic growth
gives 2.5 over 10 -> 50 -> 100. The budget allows 1.5, for noise.
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


def linearity_figure(what: str, curve: dict[int, float]) -> Figure:
    ratio = marginal_ratio(curve)
    sizes = sorted(curve)
    points = ", ".join(f"{n}: {curve[n] * 1000:.0f} ms" for n in sizes)
    figure = Figure(
        "Scale", f"{what} grows linearly ({points})",
        value=ratio if ratio is not None else float("nan"), samples=0,
        note="per-chapter cost, upper half / lower half of the range (linear 1, quadratic 2.5)",
        extra={"curve_seconds": {str(n): curve[n] for n in sizes}, "marginal_ratio": ratio},
    )
    figure.budget_kind = "linear"
    figure.limit = LIMIT
    return figure
