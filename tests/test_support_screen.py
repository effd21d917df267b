"""The support screen and the first-run question, in a small host app: every region's numbers on
screen at 80×24 without scrolling, R to the next region, an author's own list and whose it is,
and Enter keeping the locale's guess."""

from __future__ import annotations

import re

from textual.app import App

from safeground.content import OTHER_REGION
from safeground.loader import check_workbook, load_workbook
from safeground.screens.support import SupportScreen
from safeground.screens.welcome import WelcomeScreen

SUPPORT = load_workbook().support
#: A phone number or a short code as a contact writes it.
NUMBER = re.compile(r"\d[\d-]*(?: \d[\d-]*)*")
#: The box, the focus bar and the scroll bar: drawn around the text, not part of it.
FRAME = re.compile("[│╭╮╰╯─▌▁▂▃▄▅▆▇█]")


class Host(App[None]):
    """Shows one screen and keeps what it was dismissed with."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.first = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.first, self.results.append)


def on_screen(app: App) -> str:
    """The screen's text as one line: words wrapped over two lines read as they would aloud."""
    lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    return " ".join(" ".join(FRAME.sub(" ", line).split()) for line in lines)


async def test_every_regions_numbers_are_on_screen_at_80x24_without_scrolling():
    app = Host(SupportScreen(SUPPORT, "us"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = []
        for _ in SUPPORT.regions:
            screen = app.screen
            assert isinstance(screen, SupportScreen)
            region = SUPPORT.find_region(screen.view.region)
            assert region is not None
            seen.append(region.code)
            text = on_screen(app)
            assert region.name in text
            assert " ".join(region.emergency.split()) in text
            for resource in region.resources:
                for number in NUMBER.findall(resource.contact):
                    assert number.rstrip("-") in text, f"{region.code}: {number} is on screen"
            assert screen.query_one("#support-body").scroll_y == 0
            await pilot.press("r")
            await pilot.pause()
        assert seen == list(SUPPORT.codes), "R goes through every region, the chosen one first"
        assert app.screen.view.region == "us", "and round again"
        assert "Keys" in [str(w.render()) for w in app.screen.query("#keys-title")], "the keys stay"
        await pilot.press("r", "escape")
        await pilot.pause()
    assert app.results == ["gb"], "the region it was left on is the one to keep"


async def test_an_authors_list_says_whose_it_is_and_the_regions_are_one_key_away(mini_dir, write_workbook):
    write_workbook(
        mini_dir,
        {
            "support.toml": 'title = "Help"\nintro = "Ask."\nemergency = "Call the front desk."\n\n'
            '[[resources]]\nid = "practice"\nname = "Our practice"\ncontact = "Call 0800 123 456"\n'
        },
    )
    workbook, problems = check_workbook(mini_dir)
    assert workbook is not None and problems == []
    app = Host(SupportScreen(workbook.support, "nz"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = on_screen(app)
        assert "From this workbook's author" in text and "0800 123 456" in text
        await pilot.click("#support-next")
        await pilot.pause()
        text = on_screen(app)
        assert "United States · Safe Ground's list, checked 2026-12-01" in text and "1-800-799-7233" in text
        await pilot.press("escape")  # the button has the cursor now: Enter would press it again
        await pilot.pause()
    assert app.results == ["us"]


async def test_the_first_run_note_keeps_the_guess_on_enter_and_left_right_change_it(tmp_path):
    app = Host(WelcomeScreen(tmp_path / "answers.toml", SUPPORT, "gb"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Support lines for: ‹ United Kingdom ›" in on_screen(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["gb"]
    app = Host(WelcomeScreen(tmp_path / "answers.toml", SUPPORT, OTHER_REGION))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("left", "left", "enter")  # somewhere else is last: New Zealand, Australia
        await pilot.pause()
    assert app.results == ["au"]


async def test_region_on_the_command_line_is_kept_for_the_profile_and_f1_opens_on_it(tmp_path):
    from safeground.app import SafeGroundApp
    from safeground.settings import Settings
    from safeground.storage import ProgressStore

    workbook = load_workbook()
    store = ProgressStore(tmp_path, "default", workbook.id)
    Settings(welcomed=True, region="us").save(store.profile_dir)
    app = SafeGroundApp(workbook, store, animate=False, region="NZ")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        assert "New Zealand" in on_screen(app) and "0800 733 843" in on_screen(app)
    assert Settings.load(store.profile_dir).region == "nz"
