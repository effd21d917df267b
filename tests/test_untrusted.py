"""The helpers every screen, command and export uses to show text that came from outside."""

from safeground.untrusted import find_control, for_terminal, reveal_invisible


def test_escape_sequences_are_drawn_not_sent():
    shown = for_terminal("title\x1b]52;c;aGk=\x07\x1b[2J\x9b")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown.startswith("title␛]52;c;aGk=␇␛[2J")


def test_multiline_keeps_newlines_and_tabs_only():
    assert for_terminal("a\nb\tc\x1b", multiline=True) == "a\nb\tc␛"
    assert for_terminal("a\nb") == "a␊b"


def test_lone_surrogates_become_replacement_characters():
    assert for_terminal("a\ud800b") == "a\ufffdb"


def test_find_control_allows_newlines_only_in_prose():
    assert find_control("one\ntwo", prose=True) is None
    assert find_control("one\ntwo") == 3
    assert find_control("one\x1btwo", prose=True) == 3


def test_bidi_overrides_and_zero_width_characters_are_named():
    assert reveal_invisible("pay \u202eylno") == "pay [U+202E]ylno"
    assert reveal_invisible("a\u200bb") == "a[U+200B]b"


def test_joiners_inside_emoji_and_words_are_kept():
    family = "👨\u200d👩\u200d👧"
    assert reveal_invisible(family) == family
    assert reveal_invisible("x \u200d") == "x [U+200D]"
