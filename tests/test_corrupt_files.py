"""Corrupt and odd progress files, in the command line and in the app.

Every file that cannot be used gets one clear message naming it (and the line, where there is
one), in ``safeground status`` and on the app's problem screen. The file stays byte for byte as it
was, nothing is written beside it, and the person can move it aside (kept, renamed) and start
fresh. Files that are odd but fine (answers naming options the workbook no longer has, a big file)
open normally, and their odd answers are kept.

Then hypothesis: thousands of generated files (random bytes, random TOML documents, mutations of a
valid file), each through ``ProgressStore.load`` and the ``status`` command in-process. None may
raise anything but the clear error; none may be changed; each that loads saves back without losing
a single answer.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app_support import KINDS_WORKBOOK, make_app, open_page, settle
from safeground import cli
from safeground.loader import load_workbook
from safeground.storage import ProgressFileError, ProgressStore

SIZE = (100, 30)
KINDS = load_workbook(KINDS_WORKBOOK)
HEAD = 'format = 1\nworkbook = "kinds"\n'
VALID = (
    HEAD
    + '[position]\nchapter = "kinds"\npage = "list"\nfield = "appreciations"\n\n'
    + '[answers.kinds.text]\nname = "Sam"\n\n'
    + '[answers.kinds.long-text]\nstory = """\nWe met\non a train."""\n\n'
    + '[answers.kinds.choice]\nsafe-to-speak = "sometimes"\n\n'
    + '[answers.kinds.checklist]\nbody = ["shoulders", "warmth"]\n\n'
    + "[answers.kinds.scale]\ncloseness = 7\n\n"
    + "[answers.kinds.statements.tenets]\none-topic = 4\nno-yelling = 2\n\n"
    + '[answers.kinds.list]\nappreciations = ["Kind", "Funny"]\n'
)


def _garbage(size: int) -> bytes:
    return random.Random(size).randbytes(size)


#: name: (content, words the message must hold, the line it must name or None)
UNUSABLE: dict[str, tuple[bytes, str, int | None]] = {
    "truncated mid-string": (VALID[: VALID.index("train") + 3].encode(), "is not valid TOML", 14),
    "truncated mid-key": (VALID[: VALID.index("safe-to") + 4].encode(), "is not valid TOML", 17),
    "random bytes": (_garbage(4096), "is not UTF-8 text", 1),
    "random bytes, 10 MB": (_garbage(10 * 1024 * 1024), "is not UTF-8 text", 1),
    "empty": (b"", "is empty", None),
    "only blank lines": (b"\n \n\t\n", "is empty", None),
    "a NUL byte": (VALID.replace("Sam", "S\0m").encode(), "is not valid TOML", 9),
    "UTF-16": (VALID.encode("utf-16"), "is not UTF-8 text", 1),
    "a shopping list": (b'milk = 2\neggs = "a dozen"\n', "is not part of the progress format", 2),
    "an array at the top": (HEAD.encode() + b"answers = [1, 2]\n", "answers: must be a table", 3),
    "position as text": (HEAD.encode() + b'position = "page 2"\n', "position: must be a table", 3),
    "position with a number": (HEAD.encode() + b"[position]\nchapter = 3\n", "position.chapter: must be text", 4),
    "a page that is a string": (HEAD.encode() + b'[answers.kinds]\ntext = "Sam"\n', "must be a table of answers", 4),
    "completed with a string": (
        HEAD.encode() + b'[completed.kinds]\ntext = "yesterday"\n',
        "must map page ids to dates",
        3,
    ),
    "updated as text": (HEAD.encode() + b'updated = "yesterday"\n', "updated: must be a date and time", 3),
    "no format": (b'workbook = "kinds"\n', "format: is missing", None),
    "format 2": (b'format = 2\nworkbook = "kinds"\n', "made by a newer Safe Ground", 1),
    "format 999": (b'format = 999\nworkbook = "kinds"\n', "made by a newer Safe Ground", 1),
    "format 0": (b'format = 0\nworkbook = "kinds"\n', "which no Safe Ground has written", 1),
    "format -1": (b'format = -1\nworkbook = "kinds"\n', "which no Safe Ground has written", 1),
    "format as text": (b'format = "1"\nworkbook = "kinds"\n', "format: is missing or not a whole number", 1),
    "format as a float": (b'format = 1.0\nworkbook = "kinds"\n', "format: is missing or not a whole number", 1),
    "format as true": (b'format = true\nworkbook = "kinds"\n', "format: is missing or not a whole number", 1),
    "another workbook's file": (b'format = 1\nworkbook = "safe-ground"\n', "belongs to workbook 'kinds'", 2),
    "nested too deeply": (HEAD.encode() + b"x = " + b"[" * 3000, "nested too deeply", None),
}


#: The wrong type of value for each kind of question (its kind changed, or a slip in a hand edit):
#: name: (content, words of the old refusal, line). These open; the answer is kept and listed.
MISFITS: dict[str, tuple[bytes, str, int | None]] = {
    "text as a number": (HEAD.encode() + b"[answers.kinds.text]\nname = 42\n", "must be a string", 4),
    "text as a list": (HEAD.encode() + b'[answers.kinds.text]\nname = ["Sam"]\n', "must be a string", 4),
    "long text as a table": (HEAD.encode() + b"[answers.kinds.long-text.story]\nx = 1\n", "must be a string", 3),
    "choice as a list": (
        HEAD.encode() + b'[answers.kinds.choice]\nsafe-to-speak = ["yes"]\n',
        "must be an option id",
        4,
    ),
    "choice as true": (HEAD.encode() + b"[answers.kinds.choice]\nsafe-to-speak = true\n", "must be an option id", 4),
    "checklist as a string": (
        HEAD.encode() + b'[answers.kinds.checklist]\nbody = "warmth"\n',
        "must be an array of option ids",
        4,
    ),
    "checklist of numbers": (
        HEAD.encode() + b"[answers.kinds.checklist]\nbody = [1, 2]\n",
        "must be an array of option ids",
        4,
    ),
    "scale as text": (HEAD.encode() + b'[answers.kinds.scale]\ncloseness = "seven"\n', "must be a whole number", 4),
    "scale as a float": (HEAD.encode() + b"[answers.kinds.scale]\ncloseness = 7.5\n", "must be a whole number", 4),
    "scale as true": (HEAD.encode() + b"[answers.kinds.scale]\ncloseness = true\n", "must be a whole number", 4),
    "statements as a list": (
        HEAD.encode() + b"[answers.kinds.statements]\ntenets = [4, 2]\n",
        "must be a table of statement id",
        4,
    ),
    "statements rated in words": (
        HEAD.encode() + b'[answers.kinds.statements.tenets]\none-topic = "often"\n',
        "must be a table of statement id",
        3,
    ),
    "list as a string": (
        HEAD.encode() + b'[answers.kinds.list]\nappreciations = "Kind"\n',
        "must be an array of strings",
        4,
    ),
    "list of tables": (
        HEAD.encode() + b"[answers.kinds.list]\nappreciations = [{a = 1}]\n",
        "must be an array of strings",
        4,
    ),
}


def _profile(data_dir: Path) -> Path:
    return data_dir / "default"


def _write(data_dir: Path, content: bytes) -> Path:
    path = _profile(data_dir) / "kinds.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _run_cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--workbook", str(KINDS_WORKBOOK), "--data-dir", str(data_dir), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_the_command_line_names_the_file_and_changes_nothing(tmp_path, case):
    content, words, line = UNUSABLE[case]
    path = _write(tmp_path, content)
    for args in (["status"], ["status", "--json"]):
        code, out, err = _run_cli(tmp_path, *args)
        assert code == 1 and out == ""
        place = f"{path}:{line}:" if line else f"{path}: "
        assert place in err and words in err, err
        assert "Nothing was changed" in err and "safeground start-fresh" in err
        assert "Traceback" not in err
    assert path.read_bytes() == content
    assert sorted(p.name for p in _profile(tmp_path).iterdir()) == ["kinds.toml"], "nothing written beside it"
    code, out, _err = _run_cli(tmp_path, "start-fresh")
    assert code == 0
    moved = sorted(_profile(tmp_path).glob("kinds.toml.broken-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == content
    assert _run_cli(tmp_path, "status")[0] == 0


@pytest.mark.parametrize("case", list(UNUSABLE))
async def test_the_app_names_the_file_and_changes_nothing(tmp_path, case):
    from safeground.screens.problem import ProblemScreen

    content, words, line = UNUSABLE[case]
    path = _write(tmp_path, content)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        message = str(app.screen.query_one("#problem-message").render())
        assert str(path) in message and words in message
        if line:
            assert f":{line}:" in message
        assert app.screen.query("#move-aside")
        await pilot.click("#quit")
    assert path.read_bytes() == content
    assert sorted(p.name for p in _profile(tmp_path).iterdir()) == ["kinds.lock", "kinds.toml", "settings.toml"]


@pytest.mark.parametrize("case", ["random bytes, 10 MB", "format 2", "truncated mid-string", "a folder"])
async def test_moving_it_aside_in_the_app_keeps_it_and_starts_fresh(tmp_path, case):
    from safeground.screens.home import HomeScreen
    from safeground.screens.problem import ProblemScreen

    if case == "a folder":
        path = _profile(tmp_path) / "kinds.toml"
        path.mkdir(parents=True)
        (path / "inside.txt").write_text("keep me", encoding="utf-8")
    else:
        content = UNUSABLE[case][0]
        path = _write(tmp_path, content)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        if case == "a folder":
            assert "is a folder where the progress file should be" in str(
                app.screen.query_one("#problem-message").render()
            )
        await pilot.click("#move-aside")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*"fresh")
        await settle(pilot, app)
    moved = sorted(_profile(tmp_path).glob("kinds.toml.broken-*"))
    assert len(moved) == 1
    if case == "a folder":
        assert (moved[0] / "inside.txt").read_text(encoding="utf-8") == "keep me"
    else:
        assert moved[0].read_bytes() == content
    assert ProgressStore(tmp_path, "default", "kinds").load(KINDS).get("kinds", "text", "name") == "fresh"


def test_a_folder_where_the_file_should_be_in_the_command_line(tmp_path):
    path = _profile(tmp_path) / "kinds.toml"
    path.mkdir(parents=True)
    code, _out, err = _run_cli(tmp_path, "status")
    assert code == 1 and f"{path}: is a folder where the progress file should be" in err


_AS_NOBODY = """
import os, sys
import gettext, locale  # imported as root: this Python lives where 'nobody' cannot look
from safeground import cli
cli.build_parser().parse_args(sys.argv[3:])
uid, gid = int(sys.argv[1]), int(sys.argv[2])
os.setgroups([]); os.setgid(gid); os.setuid(uid)
sys.exit(cli.main(sys.argv[3:]))
"""


def test_an_unreadable_file_for_someone_who_cannot_read_it(tmp_path):
    """Tests run as root, who can read anything: so the command drops to 'nobody' first."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to run the command as another user")
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' user")
    # tmp_path's parents are private to root, so the data folder goes where 'nobody' can reach it.
    root = Path("/tmp") / f"sg-unreadable-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        data_dir = root / "data"
        path = _write(data_dir, VALID.encode())
        for folder in (root, data_dir, _profile(data_dir)):
            folder.chmod(0o755)
        os.chown(_profile(data_dir), nobody.pw_uid, nobody.pw_gid)
        path.chmod(0o000)
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                _AS_NOBODY,
                str(nobody.pw_uid),
                str(nobody.pw_gid),
                "--workbook",
                str(KINDS_WORKBOOK),
                "--data-dir",
                str(data_dir),
                "status",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "HOME": str(root)},
        )
        assert result.returncode == 1, result.stderr
        assert f"{path}: cannot be read (Permission denied); check its permissions" in result.stderr
        assert "Traceback" not in result.stderr
        path.chmod(0o600)
        assert path.read_bytes() == VALID.encode()
    finally:
        shutil.rmtree(root, ignore_errors=True)


async def test_an_unreadable_file_in_the_app(tmp_path, monkeypatch):
    """As root nothing is unreadable, so reading fails the way it would for the person."""
    from safeground.screens.problem import ProblemScreen

    path = _write(tmp_path, VALID.encode())
    real_read = Path.read_bytes

    def read_bytes(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        message = str(app.screen.query_one("#problem-message").render())
        assert f"{path}: cannot be read (Permission denied)" in message
    code, _out, err = _run_cli(tmp_path, "status")
    assert code == 1 and "cannot be read (Permission denied)" in err
    monkeypatch.undo()
    assert path.read_bytes() == VALID.encode()


# -- odd but fine ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(MISFITS))
def test_an_answer_of_the_wrong_kind_is_kept_and_listed_not_an_error(tmp_path, case):
    content, _words, _line = MISFITS[case]
    path = _write(tmp_path, content)
    code, out, err = _run_cli(tmp_path, "status", "--json")
    assert code == 0, err
    [orphan] = json.loads(out)["orphaned_answers"]
    assert orphan["reason"].endswith("this answer was written for a different kind of question")
    assert path.read_bytes() == content
    store = ProgressStore(tmp_path, "default", "kinds")
    progress = store.load(KINDS)
    progress.set(KINDS, "kinds", "long-text", "extra", "More")  # a question none of the cases touch
    store.save(progress)
    again = ProgressStore(tmp_path, "default", "kinds").load(KINDS)
    assert again.get("kinds", orphan["page"], orphan["field"]) == progress.get("kinds", orphan["page"], orphan["field"])
    assert again.get("kinds", "long-text", "extra") == "More"


def test_answers_naming_options_that_are_gone_are_kept_not_errors(tmp_path):
    odd = (
        HEAD
        + '[answers.kinds.choice]\nsafe-to-speak = "maybe"\n'
        + '[answers.kinds.checklist]\nbody = ["shoulders", "goosebumps"]\n'
        + "[answers.kinds.scale]\ncloseness = 11\n"
        + "[answers.kinds.statements.tenets]\none-topic = 4\nwe-hug = 5\n"
    )
    path = _write(tmp_path, odd.encode())
    code, out, err = _run_cli(tmp_path, "status", "--json")
    assert code == 0, err
    kept = {(o["page"], o["field"]) for o in json.loads(out)["orphaned_answers"]}
    assert kept == {
        ("choice", "safe-to-speak"),
        ("checklist", "body"),
        ("scale", "closeness"),
        ("statements", "tenets"),
    }
    progress = ProgressStore(tmp_path, "default", "kinds").load(KINDS)
    progress.set(KINDS, "kinds", "text", "name", "Sam")
    ProgressStore(tmp_path, "default", "kinds").save(progress)
    again = ProgressStore(tmp_path, "default", "kinds").load(KINDS)
    assert again.get("kinds", "checklist", "body") == ["shoulders", "goosebumps"]
    assert again.get("kinds", "statements", "tenets") == {"one-topic": 4, "we-hug": 5}
    assert path.read_text(encoding="utf-8").count("goosebumps") == 1


async def test_a_10_mb_file_of_real_answers_opens(tmp_path):
    """Big but valid (10 MB of answers, most for pages this workbook no longer has): it loads,
    status answers, the app opens it, and a save keeps every answer."""
    import time as clock

    answers = {"kinds": {"text": {"name": "Sam"}}}
    for number in range(200):
        answers[f"old-chapter-{number}"] = {"page": {"story": f"{number} " + "x" * 50_000}}
    content = tomli_w.dumps({"format": 1, "workbook": "kinds", "answers": answers}).encode()
    assert len(content) > 10_000_000
    path = _write(tmp_path, content)
    started = clock.monotonic()
    code, out, _err = _run_cli(tmp_path, "status")
    assert code == 0 and "200 answer(s) are kept" in out
    assert clock.monotonic() - started < 5
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "text")
        await pilot.press(*" again")
        await settle(pilot, app)
    progress = ProgressStore(tmp_path, "default", "kinds").load(KINDS)
    assert progress.get("kinds", "text", "name") == "Sam again"
    assert len(progress.orphans(KINDS)) == 200
    assert progress.get("old-chapter-199", "page", "story") == "199 " + "x" * 50_000
    assert path.stat().st_size > 10_000_000


# -- hypothesis: thousands of generated files ------------------------------------------------------


_key = st.one_of(
    st.sampled_from(
        [
            "format",
            "workbook",
            "answers",
            "position",
            "completed",
            "updated",
            "kinds",
            "text",
            "name",
            "list",
            "scale",
            "body",
            "tenets",
            "one-topic",
            "chapter",
            "page",
            "field",
        ]
    ),
    st.text(max_size=8),
)
_leaf = st.one_of(
    st.text(max_size=20),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5))])),
    st.dates(),
    st.times(),
)
_value = st.recursive(
    _leaf, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_key, inner, max_size=4)), max_leaves=12
)
_document = st.dictionaries(_key, _value, max_size=6)


def _shaped_document():
    """Documents close to the format, so that many get past the first checks."""
    return st.fixed_dictionaries(
        {"format": st.one_of(st.just(1), _leaf), "workbook": st.one_of(st.just("kinds"), _leaf)},
        optional={
            "answers": st.one_of(
                st.dictionaries(
                    st.sampled_from(["kinds", "gone"]),
                    st.dictionaries(
                        st.sampled_from(
                            ["text", "long-text", "choice", "checklist", "scale", "statements", "list", "old"]
                        ),
                        st.dictionaries(
                            st.sampled_from(
                                ["name", "story", "safe-to-speak", "body", "closeness", "tenets", "appreciations", "x"]
                            ),
                            _value,
                            max_size=3,
                        ),
                        max_size=4,
                    ),
                    max_size=2,
                ),
                _value,
            ),
            "position": st.one_of(
                st.dictionaries(st.sampled_from(["chapter", "page", "field", "x"]), _value, max_size=3), _value
            ),
            "completed": st.one_of(
                st.dictionaries(
                    st.sampled_from(["kinds", "gone"]),
                    st.dictionaries(st.text(max_size=6), _value, max_size=2),
                    max_size=2,
                ),
                _value,
            ),
            "updated": _value,
            "workbook_version": _value,
        },
    )


def _mutations():
    """A valid file with bytes deleted, inserted, replaced, lines shuffled or cut short."""

    @st.composite
    def mutate(draw):
        data = bytearray(VALID.encode())
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            action = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "swap lines", "duplicate line"]))
            if action == "delete":
                del data[at : at + draw(st.integers(1, 20))]
            elif action == "insert":
                data[at:at] = draw(
                    st.binary(min_size=1, max_size=8)
                    | st.sampled_from([b"[", b"]", b'"', b"=", b"\n", b"\\", b"\x00", b"'''", b"[[x]]\n"])
                )
            elif action == "replace" and at < len(data):
                data[at] = draw(st.integers(0, 255))
            elif action == "truncate":
                del data[at:]
            else:
                lines = bytes(data).split(b"\n")
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                if action == "swap lines":
                    lines[i], lines[j] = lines[j], lines[i]
                else:
                    lines.insert(j, lines[i])
                data = bytearray(b"\n".join(lines))
        return bytes(data)

    return mutate()


def _as_toml(document: dict) -> bytes:
    try:
        return tomli_w.dumps(document).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return json.dumps(document, default=str).encode()  # not TOML at all: fine too


def _fitting_answers():
    """Answers of the right shape for each kind (options and numbers may not fit: those are
    kept as orphans), plus pages and chapters the workbook does not have."""
    ids = st.text(st.sampled_from("abcdefghij-"), min_size=1, max_size=8)
    words = st.text(max_size=30)
    page = st.fixed_dictionaries(
        {},
        optional={
            "text": st.fixed_dictionaries({}, optional={"name": words}),
            "long-text": st.fixed_dictionaries({}, optional={"story": words, "extra": words}),
            "choice": st.fixed_dictionaries(
                {}, optional={"safe-to-speak": st.sampled_from(["yes", "no", "sometimes"]) | ids}
            ),
            "checklist": st.fixed_dictionaries(
                {}, optional={"body": st.lists(st.sampled_from(["shoulders", "stomach", "warmth"]) | ids, max_size=4)}
            ),
            "scale": st.fixed_dictionaries({}, optional={"closeness": st.integers(-5, 20)}),
            "statements": st.fixed_dictionaries(
                {},
                optional={
                    "tenets": st.dictionaries(
                        st.sampled_from(["one-topic", "no-yelling"]) | ids, st.integers(-2, 9), max_size=3
                    )
                },
            ),
            "list": st.fixed_dictionaries({}, optional={"appreciations": st.lists(words, max_size=4)}),
            "gone-page": st.dictionaries(ids, _value, max_size=2),
        },
    )
    return st.fixed_dictionaries(
        {
            "format": st.just(1),
            "workbook": st.just("kinds"),
            "answers": st.fixed_dictionaries(
                {"kinds": page},
                optional={"gone-chapter": st.dictionaries(ids, st.dictionaries(ids, _value, max_size=2), max_size=2)},
            ),
        },
        optional={"position": st.fixed_dictionaries({}, optional={"chapter": ids, "page": ids, "field": ids})},
    )


_files = st.one_of(
    _fitting_answers().map(_as_toml),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
    _document.map(_as_toml),
    _shaped_document().map(_as_toml),
    _mutations(),
)


@pytest.fixture
def cached_workbook(monkeypatch):
    """The command line without re-reading the workbook folder for every generated file."""
    monkeypatch.setattr(cli, "load_workbook", lambda folder=None: KINDS)


_seen = {"cases": 0, "loaded": 0}


@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(content=_files)
def test_no_file_makes_loading_or_status_raise(tmp_path, cached_workbook, content):
    data_dir = tmp_path / "hypothesis"
    shutil.rmtree(data_dir, ignore_errors=True)
    path = _write(data_dir, content)
    store = ProgressStore(data_dir, "default", "kinds")
    _seen["cases"] += 1
    try:
        progress = store.load(KINDS)
    except ProgressFileError as error:
        assert error.path == path and str(path) in str(error)
        progress = None
    for args in (["status"], ["status", "--json"]):
        code, out, err = _run_cli(data_dir, *args)
        assert code == (0 if progress is not None else 1), err
        assert "Traceback" not in err
    assert path.read_bytes() == content, "reading never changes the file"
    assert sorted(p.name for p in _profile(data_dir).iterdir()) == ["kinds.toml"]
    if progress is None:
        return
    _seen["loaded"] += 1
    # Whatever loads saves back with every answer kept, and the summaries all work.
    progress.orphans(KINDS)
    progress.resume_position(KINDS)
    for chapter in KINDS.chapters:
        progress.chapter_progress(chapter)
    before = _comparable(progress.to_document()["answers"])
    store.save(progress)
    assert _comparable(store.load(KINDS).to_document()["answers"]) == before


def _comparable(answers) -> str:
    """Answers as TOML text (so that nan equals nan), with CR LF as LF: the one documented change
    a save makes (docs/progress-format.md: multi-line strings normalise CR LF)."""

    def crlf(value):
        if isinstance(value, str):
            return value.replace("\r\n", "\n")
        if isinstance(value, list):
            return [crlf(item) for item in value]
        if isinstance(value, dict):
            return {key: crlf(item) for key, item in value.items()}
        return value

    return tomli_w.dumps({"answers": crlf(answers)})


def test_the_generated_files_were_varied():
    """Guards the test above against generating only files that all fail the same way."""
    if _seen["cases"] < 1000:
        pytest.skip("runs after the hypothesis test, in the same session")
    assert _seen["loaded"] >= 300, _seen
