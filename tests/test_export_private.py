"""Private questions and whose answers the pages are, in every format and from the command line.

A question marked ``private = true`` (the screening questions) is left out of everything that can
be printed or saved unless the person asks; the pages carry the profile's name unless it is the
default profile, or a name the person gives, or none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from export_fixtures import answered, builtin, no_space, pdf_text_pypdf, write_progress
from safeground.cli import main
from safeground.export import NothingToExport, build_document, export_to_file, render
from safeground.export.document import NAME_CHARS
from safeground.export.text import PRIVATE_MARK, render_page
from safeground.progress import Progress
from test_export_cli import fake_cups  # noqa: F401 (a fixture, used by name)

SECRET = "Zebra-secret: I keep quiet because I am scared"
HARM = ("what-safety-is", "checking-in", "harm-check")
SPEAK = ("when-you-disagree", "respect-in-conflict", "safe-to-speak")
HOLD_BACK = ("when-you-disagree", "respect-in-conflict", "hard-to-say")
FORMATS = ("text", "markdown", "html", "pdf")


def _answered_with_secret() -> Progress:
    workbook = builtin()
    progress = answered(workbook)
    progress.set(workbook, *HARM, "yes")
    progress.set(workbook, *HOLD_BACK, SECRET)
    return progress


def _prompt(address: tuple[str, str, str]) -> str:
    field = builtin().locate(*address)
    assert field is not None
    return field.prompt


def _readable(data: bytes, fmt: str) -> str:
    """What a person reads in ``data``, whitespace removed (each format wraps differently)."""
    return no_space(pdf_text_pypdf(data) if fmt == "pdf" else data.decode("utf-8"))


@pytest.fixture(scope="module")
def secret() -> Progress:
    return _answered_with_secret()


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_answers_are_left_out_of_every_format_by_default(secret, fmt):
    document = build_document(builtin(), secret)
    text = _readable(render(document, fmt).data, fmt)
    assert no_space(SECRET) not in text
    for address in (HARM, SPEAK, HOLD_BACK):
        assert no_space(_prompt(address)) not in text, address
    # the page they share with a question that isn't private still prints, without them
    assert no_space(_prompt(("when-you-disagree", "respect-in-conflict", "respected-in-conflict"))) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_answers_are_printed_when_asked_for(secret, fmt):
    document = build_document(builtin(), secret, include_private=True)
    text = _readable(render(document, fmt).data, fmt)
    assert no_space(SECRET) in text
    for address in (HARM, SPEAK, HOLD_BACK):
        assert no_space(_prompt(address)) in text, address


def test_a_page_of_only_private_questions_is_left_out_with_them(secret):
    workbook = builtin()
    pages = [(p.chapter_id, p.id) for p in build_document(workbook, secret).pages]
    assert ("what-safety-is", "checking-in") not in pages
    assert len(pages) == workbook.page_count - 1
    everything = build_document(workbook, secret, include_private=True)
    assert len(everything.pages) == workbook.page_count
    page = next(p for p in everything.pages if p.id == "respect-in-conflict")
    assert [(f.id, f.private) for f in page.fields] == [
        ("respected-in-conflict", False),
        ("safe-to-speak", True),
        ("hard-to-say", True),
    ]


def test_a_draft_started_only_by_a_private_answer_is_not_printed():
    workbook = builtin()
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, *HOLD_BACK, SECRET)
    with pytest.raises(NothingToExport):
        build_document(workbook, progress, include_drafts=True)
    drafts = build_document(workbook, progress, include_drafts=True, include_private=True)
    assert [(p.id, p.draft) for p in drafts.pages] == [("respect-in-conflict", True)]


def test_when_only_private_pages_are_answered_the_message_says_so(tmp_path, monkeypatch, capsys):
    workbook = builtin()
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, *HARM, "yes")
    with pytest.raises(NothingToExport, match="hold only private questions"):
        build_document(workbook, progress)
    assert len(build_document(workbook, progress, include_private=True).pages) == 1
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(tmp_path))
    write_progress(tmp_path, workbook, progress)
    assert main(["export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("safeground: nothing to export: the pages you have answered hold only private questions")
    assert err.rstrip().endswith("(--include-private)") and "--include-drafts" not in err


def test_the_review_marks_private_questions_and_the_export_does_not(secret):
    workbook = builtin()
    document = build_document(workbook, secret, include_private=True)
    page = next(p for p in document.pages if p.id == "respect-in-conflict")
    reviewed = render_page(document, page, mark_private=True)
    assert reviewed.count(PRIVATE_MARK) == 2
    assert reviewed.index(_prompt(SPEAK)) < reviewed.index(PRIVATE_MARK)
    assert PRIVATE_MARK not in render_page(document, page)


def test_export_to_file_leaves_private_answers_out_unless_asked(secret, tmp_path):
    workbook = builtin()
    export_to_file(workbook, secret, tmp_path / "shared.md")
    assert SECRET not in (tmp_path / "shared.md").read_text(encoding="utf-8")
    export_to_file(workbook, secret, tmp_path / "mine.md", include_private=True)
    assert SECRET in (tmp_path / "mine.md").read_text(encoding="utf-8")


# -- whose answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "name", "expected"),
    [
        ("default", None, ""),
        ("sam", None, "Answered by sam"),
        ("sam", "", ""),
        ("default", "Alex", "Answered by Alex"),
        ("sam", "  Alex Rivera  ", "Answered by Alex Rivera"),
    ],
)
def test_whose_answers_the_pages_say_they_are(secret, profile, name, expected):
    document = build_document(builtin(), secret, profile=profile, name=name)
    assert document.answered_by == expected
    for fmt in FORMATS:
        text = _readable(render(document, fmt).data, fmt)
        if expected:
            pages = len(document.pages)
            # on every page (the footer), and once more at the top in Markdown and HTML
            assert text.count(no_space(expected)) == pages + (fmt in ("markdown", "html")), fmt
        else:
            assert "Answeredby" not in text, fmt


def test_a_name_is_cleaned_escaped_and_kept_short(secret):
    name = "<b>Sam</b>\x1b[2J\n" + "x" * 500
    document = build_document(builtin(), secret, name=name)
    assert "\x1b" not in document.name and "\n" not in document.name
    assert len(document.name) <= NAME_CHARS
    html = render(document, "html").data.decode("utf-8")
    assert "<b>Sam" not in html and "&lt;b&gt;Sam&lt;/b&gt;" in html


# -- the command line --------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    workbook = builtin()
    write_progress(folder, workbook, _answered_with_secret(), profile="sam")
    return folder


def _export(capsys, *args: str) -> str:
    assert main(["export", "--profile", "sam", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_cli_export_leaves_private_answers_out_unless_asked(data_dir, capsys):
    assert SECRET not in _export(capsys)
    assert _prompt(HARM) not in _export(capsys, "--format", "markdown")
    shared = _export(capsys, "--include-private")
    assert SECRET in shared and _prompt(HARM) in shared


def test_cli_name_and_no_name(data_dir, capsys):
    assert "Answered by sam" in _export(capsys)
    assert "Answered by Alex" in _export(capsys, "--name", "Alex")
    assert "Answered by" not in _export(capsys, "--no-name")
    with pytest.raises(SystemExit):
        main(["export", "--name", "Alex", "--no-name"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_cli_export_to_a_pdf_file_leaves_private_answers_out(data_dir, capsys, tmp_path):
    target = tmp_path / "pages.pdf"
    assert main(["export", "--profile", "sam", "-o", str(target)]) == 0
    text = no_space(pdf_text_pypdf(target))
    assert no_space(SECRET) not in text and no_space(_prompt(SPEAK)) not in text
    assert "Answeredbysam" in text


def test_cli_print_leaves_private_answers_out_unless_asked(data_dir, fake_cups, capsys):  # noqa: F811
    assert main(["print", "--profile", "sam"]) == 0
    printed = no_space(pdf_text_pypdf(fake_cups / "printed.pdf"))
    assert no_space(SECRET) not in printed and no_space(_prompt(HARM)) not in printed
    assert "Answeredbysam" in printed
    assert main(["print", "--profile", "sam", "--include-private", "--name", "Robin"]) == 0
    printed = no_space(pdf_text_pypdf(fake_cups / "printed.pdf"))
    assert no_space(SECRET) in printed and no_space(_prompt(HARM)) in printed
    assert "AnsweredbyRobin" in printed and "Answeredbysam" not in printed
