"""Support lines by region: the built-in list, what `check` asks of it, an author's own list, the
`support` command and the choice kept per profile. In-process, but for the one check that the
command stays light (it must answer as fast as `status`, without Textual)."""

from __future__ import annotations

import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from safeground import tomlparse
from safeground.cli import main
from safeground.content import OTHER_REGION
from safeground.loader import builtin_workbook_dir, check_workbook, load_workbook
from safeground.loader.files import load_support
from safeground.settings import Settings

BUILTIN = load_workbook().support
#: Every region the issue asks for, and "somewhere else".
REGIONS = ("us", "gb", "ie", "ca", "au", "nz", OTHER_REGION)
#: A phone number or a short code as a contact writes it ("0808 2000 247", "1-800-799-7233", "988").
NUMBER = re.compile(r"\d[\d-]*(?: \d[\d-]*)*")


def numbers(text: str) -> list[str]:
    return [n.rstrip("-") for n in NUMBER.findall(text)]


# -- the built-in list ------------------------------------------------------------------------------


def test_every_region_is_there_with_an_emergency_line_and_its_lines():
    assert BUILTIN.codes == REGIONS
    for region in BUILTIN.regions:
        assert region.name and region.emergency and region.resources, region.code
        if region.code != OTHER_REGION:
            assert numbers(region.emergency), f"{region.code}: the emergency number itself"


def test_every_built_in_line_says_where_and_when_it_was_checked():
    for region in BUILTIN.regions:
        for resource in region.resources:
            assert resource.source.startswith("https://"), resource.id
            assert datetime.date.fromisoformat(resource.checked), resource.id
        if numbers(region.emergency):
            assert region.source.startswith("https://") and region.checked, region.code


def test_canada_says_there_is_no_single_national_domestic_violence_line():
    canada = BUILTIN.for_region("ca")
    assert "no single national domestic violence line" in canada.region_note
    assert any("shelter" in r.name.lower() for r in canada.resources)


def test_an_unknown_region_gets_the_lines_for_anywhere():
    view = BUILTIN.for_region("zz")
    assert view.region == OTHER_REGION
    assert "local emergency number" in view.emergency
    assert view.whose.startswith("Somewhere else")


# -- check -----------------------------------------------------------------------------------------


def _builtin_text_without(key: str) -> str:
    """The built-in support file with one key of its first line (the US hotline) taken out."""
    text = (builtin_workbook_dir() / "support.toml").read_text(encoding="utf-8")
    start = text.index("[[regions.resources]]")
    where = text.index(f"\n{key} = ", start) + 1
    return text[:where] + text[text.index("\n", where) + 1 :]


@pytest.mark.parametrize("key", ["source", "checked"])
def test_check_refuses_a_built_in_line_without_source_or_checked(key):
    text = _builtin_text_without(key)
    problems: list = []
    data, _ = tomlparse.read(text.encode("utf-8"))
    load_support(builtin_workbook_dir() / "support.toml", data, text, problems, builtin=True)
    assert [p.where for p in problems] == ['regions[1].resources[1] (id "domestic-violence-hotline")']
    assert f"missing '{key}'" in problems[0].message


def test_check_wants_the_date_checked_as_a_date():
    text = (
        (builtin_workbook_dir() / "support.toml")
        .read_text(encoding="utf-8")
        .replace("checked = 2026-12-01", 'checked = "last week"', 1)
    )
    problems: list = []
    load_support(Path("support.toml"), tomlparse.read(text.encode())[0], text, problems, builtin=True)
    assert len(problems) == 1 and "must be a date" in problems[0].message


def test_an_authors_list_needs_no_sources_and_keeps_the_regions_one_key_away(mini_dir, write_workbook):
    write_workbook(
        mini_dir,
        {
            "support.toml": 'title = "Help"\nintro = "Ask."\nemergency = "Call 112."\n\n'
            '[[resources]]\nid = "practice"\nname = "Our practice"\ncontact = "Call 0800 000 000"\n'
        },
    )
    workbook, problems = check_workbook(mini_dir)
    assert problems == []
    support = workbook.support
    assert support.from_author and support.codes == REGIONS
    opening = support.opening("gb")
    assert [r.id for r in opening.resources] == ["practice"]
    assert opening.whose == "From this workbook's author"
    assert support.choices() == ("", *REGIONS)
    assert support.for_region("gb").whose.startswith("United Kingdom · Safe Ground's list, checked 20")


def test_a_copy_of_the_built_in_support_file_in_a_workbook_is_the_authors(mini_dir):
    """Only Safe Ground's own file must carry sources: an author may start from a copy of it."""
    text = _builtin_text_without("source")
    (mini_dir / "support.toml").write_text(text, encoding="utf-8")
    workbook, problems = check_workbook(mini_dir)
    assert problems == []
    assert workbook.support.from_author


# -- the support command ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", REGIONS)
def test_support_prints_each_regions_numbers_first(data_dir, capsys, code):
    assert main(["support", "--region", code]) == 0
    out = capsys.readouterr().out
    region = BUILTIN.find_region(code)
    assert region is not None
    assert out.startswith(region.name)
    first_about = min(out.index(r.about) for r in region.resources if r.about)
    for resource in region.resources:
        assert f"{resource.name}: {resource.contact}" in out
        for number in numbers(resource.contact):
            assert out.index(number) < first_about, f"{number} comes before what each service is about"
    assert "\x1b" not in out


def test_support_for_an_unknown_region_prints_the_lines_for_anywhere_and_the_codes(data_dir, capsys):
    assert main(["support", "--region", "xx"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Somewhere else")
    assert "local emergency number" in out and "findahelpline.com" in out
    assert '"xx"' in out and "us, gb, ie, ca, au, nz, other" in out


@pytest.mark.parametrize("code", [*REGIONS, "xx", "uk"])
def test_support_json_parses(data_dir, capsys, code):
    assert main(["support", "--json", "--region", code]) == 0
    document = json.loads(capsys.readouterr().out)
    expected = {"xx": OTHER_REGION, "uk": "gb"}.get(code, code)
    assert document["region"] == expected
    assert document["known"] is (code != "xx")
    assert [r["code"] for r in document["regions"]] == list(REGIONS)
    assert document["resources"] and all(r["source"] and r["checked"] for r in document["resources"])
    assert document["emergency"]


def test_support_without_region_uses_the_profiles_choice_then_the_locale(data_dir, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_AU.UTF-8")
    assert main(["support"]) == 0
    assert capsys.readouterr().out.startswith("Australia")
    Settings(welcomed=True, region="ie").save(data_dir / "alex")
    assert main(["--profile", "alex", "support"]) == 0
    assert capsys.readouterr().out.startswith("Ireland")


def test_the_region_setting_keeps_only_what_a_code_can_be(tmp_path):
    Settings(region="nz").save(tmp_path)
    assert Settings.load(tmp_path).region == "nz"
    (tmp_path / "settings.toml").write_text('region = "\\u001b[2J"\n', encoding="utf-8")
    assert Settings.load(tmp_path).region == ""


_IMPORT_CHECK = textwrap.dedent(
    """
    import json, sys
    from safeground.cli import main
    code = main(sys.argv[1:])
    heavy = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
    print(json.dumps({"code": code, "textual": heavy}))
    """
)


def test_support_does_not_import_textual(data_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, "support", "--region", "zz"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(data_dir)},
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "textual": []}


def test_check_refuses_the_built_in_workbook_with_a_line_that_has_no_source(tmp_path, monkeypatch, capsys):
    copy = Path(shutil.copytree(builtin_workbook_dir(), tmp_path / "workbook"))
    (copy / "support.toml").write_text(_builtin_text_without("source"), encoding="utf-8")
    for where in ("safeground.loader.folder", "safeground.cli"):  # `check` with no folder checks ours
        monkeypatch.setattr(f"{where}.builtin_workbook_dir", lambda: copy)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "regions[1].resources[1]" in err and "missing 'source'" in err


# -- the end of every export -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "pdf"])
def test_every_export_ends_with_the_chosen_regions_lines(fmt):
    from export_fixtures import answered, pdf_text_pypdf, squash
    from safeground.export import build_document, render

    workbook = load_workbook()
    document = build_document(workbook, answered(workbook), region="nz")
    data = render(document, fmt).data
    text = squash(pdf_text_pypdf(data) if fmt == "pdf" else html.unescape(data.decode("utf-8")))
    end = text.rindex("Where to find help")
    assert end > text.rindex(document.pages[-1].title), "after the last page"
    for expected in ("New Zealand", "call 111", "0800 733 843", "1737", "0800 044 334"):
        assert expected in text[end:], expected
    assert "1-800-799-7233" not in text


def test_the_export_command_uses_region_then_the_profiles_choice(data_dir, capsys):
    from export_fixtures import answered, write_progress

    workbook = load_workbook()
    write_progress(data_dir, workbook, answered(workbook))
    assert main(["export", "--region", "ca"]) == 0
    assert "9-8-8" in capsys.readouterr().out.split("Where to find help")[-1]
    Settings(welcomed=True, region="gb").save(data_dir / "default")
    assert main(["export"]) == 0
    assert "0808 2000 247" in capsys.readouterr().out.split("Where to find help")[-1]


def test_the_authoring_guide_describes_every_support_key():
    guide = (Path(__file__).parents[1] / "docs" / "authoring.md").read_text(encoding="utf-8")
    for key in ("[[regions]]", "[[regions.resources]]", "code", "name", "note", "source", "checked"):
        assert f"`{key}`" in guide, key
