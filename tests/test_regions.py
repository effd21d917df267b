"""The region guess from the locale, and which region wins: --region, the saved choice, the guess."""

from __future__ import annotations

import pytest

from safeground.regions import choose, guess, locale_territory, normalise

CODES = ("us", "gb", "ie", "ca", "au", "nz", "other")


@pytest.mark.parametrize(
    ("environ", "territory"),
    [
        ({"LANG": "en_GB.UTF-8"}, "gb"),
        ({"LANG": "en_IE.utf8"}, "ie"),
        ({"LANG": "fr_CA"}, "ca"),
        ({"LANG": "en_NZ.UTF-8@euro"}, "nz"),
        ({"LANG": "mi_NZ"}, "nz"),
        ({"LANG": "C.UTF-8"}, ""),
        ({"LANG": "en"}, ""),
        ({}, ""),
        # The C library's order for messages: LC_ALL, then LC_MESSAGES, then LANG.
        ({"LC_ALL": "en_AU.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, "au"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, "us"),
        ({"LC_ALL": "", "LANG": "en_GB.UTF-8"}, "gb"),  # set but empty counts as not set
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, ""),  # LC_ALL=C overrides, as for every program
    ],
)
def test_the_locale_territory(environ, territory):
    assert locale_territory(environ) == territory


@pytest.mark.parametrize(
    ("lang", "region"),
    [("en_GB.UTF-8", "gb"), ("en_AU.UTF-8", "au"), ("de_DE.UTF-8", "other"), ("C.UTF-8", "other")],
)
def test_the_guess_is_a_known_region_or_somewhere_else(lang, region):
    """A territory without a list, or none at all, gets the lines that are true anywhere."""
    assert guess(CODES, {"LANG": lang}) == region


def test_the_region_asked_for_wins_then_the_saved_one_then_the_guess():
    environ = {"LANG": "en_NZ.UTF-8"}
    assert choose(CODES, asked="IE", saved="gb", environ=environ) == "ie"
    assert choose(CODES, asked=None, saved="gb", environ=environ) == "gb"
    assert choose(CODES, asked=None, saved="", environ=environ) == "nz"
    assert choose(CODES, asked="zz", saved="gb", environ=environ) == "other", "never an error"


def test_uk_is_how_people_write_the_united_kingdom():
    assert normalise(" UK ") == "gb"
    assert choose(CODES, asked="uk", saved="", environ={}) == "gb"
