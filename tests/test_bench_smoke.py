"""The benchmark's code paths, once each on tiny inputs, so that `make bench` cannot rot unnoticed.

Nothing here is timed or compared with a budget: speed is measured by `make bench` only. This runs
`python -m bench.run --quick` (one repetition, a 2,000-character field, workbooks of 1 to 3
chapters) and checks that every figure was produced, that the start-up marker arrived from the
real app in a pty, and that the typing run saw no saving on the keystroke path.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        not (REPO / "bench" / "run.py").is_file(), reason="the benchmark ships with the repository only"
    ),
    pytest.mark.skipif(sys.platform == "win32", reason="start-up is measured in a POSIX pseudo-terminal"),
]


def test_quick_benchmark_run_produces_every_figure(tmp_path):
    out = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--json", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| Figure" in result.stdout  # the table was printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert report["machine"]["nproc"] and report["machine"]["python"]
    figures = {f"{f['group']}: {f['name']}": f for f in report["figures"]}
    groups = {f["group"] for f in report["figures"]}
    assert groups == {"Start-up", "Command line", "Autosave", "Lock", "Typing", "Page turn", "Export", "Scale"}
    for name, figure in figures.items():
        assert figure["value"] > 0 or figure["budget_kind"] == "linear", name
        if figure["baseline_name"]:
            assert figure["baseline"] and figure["baseline"] > 0, name
    budgeted = [f for f in report["figures"] if f["budget"]]
    assert len(budgeted) >= 10  # start-up, status, autosave, typing, 4 exports, scale and its curves
    for what in ("status", "export pdf", "export html", "export markdown", "export text"):
        curve = next(f for n, f in figures.items() if n.startswith(f"Scale: {what} grows linearly"))
        assert len(curve["extra"]["curve_seconds"]) == 3
        assert curve["value"] is None or math.isfinite(curve["value"]) or math.isnan(curve["value"])
    for name in (
        "Export: PDF (one answer of 20,000 characters)",
        "Export: Text (one answer of 20,000 characters)",
        "Start-up: home screen ready, workbook title of 20,000 characters",
    ):
        assert figures[name]["budget"] and figures[name]["baseline"], name
    typing = next(f for n, f in figures.items() if n.startswith("Typing: keystroke"))
    assert typing["extra"]["final_lengths"] == {"big": 2000, "empty": 0}  # each x was taken back
    assert "violations" not in typing["extra"], typing["note"]
    assert "saving on the keystroke path: 0 call(s)" in typing["note"]
