"""The fast progress-file writer writes exactly what tomli_w writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from safeground.tomlwrite import dumps

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


@settings(max_examples=400, deadline=None)
@given(documents)
def test_same_text_as_tomli_w(document):
    assert dumps(document) == tomli_w.dumps(document, multiline_strings=True)


def test_a_progress_file_and_the_odd_cases():
    document = {
        "format": 1,
        "workbook": "safe-ground",
        "updated": datetime(2026, 3, 12, 12, 0, tzinfo=UTC),
        "position": {"chapter": "a", "page": "b", "field": ""},
        "completed": {"a": {"b": datetime(2026, 3, 12, 12, 0, tzinfo=UTC)}},
        "answers": {
            "a": {
                "b": {
                    "story": 'line one\r\nline "two"\n\ttabbed \\ back\x00',
                    "ticks": ["x", "y"],
                    "empty": [],
                    "rates": {"heard": 3, "not bare key": 1},
                    "nested": [[1, 2], [], [{"k": "v"}]],
                },
            },
            "orphans kept": {"p": {"list of tables": [{"a": 1}, {"b": 2}]}},
        },
        "odd": [Decimal("1.5"), time(12, 30), date(2026, 1, 2)],
    }
    assert dumps(document) == tomli_w.dumps(document, multiline_strings=True)
