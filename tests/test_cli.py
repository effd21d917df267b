"""The command line: every command, its output and exit codes, run as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from safeground import __version__
from safeground.cli import main
from safeground.loader import builtin_workbook_dir, load_workbook
from safeground.progress import Position, Progress
from safeground.storage import ProgressStore

COMMANDS = ["status", "where", "check", "start-fresh"]


def run(*args: str, data_dir: Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m safeground ARGS`` in a fresh interpreter, with answers kept under ``data_dir``."""
    environment = {**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "safeground", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


def _save_mini_progress(data_dir: Path, mini_dir: Path, profile: str = "default") -> ProgressStore:
    workbook = load_workbook(mini_dir)
    store = ProgressStore(data_dir, profile, workbook.id)
    progress = Progress(workbook.id, workbook.version, position=Position("first", "picks", "signs"))
    progress.set(workbook, "first", "words", "name", "Sam")
    progress.set(workbook, "first", "picks", "mood", "calm")
    progress.set(workbook, "second", "optional", "note", "a note")
    store.save(progress)
    return store


# -- status ----------------------------------------------------------------------------------------


def test_status_with_no_answers_yet(data_dir, tmp_path):
    result = run("status", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    workbook = load_workbook()
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{workbook.title} ({workbook.version})")
    for chapter in workbook.chapters:
        row = next(line for line in lines if chapter.title in line)
        assert row.rstrip().endswith(f"0/{len(chapter.pages)} pages")
    assert f"Overall: 0% (0 of {workbook.page_count} pages complete)" in result.stdout
    first = workbook.chapters[0]
    assert f"Start at: {first.title} › {first.pages[0].title}" in result.stdout
    assert f"Progress file: {data_dir / 'default' / 'safe-ground.toml'} (not saved yet)" in result.stdout
    assert not data_dir.exists(), "status only reads"


def test_status_shows_progress_bars_and_where_to_continue(data_dir, tmp_path, mini_dir):
    store = _save_mini_progress(data_dir, mini_dir)
    result = run("--workbook", str(mini_dir), "status", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first = next(line for line in result.stdout.splitlines() if "First chapter" in line)
    second = next(line for line in result.stdout.splitlines() if "Second chapter" in line)
    assert first.rstrip().endswith("1/3 pages")
    assert second.rstrip().endswith("1/2 pages")
    # Bars are 20 cells, filled in proportion.
    assert first.count("█") == round(20 / 3) and first.count("░") == 20 - round(20 / 3)
    assert second.count("█") == 10
    assert "Overall: 40% (2 of 5 pages complete)" in result.stdout
    assert "Continue at: First chapter › Picks" in result.stdout
    # Which pages are left, under each chapter begun and not finished.
    lines = result.stdout.splitlines()
    assert lines[lines.index(first) + 1] == "    to finish: Picks, Numbers"
    assert lines[lines.index(second) + 1] == "    to finish: Items"
    assert f"Progress file: {store.path}\n" in result.stdout
    assert "kept in the file" not in result.stdout


def test_status_without_unicode_output_falls_back_to_ascii(data_dir, tmp_path, mini_dir):
    _save_mini_progress(data_dir, mini_dir)
    index = mini_dir / "workbook.toml"
    index.write_text(index.read_text(encoding="utf-8").replace("Mini Workbook", "Café 💛"), encoding="utf-8")
    result = run(
        "--workbook",
        str(mini_dir),
        "--profile",
        "default",
        "status",
        data_dir=data_dir,
        cwd=tmp_path,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr
    _no_traceback(result)
    assert "Caf? ? (2.0)" in result.stdout
    assert "Continue at: First chapter > Picks" in result.stdout
    assert "#" * round(20 / 3) + "-" in result.stdout
    as_json = run(
        "--workbook",
        str(mini_dir),
        "status",
        "--json",
        data_dir=data_dir,
        cwd=tmp_path,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert json.loads(as_json.stdout)["workbook"]["title"] == "Café 💛"


def test_status_lists_orphaned_answers(data_dir, tmp_path, mini_dir):
    store = _save_mini_progress(data_dir, mini_dir)
    text = store.path.read_text(encoding="utf-8")
    store.path.write_text(text + '\n[answers.old-chapter.old-page]\nthoughts = "still mine"\n', encoding="utf-8")
    chapter = mini_dir / "01-first.toml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('id = "calm"', 'id = "at-ease"'), encoding="utf-8")
    result = run("--workbook", str(mini_dir), "status", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 answer(s) are kept in the file but the workbook can no longer show them:" in result.stdout
    assert "old-chapter › old-page › thoughts: the workbook has no chapter with this id any more" in result.stdout
    assert "first › picks › mood: the answer names options or values the question no longer has" in result.stdout
    as_json = json.loads(run("--workbook", str(mini_dir), "status", "--json", data_dir=data_dir, cwd=tmp_path).stdout)
    assert {(o["chapter"], o["page"], o["field"]) for o in as_json["orphaned_answers"]} == {
        ("old-chapter", "old-page", "thoughts"),
        ("first", "picks", "mood"),
    }
    assert "still mine" in store.path.read_text(encoding="utf-8"), "status never rewrites the file"


def test_status_json_shape(data_dir, tmp_path, mini_dir):
    store = _save_mini_progress(data_dir, mini_dir, profile="partner")
    result = run(
        "--workbook", str(mini_dir), "--profile", "partner", "status", "--json", data_dir=data_dir, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {
        "workbook",
        "profile",
        "progress_file",
        "saved",
        "chapters",
        "pages_done",
        "pages_total",
        "percent",
        "resume",
        "orphaned_answers",
    }
    assert report["workbook"] == {"id": "mini", "title": "Mini Workbook", "version": "2.0"}
    assert report["profile"] == "partner"
    assert report["progress_file"] == str(store.path)
    assert report["saved"] is True
    assert report["chapters"] == [
        {
            "id": "first",
            "title": "First chapter",
            "pages_done": 1,
            "pages_total": 3,
            "unfinished_pages": [{"id": "picks", "title": "Picks"}, {"id": "numbers", "title": "Numbers"}],
        },
        {
            "id": "second",
            "title": "Second chapter",
            "pages_done": 1,
            "pages_total": 2,
            "unfinished_pages": [{"id": "items", "title": "Items"}],
        },
    ]
    assert (report["pages_done"], report["pages_total"], report["percent"]) == (2, 5, 40)
    assert report["resume"] == {"chapter": "first", "page": "picks", "field": "signs"}
    assert report["orphaned_answers"] == []


def test_status_json_for_the_builtin_workbook_with_nothing_saved(data_dir, tmp_path):
    report = json.loads(run("status", "--json", data_dir=data_dir, cwd=tmp_path).stdout)
    workbook = load_workbook()
    assert report["saved"] is False
    assert [c["id"] for c in report["chapters"]] == [c.id for c in workbook.chapters]
    assert report["pages_total"] == workbook.page_count
    assert report["percent"] == 0
    first = workbook.chapters[0].pages[0]
    assert report["resume"] == {"chapter": workbook.chapters[0].id, "page": first.id, "field": first.fields[0].id}


# -- where -----------------------------------------------------------------------------------------


def test_where_prints_the_folders_and_the_file(data_dir, tmp_path):
    result = run("where", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Data folder:   {data_dir}",
        f"Profile:       {data_dir / 'default'}",
        f"Progress file: {data_dir / 'default' / 'safe-ground.toml'}",
    ]
    assert not data_dir.exists()


def test_data_dir_option_wins_over_the_environment(data_dir, tmp_path, mini_dir):
    chosen = tmp_path / "chosen"
    result = run(
        "--data-dir",
        str(chosen),
        "--profile",
        "ana",
        "--workbook",
        str(mini_dir),
        "where",
        data_dir=data_dir,
        cwd=tmp_path,
    )
    assert f"Progress file: {chosen / 'ana' / 'mini.toml'}" in result.stdout
    # Global options may also come after the command.
    after = run(
        "where",
        "--data-dir",
        str(chosen),
        "--profile",
        "ana",
        "--workbook",
        str(mini_dir),
        data_dir=data_dir,
        cwd=tmp_path,
    )
    assert after.stdout == result.stdout


# -- check -----------------------------------------------------------------------------------------


def test_check_the_builtin_workbook(data_dir, tmp_path):
    result = run("check", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = load_workbook()
    fields = sum(len(p.fields) for c in workbook.chapters for p in c.pages)
    assert result.stdout.strip() == (
        f"{builtin_workbook_dir()}: OK ({workbook.title}, {len(workbook.chapters)} chapters, "
        f"{workbook.page_count} pages, {fields} questions)"
    )


def test_check_a_folder_with_problems_lists_them_all(data_dir, tmp_path, mini_dir):
    chapter = mini_dir / "01-first.toml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace('kind = "checklist"', 'kind = "checkbox"').replace('id = "picks"', 'id = "Picks"'),
        encoding="utf-8",
    )
    (mini_dir / "02-second.toml").write_bytes(b"\xff")
    result = run("check", str(mini_dir), data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    _no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines[-1] == f"4 problems in {mini_dir}"
    problems = lines[:-1]
    assert len(problems) == 4
    assert any(line.startswith(f"{chapter}:") and "unknown kind 'checkbox'" in line for line in problems)
    assert any(line.startswith(f"{chapter}:") and 'id "Picks"' in line for line in problems)
    assert any(line.startswith(f"{mini_dir / '02-second.toml'}:1:") and "not UTF-8" in line for line in problems)


def test_check_one_problem_says_so_in_the_singular(data_dir, tmp_path, mini_dir):
    (mini_dir / "02-second.toml").unlink()
    result = run("check", str(mini_dir), data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"1 problem in {mini_dir}"


def test_check_uses_the_workbook_option_and_accepts_a_good_folder(data_dir, tmp_path, mini_dir):
    result = run("--workbook", str(mini_dir), "check", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{mini_dir}: OK (Mini Workbook, 2 chapters, 5 pages, 9 questions)"


@pytest.mark.parametrize("target", ["missing", "file"])
def test_check_something_that_is_not_a_workbook_folder(data_dir, tmp_path, target):
    path = tmp_path / "nothing"
    if target == "file":
        path.write_text("hello", encoding="utf-8")
    result = run("check", str(path), data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    assert f"{path}: is not a folder" in result.stderr


# -- start-fresh -----------------------------------------------------------------------------------


def test_a_corrupt_progress_file_is_explained_and_can_be_set_aside(data_dir, tmp_path):
    path = data_dir / "default" / "safe-ground.toml"
    path.parent.mkdir(parents=True)
    content = b'format = 1\nworkbook = "safe-ground"\n[answers.what-safety-is\n'
    path.write_bytes(content)

    status = run("status", data_dir=data_dir, cwd=tmp_path)
    assert status.returncode == 1
    _no_traceback(status)
    first, *rest = status.stderr.splitlines()
    assert first.startswith(f"safeground: {path}:3: is not valid TOML")
    assert "Nothing was changed" in status.stderr
    assert "safeground start-fresh" in status.stderr
    assert path.read_bytes() == content
    assert run("status", "--json", data_dir=data_dir, cwd=tmp_path).returncode == 1

    fresh = run("start-fresh", data_dir=data_dir, cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    moved = [p for p in path.parent.iterdir() if p.name.startswith("safe-ground.toml.broken-")]
    assert len(moved) == 1
    assert moved[0].read_bytes() == content
    assert f"Your old progress file is kept at {moved[0]}." in fresh.stdout
    assert not path.exists()
    again = run("status", data_dir=data_dir, cwd=tmp_path)
    assert again.returncode == 0
    assert "(not saved yet)" in again.stdout


def test_the_start_fresh_hint_names_the_profile(data_dir, tmp_path):
    path = data_dir / "ana" / "safe-ground.toml"
    path.parent.mkdir(parents=True)
    path.write_text("format = 7\n", encoding="utf-8")
    result = run("--profile", "ana", "status", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    assert "made by a newer Safe Ground" in result.stderr
    assert "safeground start-fresh --profile ana" in result.stderr


def test_start_fresh_leaves_a_good_file_alone_unless_forced(data_dir, tmp_path, mini_dir):
    store = _save_mini_progress(data_dir, mini_dir)
    content = store.path.read_bytes()
    refused = run("--workbook", str(mini_dir), "start-fresh", data_dir=data_dir, cwd=tmp_path)
    assert refused.returncode == 1
    assert "is fine, so it was left in place" in refused.stderr
    assert "--force" in refused.stderr
    assert store.path.read_bytes() == content
    forced = run("--workbook", str(mini_dir), "start-fresh", "--force", data_dir=data_dir, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert not store.path.exists()
    moved = next(store.profile_dir.glob("mini.toml.broken-*"))
    assert moved.read_bytes() == content


def test_start_fresh_with_nothing_saved(data_dir, tmp_path):
    result = run("start-fresh", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0
    assert "There is no progress file yet" in result.stdout


def test_start_fresh_while_the_profile_is_open_elsewhere(data_dir, tmp_path, mini_dir):
    store = _save_mini_progress(data_dir, mini_dir)
    content = store.path.read_bytes()
    with ProgressStore(data_dir, "default", "mini"):
        result = run("--workbook", str(mini_dir), "start-fresh", "--force", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    assert "already open in another Safe Ground" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.path.read_bytes() == content


# -- global options, help, usage errors ------------------------------------------------------------


def test_version(data_dir, tmp_path):
    result = run("--version", data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"safeground {__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_command(data_dir, tmp_path, command):
    args = ["--help"] if command is None else [command, "--help"]
    result = run(*args, data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""
    expected = "usage: safeground" + ("" if command is None else f" {command}")
    assert result.stdout.startswith(expected)
    for option in ("--profile", "--workbook", "--data-dir"):
        assert option in result.stdout
    if command is None:
        for name in COMMANDS:
            assert name in result.stdout
        assert "--version" in result.stdout
    assert not data_dir.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["status", "--bogus"],
        ["--bogus"],
        ["check", "a", "b"],
        ["where", "extra"],
        ["--profile"],
        ["status", "--json=yes"],
    ],
)
def test_usage_errors_exit_2(data_dir, tmp_path, args):
    result = run(*args, data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 2
    _no_traceback(result)
    assert result.stdout == ""
    assert "usage: safeground" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("safeground")


@pytest.mark.parametrize("profile", ["../escape", "a/b", "-x", ".hidden", "with space", "x" * 65])
@pytest.mark.parametrize("command", ["status", "where", "start-fresh"])
def test_a_bad_profile_name_is_one_clear_line(data_dir, tmp_path, profile, command):
    result = run(f"--profile={profile}", command, data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"safeground: profile name {profile!r} can only use letters, digits")
    assert not data_dir.exists()


@pytest.mark.parametrize("command", ["status", "where", "start-fresh", "status --json"])
def test_a_broken_workbook_folder_is_one_clear_line(data_dir, tmp_path, mini_dir, command):
    second = mini_dir / "02-second.toml"
    second.write_text(
        second.read_text(encoding="utf-8").replace('title = "Second chapter"', "title = 3"), encoding="utf-8"
    )
    result = run("--workbook", str(mini_dir), *command.split(), data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"safeground: {mini_dir / '02-second.toml'}:2: 'title' must be text in quotes")
    assert lines[0].endswith(f"(1 problem in this workbook; 'safeground check {mini_dir}' lists them all)")
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["status", "where"])
def test_a_workbook_option_that_is_not_a_folder(data_dir, tmp_path, command):
    result = run("--workbook", str(tmp_path / "nowhere"), command, data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    assert result.stderr.strip().splitlines() == [
        f"safeground: {tmp_path / 'nowhere'}: is not a folder: give the folder that holds workbook.toml"
        f" (1 problem in this workbook; 'safeground check {tmp_path / 'nowhere'}' lists them all)"
    ]


def test_two_profiles_keep_separate_answers(data_dir, tmp_path, mini_dir):
    _save_mini_progress(data_dir, mini_dir, profile="ana")
    ana = json.loads(
        run("--workbook", str(mini_dir), "--profile", "ana", "status", "--json", data_dir=data_dir, cwd=tmp_path).stdout
    )
    sam = json.loads(
        run("--workbook", str(mini_dir), "--profile", "sam", "status", "--json", data_dir=data_dir, cwd=tmp_path).stdout
    )
    assert ana["pages_done"] == 2 and ana["saved"] is True
    assert sam["pages_done"] == 0 and sam["saved"] is False


# -- in-process (main([...])) ----------------------------------------------------------------------


def test_main_status_in_process(data_dir, mini_dir, capsys):
    _save_mini_progress(data_dir, mini_dir)
    assert main(["--workbook", str(mini_dir), "status"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "Overall: 40% (2 of 5 pages complete)" in out
    assert main(["--workbook", str(mini_dir), "--data-dir", str(data_dir), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages_done"] == 2


def test_main_where_and_check_in_process(data_dir, mini_dir, capsys):
    assert main(["--profile", "ana", "where"]) == 0
    assert f"Profile:       {data_dir / 'ana'}" in capsys.readouterr().out
    assert main(["check", str(mini_dir)]) == 0
    assert ": OK (Mini Workbook" in capsys.readouterr().out
    (mini_dir / "workbook.toml").unlink()
    assert main(["check", str(mini_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "is missing: every workbook folder needs a workbook.toml" in err


def test_main_errors_in_process(data_dir, mini_dir, capsys):
    assert main(["--profile", "a/b", "status"]) == 1
    assert capsys.readouterr().err.startswith("safeground: profile name 'a/b'")
    (mini_dir / "01-first.toml").write_text("oops", encoding="utf-8")
    assert main(["--workbook", str(mini_dir), "status"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not valid TOML" in err


def test_main_start_fresh_in_process(data_dir, mini_dir, capsys):
    store = _save_mini_progress(data_dir, mini_dir)
    store.path.write_bytes(b"\x00\x01")
    assert main(["--workbook", str(mini_dir), "status"]) == 1
    assert "not valid TOML" in capsys.readouterr().err
    assert main(["--workbook", str(mini_dir), "start-fresh"]) == 0
    assert "kept at" in capsys.readouterr().out
    assert next(store.profile_dir.glob("mini.toml.broken-*")).read_bytes() == b"\x00\x01"


@pytest.mark.parametrize("args", [["nope"], ["status", "--nope"], ["check", "a", "b"]])
def test_main_usage_errors_in_process(args, capsys):
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert "usage: safeground" in capsys.readouterr().err


def test_main_help_and_version_in_process(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"safeground {__version__}"
    for command in COMMANDS:
        with pytest.raises(SystemExit) as caught:
            main([command, "--help"])
        assert caught.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: safeground {command}")


# -- staying light -----------------------------------------------------------------------------------


_IMPORT_CHECK = textwrap.dedent(
    """
    import json, sys
    from safeground.cli import main
    code = main(sys.argv[1:])
    heavy = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
    print(json.dumps({"code": code, "textual": heavy}))
    """
)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--json"],
        ["where"],
        ["check"],
        ["start-fresh"],
        ["--profile", "x", "status"],
        ["--profile", "a/b", "status"],
    ],
)
def test_commands_without_a_screen_do_not_import_textual(data_dir, tmp_path, args):
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir)},
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["textual"] == [], f"{args} imported {report['textual']}"
    assert report["code"] in (0, 1)


# -- text from outside never reaches the terminal raw ----------------------------------------------

#: Control characters as a terminal would meet them, newlines aside (every command prints lines).
_RAW_CONTROL = __import__("re").compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: As TOML escapes: a clipboard write (OSC 52), a screen wipe, the C1 CSI and a bell.
_HOSTILE_TOML = ["\\u001b]52;c;aGVsbG8=\\u0007", "\\u001b[2J", "\\u009b31m", "\\u0007"]


def _raw_controls(*outputs: str) -> list[str]:
    return [match for output in outputs for match in _RAW_CONTROL.findall(output)]


def test_check_refuses_a_hostile_workbook_folder_naming_every_place(data_dir, tmp_path, mini_dir):
    """A therapist's or downloaded folder with escape sequences in its titles, ids, labels and
    prompts: each is a problem with file:line, and none of them reaches the terminal."""
    edits = [
        ("workbook.toml", 'title = "Mini Workbook'),
        ("01-first.toml", 'title = "First chapter'),
        ("01-first.toml", 'id = "words'),
        ("01-first.toml", 'prompt = "A name?'),
        ("01-first.toml", 'label = "Calm'),
        ("01-first.toml", 'label = "I feel heard'),
    ]
    expected = []
    for (name, old), escape in zip(edits, _HOSTILE_TOML * 2, strict=False):
        path = mini_dir / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, old + escape, 1), encoding="utf-8")
        expected.append(f"{path}:{text[: text.index(old)].count(chr(10)) + 1}: ")
    result = run("check", str(mini_dir), data_dir=data_dir, cwd=tmp_path)
    assert result.returncode == 1
    _no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(edits)} problems in {mini_dir}"
    for place in expected:
        assert any(line.startswith(place) and "holds a control character" in line for line in lines), place
    assert _raw_controls(result.stdout, result.stderr) == []
    for command in (["status"], ["where"], ["status", "--json"]):  # and the one-line refusal
        refused = run("--workbook", str(mini_dir), *command, data_dir=data_dir, cwd=tmp_path)
        assert refused.returncode == 1 and "holds a control character" in refused.stderr
        assert _raw_controls(refused.stdout, refused.stderr) == []


def test_status_where_and_check_print_hostile_paths_and_progress_files_cleaned(tmp_path, mini_dir):
    """A data folder named with escape sequences, and a progress file edited by hand to hold them
    in the ids of answers the workbook no longer has: shown as stand-ins (␛), never obeyed."""
    data_dir = tmp_path / "data\x1b]52;c;aGk=\x07\x1b[2J\x9b"
    _save_mini_progress(data_dir, mini_dir)
    progress = data_dir / "default" / "mini.toml"
    progress.write_text(
        progress.read_text(encoding="utf-8") + '\n[answers."gone\\u001b[2J"."\\u009b31m"]\n"x\\u0007" = "kept"\n',
        encoding="utf-8",
    )
    status = run("--workbook", str(mini_dir), "status", data_dir=data_dir, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "gone␛[2J" in status.stdout and "Progress file: " in status.stdout
    as_json = run("--workbook", str(mini_dir), "status", "--json", data_dir=data_dir, cwd=tmp_path)
    assert json.loads(as_json.stdout)["progress_file"] == str(progress), "JSON keeps the data exactly"
    where = run("--workbook", str(mini_dir), "where", data_dir=data_dir, cwd=tmp_path)
    assert "data␛]52;c;aGk=␇␛[2J\ufffd" in where.stdout
    hostile_folder = Path(str(mini_dir) + "\x1b[2J")
    mini_dir.rename(hostile_folder)
    check = run("check", str(hostile_folder), data_dir=data_dir, cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.endswith(
        "␛[2J: OK (Mini Workbook, 2 chapters, 5 pages, 9 questions)\n"
    )
    for result in (status, as_json, where, check):
        _no_traceback(result)
        assert _raw_controls(result.stdout, result.stderr) == [], result.stdout


def test_errors_naming_hostile_paths_are_printed_cleaned(tmp_path, mini_dir):
    data_dir = tmp_path / "data\x1b]0;pwned\x07"
    store = _save_mini_progress(data_dir, mini_dir)
    store.path.write_text("not = [valid", encoding="utf-8")
    broken = run("--workbook", str(mini_dir), "status", data_dir=data_dir, cwd=tmp_path)
    assert broken.returncode == 1
    assert "data␛]0;pwned␇" in broken.stderr
    assert "\n  Nothing was changed" in broken.stderr, "a message of several lines keeps its lines"
    missing = run("--workbook", str(tmp_path / "no\x9bwhere"), "status", data_dir=data_dir, cwd=tmp_path)
    assert missing.returncode == 1 and "no\ufffdwhere" in missing.stderr
    for result in (broken, missing):
        _no_traceback(result)
        assert _raw_controls(result.stdout, result.stderr) == [], result.stderr


# -- structure: one definition per concept, no import circle ------------------------------------

_SRC = Path(__file__).resolve().parents[1] / "src" / "safeground"


def _imported_modules(path: Path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_export_commands_never_import_the_command_line_back():
    assert "safeground.cli" not in _imported_modules(_SRC / "export" / "commands.py")
    assert not {"safeground.cli", "safeground.export.commands"} & _imported_modules(_SRC / "cli_support.py")


@pytest.mark.parametrize("name", ["PROG", "DEFAULT_PROFILE", "FORMATS", "SUFFIXES", "DEFAULT_SUFFIX"])
def test_each_shared_name_is_defined_once(name):
    import ast

    homes = []
    for path in _SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                homes.append(path.relative_to(_SRC).as_posix())
    assert len(homes) == 1, homes


# -- pipes whose reader goes away ------------------------------------------------------------------


def _into_a_closed_pipe(*args: str, data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m safeground ARGS | head -c 0``, made certain: the pipe's reading end is closed
    before the command starts, so its very first write finds the reader gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "safeground", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env={**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir)},
            timeout=60,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--json"],
        ["where"],
        ["check"],
        ["--help"],
        ["export", "--help"],
        ["export", "--include-drafts"],
        ["export", "--include-drafts", "--format", "markdown", "-o", "-"],
    ],
    ids=" ".join,
)
def test_every_command_stops_quietly_when_its_reader_goes_away(data_dir, tmp_path, mini_dir, args):
    from export_fixtures import half_answered, write_progress

    workbook = load_workbook()
    write_progress(data_dir, workbook, half_answered(workbook))
    result = _into_a_closed_pipe(*args, data_dir=data_dir, cwd=tmp_path)
    assert result.stderr == ""
    if "--help" in args:
        assert result.returncode == 0  # argparse itself drops what --help cannot write
    else:
        assert result.returncode == 141, "what a shell reports for a command ended by SIGPIPE"


def test_status_json_into_head_has_no_traceback(data_dir, tmp_path):
    """The command from the report, through a real ``head``."""
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m safeground status --json | head -c 10"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir)},
        timeout=60,
    )
    assert result.stderr == ""
    assert result.stdout == '{\n  "workbook"'[:10]
    assert result.returncode in (0, 141)  # 0 when all of it fit in the pipe before head left
