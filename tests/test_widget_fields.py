"""Each field widget on its own, in a small host App: what a person sees, and what goes up.

The chapter screen only builds a widget (``widget_for``), reads its ``value`` and listens for its
``Changed`` message; these tests hold each kind to that, one widget at a time, by keyboard and by
mouse, without a workbook, a data folder or the rest of the app in the way.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, TextArea

import safeground
from safeground.content import FIELD_KINDS, Field, Option
from safeground.kinds import KINDS
from safeground.widgets.base import FieldWidget
from safeground.widgets.list_field import ListItem
from safeground.widgets.registry import FIELD_WIDGETS, _widget_class, widget_for
from safeground.widgets.scale_points import ScalePoints

SIZE = (80, 24)


class Host(App[None]):
    """One field widget, with the app's styles, and a button after it for the cursor to move on to.

    Every ``Changed`` message that reaches the app is kept, with how many list items were on the
    screen when it arrived, so a test can tell what went up and when.
    """

    CSS_PATH = Path(safeground.__file__).parent / "safeground.tcss"

    def __init__(self, field: Field, value: Any = None) -> None:
        super().__init__()
        self.field = field
        self.initial = value
        self.changes: list[tuple[Any, bool]] = []
        self.items_when_changed: list[int] = []

    def compose(self) -> ComposeResult:
        yield widget_for(self.field, self.initial)
        yield Button("Next", id="after")

    def on_mount(self) -> None:
        self.widget.focus_control()

    @property
    def widget(self) -> FieldWidget:
        return self.query_one(FieldWidget)

    @on(FieldWidget.Changed)
    def _record(self, event: FieldWidget.Changed) -> None:
        self.changes.append((event.value, event.settled))
        self.items_when_changed.append(len(self.query(ListItem)))


def shown(app: App[Any]) -> str:
    """The screen as plain text, the way Textual's own screenshots are taken."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


OPTIONS = (Option("yes", "Yes"), Option("sometimes", "Sometimes"), Option("no", "No"))


# -- text ----------------------------------------------------------------------------------------

TEXT = Field(id="name", kind="text", prompt="What do you call your partner?", help="A nickname.", placeholder="A name")


async def test_text_shows_prompt_help_and_placeholder_and_reports_typing_unsettled() -> None:
    app = Host(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "What do you call your partner?" in screen
        assert "A nickname." in screen
        assert "A name" in screen
        assert "Not answered yet" in screen
        assert app.changes == []
        await pilot.press(*"Sam")
        await settle(pilot)
        assert app.widget.value == "Sam"
        assert app.changes[-1] == ("Sam", False)
        assert "Not answered yet" not in shown(app)
        await pilot.press("enter")
        assert app.focused is app.query_one("#after"), "Enter on a one-line answer moves on"


async def test_text_shows_a_saved_answer_without_announcing_it_and_draws_controls_as_stand_ins() -> None:
    app = Host(TEXT, "Sam\x1b[2J [b]Lee[/b]")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Sam␛[2J [b]Lee[/b]" in shown(app)
        assert app.widget.value == "Sam\x1b[2J [b]Lee[/b]", "the answer itself keeps every character"
        assert app.changes == [], "a saved answer shown again is not a change"
        assert app.widget.reported == app.widget.value
        await pilot.press("!")
        await settle(pilot)
        assert app.changes == [("Sam\x1b[2J [b]Lee[/b]!", False)], "the cursor starts at the end"
        assert app.widget.reported == "Sam\x1b[2J [b]Lee[/b]!"


# -- long_text -----------------------------------------------------------------------------------

LONG_TEXT = Field(id="story", kind="long_text", prompt="What happened?", placeholder="Take your time")


async def test_long_text_keeps_paragraphs_and_tab_moves_on() -> None:
    app = Host(LONG_TEXT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, TextArea)
        assert "Take your time" in shown(app)
        await pilot.press(*"First.", "enter", *"Second.")
        await settle(pilot)
        screen = shown(app)
        assert "First." in screen and "Second." in screen
        assert app.widget.value == "First.\nSecond."
        assert app.changes[-1] == ("First.\nSecond.", False)
        await pilot.press("tab")
        assert app.focused is app.query_one("#after"), "Tab leaves the text area instead of inserting a tab"
        assert app.widget.value == "First.\nSecond."


# -- choice --------------------------------------------------------------------------------------

CHOICE = Field(id="safe", kind="choice", prompt="Do you feel safe?", options=OPTIONS, required=False)


async def test_choice_by_keyboard_and_by_mouse_reports_the_option_id_settled() -> None:
    app = Host(CHOICE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "Do you feel safe?  (optional)" in screen
        assert all(label in screen for label in ("Yes", "Sometimes", "No"))
        assert app.widget.value is None
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.widget.value == "sometimes"
        assert app.changes == [("sometimes", True)]
        await pilot.click(app.query(RadioButton)[2])
        await settle(pilot)
        assert app.widget.value == "no"
        assert app.changes[-1] == ("no", True)
        assert [button.value for button in app.query(RadioButton)] == [False, False, True]


async def test_choice_shows_its_saved_option_and_labels_as_plain_text() -> None:
    field = Field(id="safe", kind="choice", prompt="Pick", options=(Option("a", "[b]A[/b]"), Option("b", "B\x07")))
    app = Host(field, "b")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "[b]A[/b]" in screen and "B␇" in screen
        assert [button.value for button in app.query(RadioButton)] == [False, True]
        assert app.widget.value == "b"
        assert app.changes == []


# -- checklist -----------------------------------------------------------------------------------

CHECKLIST = Field(
    id="body",
    kind="checklist",
    prompt="What did you notice?",
    options=(Option("shoulders", "Shoulders dropped"), Option("stomach", "Stomach relaxed"), Option("warm", "Warm")),
)


async def test_checklist_by_keyboard_and_mouse_keeps_the_workbook_order() -> None:
    app = Host(CHECKLIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Stomach relaxed" in shown(app)
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space", "down", "down", "space")
        await settle(pilot)
        assert app.widget.value == ["shoulders", "warm"]
        assert app.changes[-1] == (["shoulders", "warm"], True)
        await pilot.click(app.query_one(SelectionList), offset=(4, 2))  # the second option's row
        await settle(pilot)
        assert app.widget.value == ["shoulders", "stomach", "warm"]
        assert app.changes[-1] == (["shoulders", "stomach", "warm"], True)
        await pilot.press("space")  # the click left the second highlighted: untick it again
        await settle(pilot)
        assert app.changes[-1] == (["shoulders", "warm"], True)


async def test_checklist_boxes_stay_beside_their_options_when_an_option_wraps() -> None:
    """Each box on its option's first line, [x] where ticked, [ ] where not; a long option's
    second line has no box of its own, and the next option's box is beside that option."""
    long = "My shoulders dropped, my jaw let go and my breathing slowed, all in a moment, " * 2
    field = Field(id="body", kind="checklist", prompt="?", options=(Option("long", long), *CHECKLIST.options[1:]))
    app = Host(field, ["stomach"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app).splitlines()
        boxes = [line for line in screen if "[x]" in line or "[ ]" in line]
        # (focus marker before the box, what is in the box) for each box on the screen
        assert [("> [" in box, box[box.index("[") + 1]) for box in boxes] == [(True, " "), (False, "x"), (False, " ")]
        assert "Stomach relaxed" in boxes[1] and "Warm" in boxes[2]
        await pilot.press("down")
        await settle(pilot)
        x, y = app.cursor_position
        assert "Stomach relaxed" in screen[y] and screen[y][x - 1 : x + 2] == "[x]"


async def test_checklist_shows_its_saved_ticks() -> None:
    app = Host(CHECKLIST, ["warm"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(SelectionList).selected == ["warm"]
        assert app.widget.value == ["warm"]
        assert app.changes == []


# -- scale ---------------------------------------------------------------------------------------

SCALE = Field(id="close", kind="scale", prompt="How close?", min=1, max=10, min_label="Far", max_label="Close")


def _selected(points: ScalePoints) -> list[int]:
    """The points drawn as chosen (in brackets) in the row as it is rendered."""
    drawn = str(points.render_points())
    return [number for number in range(points.low, points.high + 1) if f"[{number}]" in drawn]


async def click_point(pilot: Pilot[None], points: ScalePoints, number: int) -> None:
    await pilot.click(points, offset=points.point_offset(number))


async def test_scale_by_arrows_digits_mouse_and_delete() -> None:
    app = Host(SCALE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "1 = Far   ·   10 = Close" in screen
        assert " 1   2   3 " in screen
        points = app.query_one(ScalePoints)
        assert app.focused is points
        await pilot.press("right", "right", "right")
        await settle(pilot)
        assert app.widget.value == 3 and _selected(points) == [3]
        assert app.changes[-1] == (3, True)
        await pilot.press("7")
        await settle(pilot)
        assert app.changes[-1] == (7, True)
        await pilot.press("0")  # the keys list promises it: on a 1-to-10 scale, 0 picks 10
        await settle(pilot)
        assert app.changes[-1] == (10, True) and _selected(points) == [10]
        await pilot.press("7")
        await settle(pilot)
        await click_point(pilot, points, 10)
        await settle(pilot)
        assert app.changes[-1] == (10, True) and _selected(points) == [10]
        await pilot.press("home")
        await settle(pilot)
        assert app.changes[-1] == (1, True)
        await pilot.press("delete")
        await settle(pilot)
        assert app.changes[-1] == (None, True) and _selected(points) == []
        assert "Not answered yet" in shown(app)


async def test_scale_shows_its_saved_point_and_drops_one_out_of_range() -> None:
    app = Host(SCALE, 4)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _selected(app.query_one(ScalePoints)) == [4]
        assert app.changes == []
    app = Host(SCALE, 40)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.widget.value is None


# -- statements ----------------------------------------------------------------------------------

STATEMENTS = Field(
    id="tenets",
    kind="statements",
    prompt="How true is each?",
    min=1,
    max=5,
    min_label="Not at all",
    max_label="Completely",
    statements=(Option("one-topic", "We stick to one topic."), Option("no-yelling", "We don't yell.")),
)


async def test_statements_rated_row_by_row_report_ratings_by_statement_id() -> None:
    app = Host(STATEMENTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "We stick to one topic." in screen and "We don't yell." in screen
        assert "1 = Not at all   ·   5 = Completely" in screen
        await pilot.press("4", "tab")
        rows = list(app.query(ScalePoints))
        assert app.focused is rows[1]
        assert app.changes == [({"one-topic": 4}, True)]
        await click_point(pilot, rows[1], 2)
        await settle(pilot)
        assert app.widget.value == {"one-topic": 4, "no-yelling": 2}
        assert app.changes[-1] == ({"one-topic": 4, "no-yelling": 2}, True)
        assert "Not answered yet" not in shown(app)


async def test_statements_show_saved_ratings_and_clearing_one_drops_it() -> None:
    app = Host(STATEMENTS, {"one-topic": 2, "no-yelling": 5})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list(app.query(ScalePoints))
        assert [_selected(row) for row in rows] == [[2], [5]]
        assert app.changes == []
        await pilot.press("delete")
        await settle(pilot)
        assert app.changes == [({"no-yelling": 5}, True)]


# -- list ----------------------------------------------------------------------------------------

LIST = Field(id="thanks", kind="list", prompt="What do you appreciate?", item_label="an appreciation")


def _items(app: Host) -> list[str]:
    return [item.query_one(Input).value for item in app.query(ListItem)]


async def test_list_adds_items_by_enter_and_by_the_add_button() -> None:
    app = Host(LIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Type an appreciation, then press Enter" in shown(app)
        await pilot.press(*"Kind", "enter")
        await settle(pilot)
        assert app.changes == [(["Kind"], True)]
        assert app.focused is app.query_one(".list-add--text"), "the cursor stays ready for the next item"
        await pilot.press(*"Funny")
        await settle(pilot)
        assert len(app.changes) == 1, "what is being typed is not an answer until it is added"
        await pilot.click(".list-add--button")
        await settle(pilot)
        assert app.changes[-1] == (["Kind", "Funny"], True)
        await pilot.press("enter")  # nothing typed: nothing added
        await settle(pilot)
        assert _items(app) == ["Kind", "Funny"] and len(app.changes) == 2
        assert "Funny" in shown(app)


async def test_list_removing_a_middle_item_reports_what_is_left_once_it_is_gone() -> None:
    """The page saves what the message carries: a removal reported before the item was gone
    would be a removal never saved. (Whether the item had gone by then was a race; removing
    three in a row lost at least one of them in most runs.)"""
    app = Host(LIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in ("one", "two", "three", "four", "five"):
            await pilot.press(*text, "enter")
        await settle(pilot)
        assert app.changes[-1] == (["one", "two", "three", "four", "five"], True)
        left = ["one", "two", "three", "four", "five"]
        for _ in range(3):
            reported = len(app.changes)
            gone = left.pop(1)
            await pilot.click(app.query(".list-item--remove")[1])
            await settle(pilot)
            assert app.changes[reported:] == [(left, True)]
            assert app.items_when_changed[-1] == len(left), "reported after the item left the screen"
            assert _items(app) == left
            assert gone not in shown(app)
            assert app.focused is app.query(ListItem)[1].query_one(Input), "the cursor goes to the item that followed"


async def test_list_remove_by_keyboard_and_edit_in_place() -> None:
    app = Host(LIST, ["one", "two"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "one" in shown(app) and app.changes == []
        app.query(".list-item--text")[0].focus()
        await pilot.press("end", *" more")
        await settle(pilot)
        assert app.changes[-1] == (["one more", "two"], False), "editing is typing: saved on the next tick"
        app.query(".list-item--text")[1].focus()
        await pilot.press("tab", "enter")  # to the last item's Remove button, and press it
        await settle(pilot)
        assert app.changes[-1] == (["one more"], True)
        assert app.focused is app.query_one(".list-add--text"), "after the last item, the cursor goes to the entry"


# -- every kind ----------------------------------------------------------------------------------

#: One field of each kind, as tested above; a kind added to KINDS without one here fails below.
FIELDS = {field.kind: field for field in (TEXT, LONG_TEXT, CHOICE, CHECKLIST, SCALE, STATEMENTS, LIST)}


def test_every_kind_has_a_widget_and_its_own_tests_here() -> None:
    assert set(KINDS) == set(FIELD_KINDS) == set(FIELD_WIDGETS) == set(FIELDS)


def test_a_misnamed_widget_is_refused_when_the_registry_loads() -> None:
    with pytest.raises(TypeError, match="not a FieldWidget"):
        _widget_class("text", "safeground.widgets.text_field:Input")
    with pytest.raises(TypeError, match="not a FieldWidget"):
        _widget_class("text", "safeground.widgets.text_field:TxtField")


@pytest.mark.parametrize("kind", sorted(FIELDS))
async def test_each_kind_asks_its_prompt_and_marks_it_unanswered_until_answered(kind: str) -> None:
    app = Host(FIELDS[kind])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.widget, FIELD_WIDGETS[kind])
        assert app.widget.id == f"field-{FIELDS[kind].id}"
        screen = shown(app)
        assert FIELDS[kind].prompt in screen
        assert app.widget.has_class("-unanswered") == FIELDS[kind].required
        assert ("Not answered yet" in screen) == FIELDS[kind].required
        assert app.focused is not None and app.widget in app.focused.ancestors, "focus_control puts the cursor in it"
        assert app.changes == []


async def test_statements_partly_rated_say_how_many_are_rated_not_that_nothing_is() -> None:
    """5 of 9 rated read "Not answered yet", as if nothing had been done."""
    app = Host(STATEMENTS, {"no-yelling": 3})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert "1 of 2 rated" in screen and "Not answered yet" not in screen
        await pilot.press("delete", "tab", "delete")  # the first is empty already; clear the second
        await settle(pilot)
        assert app.widget.value == {}
        screen = shown(app)
        assert "Not answered yet" in screen and "rated" not in screen
        await pilot.press("shift+tab", "2")
        await settle(pilot)
        assert "1 of 2 rated" in shown(app)
        await pilot.press("tab", "4")
        await settle(pilot)
        screen = shown(app)
        assert "rated" not in screen and "Not answered yet" not in screen, "all rated: no hint at all"
