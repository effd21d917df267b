"""Loading workbook folders: the built-in workbook, every validation message, and never a traceback."""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_WORKBOOK_DIR, write_workbook
from safeground.content import FIELD_KINDS
from safeground.kinds import COMMON_KEYS, KINDS
from safeground.loader import (
    ID_PATTERN,
    KIND_CHECKS,
    Problem,
    WorkbookError,
    builtin_workbook_dir,
    check_workbook,
    load_workbook,
)
from safeground.untrusted import CONTROL

# -- the built-in workbook ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin():
    return load_workbook()


def test_builtin_workbook_loads_without_problems():
    workbook, problems = check_workbook(builtin_workbook_dir())
    assert problems == []
    assert workbook is not None


def test_builtin_workbook_has_the_four_chapters_in_order(builtin):
    assert [c.id for c in builtin.chapters] == ["what-safety-is", "friend-lens", "when-you-disagree", "fighting-fair"]
    listed = tomllib.loads((builtin_workbook_dir() / "workbook.toml").read_text(encoding="utf-8"))["chapters"]
    assert [c.id for c in builtin.chapters] == listed


def test_builtin_chapters_have_three_to_six_pages(builtin):
    for chapter in builtin.chapters:
        assert 3 <= len(chapter.pages) <= 6, f"{chapter.id} has {len(chapter.pages)} pages"


def test_builtin_ids_are_unique_and_well_formed(builtin):
    assert len({c.id for c in builtin.chapters}) == len(builtin.chapters)
    for chapter in builtin.chapters:
        assert ID_PATTERN.match(chapter.id)
        assert len({p.id for p in chapter.pages}) == len(chapter.pages), chapter.id
        for page in chapter.pages:
            assert ID_PATTERN.match(page.id)
            assert page.fields, f"{chapter.id}/{page.id} has no questions"
            assert len({f.id for f in page.fields}) == len(page.fields), page.id
            for field in page.fields:
                assert ID_PATTERN.match(field.id)
                assert field.kind in FIELD_KINDS
                for group in (field.options, field.statements):
                    assert len({o.id for o in group}) == len(group), field.id
                    assert all(ID_PATTERN.match(o.id) and o.label.strip() for o in group)


def test_builtin_description_credits_the_post_and_its_author(builtin):
    assert "Amalia Miralrío" in builtin.description
    assert "Ashley Hudson" in builtin.description


def test_builtin_workbook_has_a_screening_question_that_shows_support(builtin):
    supported = [f for c in builtin.chapters for p in c.pages for f in p.fields if f.support]
    assert supported, "no choice field brings up the support resources"
    for field in supported:
        assert field.kind == "choice"
        assert set(field.support) <= {o.id for o in field.options}
    assert builtin.support.regions
    for region in builtin.support.regions:
        assert region.resources and region.emergency.strip(), region.code


#: The built-in questions whose answer could put someone at risk if their partner read it.
SCREENING = {
    ("what-safety-is", "checking-in", "harm-check"),
    ("when-you-disagree", "respect-in-conflict", "safe-to-speak"),
    ("when-you-disagree", "respect-in-conflict", "hard-to-say"),
}


def test_builtin_screening_questions_are_private_and_the_rest_are_not(builtin):
    private = {(c.id, p.id, f.id) for c in builtin.chapters for p in c.pages for f in p.fields if f.private}
    assert private == SCREENING
    harm = builtin.locate("what-safety-is", "checking-in", "harm-check")
    assert harm is not None and "hurt or threatened" in harm.prompt
    for address in SCREENING:
        field = builtin.locate(*address)
        assert field is not None and "private" in field.help, "the person is told before answering"


def test_private_is_false_unless_written(tmp_path):
    folder = _copy_mini(tmp_path)
    fields = [f for c in load_workbook(folder).chapters for p in c.pages for f in p.fields]
    assert fields and not any(f.private for f in fields)
    _edit(folder, "01-first.toml", 'prompt = "A story?"\n', 'prompt = "A story?"\nprivate = true\n')
    story = load_workbook(folder).locate("first", "words", "story")
    assert story is not None and story.private


@pytest.mark.parametrize(("value", "what"), [('"yes"', "text"), ("1", "a number"), ("[true]", "a list")])
def test_private_must_be_true_or_false(tmp_path, value, what):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'prompt = "A story?"\n', f'prompt = "A story?"\nprivate = {value}\n')
    problem = _only(_problems(folder))
    assert problem.message == f"'private' must be true or false, not {what}"
    assert problem.line == _line_of(text, "private =")


def test_a_misspelt_private_is_caught(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'prompt = "A story?"\n', 'prompt = "A story?"\nprivat = true\n')
    assert "did you mean 'private'?" in _only(_problems(folder)).message


def test_load_workbook_defaults_to_the_builtin_one(builtin):
    assert load_workbook(None).id == builtin.id == "safe-ground"


# -- the mini workbook and the model -------------------------------------------------------------


def test_mini_workbook_loads_every_kind(mini_workbook):
    kinds = {f.kind for c in mini_workbook.chapters for p in c.pages for f in p.fields}
    assert kinds == set(FIELD_KINDS)
    mood = mini_workbook.locate("first", "picks", "mood")
    assert mood.support == ("unsafe",)
    assert mood.option("calm").label == "Calm"
    assert mood.option("gone") is None
    ratings = mini_workbook.locate("first", "numbers", "ratings")
    assert [s.id for s in ratings.statements] == ["heard", "respected"]
    assert (ratings.min, ratings.max, ratings.min_label) == (1, 5, "Not at all")
    assert mini_workbook.locate("second", "items", "things").min_items == 2
    assert mini_workbook.locate("first", "words", "story").required is False
    assert mini_workbook.locate("first", "words", "name").required is True
    assert mini_workbook.locate("nope", "words", "name") is None
    assert mini_workbook.page_count == 5


def test_support_defaults_to_the_builtin_one_and_can_be_replaced(mini_dir):
    workbook, _ = check_workbook(mini_dir)
    assert workbook.support == load_workbook().support
    (mini_dir / "support.toml").write_text(
        'title = "Help"\nintro = "Ask."\nemergency = "Call 112."\n\n'
        '[[resources]]\nid = "local-line"\nname = "Local line"\ncontact = "Call 0800"\n',
        encoding="utf-8",
    )
    workbook, problems = check_workbook(mini_dir)
    assert problems == []
    assert [r.id for r in workbook.support.resources] == ["local-line"]
    assert workbook.support.emergency == "Call 112."


def test_load_workbook_raises_workbook_error_with_every_problem(mini_dir):
    (mini_dir / "02-second.toml").unlink()
    (mini_dir / "workbook.toml").write_text(
        (mini_dir / "workbook.toml").read_text(encoding="utf-8") + 'colour = "blue"\n', encoding="utf-8"
    )
    with pytest.raises(WorkbookError) as caught:
        load_workbook(mini_dir)
    assert len(caught.value.problems) == 2
    assert "(and 1 more)" in str(caught.value)


# -- every validation error and its message --------------------------------------------------------


def _copy_mini(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI_WORKBOOK_DIR, tmp_path / "wb"))


def _edit(folder: Path, name: str, old: str, new: str) -> str:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {name}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def _line_of(text: str, needle: str, *, last: bool = False) -> int:
    """The 1-based line where ``needle`` first (or last) appears: computed, so tests don't
    hard-code line numbers."""
    return text[: text.rindex(needle) if last else text.index(needle)].count("\n") + 1


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def _problems(folder: Path) -> list[Problem]:
    workbook, problems = check_workbook(folder)
    assert workbook is None if problems else workbook is not None
    return problems


def test_unknown_key_suggests_the_close_one(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'placeholder = "A name"', 'placeholdr = "A name"')
    problem = _only(_problems(folder))
    assert problem.file == folder / "01-first.toml"
    assert problem.line == _line_of(text, "placeholdr")
    assert problem.where == 'pages[1].fields[1] (id "name")'
    assert "unknown key 'placeholdr'" in problem.message
    assert "did you mean 'placeholder'?" in problem.message


def test_unknown_key_without_a_close_match_lists_the_allowed_ones(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "workbook.toml", 'version = "2.0"', 'version = "2.0"\ncolour = "blue"')
    problem = _only(_problems(folder))
    assert problem.file == folder / "workbook.toml"
    assert problem.line == _line_of(text, "colour")
    assert "unknown key 'colour'" in problem.message
    for allowed in ("chapters", "description", "id", "title", "version"):
        assert allowed in problem.message


def test_a_key_written_in_quotes_points_at_its_line(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'placeholder = "A name"', '"placeholdr" = "A name"')
    problem = _only(_problems(folder))
    assert "unknown key 'placeholdr'" in problem.message
    assert problem.line == _line_of(text, '"placeholdr"')


def test_a_key_that_belongs_to_another_kind_is_unknown(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'prompt = "Which signs?"', 'prompt = "Which signs?"\nmin = 1')
    problem = _only(_problems(folder))
    assert "unknown key 'min'" in problem.message
    assert problem.where == 'pages[2].fields[2] (id "signs")'


def test_unknown_key_in_an_inline_option_points_at_its_line(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", '{id = "loose", label = "Loose"}', '{id = "loose", lable = "Loose"}')
    problems = _problems(folder)
    assert {p.where for p in problems} >= {"pages[2].fields[2].options[2]"}
    unknown = next(p for p in problems if "unknown key 'lable'" in p.message)
    assert "did you mean 'label'?" in unknown.message
    # Written one per line, each inline table has its own line.
    assert unknown.line == _line_of(text, "lable")
    assert any("missing 'label'" in p.message for p in problems)


def test_options_written_on_one_line_point_at_the_key(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(
        folder,
        "01-first.toml",
        'options = [\n  {id = "warm", label = "Warm"},\n  {id = "loose", label = "Loose"},\n  {id = "tight", label = "Tight"},\n]',
        'options = [{id = "warm", label = "Warm"}, {id = "warm", label = "Loose"}]',
    )
    problem = _only(_problems(folder))
    assert problem.where == "pages[2].fields[2].options[2]"
    assert problem.line == _line_of(text, "options = [{")


@pytest.mark.parametrize(
    ("name", "old", "where"),
    [
        ("01-first.toml", 'id = "first"\n', ""),
        ("01-first.toml", 'id = "picks"\n', "pages[2]"),
        ("01-first.toml", 'id = "signs"\n', "pages[2].fields[2]"),
        ("01-first.toml", '{id = "tight", label = "Tight"}', "pages[2].fields[2].options[3]"),
        ("01-first.toml", '{id = "respected", label = "I feel respected"}', "pages[3].fields[2].statements[2]"),
        ("workbook.toml", 'id = "mini"\n', ""),
    ],
)
def test_missing_id(tmp_path, name, old, where):
    folder = _copy_mini(tmp_path)
    new = old.replace('id = "tight", ', "").replace('id = "respected", ', "") if old.startswith("{") else ""
    _edit(folder, name, old, new)
    problems = [p for p in _problems(folder) if "missing 'id'" in p.message]
    assert len(problems) == 1, _problems(folder)
    assert problems[0].file == folder / name
    assert problems[0].where == where
    assert 'add id = "some-name"' in problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "what", "where"),
    [
        ('id = "picks"', 'id = "words"', "page", "pages[2]"),
        ('id = "signs"', 'id = "mood"', "field", "pages[2].fields[2]"),
        ('{id = "loose"', '{id = "warm"', "option", "pages[2].fields[2].options[2]"),
        ('{id = "respected"', '{id = "heard"', "statement", "pages[3].fields[2].statements[2]"),
    ],
)
def test_duplicate_ids_within_a_chapter(tmp_path, old, new, what, where):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", old, new)
    problem = _only(_problems(folder))
    duplicate = new.split('"')[1]
    assert problem.message == f'{what} id "{duplicate}" is used twice: each {what} needs its own id'
    assert problem.where == where
    assert problem.line == _line_of(text, new, last=True)


def test_duplicate_chapter_ids(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "02-second.toml", 'id = "second"', 'id = "first"')
    problems = _problems(folder)
    duplicate = next(p for p in problems if "also used by" in p.message)
    assert duplicate.file == folder / "02-second.toml"
    assert 'chapter id "first" is also used by 01-first.toml' in duplicate.message
    # ... and "second" is now listed but nowhere to be found.
    assert any('chapter "second" is listed' in p.message for p in problems)


def test_a_chapter_listed_twice(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "workbook.toml", '"first", "second"', '"first", "second", "first"')
    problem = _only(_problems(folder))
    assert problem.message == 'chapter "first" is listed twice in chapters'
    assert problem.line == _line_of(text, "chapters =")


@pytest.mark.parametrize("bad", ["Picks", "picks page", "picks_page", "-picks", "picks-", "pícks", "picks--page", ""])
def test_bad_id_format(tmp_path, bad):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'id = "picks"', f'id = "{bad}"')
    problem = _only(_problems(folder))
    assert problem.where == "pages[2]"
    assert problem.line == _line_of(text, f'id = "{bad}"')
    assert f'id "{bad}" must be lowercase letters and digits joined by dashes' in problem.message


def test_id_that_is_not_text(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'id = "picks"', "id = 7")
    problem = _only(_problems(folder))
    assert problem.message == "'id' must be text in quotes, like id = \"my-page\", not a number"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('prompt = "A name?"', "prompt = 5", "'prompt' must be text in quotes, not a number"),
        ('prompt = "A name?"', 'prompt = ["A", "name"]', "'prompt' must be text in quotes, not a list"),
        ('prompt = "A name?"', "prompt = 2026-01-01", "'prompt' must be text in quotes, not a date or time"),
        ("required = false", 'required = "no"', "'required' must be true or false, not text"),
        ("required = false", "required = 0", "'required' must be true or false, not a number"),
        (
            'min = 1\nmax = 5\nmin_label = "Far"',
            'min = 1.5\nmax = 5\nmin_label = "Far"',
            "'min' must be a whole number, not a decimal number",
        ),
        (
            'min = 1\nmax = 5\nmin_label = "Far"',
            'min = true\nmax = 5\nmin_label = "Far"',
            "'min' must be a whole number, not true/false",
        ),
        ('min_label = "Far"', 'min_label = {text = "Far"}', "'min_label' must be text in quotes, not a table"),
        ('support = ["unsafe"]', 'support = "unsafe"', "'support' must be a list of option ids"),
        (
            'options = [\n  {id = "warm"',
            'options = "warm"\nold = [\n  {id = "warm"',
            "'options' must be a list of tables (options), not text",
        ),
    ],
)
def test_wrong_types(tmp_path, old, new, expected):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", old, new)
    problems = _problems(folder)
    matching = [p for p in problems if expected in p.message]
    assert len(matching) == 1, "\n".join(map(str, problems))
    key = expected.split("'")[1]
    assert matching[0].line == _line_of(text, new.split("\n")[0]), (key, matching[0])


def test_wrong_types_for_pages_and_chapters(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "workbook.toml", 'chapters = ["first", "second"]', 'chapters = "first, second"')
    problems = _problems(folder)
    assert any("chapters must be a list of chapter ids" in p.message for p in problems)
    folder = _copy_mini(tmp_path / "two")
    (folder / "02-second.toml").write_text(
        'id = "second"\ntitle = "T"\nsummary = "S"\npages = "lots"\n', encoding="utf-8"
    )
    problem = _only(_problems(folder))
    assert "'pages' must be a list of tables" in problem.message


def test_every_kind_has_a_check_for_its_own_keys():
    # Without one, every workbook using the kind would stop with a KeyError instead of loading.
    assert set(KIND_CHECKS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_key_a_kind_allows_is_checked(tmp_path, kind):
    """Each of a kind's own keys, given true instead of what it takes, is reported by name."""
    folder = _copy_mini(tmp_path)
    own = sorted(KINDS[kind].keys)
    field = "".join(f"{key} = true\n" for key in own)
    text = (
        'id = "second"\ntitle = "T"\nsummary = "S"\n\n[[pages]]\nid = "p"\ntitle = "P"\n\n'
        f'[[pages.fields]]\nid = "f"\nkind = "{kind}"\nprompt = "Q"\n{field}'
    )
    (folder / "02-second.toml").write_text(text, encoding="utf-8")
    problems = _problems(folder)
    for key in own:
        named = [p for p in problems if p.message.startswith(f"'{key}' must be")]
        assert len(named) == 1, (key, "\n".join(map(str, problems)))
        assert named[0].line == _line_of(text, f"{key} = true")
        assert named[0].where == 'pages[1].fields[1] (id "f")'


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("checkbox", "use one of text, long_text"),
        ("long-text", "did you mean 'long_text'?"),
        ("scales", "did you mean 'scale'?"),
    ],
)
def test_unknown_kind(tmp_path, kind, hint):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'kind = "checklist"', f'kind = "{kind}"')
    problem = _only(_problems(folder))
    assert problem.message.startswith(f"unknown kind '{kind}'")
    assert hint in problem.message
    assert problem.line == _line_of(text, f'kind = "{kind}"')
    assert problem.where == 'pages[2].fields[2] (id "signs")'


def test_missing_kind_and_a_kind_that_is_not_text(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'kind = "checklist"\n', "")
    _edit(folder, "01-first.toml", 'kind = "scale"', 'kind = ["scale"]')
    problems = _problems(folder)
    assert any(p.message.startswith("missing 'kind': one of text, long_text") for p in problems)
    assert any(p.message.startswith("unknown kind ['scale']") for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'options = [\n  {id = "warm", label = "Warm"},\n  {id = "loose", label = "Loose"},\n  {id = "tight", label = "Tight"},\n]',
            "options = []",
            "'options' is empty: add at least one option",
        ),
        (
            'statements = [\n  {id = "heard", label = "I feel heard"},\n  {id = "respected", label = "I feel respected"},\n]',
            "statements = []",
            "'statements' is empty: add at least one statement",
        ),
        (
            '  {id = "tense", label = "Tense"},\n  {id = "unsafe", label = "Unsafe"},\n',
            "",
            "a choice needs at least 2 options",
        ),
    ],
)
def test_empty_option_lists(tmp_path, old, new, expected):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", old, new)
    if "tense" in old:  # the support option went with it
        _edit(folder, "01-first.toml", 'support = ["unsafe"]\n', "")
    problem = _only(_problems(folder))
    assert expected in problem.message


def test_missing_options(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(
        folder,
        "01-first.toml",
        'options = [\n  {id = "warm", label = "Warm"},\n  {id = "loose", label = "Loose"},\n  {id = "tight", label = "Tight"},\n]\n',
        "",
    )
    problem = _only(_problems(folder))
    assert problem.message == "missing 'options': add at least one option"


@pytest.mark.parametrize(("low", "high"), [(5, 5), (5, 1), (0, -3)])
def test_min_must_be_less_than_max(tmp_path, low, high):
    folder = _copy_mini(tmp_path)
    text = _edit(
        folder, "01-first.toml", 'min = 1\nmax = 5\nmin_label = "Far"', f'min = {low}\nmax = {high}\nmin_label = "Far"'
    )
    problem = _only(_problems(folder))
    assert problem.message == f"'min' must be less than 'max' (found min = {low}, max = {high})"
    assert problem.line == _line_of(text, f"min = {low}\nmax = {high}")
    assert problem.where == 'pages[3].fields[1] (id "closeness")'


def test_a_scale_too_wide_for_one_row(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'min = 1\nmax = 5\nmin_label = "Far"', 'min = 0\nmax = 100\nmin_label = "Far"')
    assert "a scale can have at most 11 points (found 101)" in _only(_problems(folder)).message


def test_missing_scale_bounds_and_labels(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'min = 1\nmax = 5\nmin_label = "Far"\nmax_label = "Close"\n', "")
    messages = sorted(p.message for p in _problems(folder))
    assert messages == sorted(
        [
            "missing 'min': add min = <a whole number>",
            "missing 'max': add max = <a whole number>",
            "missing 'min_label': add min_label = \"...\"",
            "missing 'max_label': add max_label = \"...\"",
        ]
    )


def test_chapter_listed_but_missing(tmp_path):
    folder = _copy_mini(tmp_path)
    (folder / "02-second.toml").unlink()
    text = (folder / "workbook.toml").read_text(encoding="utf-8")
    problem = _only(_problems(folder))
    assert problem.file == folder / "workbook.toml"
    assert problem.line == _line_of(text, "chapters =")
    assert f'chapter "second" is listed, but no file in {folder} has id = "second"' in problem.message


def test_chapter_file_not_listed(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "workbook.toml", '"first", "second"', '"first"')
    problem = _only(_problems(folder))
    assert problem.file == folder / "02-second.toml"
    assert problem.line == 1
    assert (
        problem.message
        == 'chapter "second" is not listed in workbook.toml: add it to chapters, or move the file out of this folder'
    )


def test_support_option_that_does_not_exist(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'support = ["unsafe"]', 'support = ["unsafe", "danger"]')
    problem = _only(_problems(folder))
    assert problem.message == 'support lists "danger", which is not one of this field\'s option ids'
    assert problem.line == _line_of(text, "support =")
    assert problem.where == 'pages[2].fields[1] (id "mood")'


def test_support_on_a_field_that_is_not_a_choice(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'prompt = "Which signs?"', 'prompt = "Which signs?"\nsupport = ["tight"]')
    assert "unknown key 'support'" in _only(_problems(folder)).message


def test_invalid_toml_names_the_line(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'title = "Picks"', 'title = "Picks')
    problems = _problems(folder)
    invalid = next(p for p in problems if "is not valid TOML" in p.message)
    assert invalid.file == folder / "01-first.toml"
    assert invalid.line == _line_of(text, 'title = "Picks')
    assert "(at line" not in invalid.message  # the line is given once, in the usual place
    # The chapter it held is now missing; the message says why that may be.
    missing = next(p for p in problems if 'chapter "first" is listed' in p.message)
    assert "01-first.toml, which could not be read" in missing.message


def test_non_utf8_file(tmp_path):
    folder = _copy_mini(tmp_path)
    (folder / "02-second.toml").write_bytes(b'id = "second"\ntitle = "Caf' + b'\xe9"\n')
    problems = _problems(folder)
    problem = next(p for p in problems if p.file.name == "02-second.toml")
    assert problem.line == 2
    assert problem.message == "is not UTF-8 text: save it as UTF-8 in your editor"


def test_missing_workbook_toml(tmp_path):
    folder = _copy_mini(tmp_path)
    (folder / "workbook.toml").unlink()
    problem = _only(_problems(folder))
    assert problem.file == folder / "workbook.toml"
    assert problem.message == "is missing: every workbook folder needs a workbook.toml"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_not_a_folder(tmp_path, kind):
    target = tmp_path / "nothing-here"
    if kind == "file":
        target = tmp_path / "workbook.toml"
        target.write_text('id = "x"\n', encoding="utf-8")
    problem = _only(_problems(target))
    assert problem.file == target
    assert problem.message == "is not a folder: give the folder that holds workbook.toml"


def test_a_folder_named_like_a_chapter_file(tmp_path):
    folder = _copy_mini(tmp_path)
    (folder / "03-extra.toml").mkdir()
    problem = _only(_problems(folder))
    assert problem.file == folder / "03-extra.toml"
    assert problem.message.startswith("cannot be read")


def test_deeply_nested_toml_is_a_problem_not_a_crash(tmp_path):
    folder = _copy_mini(tmp_path)
    (folder / "02-second.toml").write_text("a = " + "[" * 5000, encoding="utf-8")
    problems = _problems(folder)
    assert any(p.file.name == "02-second.toml" and "nested too deeply" in p.message for p in problems)


def test_empty_text_where_text_is_needed(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'prompt = "A name?"', 'prompt = "   "')
    assert _only(_problems(folder)).message == "'prompt' is empty: write something there"


def test_problem_text_reads_file_line_where_message(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(folder, "01-first.toml", 'kind = "checklist"', 'kind = "checkbox"')
    problem = _only(_problems(folder))
    line = _line_of(text, 'kind = "checkbox"')
    assert str(problem) == f'{folder / "01-first.toml"}:{line}: pages[2].fields[2] (id "signs"): {problem.message}'
    assert str(Problem(Path("w.toml"), None, "", "is missing")) == "w.toml: is missing"


def test_every_problem_is_reported_at_once(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "workbook.toml", 'version = "2.0"', 'version = "2.0"\nauthor = "me"')
    _edit(folder, "01-first.toml", 'kind = "checklist"', 'kind = "checkbox"')
    _edit(folder, "01-first.toml", 'id = "picks"', 'id = "Picks"')
    _edit(folder, "01-first.toml", 'min = 1\nmax = 5\nmin_label = "Far"', 'min = 9\nmax = 5\nmin_label = "Far"')
    (folder / "02-second.toml").write_bytes(b"\xff\xfe")
    problems = _problems(folder)
    files = [p.file.name for p in problems]
    assert files.count("01-first.toml") == 3
    assert "02-second.toml" in files
    assert any("unknown key 'author'" in p.message for p in problems)
    assert len(problems) == 6  # the five above, and "second" listed but unreadable


# -- never a traceback: generated folders ----------------------------------------------------------

_MINI_FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(MINI_WORKBOOK_DIR.glob("*.toml"))}
_MINI_FILES["support.toml"] = (builtin_workbook_dir() / "support.toml").read_text(encoding="utf-8")
_KNOWN_KEYS = sorted(
    {
        "id",
        "title",
        "version",
        "description",
        "chapters",
        "summary",
        "intro",
        "pages",
        "text",
        "fields",
        "label",
        "options",
        "statements",
        "support",
        "resources",
        "name",
        "contact",
        "about",
        "url",
        "emergency",
        "region_note",
    }
    | COMMON_KEYS
    | set().union(*(rules.keys for rules in KINDS.values()))
)

_keys = st.sampled_from(_KNOWN_KEYS) | st.text(max_size=6)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(list(FIELD_KINDS) + ["first", "second", "calm", "unsafe"])
    | st.dates()
    | st.datetimes()
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=12,
)


def _toml_document(draw_dict: dict) -> str:
    def clean(value: Any) -> Any:  # TOML has no null
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [clean(v) for v in value if v is not None]
        return value

    return tomli_w.dumps(clean(draw_dict))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, prefix + (index,))
    return found


def _mutate(document: dict, data: st.DataObject) -> dict:
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = _paths(document)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans(), label="delete"):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_values.filter(lambda v: v is not None), label="new value")
    return document


_CONTENT = st.one_of(
    st.binary(max_size=200).map(lambda b: ("bytes", b)),
    st.text(alphabet="[]{}=\"'\n #.,-_0123abcdikmnoprstxy\\", max_size=200).map(lambda t: ("text", t)),
    st.dictionaries(_keys, _values, max_size=6).map(lambda d: ("toml", d)),
    st.just(("mutate", None)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(sorted(_MINI_FILES)), content=_CONTENT, extra=st.booleans(), data=st.data())
def test_check_workbook_never_raises(target, content, extra, data):
    with tempfile.TemporaryDirectory() as temp:
        folder = write_workbook(Path(temp) / "wb", _MINI_FILES)
        how, payload = content
        if how == "bytes":
            (folder / target).write_bytes(payload)
        elif how == "text":
            (folder / target).write_text(payload, encoding="utf-8")
        elif how == "toml":
            (folder / target).write_text(_toml_document(payload), encoding="utf-8")
        else:
            document = _mutate(tomllib.loads(_MINI_FILES[target]), data)
            (folder / target).write_text(_toml_document(document), encoding="utf-8")
        if extra:  # a second, mutated chapter file next to the first
            document = _mutate(tomllib.loads(_MINI_FILES["02-second.toml"]), data)
            (folder / "03-extra.toml").write_text(_toml_document(document), encoding="utf-8")

        workbook, problems = check_workbook(folder)

        assert isinstance(problems, list)
        assert (workbook is None) == bool(problems)
        for problem in problems:
            assert isinstance(problem, Problem)
            assert problem.message
            assert problem.file.parent in (folder, builtin_workbook_dir())
            assert problem.line is None or problem.line >= 1
            assert str(problem).startswith(str(problem.file))


def test_a_valid_document_written_by_tomli_w_still_passes():
    # The fuzz test rewrites files through tomli_w; make sure that alone breaks nothing.
    with tempfile.TemporaryDirectory() as temp:
        files = {name: _toml_document(tomllib.loads(text)) for name, text in _MINI_FILES.items()}
        assert check_workbook(write_workbook(Path(temp), files))[1] == []


def test_a_file_cut_short_names_its_last_line(tmp_path):
    folder = _copy_mini(tmp_path)
    text = (folder / "02-second.toml").read_text(encoding="utf-8")
    cut = text[: text.index('prompt = "Anything else?"') + len('prompt = "Anything')]
    (folder / "02-second.toml").write_text(cut, encoding="utf-8")
    invalid = next(p for p in _problems(folder) if "is not valid TOML" in p.message)
    assert invalid.line == cut.count("\n") + 1
    assert "end of document" not in invalid.message


# -- control characters: a workbook folder is untrusted --------------------------------------------

#: What a hostile folder holds, as TOML escapes (TOML itself refuses raw C0 characters): a write
#: to the clipboard (OSC 52), a screen wipe, the one-byte C1 "CSI" and a bell.
HOSTILE = {
    "OSC 52": ("\\u001b]52;c;aGVsbG8=\\u0007", 0x1B),
    "ESC[2J": ("\\u001b[2J", 0x1B),
    "C1 CSI": ("\\u009b31m", 0x9B),
    "BEL": ("\\u0007", 0x07),
}
#: (file, text to replace, where the problem is, the key): titles, ids, labels, prompts, lists.
HOSTILE_PLACES = [
    ("workbook.toml", 'title = "Mini Workbook', "", "title"),
    ("workbook.toml", 'version = "2.0', "", "version"),
    ("workbook.toml", 'chapters = ["first", "second', "", "chapters"),
    ("01-first.toml", 'title = "First chapter', "", "title"),
    ("01-first.toml", 'summary = "Words, picks', "", "summary"),
    ("01-first.toml", 'id = "words', "pages[1]", "id"),
    ("01-first.toml", 'title = "Words', 'pages[1] (id "words")', "title"),
    ("01-first.toml", 'prompt = "A name?', 'pages[1].fields[1] (id "name")', "prompt"),
    ("01-first.toml", 'placeholder = "A name', 'pages[1].fields[1] (id "name")', "placeholder"),
    ("01-first.toml", 'label = "Calm', 'pages[2].fields[1].options[1] (id "calm")', "label"),
    ("01-first.toml", 'min_label = "Far', 'pages[3].fields[1] (id "closeness")', "min_label"),
    ("01-first.toml", 'label = "I feel heard', 'pages[3].fields[2].statements[1] (id "heard")', "label"),
    ("support.toml", 'name = "National Domestic', 'regions[1].resources[1] (id "domestic-violence-hotline")', "name"),
    ("support.toml", 'contact = "Call or text 988', 'regions[1].resources[2] (id "988-lifeline")', "contact"),
    ("support.toml", 'emergency = "If you are', 'regions[1] (id "us")', "emergency"),
]


def _hostile_folder(tmp_path: Path) -> Path:
    folder = _copy_mini(tmp_path)
    shutil.copy(builtin_workbook_dir() / "support.toml", folder / "support.toml")
    return folder


@pytest.mark.parametrize("sequence", sorted(HOSTILE))
@pytest.mark.parametrize(("name", "old", "where", "key"), HOSTILE_PLACES)
def test_a_control_character_anywhere_is_refused_with_its_line(tmp_path, name, old, where, key, sequence):
    """Escape sequences in a workbook folder reached the terminal raw: an OSC 52 in a title wrote
    to the clipboard, ESC [2J wiped the chapter screen. Every string is checked now."""
    folder = _hostile_folder(tmp_path)
    escape, code = HOSTILE[sequence]
    text = _edit(folder, name, old, old + escape)
    # (A chapter id that is changed in the list is also "listed, but no file has it".)
    problem = _only([p for p in _problems(folder) if "control character" in p.message])
    assert problem.file == folder / name
    assert problem.line == _line_of(text, old + escape)
    assert problem.where == where
    assert problem.message.startswith(f"'{key}' holds a control character (U+{code:04X}) at character ")
    with pytest.raises(WorkbookError) as caught:
        load_workbook(folder)
    assert not CONTROL.search(str(caught.value)), "the error names the character; it never holds it"


def test_a_control_character_in_an_id_is_reported_once_and_quoted_safely(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'id = "mood"', 'id = "mood\\u001b[2J"')
    text = _edit(folder, "01-first.toml", 'prompt = "How do you feel?"', 'prompt = ""')
    bad_id, empty_prompt = _problems(folder)
    assert bad_id.line == _line_of(text, 'id = "mood')
    assert bad_id.message.startswith("'id' holds a control character (U+001B) at character 5")
    assert "must be lowercase" not in bad_id.message, "one problem for one id"
    assert empty_prompt.where == 'pages[2].fields[1] (id "mood␛[2J")'
    assert not CONTROL.search(str(bad_id) + str(empty_prompt))


def test_an_id_ending_in_a_line_break_is_refused(tmp_path):
    # ID_PATTERN.match let "picks\n" through: "$" matches before a final line break.
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'id = "picks"', 'id = "picks\\n"')
    problem = _only(_problems(folder))
    assert problem.message.startswith("'id' holds a line break (U+000A) at character 6")


def test_prose_may_hold_line_breaks_and_tabs_but_titles_may_not(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'text = "A page of words."', 'text = """\nA page\n\tof words.\n"""')
    _edit(folder, "01-first.toml", 'intro = "Some intro."', 'intro = "Some\\tintro.\\n\\nMore."')
    _edit(folder, "workbook.toml", 'description = "A small', 'description = "A\\n\\tsmall')
    assert _problems(folder) == []
    text = _edit(folder, "01-first.toml", 'title = "Words"', 'title = """Two\nlines"""')
    text = _edit(folder, "01-first.toml", 'prompt = "A name?"', 'prompt = "A\\tname?"')
    first, second = _problems(folder)
    assert (first.line, first.message) == (
        _line_of(text, 'prompt = "A'),
        "'prompt' holds a tab (U+0009) at character 2: this text is shown on one line, so take it out",
    )
    assert second.line == _line_of(text, 'title = """Two')
    assert second.message.startswith("'title' holds a line break (U+000A) at character 4")


def test_prose_may_not_hold_other_control_characters(tmp_path):
    folder = _copy_mini(tmp_path)
    text = _edit(
        folder,
        "01-first.toml",
        'text = "A page of words."',
        'text = """\nA page\n\u0085of \\u001b]8;;x\\u001b\\\\words."""',
    )
    problem = _only(_problems(folder))
    assert problem.line == _line_of(text, 'text = """')
    assert problem.message.startswith("'text' holds a control character (U+0085)")


def test_unknown_keys_and_bad_list_items_are_quoted_without_their_control_characters(tmp_path):
    folder = _copy_mini(tmp_path)
    _edit(folder, "01-first.toml", 'placeholder = "A name"', '"place\\u001b[2Jholder" = "A name"')
    _edit(folder, "01-first.toml", 'support = ["unsafe"]', 'support = ["unsafe", "no\\u009b"]')
    _edit(folder, "workbook.toml", '"first", "second"]', '"first", "second", "\\u001b]0;x\\u0007"]')
    problems = _problems(folder)
    shown = "\n".join(map(str, problems))
    assert not CONTROL.search(shown.replace("\n", "")), shown
    assert "unknown key 'place␛[2Jholder'" in shown
    assert "'support' holds a control character (U+009B)" in shown
    assert "'chapters' holds a control character (U+001B)" in shown
