"""The fast TOML reader accepts and refuses exactly what the standard library does."""

from __future__ import annotations

import tomllib

import pytest

from safeground import tomlparse
from safeground.storage import ProgressFileError, ProgressStore

TOML_1_1_ONLY = [
    "a = {x = 1,\n  y = 2}\n",  # inline table over several lines
    'a = "\\e"\n',  # the \e escape
    "t = 07:32\n",  # a time without seconds
]


@pytest.mark.parametrize("text", TOML_1_1_ONLY)
def test_toml_1_1_syntax_is_refused_like_tomllib_refuses_it(text):
    with pytest.raises(tomllib.TOMLDecodeError) as ours:
        tomlparse.loads(text)
    with pytest.raises(tomllib.TOMLDecodeError) as stdlib:
        tomllib.loads(text)
    assert str(ours.value) == str(stdlib.value)


def test_a_workbook_file_reads_the_same_with_both():
    text = 'id = "x"\n[[pages]]\nid = "p"\ntext = """\nline\n"""\n[[pages.fields]]\nid = "f"\noptions = [{id = "a", label = "A"}]\n'
    assert tomlparse.loads(text) == tomllib.loads(text)


# -- reading bytes, and saying where they go wrong ------------------------------------------------


def test_a_document_reads_as_its_data_and_its_text():
    raw = 'id = "x"\ntitle = "Café"\n'.encode()
    assert tomlparse.read(raw) == ({"id": "x", "title": "Café"}, 'id = "x"\ntitle = "Café"\n')


def test_bytes_that_are_not_utf8_name_the_line_of_the_first_bad_byte():
    raw = b'id = "x"\ntitle = "ok"\nname = "caf\xe9"\n'
    with pytest.raises(tomlparse.NotUtf8) as caught:
        tomlparse.read(raw)
    assert caught.value.line == 3


def test_invalid_toml_names_its_line_and_column_once():
    text = 'id = "x"\ntitle = "Picks\nsummary = "s"\n'
    with pytest.raises(tomlparse.NotToml) as caught:
        tomlparse.parse(text)
    with pytest.raises(tomllib.TOMLDecodeError) as stdlib:
        tomllib.loads(text)
    assert (caught.value.line, caught.value.column) == (2, 15)
    assert "(at line 2, column 15)" in str(stdlib.value)
    assert caught.value.reason == str(stdlib.value).replace(" (at line 2, column 15)", "")


def test_a_document_cut_short_names_its_last_line():
    text = 'id = "x"\n\ntitle = "Pi'
    with pytest.raises(tomlparse.NotToml) as caught:
        tomlparse.parse(text)
    assert caught.value.line == 3
    assert "end of document" not in caught.value.reason


def test_values_nested_too_deeply_are_refused_in_words():
    with pytest.raises(tomlparse.NotToml) as caught:
        tomlparse.parse("a = " + "[" * 5000)
    assert caught.value.reason == "its values are nested too deeply"
    assert caught.value.line is None


# -- the line where a key was written -------------------------------------------------------------

_PROGRESS = 'format = 1\nworkbook = "mini"\n\n[answers.first.words]\nname = "Sam"\n'


@pytest.mark.parametrize(
    ("text", "key", "needle"),
    [
        (_PROGRESS, "workbook", 'workbook = "mini"'),
        (_PROGRESS, "answers.first.words", "[answers.first.words]"),
        (_PROGRESS, "answers.first.words.name", 'name = "Sam"'),
        ('format = 1\n"workbook" = "other"\n', "workbook", '"workbook"'),
        ("format = 1\nposition.chapter = 3\n", "position.chapter", "position.chapter"),
        ("format = 1\n[position]\nchapter = 3\n", "position.chapter", "chapter = 3"),
    ],
)
def test_a_key_is_found_on_the_line_it_was_written(text, key, needle):
    assert tomlparse.line_of_key(text, key) == text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # A field whose id is a top-level key's name: its answer is not the missing key.
        ('workbook = "mini"\n\n[answers.first.words]\nformat = "Sam"\n', "format"),
        # Words in a multi-line answer are not keys.
        ('format = 1\n[answers.first.words]\nname = """\nposition = here\n"""\n', "position"),
        (_PROGRESS, ""),
    ],
)
def test_a_key_that_is_not_written_is_not_found(text, key):
    assert tomlparse.line_of_key(text, key) is None


def test_array_items_are_counted_from_their_headers():
    text = '[[pages]]\nid = "a"\n[[pages]]\nid = "b"\n[[pages.fields]]\nid = "f"\noptions = [\n  {id = "x"},\n  {id = "y"},\n]\n'
    index = tomlparse.LineIndex(text)
    assert index.exact(("pages", 1, "id")) == 4
    assert index.exact(("pages", 1, "fields", 0, "options", 1, "id")) == 9
    # An inline table's missing key: the item's own line, then its enclosing tables.
    assert index.nearest(("pages", 1, "fields", 0, "options", 1), "label") == 9
    assert index.nearest(("pages", 1, "fields", 0), "prompt") == 5
    assert index.nearest(("pages", 7)) == 1


def test_a_progress_file_missing_a_key_does_not_point_at_an_answer_of_that_name(data_dir, mini_workbook):
    store = ProgressStore(data_dir, "default", mini_workbook.id)
    store.profile_dir.mkdir(parents=True)
    store.path.write_text('workbook = "mini"\n\n[answers.first.words]\nformat = "Sam"\n', encoding="utf-8")
    with pytest.raises(ProgressFileError) as caught:
        store.load(mini_workbook)
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{store.path}: format: is missing")
