"""Comparing your answers with a partner's share file, and the conversation sheet in each format."""

from __future__ import annotations

from datetime import date

import pytest

from export_fixtures import answered, builtin, mini_workbook, pdf_text_pypdf, squash, write_progress
from safeground.cli import main
from safeground.export import render
from safeground.progress import Progress
from safeground.share import fileformat
from safeground.share.choosing import shareable_pages
from safeground.share.compare import PARTNER, compare
from safeground.share.sheet import FOR_TALKING, sheet_document

WHEN = date(2026, 3, 12)
HOSTILE = "[b]bold[/b] [red]x[/] \x1b[2J\x1b]52;c;aGk=\x07 <script>alert(1)</script> &amp;"


def mine_and_theirs() -> tuple[Progress, Progress]:
    """Two people's answers to the mini workbook's page of every kind, differing in each."""
    workbook = mini_workbook()
    you, them = Progress(workbook.id), Progress(workbook.id)
    for progress, answers in (
        (
            you,
            dict(name="Robin", pick="yes", ticks=["a", "b"], close=9, rate={"heard": 2, "safe": 5}, things=["walks"]),
        ),
        (
            them,
            dict(name="Alex", pick="no", ticks=["b", "c"], close=4, rate={"heard": 5, "safe": 5}, things=["tea", "x"]),
        ),
    ):
        for field_id, value in answers.items():
            progress.set(workbook, "one", "every-kind", field_id, value)
    you.set(workbook, "one", "second", "words", "Only mine")
    them.set(workbook, "two", "other", "more", "Only theirs")
    them.set(workbook, "two", "other", "extra", "Only theirs too")
    return you, them


def shared_of(progress: Progress, name: str = "Alex") -> fileformat.Shared:
    workbook = mini_workbook()
    return fileformat.build(workbook, shareable_pages(workbook, progress), name, WHEN)


def test_each_kind_is_compared_in_its_own_way():
    you, them = mine_and_theirs()
    result = compare(mini_workbook(), you, shared_of(them))
    assert [p.page.id for p in result.pages] == ["every-kind"]
    rows = {row.kind: row for row in result.pages[0].rows}
    assert rows["text"].you == ("Robin",) and rows["text"].them == ("Alex",)
    assert rows["choice"].you == ("Yes",) and rows["choice"].notes == ("Different answers",)
    assert rows["checklist"].notes == ("Both of you: Bread", "Only you: Apples", "Only Alex: Cheese")
    assert rows["scale"].you == ("9 of 10",) and rows["scale"].notes[0].startswith("5 apart")
    assert rows["statements"].notes[1:] == ("I feel heard — 3 apart", "I feel safe — the same")
    assert rows["list"].you == ("- walks",) and rows["list"].them == ("- tea", "- x")
    assert [(g.what, g.size) for g in result.gaps] == [("How close?", 5), ("I feel heard", 3), ("I feel safe", 0)]


def test_a_choice_that_matches_says_so():
    you, _ = mine_and_theirs()
    result = compare(mini_workbook(), you, shared_of(you))
    rows = {row.kind: row for row in result.pages[0].rows}
    assert rows["choice"].notes == ("The same answer",)
    assert rows["checklist"].notes == ("Both of you: Apples, Bread",)


def test_pages_only_one_of_you_answered_are_listed():
    you, them = mine_and_theirs()
    result = compare(mini_workbook(), you, shared_of(them, name=""))
    assert result.them == PARTNER
    assert [(p.chapter_title, p.title) for p in result.only_you] == [("Chapter One", "A second page")]
    assert [p.title for p in result.only_them] == ["Another chapter's page"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "pdf"])
def test_the_conversation_sheet_in_each_format(fmt):
    you, them = mine_and_theirs()
    workbook = mini_workbook()
    document = sheet_document(compare(workbook, you, shared_of(them)), workbook.id)
    data = render(document, fmt).data
    text = squash(pdf_text_pypdf(data) if fmt == "pdf" else data.decode("utf-8"))
    if fmt == "markdown":
        text = text.replace("\\", "")
    for expected in (
        "Robin",
        "Alex",
        "Different answers",
        "Only you: Apples",
        "Only Alex: Cheese",
        "5 apart",
        "tea",
        "To talk about",
        "Pages only you answered",
        "A second page",
        FOR_TALKING[:40],
    ):
        assert expected.lower() in text.lower(), (fmt, expected)
    for never in ("score", "right answer", "winner"):
        assert never not in text.lower()


def test_the_discuss_prompt_goes_on_the_sheet():
    workbook = builtin()
    progress = answered(workbook)
    result = compare(workbook, progress, fileformat.build(workbook, shareable_pages(workbook, progress), "", WHEN))
    page = workbook.chapter("friend-lens").page("brick-by-brick")
    assert page.discuss
    text = squash(render(sheet_document(result, workbook.id), "text").data.decode("utf-8"))
    assert squash(page.discuss)[:60] in text


def test_hostile_text_in_a_share_file_is_shown_as_text(tmp_path):
    you, _ = mine_and_theirs()
    workbook = mini_workbook()
    theirs = Progress(workbook.id)
    for field_id, value in dict(name=HOSTILE, pick="no", ticks=["b"], close=1, rate={"heard": 1, "safe": 1}).items():
        theirs.set(workbook, "one", "every-kind", field_id, value)
    theirs.set(workbook, "one", "every-kind", "things", [HOSTILE])
    path = tmp_path / "hostile.toml"
    path.write_text(fileformat.dumps(shared_of(theirs, name=HOSTILE)), "utf-8")
    result = compare(workbook, you, fileformat.read(path, workbook))
    assert "\x1b" not in result.them and "[b]bold[/b]" in result.them
    html = render(sheet_document(result, workbook.id), "html").data.decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "\x1b" not in html
    assert "&amp;amp;" in html  # the file's "&amp;" is text, escaped once more


def test_compare_command_prints_the_sheet_and_saves_it(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(data))
    workbook = builtin()
    write_progress(data, workbook, answered(workbook))
    theirs = answered(workbook, text="Their own words")
    path = tmp_path / "alex.toml"
    path.write_text(
        fileformat.dumps(fileformat.build(workbook, shareable_pages(workbook, theirs), "Alex", WHEN)), "utf-8"
    )
    assert main(["compare", str(path)]) == 0
    out = capsys.readouterr().out
    assert "You and Alex, shared 12 March 2026" in out and "Their own words" in out and "\f" not in out
    sheet = tmp_path / "sheet.md"
    assert main(["compare", str(path), "-o", str(sheet)]) == 0
    assert "Saved the conversation sheet" in capsys.readouterr().out
    assert "To talk about" in sheet.read_text("utf-8")
    assert main(["compare", str(path), "-o", str(sheet)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_compare_command_names_a_file_of_another_workbook(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "other.toml"
    path.write_text('format = "safeground-share"\nformat_version = 1\nworkbook = "[red]other[/]"\n', "utf-8")
    assert main(["compare", str(path)]) == 1
    err = capsys.readouterr().err
    assert f'{path}: holds answers to "[red]other[/]", not to this workbook' in err


def test_a_file_from_another_version_says_so(tmp_path):
    workbook = mini_workbook()
    you, them = mine_and_theirs()
    shared = shared_of(them)
    shared.workbook_version = "0.9"
    shared.unmatched.append("one/gone: a page this workbook doesn't have")
    result = compare(workbook, you, shared)
    text = render(sheet_document(result, workbook.id), "text").data.decode("utf-8")
    assert "version 0.9" in text and "one/gone: a page this workbook doesn't have" in text
