"""The fast TOML reader accepts and refuses exactly what the standard library does."""

from __future__ import annotations

import tomllib

import pytest

from safeground import tomlparse

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
