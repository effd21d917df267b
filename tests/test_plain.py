"""Plain mode (``safeground --plain``): the workbook as a conversation on stdin and stdout.

Most tests hold the conversation in-process, replies from a StringIO; a few run the real command
through a pipe, where start-up, the exit status and what reaches the terminal are the behaviour.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app_support import answers, make_app, open_page, settle
from safeground.cli import build_parser, main
from safeground.cli_support import CommandError
from safeground.loader import load_workbook
from safeground.plain import run_plain
from safeground.plain.conversation import SUPPORT_LEAD
from safeground.plain.printing import Printer
from safeground.progress import Position, Progress
from safeground.storage import ProgressStore

MINI = Path(__file__).parent / "data" / "mini"


def converse(data_dir: Path, replies: str, *args: str, workbook: Path | None = MINI) -> tuple[int, str]:
    """Run plain mode in-process with ``replies`` as its input: (exit status, what it printed)."""
    # The United States' lines unless a test asks for others: the same on every machine, whatever its locale.
    region = [] if "--region" in args else ["--region", "us"]
    options = ["--data-dir", str(data_dir), "--plain", *region, *args]
    if workbook is not None:
        options = ["--workbook", str(workbook), *options]
    out = io.StringIO()
    code = run_plain(build_parser().parse_args(options), io.StringIO(replies), out)
    return code, out.getvalue()


def mini_answers(data_dir: Path) -> dict:
    return answers(data_dir, "mini")


def save_mini(data_dir: Path, values: dict[tuple[str, str, str], object], position: Position | None = None) -> None:
    workbook = load_workbook(MINI)
    progress = Progress(workbook.id, workbook.version, position=position or Position())
    for (chapter, page, field), value in values.items():
        progress.set(workbook, chapter, page, field, value)
    ProgressStore(data_dir, "default", workbook.id).save(progress)


# Every reply of both chapters of the mini workbook, in order, with what each one saves.
WHOLE_WORKBOOK = (
    "Sam\n"  # text
    "First line\n\nThird line\n.\n"  # long text, ended by a lone full stop
    "2\n"  # choice: Tense
    "1 3\n"  # checklist: Warm and Tight
    "4\n"  # scale
    "5\n3\n"  # statements: one prompt each
    "a walk\ntea in bed\n\n"  # list, ended by an empty line
    "\n\n"  # two optional questions left for now
)
SAVED = {
    "first": {
        "words": {"name": "Sam", "story": "First line\n\nThird line"},
        "picks": {"mood": "tense", "signs": ["warm", "tight"]},
        "numbers": {"closeness": 4, "ratings": {"heard": 5, "respected": 3}},
    },
    "second": {"items": {"things": ["a walk", "tea in bed"]}},
}


def test_every_kind_answered_through_a_whole_workbook(tmp_path):
    code, said = converse(tmp_path, WHOLE_WORKBOOK)
    assert code == 0
    assert mini_answers(tmp_path) == SAVED
    # Each kind spelled out, as a person hears it.
    for words in [
        "Type your answer on one line.",
        'End it with a line holding only a full stop (".")',
        "Choose one. Type a number from 1 to 3.",
        "Choose any. Type their numbers separated by spaces",
        "Rate 1 to 5 (1 means Far, 5 means Close).",
        "Statement 2 of 2: I feel respected",
        "Type a thing on each line, as many as you like. An empty line ends the list.",
    ]:
        assert words in said
    assert "You have reached the end of the workbook." in said
    assert said.rstrip().endswith("Your answers are saved. You can come back any time.")


async def test_answers_given_in_plain_mode_open_in_the_app(tmp_path):
    converse(tmp_path, WHOLE_WORKBOOK)
    app = make_app(tmp_path, workbook_dir=MINI)
    from safeground.widgets.base import FieldWidget

    async with app.run_test(size=(100, 30)) as pilot:
        for chapter, pages in SAVED.items():
            for page, values in pages.items():
                await open_page(pilot, app, chapter, page)
                shown = {w.field.id: w.value for w in app.screen.query(FieldWidget) if w.field.id in values}
                assert shown == values
        await settle(pilot, app)
    assert mini_answers(tmp_path) == SAVED, "the app found nothing to change"


@pytest.mark.parametrize(
    ("where", "bad", "sentence", "good", "saved"),
    [
        (("picks", "mood"), "4", "Please type one number from 1 to 3.", "1", "calm"),
        (("picks", "mood"), "calm", "Please type one number from 1 to 3.", "1", "calm"),
        (
            ("picks", "signs"),
            "1 9",
            "Please type numbers from 1 to 3, separated by spaces, or 'none'.",
            "2 1",
            ["warm", "loose"],
        ),
        (("numbers", "closeness"), "6", "Please type one number from 1 to 5.", "5", 5),
        (("numbers", "ratings"), "lots", "Please type one number from 1 to 5.", "2", {"heard": 2}),
    ],
    ids=["choice-out-of-range", "choice-word", "checklist", "scale", "statement"],
)
def test_bad_input_gets_a_sentence_and_the_same_question_and_saves_nothing(tmp_path, where, bad, sentence, good, saved):
    page, field = where
    save_mini(tmp_path, {}, Position("first", page, field))
    code, said = converse(tmp_path, f"{bad}\nquit\n")
    assert code == 0
    question, after = said.split(sentence, 1)
    instructions = question.rstrip("\n> ").rsplit("\n", 1)[1]
    assert after.lstrip("\n").startswith(instructions), "the same question's instructions again"
    assert not mini_answers(tmp_path), "nothing saved from a bad reply"
    code, said = converse(tmp_path, f"{bad}\n{good}\nquit\n")
    assert mini_answers(tmp_path)["first"][page][field] == saved


def test_current_answers_are_shown_and_kept_on_an_empty_line(tmp_path):
    story = "Once,\nthen twice."
    save_mini(
        tmp_path,
        {
            ("first", "words", "name"): "Sam",
            ("first", "words", "story"): story,
            ("first", "picks", "signs"): ["loose"],
            ("second", "items", "things"): ["one", "two"],
        },
        Position("first", "words", "name"),
    )
    code, said = converse(tmp_path, "\n\n\n")
    assert code == 0
    for words in [
        "Your answer now: Sam",
        "Your answer now:\n  Once,\n  then twice.",
        "Press Enter to keep your answer.",
    ]:
        assert words in said
    assert mini_answers(tmp_path)["first"]["words"] == {"name": "Sam", "story": story}
    code, said = converse(tmp_path, "   \n", "--chapter", "second")  # spaces look empty: kept too
    assert "Your list now:\n  - one\n  - two" in said
    assert mini_answers(tmp_path)["second"]["items"]["things"] == ["one", "two"]


def test_skip_back_contents_and_quit(tmp_path):
    replies = "skip\nA story.\n.\nback\nback\nAlex\ncontents\n2\nx\n\nquit\nnever read\n"
    code, said = converse(tmp_path, replies, "--chapter", "first")
    assert code == 0
    assert mini_answers(tmp_path) == {
        "first": {"words": {"name": "Alex", "story": "A story."}},
        "second": {"items": {"things": ["x"]}},
    }
    assert "  1. First chapter: 1 of 3 pages complete" in said
    assert "Chapter 2 of 2: Second chapter" in said
    assert "never read" not in said


def test_support_at_any_prompt_and_after_a_screening_answer(tmp_path):
    save_mini(tmp_path, {}, Position("first", "picks", "mood"))
    code, said = converse(tmp_path, "help\n2\nback\n3\nback\n3\nquit\n")
    assert code == 0
    hotline = "National Domestic Violence Hotline: Call 1-800-799-7233"
    # Numbers first, as on the support screen: the emergency line and each number before any prose.
    support = said[said.index("Support\n") :]
    assert support.index("If you are in danger right now") < support.index(hotline) < support.index("Is there violence")
    # 'help' showed it once; the screening answer 'Unsafe' once more, and only once for that question.
    assert said.count(hotline) == 2
    assert said.count(SUPPORT_LEAD) == 1
    assert mini_answers(tmp_path)["first"]["picks"]["mood"] == "unsafe"


def test_support_shows_the_chosen_regions_lines(tmp_path):
    save_mini(tmp_path, {}, Position("first", "picks", "mood"))
    code, said = converse(tmp_path, "support\nquit\n", "--region", "gb")
    assert code == 0
    assert "call 999" in said and "0808 2000 247" in said
    assert "1-800-799-7233" not in said


def test_private_questions_are_marked(tmp_path, write_workbook):
    folder = write_workbook(
        tmp_path / "wb",
        {
            "workbook.toml": 'id = "p"\ntitle = "P"\nversion = "1"\ndescription = "d"\nchapters = ["c"]\n',
            "c.toml": textwrap.dedent(
                """
                id = "c"
                title = "C"
                summary = "s"
                [[pages]]
                id = "p"
                title = "P"
                text = "t"
                [[pages.fields]]
                id = "secret"
                kind = "text"
                prompt = "Something only you know?"
                private = true
                """
            ),
        },
    )
    code, said = converse(tmp_path / "data", "kept to myself\n", workbook=folder)
    assert code == 0
    assert "Question 1 of 1: Something only you know? (private)" in said
    assert answers(tmp_path / "data", "p")["c"]["p"]["secret"] == "kept to myself"


def test_a_long_answer_cut_off_by_the_end_of_input_is_kept(tmp_path):
    code, _said = converse(tmp_path, "Sam\nHalf a story\nand more", "--chapter", "first")
    assert code == 0
    assert mini_answers(tmp_path)["first"]["words"] == {"name": "Sam", "story": "Half a story\nand more"}


def test_a_profile_open_elsewhere_is_left_alone(tmp_path):
    save_mini(tmp_path, {("first", "words", "name"): "Sam"})
    holder = ProgressStore(tmp_path, "default", "mini")
    with holder, pytest.raises(CommandError, match="open in another Safe Ground"):
        converse(tmp_path, "Alex\n")
    assert mini_answers(tmp_path)["first"]["words"]["name"] == "Sam"


def test_an_unknown_chapter_names_the_chapters(tmp_path):
    with pytest.raises(CommandError, match="no chapter 'third'; its chapters are: first, second"):
        converse(tmp_path, "", "--chapter", "third")


def test_an_unreadable_progress_file_is_left_as_it_is(tmp_path):
    path = tmp_path / "default" / "mini.toml"
    path.parent.mkdir(parents=True)
    path.write_text("answers = [not toml", encoding="utf-8")
    with pytest.raises(CommandError, match="(?s)Nothing was changed.*start-fresh"):
        converse(tmp_path, "Sam\n")
    assert path.read_text(encoding="utf-8") == "answers = [not toml"


def test_a_failed_save_keeps_the_answer_and_tries_again_with_the_next(tmp_path, monkeypatch):
    failures = iter([OSError(28, "No space left on device")])
    write = ProgressStore.write

    def full_disk_once(self, data, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return write(self, data, **kwargs)

    monkeypatch.setattr(ProgressStore, "write", full_disk_once)
    code, said = converse(tmp_path, "Sam\nA story.\n.\nquit\n", "--chapter", "first")
    assert code == 0
    assert "could not be saved yet (No space left on device); it will be tried again." in said
    assert mini_answers(tmp_path)["first"]["words"] == {"name": "Sam", "story": "A story."}


def test_chapter_needs_plain(capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["--chapter", "first"])
    assert leaving.value.code == 2
    assert "--chapter is for the plain mode: add --plain" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_lines_wrap_between_words(monkeypatch):
    """A word the terminal breaks at its edge reaches a braille display as two; a pipe gets whole lines."""
    monkeypatch.setenv("COLUMNS", "30")
    text = "- Take a break when it gets too hot. At least 20 minutes, and come back within a day."
    terminal, pipe = _Terminal(), io.StringIO()
    Printer(terminal).prose(text)
    Printer(pipe).prose(text)
    lines = terminal.getvalue().rstrip("\n").split("\n")
    assert len(lines) > 2 and all(len(line) < 30 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:]), "an item's lines start under its text"
    assert " ".join(line.strip() for line in lines) == text
    assert pipe.getvalue() == text + "\n\n"


# -- through a real pipe -------------------------------------------------------------------------------


def run(*args: str, replies: str, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, *args],
        input=replies,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
    )


def test_the_example_from_the_issue_answers_the_first_question_and_leaves(tmp_path):
    result = run("-m", "safeground", "--plain", "--chapter", "what-safety-is", replies="1\n", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert answers(tmp_path)["what-safety-is"]["safety-and-security"] == {"focus": "safety"}
    assert "Choose one. Type a number from 1 to 4." in result.stdout


_IMPORT_CHECK = textwrap.dedent(
    """
    import json, sys
    from safeground.cli import main
    code = main(sys.argv[1:])
    heavy = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
    print(json.dumps({"code": code, "textual": heavy}), file=sys.stderr)
    """
)

HOSTILE = "\x1b]52;c;aGk=\x07\x1b[2J\x9b31m"


def test_plain_mode_imports_no_textual_and_prints_no_escape_codes(tmp_path):
    # Answers edited by hand to hold escape sequences, shown back as the current answers; and a
    # reply typed with one, saved as given.
    hand_edited = {("first", "words", "name"): f"Sam{HOSTILE}", ("first", "words", "story"): f"a{HOSTILE}\nb"}
    save_mini(tmp_path, hand_edited, Position("first", "words", "name"))
    replies = f"\nnew{HOSTILE}\n.\n"
    result = run(
        "-c", _IMPORT_CHECK, "--workbook", str(MINI), replies=replies, data_dir=tmp_path, env={"SAFEGROUND_PLAIN": "1"}
    )
    report = json.loads(result.stderr.splitlines()[-1])
    assert report == {"code": 0, "textual": []}
    assert "Your answer now: Sam␛]52;c;aGk=␇␛[2J\ufffd31m" in result.stdout
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in result.stdout)
    assert mini_answers(tmp_path)["first"]["words"]["story"] == f"new{HOSTILE}"
