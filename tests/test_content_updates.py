"""Content updates: a workbook whose chapters, pages, questions or options were renamed or removed.

Answers the new version cannot show are someone's words: they stay in the file (through every
save the app makes), ``status`` lists them, and the home screen says, gently, that there are
answers it can no longer show. What a question can still show of a partly outdated answer (the
options of a checklist that are still there, the statements still rated) is shown, and answering
again keeps the parts it could not show.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tomllib
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app_support import KINDS_WORKBOOK, make_app, open_page, settle
from safeground import cli
from safeground.autosave import serialize
from safeground.kinds import is_answered
from safeground.loader import load_workbook
from safeground.progress import Progress
from safeground.session import Session
from safeground.storage import ProgressStore

SIZE = (100, 30)

BEFORE = {
    ("text", "name"): "Sam",
    ("long-text", "story"): "We met on a train.",
    ("long-text", "extra"): "More.",
    ("choice", "safe-to-speak"): "no",
    ("checklist", "body"): ["shoulders", "warmth"],
    ("scale", "closeness"): 7,
    ("statements", "tenets"): {"one-topic": 4, "no-yelling": 2},
    ("list", "appreciations"): ["Kind", "Funny"],
}


def _updated_workbook(folder: Path) -> Path:
    """The kinds workbook after an author's edit: a page and a question renamed, options, a
    statement and a whole page removed, a scale made shorter."""
    shutil.copytree(KINDS_WORKBOOK, folder)
    chapter = folder / "kinds.toml"
    text = chapter.read_text(encoding="utf-8")
    for old, new in [
        ('id = "text"\n', 'id = "one-line"\n'),
        ('id = "story"\n', 'id = "what-happened"\n'),
        ('  {id = "no", label = "No"},\n', ""),
        ('support = ["no"]\n', ""),
        ('  {id = "warmth", label = "I felt warm"},\n', ""),
        ("max = 10\n", "max = 5\n"),
        ('  {id = "no-yelling", label = "We don\'t yell."},\n', ""),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text = text[: text.index('[[pages]]\nid = "list"')]
    chapter.write_text(text, encoding="utf-8")
    return folder


def _save_before(data_dir: Path) -> None:
    workbook = load_workbook(KINDS_WORKBOOK)
    progress = Progress(workbook.id)
    for (page, field), value in BEFORE.items():
        progress.set(workbook, "kinds", page, field, value)
    ProgressStore(data_dir, "default", workbook.id).save(progress)


def _stored(data_dir: Path) -> dict:
    return tomllib.loads((data_dir / "default" / "kinds.toml").read_text(encoding="utf-8"))["answers"]["kinds"]


def _status(data_dir: Path, workbook_dir: Path) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--workbook", str(workbook_dir), "--data-dir", str(data_dir), "status", "--json"]) == 0
    return json.loads(out.getvalue())


def test_status_lists_every_answer_the_new_version_cannot_show(tmp_path):
    data_dir = tmp_path / "data"
    _save_before(data_dir)
    updated = _updated_workbook(tmp_path / "updated")
    kept = {(o["page"], o["field"]): o["reason"] for o in _status(data_dir, updated)["orphaned_answers"]}
    assert kept == {
        ("text", "name"): "the chapter has no page with this id any more",
        ("long-text", "story"): "the page has no question with this id any more",
        ("choice", "safe-to-speak"): "the answer names options or values the question no longer has",
        ("checklist", "body"): "the answer names options or values the question no longer has",
        ("scale", "closeness"): "the answer names options or values the question no longer has",
        ("statements", "tenets"): "the answer names options or values the question no longer has",
        ("list", "appreciations"): "the chapter has no page with this id any more",
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(["--workbook", str(updated), "--data-dir", str(data_dir), "status"])
    assert "7 answer(s) are kept in the file but the workbook can no longer show them" in out.getvalue()


async def test_the_app_says_so_shows_what_it_can_and_keeps_the_rest_through_its_saves(tmp_path):
    from textual.widgets import SelectionList

    from safeground.screens.home import HomeScreen

    data_dir = tmp_path / "data"
    _save_before(data_dir)
    updated = _updated_workbook(tmp_path / "updated")
    app = make_app(data_dir, workbook_dir=updated)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        note = app.screen.query_one("#home-kept")
        assert note.display
        assert "7 answers from an earlier version of this workbook can't be shown here" in str(note.render())
        assert "safeground status" in str(note.render())

        await open_page(pilot, app, "kinds", "checklist")
        selection = app.screen.query_one(SelectionList)
        assert selection.selected == ["shoulders"], "the option still there is shown"
        assert app.screen.shown.has_class("-complete")
        await pilot.press("down", "space")  # and "stomach"
        await settle(pilot, app)

        await open_page(pilot, app, "kinds", "statements")
        assert app.focused.value == 4, "the statement still there shows its rating"
        await pilot.press("5")
        await settle(pilot, app)

        await open_page(pilot, app, "kinds", "choice")
        assert app.screen.query_one("RadioSet").pressed_button is None
        await pilot.click(app.screen.query("RadioButton")[0])  # "yes": a new answer replaces "no"
        await settle(pilot, app)

        await open_page(pilot, app, "kinds", "one-line")
        await pilot.press(*"Alex")
        await open_page(pilot, app, "kinds", "long-text")
        await pilot.press(*"On a bus.")
        await settle(pilot, app)

    stored = _stored(data_dir)
    assert stored["text"] == {"name": "Sam"}, "a renamed page's answers stay"
    assert stored["one-line"] == {"name": "Alex"}
    assert stored["long-text"] == {"story": "We met on a train.", "extra": "More.", "what-happened": "On a bus."}
    assert stored["checklist"]["body"] == ["shoulders", "stomach", "warmth"], "the removed option is kept"
    assert stored["statements"]["tenets"] == {"one-topic": 5, "no-yelling": 2}, "the removed statement is kept"
    assert stored["choice"]["safe-to-speak"] == "yes"
    assert stored["scale"]["closeness"] == 7, "not touched: kept although out of the new range"
    assert stored["list"] == {"appreciations": ["Kind", "Funny"]}, "a removed page's answers stay"

    # Back on the old version, every old answer is there to see again.
    old = ProgressStore(data_dir, "default", "kinds").load(load_workbook(KINDS_WORKBOOK))
    assert old.get("kinds", "text", "name") == "Sam" and old.get("kinds", "long-text", "story") == "We met on a train."


async def test_no_note_when_every_answer_can_be_shown(tmp_path):
    from safeground.screens.home import HomeScreen

    data_dir = tmp_path / "data"
    _save_before(data_dir)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query("#home-kept")


async def test_one_answer_is_said_in_the_singular(tmp_path):
    data_dir = tmp_path / "data"
    workbook = load_workbook(KINDS_WORKBOOK)
    progress = Progress(workbook.id)
    progress.set(workbook, "old-chapter", "old-page", "thought", "kept")
    ProgressStore(data_dir, "default", workbook.id).save(progress)
    app = make_app(data_dir, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1 answer from an earlier version" in str(app.screen.query_one("#home-kept").render())


# -- any edit, any answers: nothing dropped ----------------------------------------------------


KINDS = load_workbook(KINDS_WORKBOOK)
_PAGES = [page.id for page in KINDS.chapters[0].pages]


@st.composite
def _edited_workbook(draw):
    """The kinds workbook with random pages, questions, options and statements renamed or removed,
    and scales shortened or moved."""
    chapter = KINDS.chapters[0]
    pages = []
    for page in chapter.pages:
        if draw(st.booleans()) and draw(st.booleans()):
            continue  # page removed (one in four)
        fields = []
        for field in page.fields:
            action = draw(st.sampled_from(["keep", "keep", "rename", "remove", "edit"]))
            if action == "remove":
                continue
            if action == "rename":
                field = replace(field, id=field.id + "-v2")
            elif action == "edit":
                options = tuple(o for o in field.options if draw(st.booleans()))
                statements = tuple(s for s in field.statements if draw(st.booleans()))
                low = draw(st.integers(0, 3))
                field = replace(
                    field,
                    options=options or field.options[:1],
                    statements=statements or field.statements[:1],
                    min=low,
                    max=low + draw(st.integers(1, 6)),
                )
            fields.append(field)
        if fields:
            pages.append(
                replace(
                    page,
                    id=page.id + ("-v2" if draw(st.booleans()) and draw(st.booleans()) else ""),
                    fields=tuple(fields),
                )
            )
    if not pages:
        pages = list(chapter.pages[:1])
    return replace(KINDS, chapters=(replace(chapter, pages=tuple(pages)),))


def _answer_for(field, draw):
    """A value of the right shape for ``field`` as a widget would give it (options that exist)."""
    kind = field.kind
    if kind in ("text", "long_text"):
        return draw(st.text(max_size=10))
    if kind == "choice":
        return draw(st.sampled_from([o.id for o in field.options]))
    if kind == "checklist":
        return [o.id for o in field.options if draw(st.booleans())]
    if kind == "scale":
        return draw(st.none() | st.integers(field.min, field.max))
    if kind == "statements":
        return {s.id: draw(st.integers(field.min, field.max)) for s in field.statements if draw(st.booleans())}
    return draw(st.lists(st.text(min_size=1, max_size=6), max_size=3))


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_any_edit_then_any_answering_drops_nothing_it_could_not_show(tmp_path, data):
    draw = data.draw
    original = Progress(KINDS.id)
    for page in KINDS.chapters[0].pages:
        for field in page.fields:
            if draw(st.booleans()):
                original.set(KINDS, "kinds", page.id, field.id, _answer_for(field, draw))
    edited = draw(_edited_workbook())
    before = Progress.from_document(tomllib.loads(serialize(original).decode()), edited)
    session = Session(edited, ProgressStore(tmp_path, "default", edited.id), before)
    touched = {}
    for page in edited.chapters[0].pages:
        for field in page.fields:
            if draw(st.booleans()):
                # What the widget shows of the old answer, changed the way a person would.
                given = touched[(page.id, field.id)] = _answer_for(field, draw)
                session.answer("kinds", page.id, field.id, given)
    after = Progress.from_document(tomllib.loads(serialize(session.progress).decode()), edited)
    for page_id, fields in original.answers.get("kinds", {}).items():
        for field_id, old in fields.items():
            new = after.get("kinds", page_id, field_id)
            field = edited.locate("kinds", page_id, field_id)
            if (page_id, field_id) not in touched or field is None:
                assert new == old, f"{page_id}.{field_id} was dropped or changed without being answered"
            elif field.kind == "checklist":
                gone = [item for item in old if field.option(item) is None]
                assert all(item in (new or []) for item in gone), "options the field could not show are kept"
            elif field.kind == "statements":
                hidden = {k: v for k, v in old.items() if field.option(k) is None or not field.min <= v <= field.max}
                rerated = touched[(page_id, field_id)]  # a statement rated again has its new rating
                assert all((new or {}).get(k) == v for k, v in hidden.items() if k not in rerated), (
                    "ratings it could not show are kept"
                )
    # And completion still works on whatever is there.
    for page in edited.chapters[0].pages:
        after.page_complete("kinds", page)
        for field in page.fields:
            is_answered(field, after.get("kinds", page.id, field.id))


# -- a question whose kind changed ---------------------------------------------------------------


def _kind_changed_workbook(folder: Path) -> Path:
    """The kinds workbook after its author turned the long-text question 'story' into a scale."""
    shutil.copytree(KINDS_WORKBOOK, folder)
    chapter = folder / "kinds.toml"
    text = chapter.read_text(encoding="utf-8")
    old = 'id = "story"\nkind = "long_text"\n'
    assert text.count(old) == 1
    text = text.replace(
        old, 'id = "story"\nkind = "scale"\nmin = 1\nmax = 5\nmin_label = "Not at all"\nmax_label = "Very"\n'
    )
    chapter.write_text(text, encoding="utf-8")
    return folder


def test_a_changed_kind_keeps_that_answer_and_opens_all_the_others(tmp_path):
    data_dir = tmp_path / "data"
    _save_before(data_dir)
    before = (data_dir / "default" / "kinds.toml").read_bytes()
    changed = _kind_changed_workbook(tmp_path / "changed")
    status = _status(data_dir, changed)
    assert status["orphaned_answers"] == [
        {
            "chapter": "kinds",
            "page": "long-text",
            "field": "story",
            "reason": "the question is now a scale; this answer was written for a different kind of question",
        }
    ]
    assert status["pages_done"] > 0, "every other answer still counts"
    workbook = load_workbook(changed)
    store = ProgressStore(data_dir, "default", workbook.id)
    progress = store.load(workbook)
    assert progress.get("kinds", "text", "name") == "Sam"
    progress.set(workbook, "kinds", "text", "name", "Alex")
    store.save(progress)
    assert _stored(data_dir)["long-text"]["story"] == "We met on a train.", "written back unchanged"
    assert (data_dir / "default" / "kinds.toml").read_bytes() != before


async def test_answering_a_question_whose_kind_changed_sets_the_earlier_answer_aside(tmp_path):

    data_dir = tmp_path / "data"
    _save_before(data_dir)
    changed = _kind_changed_workbook(tmp_path / "changed")
    app = make_app(data_dir, workbook_dir=changed)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app, "kinds", "long-text")
        assert app.focused.value is None, "the words written for a long answer are not shown on a scale"
        await settle(pilot, app)
        assert _stored(data_dir)["long-text"]["story"] == "We met on a train.", "opening the page changes nothing"
        await pilot.press("3")
        await settle(pilot, app)
    stored = _stored(data_dir)["long-text"]
    assert stored["story"] == 3
    assert stored["story--earlier"] == "We met on a train.", "the earlier answer is kept beside the new one"
    kept = {(o["page"], o["field"]): o["reason"] for o in _status(data_dir, changed)["orphaned_answers"]}
    assert kept == {
        (
            "long-text",
            "story--earlier",
        ): "an earlier answer to 'story', kept when the question changed kind and was answered again"
    }
    # With the workbook as it was, the earlier answer can be read, and the new one is listed.
    old = _status(data_dir, KINDS_WORKBOOK)["orphaned_answers"]
    assert {(o["field"], o["reason"].split(";")[0].split(",")[0]) for o in old} == {
        ("story", "the question is now a long text question"),
        ("story--earlier", "an earlier answer to 'story'"),
    }
