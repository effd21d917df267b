"""The progress file as autosave writes it: its layout, and the snapshot the saver thread writes from.

At each autosave tick the app takes a read-only snapshot of the answers on its own thread and the
saver thread turns it into TOML (tomli_w) and writes it. These tests hold the file to its
documented layout (docs/progress-format.md, readable by every earlier version), make sure that
later typing cannot change a snapshot being written, that the newest snapshot is the one left on
disk, and that serialising never runs on the thread that asked for the save.
"""

from __future__ import annotations

import re
import threading
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MINI_WORKBOOK_DIR
from safeground import autosave
from safeground.autosave import BackgroundSaver, Snapshot, take_snapshot, to_bytes
from safeground.loader import load_workbook
from safeground.progress import Position, Progress, frozen
from safeground.session import Session
from safeground.storage import ProgressStore

WHEN = datetime(2026, 1, 31, 20, 15, tzinfo=UTC)

#: The mini workbook's answers below, as every version of Safe Ground has written them: the top
#: keys in order, then [position], [completed.*] and [answers.*]; a string with a line break as a
#: multi-line string (CR LF as LF), control characters escaped, each list item on its own line,
#: a statements answer as its own table.
EXPECTED = '''format = 1
workbook = "mini"
workbook_version = "2.0"
updated = 2026-01-31 20:15:00+00:00

[position]
chapter = "first"
page = "picks"
field = "mood"

[completed.first]
words = 2026-01-31 20:15:00+00:00
picks = 2026-01-31 20:15:00+00:00

[completed.second]
items = 2026-01-31 20:15:00+00:00

[answers.first.words]
name = "Sam \\"the\\" \\\\ one"
story = """
line one
line two\ttabbed\\u001b"""

[answers.first.picks]
mood = "calm"
signs = [
    "warm",
    "loose",
]

[answers.first.numbers.ratings]
heard = 4
respected = 5

[answers.second.items]
things = [
    "tea",
    "walks",
]
'''


def _answered(workbook) -> Progress:
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, "first", "words", "name", 'Sam "the" \\ one', now=WHEN)
    progress.set(workbook, "first", "words", "story", "line one\r\nline two\ttabbed\x1b", now=WHEN)
    progress.set(workbook, "first", "picks", "mood", "calm", now=WHEN)
    progress.set(workbook, "first", "picks", "signs", ["warm", "loose"], now=WHEN)
    progress.set(workbook, "first", "numbers", "ratings", {"heard": 4, "respected": 5}, now=WHEN)
    progress.set(workbook, "second", "items", "things", ["tea", "walks"], now=WHEN)
    progress.position = Position("first", "picks", "mood")
    return progress


def _session(data_dir: Path, workbook, progress: Progress) -> Session:
    store = ProgressStore(data_dir, "default", workbook.id)
    store.acquire_lock()
    session = Session(workbook, store, progress)
    session.start_saving()
    return session


def _saved(session: Session) -> dict:
    assert session.saver is not None and session.saver.flush(10)
    return tomllib.loads(session.store.path.read_text(encoding="utf-8"))


# -- the layout --------------------------------------------------------------------------------------


def test_autosave_writes_the_documented_layout(data_dir, mini_workbook):
    session = _session(data_dir, mini_workbook, _answered(mini_workbook))
    try:
        session.revision += 1
        session.save_soon()
        assert session.saver is not None and session.saver.flush(10)
        text = session.store.path.read_text(encoding="utf-8")
    finally:
        session.close()
    stamp = re.search(r"^updated = (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d)$", text, re.M)
    assert stamp, "the time of saving, in local time with its offset"
    assert text.replace(stamp.group(1), "2026-01-31 20:15:00+00:00") == EXPECTED


def test_the_file_is_what_storage_and_earlier_versions_write(data_dir, mini_workbook):
    # storage.save (start-fresh, the command line) and every earlier version wrote tomli_w's text of
    # the plain document; a snapshot's read-only copy must not change a byte of it.
    progress = _answered(mini_workbook)
    progress.updated = WHEN
    plain = tomli_w.dumps(progress.to_document(), multiline_strings=True).encode("utf-8")
    assert to_bytes(Snapshot(progress.frozen_document())) == plain == EXPECTED.encode("utf-8")


keys = st.one_of(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), st.text(max_size=8))
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from('ab \n\r\t"\\\x00\x01\x08\x0b\x0c\x1f\x7f\u00e9\u2028\U0001f600'), max_size=40),
)
scalars = st.one_of(
    texts,
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])),
    st.dates(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
documents = st.recursive(
    st.dictionaries(keys, values, max_size=5),
    lambda inner: st.dictionaries(keys, st.one_of(values, inner), max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_a_frozen_copy_writes_the_same_text_as_the_plain_document(document):
    # Any answers a hand-edited file can hold (arrays of tables, nested arrays, odd keys, every
    # TOML type) are written back exactly as before. (Round trips: tests/test_progress.py.)
    data = to_bytes(Snapshot(frozen(document)))
    assert data == tomli_w.dumps(document, multiline_strings=True).encode("utf-8")


def test_a_lone_surrogate_is_written_as_a_replacement_character():
    document = {"answers": {"a": {"b": {"paired": "\ud83d\ude00", "alone": "x \ud800 y"}}}}
    written = tomllib.loads(to_bytes(Snapshot(frozen(document))).decode("utf-8"))
    assert written["answers"]["a"]["b"] == {"paired": "\U0001f600", "alone": "x \ufffd y"}


def test_odd_values_keep_their_types():
    document = {"odd": [time(12, 30), date(2026, 1, 2), [[1, 2], [], [{"k": "v"}]]], "list of tables": [{"a": 1}]}
    assert tomllib.loads(to_bytes(Snapshot(frozen(document))).decode("utf-8")) == document


# -- the snapshot ------------------------------------------------------------------------------------


def test_a_snapshot_keeps_the_answers_as_they_were_when_it_was_taken(mini_workbook):
    progress = _answered(mini_workbook)
    signs = progress.get("first", "picks", "signs")
    snapshot = take_snapshot(progress)
    before = to_bytes(snapshot)

    # Typing goes on while the saver thread writes: answers replaced, lists and tables changed in
    # place, answers removed, the position moved.
    progress.set(mini_workbook, "first", "words", "name", "someone else")
    signs.append("tight")
    progress.get("first", "numbers", "ratings")["heard"] = 1
    progress.set(mini_workbook, "second", "items", "things", [])
    progress.position.page = "words"

    assert to_bytes(snapshot) == before
    written = tomllib.loads(before.decode("utf-8"))
    assert written["answers"]["first"]["words"]["name"] == 'Sam "the" \\ one'
    assert written["answers"]["first"]["picks"]["signs"] == ["warm", "loose"]
    assert written["answers"]["first"]["numbers"]["ratings"] == {"heard": 4, "respected": 5}
    assert written["answers"]["second"]["items"]["things"] == ["tea", "walks"]
    assert written["position"]["page"] == "picks"


# Changes made between two snapshots, as typing, hand edits and tests make them: through set(),
# by moving an answer aside, by assigning into the tables, and by changing a list in place.
PLACES = [("first", "words", "name"), ("first", "picks", "signs"), ("first", "numbers", "ratings"), ("x", "y", "z")]
answer_values = st.one_of(
    st.text(max_size=5),
    st.lists(st.sampled_from(["warm", "loose", "tight"]), max_size=3),
    st.dictionaries(st.sampled_from(["heard", "respected"]), st.integers(1, 5), max_size=2),
    st.integers(-2, 2),
)
changes = st.lists(
    st.tuples(st.sampled_from(["set", "assign", "append", "aside", "clear"]), st.sampled_from(PLACES), answer_values),
    max_size=12,
)


def _change(progress: Progress, workbook, how: str, place: tuple[str, str, str], value) -> None:
    chapter, page, field_id = place
    current = progress.get(chapter, page, field_id)
    if how == "set":
        progress.set(workbook, chapter, page, field_id, value)
    elif how == "assign":
        progress.answers.setdefault(chapter, {}).setdefault(page, {})[field_id] = value
    elif how == "append" and isinstance(current, list):
        current.append("tight")
    elif how == "aside" and current is not None:
        progress.set_aside(chapter, page, field_id)
    elif how == "clear" and chapter in progress.answers:
        progress.answers[chapter].pop(page, None)


@settings(max_examples=200, deadline=None)
@given(changes)
def test_every_snapshot_holds_the_answers_of_its_moment(changes):
    workbook = load_workbook(MINI_WORKBOOK_DIR)  # only read
    progress = _answered(workbook)
    progress.updated = WHEN
    for how, place, value in changes:
        _change(progress, workbook, how, place, value)
        written = to_bytes(Snapshot(progress.frozen_document()))
        assert written == tomli_w.dumps(progress.to_document(), multiline_strings=True).encode("utf-8")


def test_a_snapshot_cannot_be_changed(mini_workbook):
    snapshot = take_snapshot(_answered(mini_workbook))
    answers = snapshot.document["answers"]
    with pytest.raises(TypeError):
        answers["first"]["words"]["name"] = "changed"
    with pytest.raises(AttributeError):
        answers["first"]["picks"]["signs"].append("tight")


def test_taking_a_snapshot_stamps_the_time_of_saving(mini_workbook):
    progress = _answered(mini_workbook)
    before = datetime.now().astimezone().replace(microsecond=0)
    snapshot = take_snapshot(progress)
    assert snapshot.document["updated"] == progress.updated
    assert progress.updated is not None and progress.updated >= before and progress.updated.utcoffset() is not None


# -- the saver thread ------------------------------------------------------------------------------------


def test_serialising_happens_on_the_saver_thread_not_the_app_thread(data_dir, mini_workbook, monkeypatch):
    threads: list[str] = []
    real = autosave.to_bytes

    def recording(snapshot: Snapshot) -> bytes:
        threads.append(threading.current_thread().name)
        return real(snapshot)

    monkeypatch.setattr(autosave, "to_bytes", recording)
    session = _session(data_dir, mini_workbook, Progress(mini_workbook.id, mini_workbook.version))
    try:
        session.answer("first", "words", "name", "Robin")
        session.save_soon()
        saved = _saved(session)
    finally:
        session.close()
    assert saved["answers"]["first"]["words"]["name"] == "Robin"
    assert threads == ["safeground-saver"]


def test_the_newest_snapshot_is_written_last_and_older_pending_ones_are_skipped(data_dir, mini_workbook, monkeypatch):
    # The first write is held up on the disk; meanwhile the person types three more answers.
    started, release = threading.Event(), threading.Event()
    written: list[str] = []
    real_write = autosave.atomic_write

    def slow_write(path: Path, data: bytes, **kwargs):
        written.append(tomllib.loads(data.decode("utf-8"))["answers"]["first"]["words"]["name"])
        started.set()
        assert release.wait(10)
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(autosave, "atomic_write", slow_write)
    session = _session(data_dir, mini_workbook, Progress(mini_workbook.id, mini_workbook.version))
    try:
        session.answer("first", "words", "name", "R")
        session.save_soon()
        assert started.wait(10)
        for name in ("Ro", "Rob", "Robin"):
            session.answer("first", "words", "name", name)
            session.save_soon()
        release.set()
        saved = _saved(session)
        assert not session.unsaved
    finally:
        release.set()
        session.close()
    assert written == ["R", "Robin"]
    assert saved["answers"]["first"]["words"]["name"] == "Robin"


def test_a_failed_write_is_retried_from_the_same_bytes(data_dir, mini_workbook, monkeypatch):
    # The disk was full: the answer stays in memory, the retry writes it without serialising again.
    calls = {"to_bytes": 0, "writes": 0}
    real_to_bytes, real_write = autosave.to_bytes, autosave.atomic_write

    def counting_to_bytes(snapshot: Snapshot) -> bytes:
        calls["to_bytes"] += 1
        return real_to_bytes(snapshot)

    def full_once(path: Path, data: bytes, **kwargs):
        calls["writes"] += 1
        if calls["writes"] == 1:
            raise OSError(28, "No space left on device")
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(autosave, "to_bytes", counting_to_bytes)
    monkeypatch.setattr(autosave, "atomic_write", full_once)
    results: list[tuple[int, BaseException | None]] = []
    store = ProgressStore(data_dir, "default", mini_workbook.id)
    store.acquire_lock()
    session = Session(mini_workbook, store, Progress(mini_workbook.id, mini_workbook.version))
    session.start_saving(lambda revision, error: results.append((revision, error)))
    try:
        session.answer("first", "words", "name", "Robin")
        session.save_soon()
        assert session.saver is not None and not session.saver.flush(10)
        assert session.unsaved and isinstance(session.saver.last_error, OSError)
        session.saver.retry()
        saved = _saved(session)
        assert not session.unsaved
    finally:
        session.close()
    assert saved["answers"]["first"]["words"]["name"] == "Robin"
    assert calls == {"to_bytes": 1, "writes": 2}
    assert [error is None for _, error in results] == [False, True]


def test_a_snapshot_that_cannot_be_serialised_is_reported_and_kept(data_dir, mini_workbook, monkeypatch):
    # Whatever goes wrong on the saver thread is reported like a failed write, never lost there,
    # and the snapshot is kept to try again.
    real = autosave.to_bytes
    failures = iter([ValueError("cannot write this")])

    def failing_once(snapshot: Snapshot) -> bytes:
        for error in failures:
            raise error
        return real(snapshot)

    monkeypatch.setattr(autosave, "to_bytes", failing_once)
    results: list[BaseException | None] = []
    store = ProgressStore(data_dir, "default", mini_workbook.id)
    store.acquire_lock()
    saver = BackgroundSaver(store, lambda revision, error: results.append(error))
    progress = _answered(mini_workbook)
    try:
        saver.request(1, take_snapshot(progress))
        assert not saver.flush(10)
        assert isinstance(saver.last_error, ValueError) and not store.path.exists()
        saver.retry()
        assert saver.flush(10)
    finally:
        saver.close()
        store.release_lock()
    assert [type(error) for error in results] == [ValueError, type(None)]
    assert tomllib.loads(store.path.read_text(encoding="utf-8"))["answers"]["first"]["picks"]["mood"] == "calm"


def test_the_bytes_a_caller_hands_over_are_written_as_they_are(data_dir, mini_workbook):
    store = ProgressStore(data_dir, "default", mini_workbook.id)
    store.acquire_lock()
    saver = BackgroundSaver(store)
    try:
        saver.request(1, EXPECTED.encode("utf-8"))
        assert saver.flush(10)
    finally:
        saver.close()
        store.release_lock()
    assert store.path.read_text(encoding="utf-8") == EXPECTED


def test_a_copy_of_the_answers_after_a_snapshot_is_whole_and_apart(mini_workbook):
    """The print job copies the answers on the app's thread; after an autosave snapshot the copy
    failed ("cannot pickle 'mappingproxy'") and printing from the app did nothing."""
    import copy

    progress = Progress(mini_workbook.id, mini_workbook.version)
    chapter, page, fld = next(
        (c, p, f) for c in mini_workbook.chapters for p in c.pages for f in p.fields if f.kind == "text"
    )
    progress.set(mini_workbook, chapter.id, page.id, fld.id, "first")
    progress.frozen_document()
    copied = copy.deepcopy(progress)
    assert copied.get(chapter.id, page.id, fld.id) == "first"
    progress.set(mini_workbook, chapter.id, page.id, fld.id, "second")
    assert copied.get(chapter.id, page.id, fld.id) == "first"
    assert copied.frozen_document()["answers"][chapter.id][page.id][fld.id] == "first"
