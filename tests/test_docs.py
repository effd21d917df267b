"""The guides say what the code does: their examples load, pass `safeground check`, and match."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from conftest import write_workbook
from safeground.cli import main
from safeground.content import FIELD_KINDS
from safeground.kinds import COMMON_KEYS, KINDS
from safeground.loader import check_workbook, load_workbook
from safeground.progress import TOP_LEVEL_KEYS
from safeground.storage import ProgressStore

DOCS = Path(__file__).resolve().parents[1] / "docs"
AUTHORING = DOCS / "authoring.md"
PROGRESS_FORMAT = DOCS / "progress-format.md"


def _toml_blocks(text: str) -> list[str]:
    return re.findall(r"^```toml\n(.*?)^```", text, re.S | re.M)


def _file_blocks(text: str) -> dict[str, str]:
    """The ```toml blocks preceded by a ``<!-- file: NAME -->`` line, by NAME."""
    blocks = re.findall(r"^<!-- file: (\S+) -->\n```toml\n(.*?)^```", text, re.S | re.M)
    names = [name for name, _ in blocks]
    assert len(names) == len(set(names)), f"a file is given twice: {names}"
    return dict(blocks)


def _marked_block(text: str, marker: str) -> str:
    match = re.search(rf"^<!-- {marker} -->\n```[a-z]*\n(.*?)^```", text, re.S | re.M)
    assert match, f"no block marked <!-- {marker} -->"
    return match.group(1)


@pytest.fixture(scope="module")
def builtin():
    return load_workbook()


# -- the progress file format ----------------------------------------------------------------------


@pytest.fixture
def example_file(data_dir, builtin) -> ProgressStore:
    """The guide's complete example, saved where Safe Ground looks for it."""
    example = _file_blocks(PROGRESS_FORMAT.read_text(encoding="utf-8"))["safe-ground.toml"]
    store = ProgressStore(data_dir, "default", builtin.id)
    store.profile_dir.mkdir(parents=True)
    store.path.write_text(example, encoding="utf-8")
    return store


def test_every_toml_block_in_the_progress_format_guide_parses():
    blocks = _toml_blocks(PROGRESS_FORMAT.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    for block in blocks:
        tomllib.loads(block)


def test_the_complete_progress_example_loads_against_the_builtin_workbook(example_file, builtin):
    progress = example_file.load(builtin)
    assert progress.orphans(builtin) == [], "the example uses ids the built-in workbook does not have"
    kinds = {
        builtin.locate(chapter, page, field).kind
        for chapter, pages in progress.answers.items()
        for page, fields in pages.items()
        for field in fields
    }
    assert kinds == set(FIELD_KINDS), f"the example leaves out {set(FIELD_KINDS) - kinds}"
    # Its [completed] tables list exactly the pages its answers complete.
    complete = {(c.id, p.id) for c in builtin.chapters for p in c.pages if progress.page_complete(c.id, p)}
    recorded = {(chapter, page) for chapter, pages in progress.completed.items() for page in pages}
    assert recorded == complete
    position = progress.position
    assert builtin.locate(position.chapter, position.page, position.field) is not None
    assert progress.resume_position(builtin) == position


def test_the_complete_progress_example_survives_a_save(example_file, builtin):
    progress = example_file.load(builtin)
    example_file.save(progress)
    again = example_file.load(builtin)
    assert again.answers == progress.answers
    assert again.completed == progress.completed
    assert again.position == progress.position


def test_status_reads_the_complete_progress_example(example_file, builtin, capsys):
    assert main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    recorded = sum(len(pages) for pages in example_file.load(builtin).completed.values())
    assert report["saved"] is True
    assert report["pages_done"] == recorded
    assert report["orphaned_answers"] == []


def test_the_orphan_example_is_kept_and_reported(example_file, builtin, capsys):
    text = PROGRESS_FORMAT.read_text(encoding="utf-8")
    orphan_block = next(b for b in _toml_blocks(text) if "old-chapter" in b)
    example_file.path.write_text(example_file.path.read_text(encoding="utf-8") + "\n" + orphan_block, encoding="utf-8")
    progress = example_file.load(builtin)
    assert [(o.chapter, o.page, o.field) for o in progress.orphans(builtin)] == [
        ("old-chapter", "old-page", "my-notes")
    ]
    example_file.save(progress)
    assert "Something I wrote for an earlier version." in example_file.path.read_text(encoding="utf-8")
    assert main(["status"]) == 0
    assert "old-chapter › old-page › my-notes" in capsys.readouterr().out


def test_the_error_shown_in_the_guide_is_the_one_safe_ground_gives(example_file, capsys):
    text = PROGRESS_FORMAT.read_text(encoding="utf-8")
    shown = re.search(r"^```\n(safeground: .*?)^```", text, re.S | re.M).group(1).splitlines()
    broken = example_file.path.read_text(encoding="utf-8").replace(
        "updated = 2026-01-31T20:15:00+01:00", 'updated = "last Sunday"'
    )
    assert broken != example_file.path.read_text(encoding="utf-8")
    example_file.path.write_text(broken, encoding="utf-8")
    assert main(["status"]) == 1
    actual = capsys.readouterr().err.splitlines()
    line = broken[: broken.index('updated = "last Sunday"')].count("\n") + 1
    assert actual[0] == f"safeground: {example_file.path}:{line}: " + shown[0].split(": ", 2)[2]
    assert actual[1:] == shown[1:]


def test_the_progress_format_guide_names_every_key_and_kind():
    text = PROGRESS_FORMAT.read_text(encoding="utf-8")
    for key in TOP_LEVEL_KEYS - {"position", "answers", "completed"}:
        assert f"`{key}`" in text, key
    for table in ("[position]", "[answers.<chapter>.<page>]", "[completed.<chapter>]"):
        assert table in text
    for kind in FIELD_KINDS:
        assert f"`{kind}`" in text, kind
    assert ".bak" in text and "start-fresh" in text


# -- the authoring guide ---------------------------------------------------------------------------


@pytest.fixture
def example_workbook(tmp_path) -> Path:
    files = _file_blocks(AUTHORING.read_text(encoding="utf-8"))
    assert {"workbook.toml", "support.toml"} <= set(files)
    return write_workbook(tmp_path / "weekly-check-in", files)


def test_the_authoring_example_passes_check(example_workbook, capsys):
    assert main(["check", str(example_workbook)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{example_workbook}: OK (")


def test_the_authoring_example_uses_every_kind_and_its_own_support(example_workbook):
    workbook, problems = check_workbook(example_workbook)
    assert problems == []
    fields = [f for c in workbook.chapters for p in c.pages for f in p.fields]
    assert {f.kind for f in fields} == set(FIELD_KINDS)
    assert any(f.support for f in fields), "the example should show a support option"
    assert any(not f.required for f in fields) and any(f.required for f in fields)
    assert (
        workbook.support.resources[0].id
        == tomllib.loads((example_workbook / "support.toml").read_text(encoding="utf-8"))["resources"][0]["id"]
    )
    shown: set[tuple[str, str]] = set()
    for path in example_workbook.glob("*.toml"):
        for page in tomllib.loads(path.read_text(encoding="utf-8")).get("pages", []):
            for table in page["fields"]:
                shown |= {(table["kind"], key) for key in table}
    for kind in FIELD_KINDS:
        for key in sorted(KINDS[kind].keys):
            assert (kind, key) in shown, f"the example's {kind} question does not show `{key}`"


def test_the_check_output_shown_in_the_guide_is_what_check_prints(example_workbook, monkeypatch, capsys):
    shown = _marked_block(AUTHORING.read_text(encoding="utf-8"), "check-output")
    chapter = next(p for p in example_workbook.glob("*.toml") if p.name not in ("workbook.toml", "support.toml"))
    text = chapter.read_text(encoding="utf-8")
    broken = text.replace("min = 1\nmax = 10\n", "min = 10\nmax = 10\n", 1).replace(
        'kind = "checklist"', 'kind = "checkbox"', 1
    )
    assert broken.count("min = 10\nmax = 10") == 1 and 'kind = "checkbox"' in broken
    chapter.write_text(broken, encoding="utf-8")
    monkeypatch.chdir(example_workbook.parent)
    assert main(["check", f"{example_workbook.name}/"]) == 1
    assert capsys.readouterr().err == shown


def test_every_question_snippet_in_the_authoring_guide_is_valid(tmp_path, example_workbook):
    text = AUTHORING.read_text(encoding="utf-8")
    snippets = [b for b in _toml_blocks(text) if b.startswith("[[pages.fields]]")]
    assert {tomllib.loads(s)["pages"]["fields"][0]["kind"] for s in snippets} == set(FIELD_KINDS)
    for index, snippet in enumerate(snippets):
        files = {
            "workbook.toml": 'id = "w"\ntitle = "W"\nversion = "1"\nchapters = ["c"]\n',
            "c.toml": f'id = "c"\ntitle = "C"\nsummary = "S"\n\n[[pages]]\nid = "p"\ntitle = "P"\n\n{snippet}',
        }
        assert check_workbook(write_workbook(tmp_path / f"snippet-{index}", files))[1] == [], snippet


def test_every_toml_block_in_the_authoring_guide_parses_and_the_partial_files_check(tmp_path):
    text = AUTHORING.read_text(encoding="utf-8")
    blocks = _toml_blocks(text)
    for block in blocks:
        tomllib.loads(block)
    # The workbook.toml and chapter shown early on make a workbook together (with the second
    # chapter it lists, which the guide leaves out).
    index = next(b for b in blocks if b.startswith('id = "weekly-check-in"'))
    chapter = next(b for b in blocks if b.startswith('id = "this-week"') and "[[pages]]" in b and "statements" not in b)
    files = {"workbook.toml": index.replace('"this-week", "next-week"', '"this-week"'), "01.toml": chapter}
    assert check_workbook(write_workbook(tmp_path / "early", files))[1] == []
    support = next(b for b in blocks if b.startswith('title = "Support"'))
    files["support.toml"] = support
    assert check_workbook(write_workbook(tmp_path / "early", files))[1] == []


def test_the_authoring_guide_names_every_kind_and_key():
    text = AUTHORING.read_text(encoding="utf-8")
    for kind in FIELD_KINDS:
        assert f"### `{kind}`" in text, kind
        for key in sorted(KINDS[kind].keys | COMMON_KEYS):
            assert f"`{key}`" in text, (kind, key)
    for key in (
        "chapters",
        "version",
        "description",
        "summary",
        "intro",
        "[[pages]]",
        "[[pages.fields]]",
        "region_note",
        "emergency",
        "[[resources]]",
        "contact",
        "url",
        "about",
    ):
        assert f"`{key}`" in text, key
    assert "safeground check" in text and "safeground --workbook" in text
    assert "progress-format.md" in text


def test_the_readme_links_to_both_guides():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/authoring.md" in readme
    assert "docs/progress-format.md" in readme


def test_the_keys_guide_lists_every_key_the_support_screen_lists():
    from safeground.screens.support import KEYS

    guide = (DOCS / "keys.md").read_text(encoding="utf-8")
    for title, rows in KEYS:
        assert f"## {title}" in guide
        for keys, what in rows:
            assert f"| {keys} | {what} |" in guide, f"docs/keys.md is missing: {keys}"
