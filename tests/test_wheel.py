"""The wheel carries the workbook: build it, install it in a fresh venv, run it outside the repo.

Dependencies come from the package index, so this needs the network a `make test` has anyway.
About a minute; deselect with `-m "not wheel"` when iterating.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import safeground
from safeground.loader import builtin_workbook_dir

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parents[1]


def _quiet_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "SAFEGROUND_DATA_DIR")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list, *, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=_quiet_env(), timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("build") is not None:
        _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, REPO], cwd=out)
    else:
        _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out, REPO],
            cwd=out,
        )
    wheels = list(out.glob("safeground-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", venv], cwd=venv.parent)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=venv.parent, timeout=600)
    return bin_dir


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder with no repository around it."""
    folder = tmp_path / "somewhere-else"
    folder.mkdir()
    return folder


def test_the_wheel_contains_the_workbook(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {f"safeground/workbook/{p.name}" for p in builtin_workbook_dir().glob("*.toml")}
    assert len(expected) >= 6  # workbook.toml, support.toml and four chapters
    assert expected <= names, sorted(expected - names)
    assert "safeground/cli.py" in names
    assert not any(name.startswith(("tests/", "workbook/")) for name in names)
    with zipfile.ZipFile(wheel) as archive:
        for name in expected:
            assert archive.read(name) == (builtin_workbook_dir() / Path(name).name).read_bytes()


def test_installed_status_runs_outside_the_repo(installed, elsewhere):
    data_dir = elsewhere / "data"
    result = _run([installed / "safeground", "--data-dir", data_dir, "status"], cwd=elsewhere)
    assert result.stdout.startswith("Safe Ground (")
    assert f"Progress file: {data_dir / 'default' / 'safe-ground.toml'} (not saved yet)" in result.stdout
    report = json.loads(
        _run([installed / "safeground", "--data-dir", data_dir, "status", "--json"], cwd=elsewhere).stdout
    )
    assert len(report["chapters"]) == 4
    assert report["pages_total"] > 0


def test_installed_check_finds_the_workbook_inside_the_package(installed, elsewhere):
    result = _run([installed / "safeground", "--data-dir", elsewhere / "data", "check"], cwd=elsewhere)
    folder = result.stdout.split(": OK", 1)[0]
    assert ": OK (Safe Ground, 4 chapters" in result.stdout
    assert Path(folder).parts[-2:] == ("safeground", "workbook")
    assert Path(folder).is_relative_to(installed.parent), f"{folder} is not inside the venv"
    assert not Path(folder).is_relative_to(REPO)
    where = _run(
        [
            installed / "python",
            "-c",
            "import safeground, safeground.loader as l; print(safeground.__file__); print(l.builtin_workbook_dir()); print(safeground.__version__)",
        ],
        cwd=elsewhere,
    ).stdout.splitlines()
    assert Path(where[0]).is_relative_to(installed.parent)
    assert where[1] == folder
    assert where[2] == safeground.__version__


def test_installed_python_dash_m_and_version(installed, elsewhere):
    result = _run([installed / "python", "-m", "safeground", "--version"], cwd=elsewhere)
    assert result.stdout.strip() == f"safeground {safeground.__version__}"
