"""Shared test fixtures.

Keep each group below self-contained: other groups (for example the app's) may be added after it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# -- core: data folders and workbook folders ---------------------------------------------------

TESTS_DIR = Path(__file__).resolve().parent
#: A small valid workbook with two chapters and every field kind (see tests/data/mini/).
MINI_WORKBOOK_DIR = TESTS_DIR / "data" / "mini"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "wheel: builds the wheel and installs it in a fresh venv (about a minute)")


def write_workbook(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (name -> text or bytes) into ``folder`` and return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(name="write_workbook")
def _write_workbook_fixture():
    """``write_workbook(folder, files)`` as a fixture, for tests that would rather not import it."""
    return write_workbook


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder (not created yet), also set as SAFEGROUND_DATA_DIR so nothing in a
    test can reach the real user data folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A private copy of the mini workbook folder, free to edit."""
    return Path(shutil.copytree(MINI_WORKBOOK_DIR, tmp_path / "mini"))


@pytest.fixture
def mini_workbook(mini_dir: Path):
    from safeground.loader import load_workbook

    return load_workbook(mini_dir)
