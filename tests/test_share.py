"""Share files: what goes in (chosen, completed, never private), and reading one from someone else.

All in-process and fast: the commands are run through ``main()``; the dialog's keyboard tests are
in tests/test_share_screens.py.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from export_fixtures import answered, builtin, mini_workbook, sample_answer, write_progress
from safeground.cli import main
from safeground.content import Field, Option, Workbook
from safeground.progress import Progress
from safeground.share import fileformat
from safeground.share.choosing import ChoiceError, SharePage, choose, is_private, shareable_pages
from safeground.share.fileformat import MAX_SHARE_BYTES, ShareFileError
from safeground.storage import ProgressStore

TODAY = date(2026, 3, 12)


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with the whole built-in workbook answered in profile ``default``."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    workbook = builtin()
    write_progress(folder, workbook, answered(workbook))
    return folder


def private_ids(workbook: Workbook) -> set[str]:
    """Marked private, or a screening question (its choice brings up support): read from the
    workbook here, not through the code under test."""
    return {f.id for c in workbook.chapters for p in c.pages for f in p.fields if f.private or f.support}


def field_ids(document: dict) -> set[str]:
    return {f for pages in document["answers"].values() for fields in pages.values() for f in fields}


def page_keys(document: dict) -> set[str]:
    return {f"{c}/{p}" for c, pages in document["answers"].items() for p in pages}


# -- what goes in ----------------------------------------------------------------------------------


def test_the_share_file_holds_the_chosen_pages_and_nothing_else(home, capsys, tmp_path):
    out_file = tmp_path / "mine.toml"
    code, out, err = run(
        capsys,
        "share",
        "-o",
        str(out_file),
        "--page",
        "friend-lens/brick-by-brick",
        "--page",
        "fighting-fair/time-out-plan",
        "--name",
        "Sam",
    )
    assert (code, err) == (0, ""), err
    assert "Saved 2 pages" in out and "plain text (TOML)" in out
    document = tomllib.loads(out_file.read_text("utf-8"))
    assert page_keys(document) == {"friend-lens/brick-by-brick", "fighting-fair/time-out-plan"}
    assert document["format"] == "safeground-share" and document["format_version"] == 1
    assert document["workbook"] == "safe-ground" and document["name"] == "Sam"
    workbook = builtin()
    assert document["workbook_version"] == workbook.version
    assert isinstance(document["shared"], date)
    assert set(document) == fileformat.KEYS
    page = workbook.chapter("friend-lens").page("brick-by-brick")
    expected = {f.id: sample_answer(f, None, i) for i, f in enumerate(page.fields)}
    assert document["answers"]["friend-lens"]["brick-by-brick"] == expected
    assert os.stat(out_file).st_mode & 0o077 == 0  # readable by its owner only


def test_only_completed_pages_can_be_shared(tmp_path):
    workbook = mini_workbook()
    progress = answered(workbook)
    progress.set(workbook, "one", "second", "words", "")  # no longer complete
    keys = [p.key for p in shareable_pages(workbook, progress)]
    assert keys == ["one/every-kind", "two/other"]
    with pytest.raises(ChoiceError, match="only completed pages"):
        choose(workbook, progress, pages=["one/second"])


def test_nothing_is_shared_unless_asked_for(home, capsys, tmp_path):
    code, _, err = run(capsys, "share", "-o", str(tmp_path / "x.toml"))
    assert code == 1 and "nothing is shared by default" in err
    assert not (tmp_path / "x.toml").exists()


def test_an_unknown_page_or_chapter_is_named(home, capsys, tmp_path):
    code, _, err = run(capsys, "share", "-o", str(tmp_path / "x.toml"), "--page", "friend-lens/nope")
    assert code == 1 and "'friend-lens/nope'" in err
    code, _, err = run(capsys, "share", "-o", str(tmp_path / "x.toml"), "--chapter", "nope")
    assert code == 1 and "no chapter 'nope'" in err


def test_an_existing_file_is_not_replaced_without_force(home, capsys, tmp_path):
    target = tmp_path / "x.toml"
    target.write_text("keep me")
    code, _, err = run(capsys, "share", "-o", str(target), "--chapter", "friend-lens")
    assert code == 1 and "already exists" in err and "--force" in err
    assert target.read_text() == "keep me"
    assert run(capsys, "share", "-o", str(target), "--chapter", "friend-lens", "--force")[0] == 0
    assert "friend-lens" in tomllib.loads(target.read_text())["answers"]


# -- private stays private -------------------------------------------------------------------------


def test_the_builtin_workbook_has_private_questions_to_keep(home):
    # What the tests below rely on: the screening question and the private questions exist.
    ids = private_ids(builtin())
    assert {"harm-check", "safe-to-speak", "hard-to-say"} <= ids


@pytest.mark.parametrize(
    "selection",
    [
        ["--chapter", "what-safety-is", "--chapter", "when-you-disagree"],
        ["--page", "when-you-disagree/respect-in-conflict"],
        ["--page", "when-you-disagree/respect-in-conflict", "--page", "what-safety-is/checking-in"],
        [arg for c in builtin().chapters for arg in ("--chapter", c.id)],
    ],
)
def test_private_answers_are_never_written_by_the_command(home, capsys, tmp_path, selection):
    target = tmp_path / "s.toml"
    code, _, err = run(capsys, "share", "-o", str(target), *selection)
    assert (code, err) == (0, "")
    document = tomllib.loads(target.read_text("utf-8"))
    assert field_ids(document) and not field_ids(document) & private_ids(builtin())
    assert "what-safety-is/checking-in" not in page_keys(document)


def test_a_page_of_only_private_questions_cannot_be_shared(home, capsys, tmp_path):
    code, _, err = run(capsys, "share", "-o", str(tmp_path / "s.toml"), "--page", "what-safety-is/checking-in")
    assert code == 1 and "never a private question" in err
    assert not (tmp_path / "s.toml").exists()
    workbook = builtin()
    assert "what-safety-is/checking-in" not in [p.key for p in shareable_pages(workbook, answered(workbook))]


def test_a_screening_question_is_private_even_unmarked():
    screening = Field("harm", "choice", "?", options=(Option("y", "Y"), Option("n", "N")), support=("y",))
    assert is_private(screening) and is_private(Field("p", "text", "?", private=True))
    assert not is_private(Field("t", "text", "?"))


def test_a_hand_edited_progress_file_cannot_slip_private_answers_in(home, capsys, tmp_path):
    workbook = builtin()
    store = ProgressStore(home, "default", workbook.id)
    document = store.read_document()
    respect = document["answers"]["when-you-disagree"]["respect-in-conflict"]
    respect["hard-to-say"] = "HAND EDITED SECRET"
    respect["made-up"] = "not a question"
    store.path.write_text(__import__("tomli_w").dumps(document), "utf-8")
    target = tmp_path / "s.toml"
    assert run(capsys, "share", "-o", str(target), "--chapter", "when-you-disagree")[0] == 0
    text = target.read_text("utf-8")
    assert "HAND EDITED SECRET" not in text and "not a question" not in text


def test_the_writer_drops_private_answers_whoever_built_the_pages():
    workbook = builtin()
    chapter = workbook.chapter("when-you-disagree")
    page = chapter.page("respect-in-conflict")
    smuggled = SharePage(chapter, page, {f.id: sample_answer(f) for f in page.fields})
    shared = fileformat.build(workbook, [smuggled], "", TODAY)
    written = tomllib.loads(fileformat.dumps(shared))
    assert set(written["answers"]["when-you-disagree"]["respect-in-conflict"]) == {
        f.id for f in page.fields if not f.private
    }


# -- reading a share file --------------------------------------------------------------------------


def shared_file(tmp_path: Path, workbook: Workbook, progress: Progress, name: str = "Alex") -> Path:
    target = tmp_path / "theirs.toml"
    shared = fileformat.build(workbook, shareable_pages(workbook, progress), name, TODAY)
    target.write_text(fileformat.dumps(shared), "utf-8")
    return target


def test_a_share_file_reads_back_as_it_was_written(tmp_path):
    workbook = mini_workbook()
    progress = answered(workbook)
    back = fileformat.read(shared_file(tmp_path, workbook, progress), workbook)
    assert back.name == "Alex" and back.shared == TODAY and back.unmatched == []
    assert back.answers == {c: {p: dict(f) for p, f in pages.items()} for c, pages in progress.answers.items()}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'format = "safeground-share"\nformat_version = [', "is not a share file"),
        (b"\xff\xfe garbage", "is not a share file"),
        (b'title = "a progress file"\n', "is not a Safe Ground share file"),
        (b'format = "safeground-share"\nformat_version = 9\nworkbook = "mini"\n', "newer Safe Ground (share format 9"),
        (b'format = "safeground-share"\nworkbook = "mini"\n', "format_version is missing"),
        (b'format = "safeground-share"\nformat_version = 1\nworkbook = "other"\n', 'holds answers to "other"'),
        (b'format = "safeground-share"\nformat_version = 1\nworkbook = "mini"\nanswers = 3\n', "is damaged"),
    ],
)
def test_a_bad_share_file_is_named_and_explained(tmp_path, content, says):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(ShareFileError) as caught:
        fileformat.read(path, mini_workbook())
    assert str(caught.value).startswith(f"{path}: ") and says in str(caught.value)


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as stream:
        stream.truncate(MAX_SHARE_BYTES + 1)
    with pytest.raises(ShareFileError, match="bigger than a share file can be"):
        fileformat.read(path, mini_workbook())


def test_a_folder_a_pipe_and_a_missing_file_are_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # opening it would wait for a writer forever
    for name, says in (("pipe", "not a regular file"), (".", "is a folder"), ("missing", "no such file")):
        with pytest.raises(ShareFileError, match=says):
            fileformat.read(tmp_path / name, mini_workbook())


def test_another_version_matches_by_ids_and_lists_the_rest(tmp_path):
    workbook = mini_workbook()
    path = shared_file(tmp_path, workbook, answered(workbook))
    chapter = workbook.chapters[0]
    kinds = chapter.pages[0]
    renamed = replace(kinds, fields=tuple(replace(f, id="renamed") if f.id == "name" else f for f in kinds.fields))
    ticks = next(f for f in kinds.fields if f.id == "ticks")
    fewer = replace(ticks, options=ticks.options[1:])  # the option "a" is gone
    renamed = replace(renamed, fields=tuple(fewer if f.id == "ticks" else f for f in renamed.fields))
    newer = replace(
        workbook,
        version="2",
        chapters=(replace(chapter, pages=(renamed,)), workbook.chapters[1]),
    )
    back = fileformat.read(path, newer)
    assert back.workbook_version == "1"
    assert back.unmatched == [
        "one/every-kind/name: a question this workbook doesn't have",
        "one/second: a page this workbook doesn't have",
    ]
    assert back.answers["one"]["every-kind"]["ticks"] == ["c"]  # what still fits is kept


def test_private_answers_in_a_file_are_not_shown(tmp_path):
    workbook = builtin()
    path = tmp_path / "s.toml"
    path.write_text(
        'format = "safeground-share"\nformat_version = 1\nworkbook = "safe-ground"\n'
        '[answers.what-safety-is.checking-in]\nharm-check = "yes"\n',
        "utf-8",
    )
    back = fileformat.read(path, workbook)
    assert back.answers == {}
    assert back.unmatched == ["what-safety-is/checking-in/harm-check: a private question, which is never compared"]


def test_answers_of_the_wrong_shape_are_listed_not_shown(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        'format = "safeground-share"\nformat_version = 1\nworkbook = "mini"\nname = 7\n'
        '[answers.one.every-kind]\nclose = "ten"\npick = "gone"\nname = "ok"\n',
        "utf-8",
    )
    back = fileformat.read(path, mini_workbook())
    assert back.name == "" and back.answers == {"one": {"every-kind": {"name": "ok"}}}
    assert back.unmatched == [
        "one/every-kind/close: not a whole number",
        "one/every-kind/pick: an answer this version of the workbook can't show",
    ]


def test_a_share_file_never_changes_your_own_answers(home, capsys, tmp_path):
    workbook = builtin()
    store = ProgressStore(home, "default", workbook.id)
    before = store.path.read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\x1b]52;c;aGk=\x07 not toml")
    code, out, err = run(capsys, "compare", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"safeground: {bad}: is not a share file") and "untouched" in err
    assert "\x1b" not in err and "Traceback" not in err
    assert store.path.read_bytes() == before


# -- the workbook's "discuss" prompt ---------------------------------------------------------------


def _with_discuss(mini_dir: Path, value: str) -> Path:
    chapter = mini_dir / "02-second.toml"
    chapter.write_text(
        chapter.read_text("utf-8").replace('text = "Add your own."', f'text = "Add your own."\ndiscuss = {value}'),
        "utf-8",
    )
    return mini_dir


def test_discuss_is_read_and_checked(mini_dir):
    from safeground.loader import check_workbook

    workbook, problems = check_workbook(_with_discuss(mini_dir, '"""\nTalk it over.\n\nThen listen."""'))
    assert problems == [] and workbook is not None
    assert workbook.chapter("second").page("items").discuss == "Talk it over.\n\nThen listen."
    assert workbook.chapter("second").page("optional").discuss == ""


@pytest.mark.parametrize(("value", "says"), [("3", "'discuss'"), ('"Bell \\u0007 here"', "discuss")])
def test_a_bad_discuss_is_a_problem(mini_dir, value, says):
    from safeground.loader import check_workbook

    _, problems = check_workbook(_with_discuss(mini_dir, value))
    assert len(problems) == 1 and says in str(problems[0]) and "items" in str(problems[0])


def test_every_builtin_page_has_something_to_talk_about():
    workbook = builtin()
    for chapter in workbook.chapters:
        for page in chapter.pages:
            assert 40 < len(page.discuss) < 300, page.id
            assert "fault" not in page.discuss.lower() and " he " not in page.discuss and " she " not in page.discuss


def test_the_example_in_the_share_format_guide_reads_cleanly(tmp_path):
    guide = (Path(__file__).parent.parent / "docs" / "share-format.md").read_text("utf-8")
    example = guide.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.toml").write_text(example, "utf-8")
    shared = fileformat.read(tmp_path / "example.toml", builtin())
    assert shared.unmatched == [] and shared.name == "Sam"
    assert shared.answers["what-safety-is"]["what-helps"]["helpers"] == {"respect": 4, "honesty": 5}
    assert set(tomllib.loads(example)) == fileformat.KEYS


def test_share_and_compare_never_import_textual(home, tmp_path):
    import json
    import subprocess
    import sys

    script = (
        "import json, sys\nfrom safeground.cli import main\n"
        f"codes = [main(['share', '-o', {str(tmp_path / 's.toml')!r}, '--chapter', 'friend-lens']),"
        f" main(['compare', {str(tmp_path / 's.toml')!r}, '-o', {str(tmp_path / 'sheet.md')!r}])]\n"
        "print(json.dumps([codes, sorted(m for m in sys.modules if m.split('.')[0] == 'textual')]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(home)},
    )
    codes, textual = json.loads(result.stdout.strip().splitlines()[-1])
    assert codes == [0, 0] and textual == []
