"""Answers: saving and loading every kind, hand-written files, completion, resuming, orphans."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_WORKBOOK_DIR
from safeground.loader import load_workbook
from safeground.progress import FORMAT_VERSION, Position, Progress, ProgressFormatError
from safeground.storage import ProgressStore

WHEN = datetime(2026, 1, 31, 20, 15, tzinfo=UTC)


def _store(data_dir: Path, workbook, profile: str = "default") -> ProgressStore:
    return ProgressStore(data_dir, profile, workbook.id)


def _round_trip(data_dir: Path, workbook, progress: Progress) -> Progress:
    store = _store(data_dir, workbook)
    store.save(progress)
    return store.load(workbook)


# -- round trips of every kind ------------------------------------------------------------------

TRICKY_TEXTS = [
    "plain",
    "Ünïcödé — “quotes” ‘single’ «guillemets» 日本語 עברית",
    "emoji 😀👩‍❤️‍👨🏳️‍🌈 and a skin tone 👍🏽",
    "line one\nline two\n\nafter a blank line\n",
    "double \"quotes\" and \"\"\"three of them\"\"\" and 'single' and '''three'''",
    "back\\slash, \\n not a newline, C:\\Users\\me, trailing \\",
    "tab\there, bell\a, escape\x1b[0m, nul\x00, delete\x7f, form\x0cfeed, vertical\x0btab",
    "a lone carriage return\rin the middle",
    "ends with a carriage return\r",
    "line separator\u2028and paragraph separator\u2029and next line\x85",
    '# not a comment\n[not.a.table]\nkey = "not a key"\n',
    "   leading and trailing spaces   ",
    "zero\u200bwidth and bidi \u202eoverride\u202c",
    "x" * 100_000,
    ("a long paragraph with words. " * 4000) + "\nand a second one",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=range(len(TRICKY_TEXTS)))
def test_text_answers_round_trip(data_dir, mini_workbook, text):
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "words", "name", text)
    progress.set(mini_workbook, "first", "words", "story", text)
    progress.set(mini_workbook, "second", "items", "things", [text, text[::-1], "short"])
    loaded = _round_trip(data_dir, mini_workbook, progress)
    assert loaded.get("first", "words", "name") == text
    assert loaded.get("first", "words", "story") == text
    assert loaded.get("second", "items", "things") == [text, text[::-1], "short"]


def test_windows_line_endings_in_multiline_answers_become_plain_newlines(data_dir, mini_workbook):
    # Documented in docs/progress-format.md: TOML writers may normalise CR LF inside multi-line
    # strings, and tomli-w does. Nothing else is lost; a lone CR is kept.
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "words", "story", "one\r\ntwo\r\n")
    progress.set(mini_workbook, "first", "words", "name", "one\r\n")
    loaded = _round_trip(data_dir, mini_workbook, progress)
    assert loaded.get("first", "words", "story") == "one\ntwo\n"
    assert loaded.get("first", "words", "name") == "one\n"


def test_text_that_is_not_unicode_cannot_be_saved_and_changes_nothing(data_dir, mini_workbook):
    # A lone surrogate is not a character and has no UTF-8 form; nobody can type one. Saving it
    # fails before the file is touched.
    store = _store(data_dir, mini_workbook)
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "words", "name", "fine")
    store.save(progress)
    before = store.path.read_bytes()
    progress.set(mini_workbook, "first", "words", "name", "broken \ud800 text")
    with pytest.raises(UnicodeEncodeError):
        store.save(progress)
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.profile_dir.iterdir()) == ["mini.toml"]


def test_every_kind_round_trips(data_dir, mini_workbook):
    answers = {
        ("first", "words", "name"): "Sam",
        ("first", "words", "story"): "We met\non a train.",
        ("first", "picks", "mood"): "unsafe",
        ("first", "picks", "signs"): ["warm", "tight"],
        ("first", "numbers", "closeness"): 5,
        ("first", "numbers", "ratings"): {"heard": 1, "respected": 4},
        ("second", "items", "things"): ["kind", "funny", "🙂"],
        ("second", "optional", "note"): "ok",
    }
    progress = Progress(mini_workbook.id, mini_workbook.version)
    for (chapter, page, field), value in answers.items():
        progress.set(mini_workbook, chapter, page, field, value, now=WHEN)
    progress.position = Position("first", "numbers", "ratings")
    loaded = _round_trip(data_dir, mini_workbook, progress)
    for (chapter, page, field), value in answers.items():
        got = loaded.get(chapter, page, field)
        assert got == value and type(got) is type(value)
    assert loaded.position == Position("first", "numbers", "ratings")
    assert loaded.workbook_id == "mini"
    assert loaded.workbook_version == "2.0"
    assert loaded.completed == progress.completed
    assert loaded.completed_on("first", "words") == WHEN
    assert isinstance(loaded.updated, datetime) and loaded.updated.tzinfo is not None
    assert loaded.answers == progress.answers


def _texts() -> st.SearchStrategy[str]:
    # Any text a person could type or paste (hypothesis leaves out lone surrogates), except the
    # CR LF pair, whose normalisation is tested and documented separately.
    return st.text(max_size=300).filter(lambda t: "\r\n" not in t)


@st.composite
def _answer_sets(draw):
    workbook = load_workbook(MINI_WORKBOOK_DIR)
    answers: dict[tuple[str, str, str], object] = {}
    for chapter in workbook.chapters:
        for page in chapter.pages:
            for field in page.fields:
                if not draw(st.booleans()):
                    continue
                if field.kind in ("text", "long_text"):
                    value = draw(_texts().filter(str.strip))
                elif field.kind == "choice":
                    value = draw(st.sampled_from([o.id for o in field.options]))
                elif field.kind == "checklist":
                    value = draw(st.lists(st.sampled_from([o.id for o in field.options]), min_size=1, unique=True))
                elif field.kind == "scale":
                    value = draw(st.integers(field.min, field.max))
                elif field.kind == "statements":
                    ids = draw(st.lists(st.sampled_from([s.id for s in field.statements]), min_size=1, unique=True))
                    value = {i: draw(st.integers(field.min, field.max)) for i in ids}
                else:
                    value = draw(st.lists(_texts(), min_size=1, max_size=5))
                answers[(chapter.id, page.id, field.id)] = value
    # Answers the workbook does not know (orphans) are kept whatever they hold.
    orphan_values = st.recursive(
        st.booleans() | st.integers(-(2**63), 2**63 - 1) | _texts() | st.datetimes(timezones=st.none() | st.just(UTC)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts(), inner, max_size=3),
        max_leaves=6,
    )
    for key in draw(st.lists(st.tuples(_texts(), _texts(), _texts()), max_size=3)):
        answers[("old-" + key[0], key[1], key[2])] = draw(orphan_values)
    return answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=_answer_sets())
def test_any_answers_round_trip(tmp_path, answers):
    workbook = load_workbook(MINI_WORKBOOK_DIR)
    progress = Progress(workbook.id)
    for (chapter, page, field), value in answers.items():
        progress.set(workbook, chapter, page, field, value, now=WHEN)
    store = ProgressStore(tmp_path / "data", "default", workbook.id)
    store.save(progress)
    loaded = store.load(workbook)
    for chapter, page, field in answers:
        expected = progress.get(chapter, page, field)  # set() drops empty values
        assert loaded.get(chapter, page, field) == expected
    assert loaded.answers == progress.answers
    assert loaded.completed == progress.completed


# -- a file written by hand ------------------------------------------------------------------------

HAND_WRITTEN = '''\
# My answers. I typed this myself.
format = 1
workbook = "mini"
workbook_version = "1.9"      # an older version: that's fine
updated = 2026-02-01 09:30:00  # a space instead of the T, and no time zone

[position]
chapter = "first"
page = "picks"
field = "signs"

[answers.first.words]
name = 'Sam, with a literal \\n that is not a newline'
story = """
We met on a train.
He said "hi" first."""

[answers.first.picks]
mood = "calm"
signs = [
    "warm",   # the first thing I noticed
    "loose",
]

[answers.first.numbers]
closeness = 4
ratings = { heard = 3, respected = 5 }

[answers.second]
items.things = ["listens", "makes tea"]

[completed.first]
words = 2026-01-30T21:00:00+01:00
'''


def test_a_hand_written_file_loads(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    store.path.write_text(HAND_WRITTEN, encoding="utf-8")
    progress = store.load(mini_workbook)
    assert progress.workbook_version == "1.9"
    assert progress.updated == datetime(2026, 2, 1, 9, 30)
    assert progress.position == Position("first", "picks", "signs")
    assert progress.get("first", "words", "name") == "Sam, with a literal \\n that is not a newline"
    assert progress.get("first", "words", "story") == 'We met on a train.\nHe said "hi" first.'
    assert progress.get("first", "picks", "signs") == ["warm", "loose"]
    assert progress.get("first", "numbers", "ratings") == {"heard": 3, "respected": 5}
    assert progress.get("second", "items", "things") == ["listens", "makes tea"]
    assert progress.completed_on("first", "words") == datetime(2026, 1, 30, 20, 0, tzinfo=UTC)
    assert [c.done for c in map(progress.chapter_progress, mini_workbook.chapters)] == [3, 1]
    assert progress.orphans(mini_workbook) == []
    # Saving it again keeps every answer (comments are not kept: the file is rewritten).
    store.save(progress)
    again = store.load(mini_workbook)
    assert again.answers == progress.answers
    assert again.position == progress.position


def test_a_minimal_hand_written_file_loads(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    store.profile_dir.mkdir(parents=True)
    store.path.write_text('format = 1\nworkbook = "mini"\n', encoding="utf-8")
    progress = store.load(mini_workbook)
    assert progress.answers == {} and progress.completed == {}
    assert progress.position == Position()


# -- the format's rules -----------------------------------------------------------------------------


def _document(**changes) -> dict:
    document = {
        "format": 1,
        "workbook": "mini",
        "workbook_version": "2.0",
        "updated": WHEN,
        "position": {"chapter": "first", "page": "words", "field": "name"},
        "answers": {"first": {"words": {"name": "Sam"}}},
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"format": 2}, "format", "is 2, made by a newer Safe Ground (this one reads format 1)"),
        ({"format": 0}, "format", "is 0, which no Safe Ground has written"),
        ({"format": None}, "format", "is missing or not a whole number"),
        ({"format": "1"}, "format", "is missing or not a whole number"),
        ({"format": True}, "format", "is missing or not a whole number"),
        ({"workbook": "other"}, "workbook", "is 'other', but this file belongs to workbook 'mini'"),
        ({"workbook": None}, "workbook", "is None, but this file belongs to workbook 'mini'"),
        ({"workbook_version": 2}, "workbook_version", "must be text"),
        ({"updated": "yesterday"}, "updated", "must be a date and time"),
        ({"colour": "blue"}, "colour", "is not part of the progress format"),
        ({"position": "first"}, "position", "must be a table"),
        ({"position": {"chapter": "first", "line": 3}}, "position.line", "is not part of the format"),
        ({"position": {"chapter": 1}}, "position.chapter", "must be text"),
        ({"answers": ["Sam"]}, "answers", "must be a table of chapters"),
        ({"answers": {"first": "Sam"}}, "answers.first", "must be a table of pages"),
        ({"answers": {"first": {"words": "Sam"}}}, "answers.first.words", "must be a table of answers"),
        ({"completed": {"first": {"words": "today"}}}, "completed.first", "must map page ids to dates and times"),
        ({"completed": "all"}, "completed", "must be a table of chapters"),
    ],
)
def test_documents_that_do_not_fit_the_format(mini_workbook, changes, where, message):
    with pytest.raises(ProgressFormatError) as caught:
        Progress.from_document(_document(**changes), mini_workbook)
    assert caught.value.where == where
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("page", "field", "value", "shape"),
    [
        ("words", "name", 42, "a string"),
        ("words", "story", ["a", "b"], "a string"),
        ("picks", "mood", ["calm"], "an option id (a string)"),
        ("picks", "signs", "warm", "an array of option ids"),
        ("picks", "signs", ["warm", 3], "an array of option ids"),
        ("numbers", "closeness", "4", "a whole number"),
        ("numbers", "closeness", 4.0, "a whole number"),
        ("numbers", "closeness", True, "a whole number"),
        ("numbers", "ratings", [3, 5], "a table of statement id = whole number"),
        ("numbers", "ratings", {"heard": "3"}, "a table of statement id = whole number"),
    ],
)
def test_answers_of_the_wrong_shape_for_their_kind_are_kept_and_listed(mini_workbook, page, field, value, shape):
    """A question whose kind changed (or a slip in a hand edit): the answer is kept as it is, not
    shown, not counted, and listed with the reason; the other answers open as usual."""
    document = _document(answers={"first": {page: {field: value}}})
    document["answers"]["second"] = {"items": {"things": ["kept"]}}
    progress = Progress.from_document(document, mini_workbook)
    assert progress.get("first", page, field) == value
    fld = mini_workbook.locate("first", page, field)
    assert progress.usable("first", page, fld) is None
    assert not progress.field_answered("first", page, fld)
    [orphan] = progress.orphans(mini_workbook)
    assert (orphan.page, orphan.field, orphan.value) == (page, field, value)
    assert orphan.reason.startswith("the question is now ")
    assert orphan.reason.endswith("this answer was written for a different kind of question")
    assert progress.get("second", "items", "things") == ["kept"]
    assert Progress.from_document(progress.to_document(), mini_workbook).answers == progress.answers


def test_list_answers_of_other_shapes_are_kept(mini_workbook):
    progress = Progress.from_document(_document(answers={"second": {"items": {"things": ["a", 2]}}}), mini_workbook)
    assert progress.get("second", "items", "things") == ["a", 2]
    assert [o.reason for o in progress.orphans(mini_workbook)] == [
        "the question is now a list; this answer was written for a different kind of question"
    ]


def test_to_document_is_the_documented_shape(mini_workbook):
    progress = Progress(mini_workbook.id, "2.0", updated=WHEN, position=Position("first", "words", "name"))
    progress.set(mini_workbook, "first", "words", "name", "Sam", now=WHEN)
    document = progress.to_document()
    assert list(document) == ["format", "workbook", "workbook_version", "updated", "position", "completed", "answers"]
    assert document["format"] == FORMAT_VERSION == 1
    assert document["answers"] == {"first": {"words": {"name": "Sam"}}}
    assert document["completed"] == {"first": {"words": WHEN}}
    assert Progress.from_document(document, mini_workbook).answers == progress.answers


# -- completion ------------------------------------------------------------------------------------


def _page(workbook, chapter_id, page_id):
    return workbook.chapter(chapter_id).page(page_id)


def test_a_page_is_complete_when_every_required_field_is_answered(mini_workbook):
    progress = Progress(mini_workbook.id)
    words = _page(mini_workbook, "first", "words")
    assert not progress.page_complete("first", words)
    progress.set(mini_workbook, "first", "words", "story", "only the optional one")
    assert not progress.page_complete("first", words)
    assert progress.page_started("first", words)
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    assert progress.page_complete("first", words)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t \n"])
def test_blank_text_is_not_an_answer(mini_workbook, blank):
    progress = Progress(mini_workbook.id)
    progress.answers = {"first": {"words": {"name": blank}}}
    assert not progress.field_answered("first", "words", mini_workbook.locate("first", "words", "name"))
    assert not progress.page_complete("first", _page(mini_workbook, "first", "words"))


def test_choice_and_checklist_completion(mini_workbook):
    progress = Progress(mini_workbook.id)
    picks = _page(mini_workbook, "first", "picks")
    progress.set(mini_workbook, "first", "picks", "mood", "calm")
    assert not progress.page_complete("first", picks)
    progress.answers["first"]["picks"]["signs"] = []
    assert not progress.page_complete("first", picks)
    progress.set(mini_workbook, "first", "picks", "signs", ["tight"])
    assert progress.page_complete("first", picks)
    # An option the workbook no longer has is not an answer (it is kept, as an orphan).
    progress.answers["first"]["picks"]["mood"] = "gone"
    assert not progress.page_complete("first", picks)
    assert progress.usable("first", "picks", mini_workbook.locate("first", "picks", "mood")) is None


def test_scale_and_statements_completion(mini_workbook):
    progress = Progress(mini_workbook.id)
    numbers = _page(mini_workbook, "first", "numbers")
    progress.set(mini_workbook, "first", "numbers", "closeness", 1)
    progress.set(mini_workbook, "first", "numbers", "ratings", {"heard": 2})
    assert not progress.page_complete("first", numbers), "one statement is still unrated"
    progress.set(mini_workbook, "first", "numbers", "ratings", {"heard": 2, "respected": 5})
    assert progress.page_complete("first", numbers)
    progress.answers["first"]["numbers"]["closeness"] = 6  # outside 1..5
    assert not progress.page_complete("first", numbers)
    progress.answers["first"]["numbers"]["closeness"] = 5
    progress.answers["first"]["numbers"]["ratings"] = {"heard": 2, "respected": 0}
    assert not progress.page_complete("first", numbers)


def test_list_completion_counts_non_blank_items(mini_workbook):
    progress = Progress(mini_workbook.id)
    items = _page(mini_workbook, "second", "items")
    progress.set(mini_workbook, "second", "items", "things", ["one"])
    assert not progress.page_complete("second", items), "min_items = 2"
    progress.set(mini_workbook, "second", "items", "things", ["one", "  "])
    assert not progress.page_complete("second", items)
    progress.set(mini_workbook, "second", "items", "things", ["one", "two"])
    assert progress.page_complete("second", items)


def test_a_page_of_only_optional_fields_is_complete_once_any_is_answered(mini_workbook):
    progress = Progress(mini_workbook.id)
    optional = _page(mini_workbook, "second", "optional")
    assert all(not f.required for f in optional.fields)
    assert not progress.page_complete("second", optional)
    progress.set(mini_workbook, "second", "optional", "extra", "a thought")
    assert progress.page_complete("second", optional)


def test_chapter_and_overall_progress(mini_workbook):
    progress = Progress(mini_workbook.id)
    assert progress.overall_fraction(mini_workbook) == 0
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    progress.set(mini_workbook, "second", "optional", "note", "hi")
    first = progress.chapter_progress(mini_workbook.chapter("first"))
    assert (first.done, first.total) == (1, 3)
    assert first.fraction == pytest.approx(1 / 3)
    assert progress.overall_fraction(mini_workbook) == pytest.approx(2 / 5)
    assert progress.has_answers


# -- completed dates -------------------------------------------------------------------------------


def test_completed_dates_are_set_kept_and_cleared(mini_workbook):
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "words", "story", "optional", now=WHEN)
    assert progress.completed_on("first", "words") is None
    progress.set(mini_workbook, "first", "words", "name", "Sam", now=WHEN)
    assert progress.completed_on("first", "words") == WHEN
    later = WHEN + timedelta(days=3)
    progress.set(mini_workbook, "first", "words", "name", "Sam, edited", now=later)
    assert progress.completed_on("first", "words") == WHEN, "editing a complete page keeps its date"
    progress.set(mini_workbook, "first", "words", "name", "", now=later)
    assert progress.completed_on("first", "words") is None
    assert "first" not in progress.completed, "no empty chapter tables are left behind"
    assert progress.get("first", "words", "name") is None
    progress.set(mini_workbook, "first", "words", "name", "Sam again", now=later)
    assert progress.completed_on("first", "words") == later


def test_clearing_the_last_answer_leaves_no_empty_tables(mini_workbook):
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "picks", "signs", ["warm"])
    progress.set(mini_workbook, "first", "picks", "signs", [])
    assert progress.answers == {}
    assert not progress.has_answers


def test_completed_dates_default_to_now(mini_workbook):
    progress = Progress(mini_workbook.id)
    before = datetime.now(UTC).replace(microsecond=0)
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    stamp = progress.completed_on("first", "words")
    assert stamp.tzinfo is not None
    assert before <= stamp <= datetime.now(UTC)


# -- where to resume -------------------------------------------------------------------------------


def test_resume_starts_at_the_very_beginning(mini_workbook):
    assert Progress(mini_workbook.id).resume_position(mini_workbook) == Position("first", "words", "name")


def test_resume_goes_to_the_saved_position(mini_workbook):
    progress = Progress(mini_workbook.id, position=Position("first", "numbers", "ratings"))
    assert progress.resume_position(mini_workbook) == Position("first", "numbers", "ratings")


def test_resume_picks_the_first_unanswered_field_when_the_saved_field_is_gone(mini_workbook):
    progress = Progress(mini_workbook.id, position=Position("first", "picks", "old-field"))
    progress.set(mini_workbook, "first", "picks", "mood", "calm")
    assert progress.resume_position(mini_workbook) == Position("first", "picks", "signs")


def test_resume_falls_back_to_the_first_incomplete_page(mini_workbook):
    progress = Progress(mini_workbook.id, position=Position("first", "renamed-page", "name"))
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    progress.set(mini_workbook, "first", "picks", "mood", "calm")
    assert progress.resume_position(mini_workbook) == Position("first", "picks", "signs")
    progress.position = Position("gone-chapter", "words", "name")
    assert progress.resume_position(mini_workbook) == Position("first", "picks", "signs")


def test_resume_when_everything_is_done_goes_to_the_first_page(mini_workbook):
    progress = Progress(mini_workbook.id)
    for chapter, page, field, value in [
        ("first", "words", "name", "Sam"),
        ("first", "picks", "mood", "calm"),
        ("first", "picks", "signs", ["warm"]),
        ("first", "numbers", "closeness", 3),
        ("first", "numbers", "ratings", {"heard": 1, "respected": 1}),
        ("second", "items", "things", ["a", "b"]),
        ("second", "optional", "note", "n"),
    ]:
        progress.set(mini_workbook, chapter, page, field, value)
    assert progress.overall_fraction(mini_workbook) == 1
    assert progress.resume_position(mini_workbook) == Position("first", "words", "name")
    words = _page(mini_workbook, "first", "words")
    assert progress.first_unanswered("first", words) == "story"


# -- orphaned answers ------------------------------------------------------------------------------


def _orphan_document() -> dict:
    return _document(
        answers={
            "zeroth": {"intro": {"hope": "to feel calmer"}},
            "first": {
                "words": {"name": "Sam", "nickname": "S"},
                "old-page": {"thought": ["a", "b"]},
                "picks": {"mood": "furious", "signs": ["warm", "sweaty"]},
                "numbers": {"closeness": 9, "ratings": {"heard": 3, "safe": 4}},
            },
        }
    )


def test_orphans_are_reported_with_a_reason(mini_workbook):
    progress = Progress.from_document(_orphan_document(), mini_workbook)
    found = {(o.chapter, o.page, o.field): o for o in progress.orphans(mini_workbook)}
    assert set(found) == {
        ("zeroth", "intro", "hope"),
        ("first", "words", "nickname"),
        ("first", "old-page", "thought"),
        ("first", "picks", "mood"),
        ("first", "picks", "signs"),
        ("first", "numbers", "closeness"),
        ("first", "numbers", "ratings"),
    }
    assert found[("zeroth", "intro", "hope")].reason == "the workbook has no chapter with this id any more"
    assert found[("first", "old-page", "thought")].reason == "the chapter has no page with this id any more"
    assert found[("first", "words", "nickname")].reason == "the page has no question with this id any more"
    assert found[("first", "picks", "mood")].reason == "the answer names options or values the question no longer has"
    assert found[("first", "picks", "mood")].value == "furious"
    assert found[("zeroth", "intro", "hope")].address == "zeroth › intro › hope"


def test_orphans_are_kept_when_saving_again(data_dir, mini_workbook):
    store = _store(data_dir, mini_workbook)
    progress = Progress.from_document(_orphan_document(), mini_workbook)
    progress.set(mini_workbook, "first", "words", "name", "Sam, later")
    store.save(progress)
    saved = tomllib.loads(store.path.read_text(encoding="utf-8"))["answers"]
    expected = _orphan_document()["answers"]
    expected["first"]["words"]["name"] = "Sam, later"
    assert saved == expected
    reloaded = store.load(mini_workbook)
    assert len(reloaded.orphans(mini_workbook)) == 7


def test_renaming_content_orphans_answers_and_keeps_them(data_dir, mini_dir):
    before = load_workbook(mini_dir)
    store = _store(data_dir, before)
    progress = Progress(before.id)
    progress.set(before, "first", "words", "name", "Sam")
    progress.set(before, "first", "picks", "mood", "unsafe")
    progress.set(before, "second", "items", "things", ["a", "b"])
    store.save(progress)

    # The author renames a page, a field, a chapter, and removes an option.
    chapter = mini_dir / "01-first.toml"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace('id = "words"', 'id = "your-words"').replace('  {id = "unsafe", label = "Unsafe"},\n', "")
    text = text.replace('support = ["unsafe"]\n', "")
    chapter.write_text(text, encoding="utf-8")
    second = mini_dir / "02-second.toml"
    second.write_text(second.read_text(encoding="utf-8").replace('"second"', '"later"', 1), encoding="utf-8")
    index = mini_dir / "workbook.toml"
    index.write_text(index.read_text(encoding="utf-8").replace('"second"', '"later"'), encoding="utf-8")
    after = load_workbook(mini_dir)

    progress = store.load(after)
    orphans = {(o.chapter, o.page, o.field) for o in progress.orphans(after)}
    assert orphans == {("first", "words", "name"), ("first", "picks", "mood"), ("second", "items", "things")}
    assert progress.chapter_progress(after.chapter("first")).done == 0
    progress.set(after, "first", "your-words", "name", "Sam, new page")
    store.save(progress)
    kept = store.load(after)
    assert kept.get("first", "words", "name") == "Sam"
    assert kept.get("first", "picks", "mood") == "unsafe"
    assert kept.get("second", "items", "things") == ["a", "b"]
    assert kept.get("first", "your-words", "name") == "Sam, new page"
    # ... and renaming back brings them home.
    assert {(o.chapter, o.page, o.field) for o in store.load(before).orphans(before)} == {
        ("first", "your-words", "name")
    }


# -- unfinished pages --------------------------------------------------------------------------


def test_unfinished_pages_are_named_in_the_chapters_order(mini_workbook):
    progress = Progress(mini_workbook.id)
    first = mini_workbook.chapter("first")
    assert [page.id for page in progress.unfinished_pages(first)] == ["words", "picks", "numbers"]
    progress.set(mini_workbook, "first", "picks", "mood", "calm")
    progress.set(mini_workbook, "first", "picks", "signs", ["tight"])
    assert [page.id for page in progress.unfinished_pages(first)] == ["words", "numbers"]


def test_pages_to_finish_are_named_only_for_a_chapter_begun_and_not_done(mini_workbook):
    progress = Progress(mini_workbook.id)
    first = mini_workbook.chapter("first")
    assert progress.pages_to_finish(first) == [], "not begun: every page is still to do"
    progress.set(mini_workbook, "first", "words", "story", "an optional answer only")
    assert [page.id for page in progress.pages_to_finish(first)] == ["words", "picks", "numbers"]
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    assert [page.id for page in progress.pages_to_finish(first)] == ["picks", "numbers"]


def test_next_unfinished_goes_on_from_a_page_and_round_to_the_beginning(mini_workbook):
    progress = Progress(mini_workbook.id)
    progress.set(mini_workbook, "first", "words", "name", "Sam")
    # Nothing given: the first unfinished page of all, at its first unanswered question.
    assert progress.next_unfinished(mini_workbook) == Position("first", "picks", "mood")
    # From a page: the next unfinished one after it, over a complete page and into the next chapter.
    assert progress.next_unfinished(mini_workbook, "first", "numbers") == Position("second", "items", "things")
    # From the last page: round to the beginning, skipping the complete first page.
    assert progress.next_unfinished(mini_workbook, "second", "optional") == Position("first", "picks", "mood")
    # A page the workbook no longer has counts as no page.
    assert progress.next_unfinished(mini_workbook, "first", "gone") == Position("first", "picks", "mood")


def test_next_unfinished_is_none_when_every_page_is_complete(mini_workbook):
    progress = Progress(mini_workbook.id)
    complete = {
        ("first", "words", "name"): "Sam",
        ("first", "picks", "mood"): "calm",
        ("first", "picks", "signs"): ["tight"],
        ("first", "numbers", "closeness"): 3,
        ("first", "numbers", "ratings"): {"heard": 2, "respected": 4},
        ("second", "items", "things"): ["a walk", "a call"],
        ("second", "optional", "note"): "a note",
    }
    for (chapter_id, page_id, field_id), value in complete.items():
        progress.set(mini_workbook, chapter_id, page_id, field_id, value)
    assert all(not progress.unfinished_pages(chapter) for chapter in mini_workbook.chapters)
    assert progress.next_unfinished(mini_workbook, "first", "words") is None
