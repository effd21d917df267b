"""Hostile input: what people paste and type, into every kind of question.

Control characters, terminal escape sequences, NUL, emoji, combining marks, right-to-left text and
bidi overrides, a megabyte at once, a lone surrogate, bytes that are not UTF-8. Whatever a field
holds is stored exactly and shown back exactly; the screen keeps drawing; the app keeps running.

Only the text kinds (text, long_text, list items) take typed or pasted text. Choice, checklist,
scale and statements are picked, not typed: for them the same pastes and keys must change nothing
and break nothing.

What the terminal itself does to text before it reaches a field (seen in the pseudo-terminal tests
at the end, and written down in docs/privacy-and-safety.md):
- Textual drops NUL from a paste, and an escape sequence inside a paste arrives mangled (most
  terminals strip them from pastes anyway). Neither reaches the screen as a command.
- In a one-line answer a pasted line break ends the paste: the first line is kept.
- In a long answer every kind of line break (CR LF, CR, VT, FF, U+2028, ...) becomes a newline.
"""

from __future__ import annotations

import os
import signal

import pytest
from textual import events
from textual.widgets import Input, TextArea

from app_support import KINDS_WORKBOOK, answers, make_app, open_page, settle

SIZE = (100, 30)

#: One line of everything awkward. No line breaks: a one-line answer keeps a paste's first line.
HOSTILE = (
    "ctl \x01\x02\x03\x07\x08\x7f\x9b esc \x1b[31mred\x1b[0m \x1b[2J \x1b]0;title\x07 \x1b]8;;http://x\x1b\\link "
    "nul \x00 tab \t emoji 💛👩‍👩‍👧🏳️‍🌈 combining e\u0301 n\u0303 a\u0308\u0304\u0323 zalgo "
    "Z\u0351\u0352\u0353\u0354\u0355 rtl שלום عربي \u202eevil\u202c \u2066iso\u2069 zero\u200bwidth "
    'markup [bold]x[/] [link=x]y[/link] {curly} % quotes "\'""" backslash \\n \\u0000 end'
)
#: The same with paragraphs, for the long answer.
HOSTILE_PARAGRAPHS = HOSTILE + "\n\nsecond paragraph\n" + HOSTILE[::-1] + "\n"
MEGABYTE = ("All of this at once, " * 50_000)[:1_000_000]

TEXT_KINDS = {
    # page, field, how to reach the control
    "text": ("text", "name"),
    "long_text": ("long-text", "story"),
    "list item (added)": ("list", "appreciations"),
}


def _paste(app, text: str) -> None:
    """A paste as the terminal delivers it: to the app, which hands it to the focused widget."""
    app.post_message(events.Paste(text))


async def _open(app, pilot, page: str) -> None:
    await open_page(pilot, app, "kinds", page)


def _stored(data_dir, page: str, field: str):
    return answers(data_dir, "kinds").get("kinds", {}).get(page, {}).get(field)


async def _paste_into(app, pilot, kind: str, text: str) -> None:
    page, _field = TEXT_KINDS[kind]
    await _open(app, pilot, page)
    _paste(app, text)
    await pilot.pause()
    if kind.startswith("list"):
        await pilot.press("enter")  # add the item
    await settle(pilot, app)


def _shown(app, kind: str):
    if kind == "text":
        return app.screen.query_one(".field--control", Input).value
    if kind == "long_text":
        return app.screen.query_one(TextArea).text
    return [item.value for item in app.screen.query(".list-item--text").results(Input)]


def _renders(app) -> None:
    """Draw the whole screen: an exception here is a broken screen."""
    svg = app.export_screenshot()
    assert "<svg" in svg


@pytest.mark.parametrize("kind", sorted(TEXT_KINDS))
async def test_awkward_text_is_stored_exactly_and_shown_back(tmp_path, kind):
    page, field = TEXT_KINDS[kind]
    text = HOSTILE_PARAGRAPHS if kind == "long_text" else HOSTILE
    expected = [text] if kind.startswith("list") else text
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, kind, text)
        assert _shown(app, kind) == expected
        _renders(app)
        assert app.is_running
    assert _stored(tmp_path, page, field) == expected
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, page)
        assert _shown(app, kind) == expected, "shown back exactly after a restart"
        _renders(app)


async def test_editing_a_list_item_with_awkward_text(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, "list item (added)", "plain")
        item = app.screen.query_one(".list-item--text", Input)
        item.focus()
        await pilot.press("end")
        _paste(app, HOSTILE)
        await settle(pilot, app)
        _renders(app)
    assert _stored(tmp_path, "list", "appreciations") == ["plain" + HOSTILE]


@pytest.mark.parametrize("kind", sorted(TEXT_KINDS))
async def test_pasting_a_megabyte(tmp_path, kind):
    page, field = TEXT_KINDS[kind]
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, kind, MEGABYTE)
        _renders(app)
        if kind == "long_text":  # still typing normally after it
            await pilot.press("end", "!")
            await settle(pilot, app)
    stored = _stored(tmp_path, page, field)
    if kind.startswith("list"):
        assert stored == [MEGABYTE]
    elif kind == "long_text":
        assert stored == MEGABYTE + "!"
    else:
        assert stored == MEGABYTE
    assert (tmp_path / "default" / "kinds.toml").stat().st_size > 1_000_000


async def test_a_pasted_line_break_in_a_one_line_answer_keeps_the_first_line(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, "text", "first line\nsecond line")
    assert _stored(tmp_path, "text", "name") == "first line"


async def test_every_kind_of_line_break_in_a_long_answer_becomes_a_newline(tmp_path):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, "long_text", "a\r\nb\rc\nd\x0be\x0cf\u2028g\u2029h\x85i")
    assert _stored(tmp_path, "long-text", "story") == "a\nb\nc\nd\ne\nf\ng\nh\ni"


async def test_a_lone_surrogate_is_saved_as_a_replacement_character(tmp_path):
    """Half of a UTF-16 pair has no UTF-8 form. A console can hand one over; it used to stop every
    save with a traceback. Now it is written as U+FFFD, a proper pair is joined, and saving goes on."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _paste_into(app, pilot, "text", "lone \ud800 pair \ud83d\ude00 end")
        await pilot.pause(0.6)  # an autosave tick
        assert app.is_running
        assert app.sub_title.startswith("Saved")
        await _paste_into(app, pilot, "long_text", "after it")
    assert _stored(tmp_path, "text", "name") == "lone \ufffd pair 😀 end"
    assert _stored(tmp_path, "long-text", "story") == "after it"


@pytest.mark.parametrize("page", ["choice", "checklist", "scale", "statements"])
async def test_kinds_that_are_picked_ignore_pastes_and_stray_keys(tmp_path, page):
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, page)
        focused = app.focused
        for text in (HOSTILE, MEGABYTE):
            _paste(app, text)
            await pilot.pause()
        await pilot.press(*"zq!@#", "ctrl+x", "ctrl+v", "tab", "shift+tab")
        await settle(pilot, app)
        assert app.screen.query(type(focused)), "the control is still there"
        _renders(app)
        assert app.is_running
    assert answers(tmp_path, "kinds") == {}, "nothing was picked by the pastes or the stray keys"


# -- through a real terminal -----------------------------------------------------------------------


posix_only = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")


@pytest.fixture
def terminal_app(tmp_path):
    """The real app in a pseudo-terminal, on the page with the long answer, cursor in it."""
    from harness_pty import PtyApp, welcomed_data_dir
    from test_crash import SEED, _open_page, _progress_path, _sync

    data_dir = welcomed_data_dir(tmp_path / "data")
    _progress_path(data_dir).write_text(SEED, encoding="utf-8")
    app = PtyApp(data_dir)
    try:  # closed (and its process reaped) even when opening the page fails
        _open_page(app)
        _sync(app, _progress_path(data_dir), "")
        yield app
    finally:
        app.close()


def _terminal_answer(app) -> str:
    from test_crash import _answer, _progress_path

    return _answer(_progress_path(app.data_dir))


@posix_only
def test_bytes_that_are_not_utf8_do_not_stop_the_app(terminal_app):
    """Textual's input thread used to end the app with a traceback on the first such byte."""
    app = terminal_app
    app.write(b"before \xff\xfe\xc3 after")
    app.wait_for("after")
    app.write(" still typing")
    app.wait_for("still typing")
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
    assert "Traceback" not in app.text()
    assert _terminal_answer(app) == "kbefore \ufffd\ufffd\ufffd after still typing"


@posix_only
def test_escape_sequences_in_a_paste_never_reach_the_screen_nor_act_as_keys(terminal_app):
    """Textual read up to 32 characters after an ESC inside a paste as key presses: this paste
    used to move the cursor and scatter the text. ESC inside a paste is now dropped."""
    app = terminal_app
    start = len(app.output)
    payload = "A\x1b]0;pwned-title\x07B \x1b[2J\x1b[31mREDTEXT\x1b[0m C\x00D\x01\x02\x08E 💛 שלום ends-here"
    app.write("\x1b[200~" + payload + "\x1b[201~")
    app.wait_for("ends-here")
    app.write(" typed after")
    app.wait_for("typed after")
    drawn = app.output[start:]
    for raw in (b"\x1b]0;pwned", b"\x1b[31mREDTEXT", b"\x00", b"\x01", b"\x02", b"\x08"):
        assert raw not in drawn, f"{raw!r} from the paste went to the terminal as it was"
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
    # Textual drops NUL from pastes; ESC is dropped by Safe Ground; everything else is kept.
    expected = "k" + payload.replace("\x1b", "").replace("\x00", "") + " typed after"
    assert _terminal_answer(app) == expected


@posix_only
def test_a_paste_cannot_delete_text_or_quit(terminal_app):
    app = terminal_app
    app.write("my own words")
    app.wait_for("my own words")
    # ESC then Ctrl+U (delete to the start of the line), Ctrl+W, backspaces, and ESC ESC ESC
    # (which as keys is the quick exit), then Ctrl+Q: all inside one paste.
    app.write("\x1b[200~" + " pasted\x1b\x15\x1b\x17\x1b\x7f\x7f\x1b\x1b\x1b\x1b\x11 tail-marker" + "\x1b[201~")
    app.wait_for("tail-marker")
    app.write(" typed-after-it")
    app.wait_for("typed-after-it")
    assert app.process.poll() is None, "the paste made the app quit"
    app.signal(signal.SIGTERM)
    assert app.wait() == 0
    saved = _terminal_answer(app)
    # Nothing was deleted, and the control characters are kept as pasted text.
    assert saved == "kmy own words pasted\x15\x17\x7f\x7f\x11 tail-marker typed-after-it"


def test_the_paste_filter_keeps_markers_and_text_however_the_input_is_split():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from safeground.terminal_input import PASTE_END, PASTE_START, PasteFilter

    stream = "typed \x1b[A" + PASTE_START + "a\x1b[2Jb\x1b\x1b\x1bc\x1b[201d\x1b[20" + PASTE_END + "\x1b[B after"
    whole = PasteFilter()(stream)
    assert whole == "typed \x1b[A" + PASTE_START + "a[2Jbc[201d[20" + PASTE_END + "\x1b[B after"

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(0, len(stream)), max_size=8))
    def split_anywhere(cuts):
        cuts = sorted(set(cuts))
        pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
        paste_filter = PasteFilter()
        assert "".join(paste_filter(piece) for piece in pieces) == whole

    split_anywhere()


#: Every C0 and C1 control but those Textual itself sends (ESC starts its own sequences, BEL ends
#: some of them, CR and LF move the cursor).
_CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\x1b\x07\r\n")


@posix_only
@pytest.mark.parametrize(
    "page, field, listed", [("text", "name", False), ("long-text", "story", False), ("list", "appreciations", True)]
)
def test_answers_holding_control_codes_are_shown_not_obeyed(tmp_path, page, field, listed):
    """A progress file edited by hand (or pasted into) may hold terminal commands. They used to be
    drawn as they were: ESC [2J cleared the screen, ESC ]0; retitled the window. Now each control
    character is drawn as a visible stand-in (␛, ␀, ...), and the file keeps them exactly."""
    import json

    from harness_pty import PtyApp, welcomed_data_dir

    data_dir = welcomed_data_dir(tmp_path / "data")
    text = "start-of-answer \x1b[2J " + _CONTROLS + "\x1b[2J \x1b]0;pwned\x07 \x1b[31mREDTEXT \x9b31m end-of-answer"
    value = json.dumps([text] if listed else text)  # JSON string escapes are valid TOML ones
    progress = data_dir / "default" / "kinds.toml"
    progress.write_text(
        f'format = 1\nworkbook = "kinds"\n[position]\nchapter = "kinds"\npage = "{page}"\nfield = "{field}"\n'
        f"[answers.kinds.{page}]\n{field} = {value}\n",
        encoding="utf-8",
    )
    with PtyApp(data_dir, ["--workbook", str(KINDS_WORKBOOK)]) as app:
        app.wait_for("pages complete")  # the home screen's overall line
        app.write("\r")
        app.wait_for(lambda: "start-of-answer" in app.text() or "end-of-answer" in app.text())
        app.write("\x11")  # Ctrl+Q: quit (the quick exit would clear the screen with ESC [2J itself)
        assert app.wait() == 0
        drawn = app.output
    for raw in ("\x1b[2J", "\x1b]0;pwned", "\x1b[31mREDTEXT", *_CONTROLS):
        assert raw.encode() not in drawn, f"{raw!r} from the answer went to the terminal as it was"
    assert "␛[2J" in drawn.decode("utf-8", "replace"), "shown as a visible stand-in"
    import tomllib

    stored = tomllib.loads(progress.read_text(encoding="utf-8"))["answers"]["kinds"][page][field]
    assert stored == ([text] if listed else text), "the answer itself is kept exactly"


# -- one key after coming back ---------------------------------------------------------------------


@pytest.mark.parametrize("page, field", [("text", "name"), ("list", "appreciations")])
async def test_the_first_key_after_coming_back_never_replaces_a_saved_answer(tmp_path, page, field):
    """Textual's one-line input selects all of its text when it gets the focus, so the first key
    pressed after "Continue" replaced the whole saved answer (a one-line input has no undo)."""
    value = "Sam" if page == "text" else ["Kind to strangers"]
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, page)
        if page == "text":
            await pilot.press(*"Sam")
        else:
            await pilot.press(*"Kind to strangers", "enter")
        await settle(pilot, app)
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, page)
        if page == "list":
            app.screen.query_one(".list-item--text", Input).focus()
            await pilot.pause()
        await pilot.press(*"!")
        await settle(pilot, app)
    expected = "Sam!" if page == "text" else ["Kind to strangers!"]
    assert _stored(tmp_path, page, field) == expected, f"{value!r} was replaced"


# -- keys typed while a page is being built ----------------------------------------------------------


def _burst(app, text: str) -> None:
    """Keys as a fast typist (or a loaded machine) delivers them: all queued before the app runs."""
    for character in text:
        key = events.Key("space" if character == " " else character, character)
        key.set_sender(app)
        app._driver.send_message(key)


@pytest.mark.parametrize("page, field", [("text", "name"), ("long-text", "story"), ("list", "appreciations")])
async def test_keys_typed_as_a_page_opens_reach_its_field(tmp_path, page, field):
    """The first keys typed right after opening a page used to go nowhere: the page's scroll area
    had the focus until the field was built, and took them (``'ne two three'`` was saved)."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_page("kinds", page)
        await pilot.press(*"one")  # in the same tick as opening it
        _burst(app, " two")
        await settle(pilot, app)
        if page == "list":
            await pilot.press("enter")
            await settle(pilot, app)
    assert _stored(tmp_path, page, field) == (["one two"] if page == "list" else "one two")


async def test_keys_typed_while_the_next_page_is_built_go_to_its_field(tmp_path):
    """Keys that come while Next builds the following page wait for its field: none is dropped and
    none lands in the field being left."""
    import asyncio

    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "text")
        await pilot.press(*"first")
        await settle(pilot, app)
        moving = asyncio.ensure_future(app.screen.action_next_page())
        _burst(app, "second page")
        await moving
        await settle(pilot, app)
        assert app.screen.page.id == "long-text"
    assert _stored(tmp_path, "text", "name") == "first"
    assert _stored(tmp_path, "long-text", "story") == "second page"


async def test_keys_typed_around_next_and_previous_each_reach_their_own_page(tmp_path):
    """A fast typist (or a loaded machine) hands the app keys faster than it changes pages. Keys
    typed before Ctrl+N belong to the page being left, keys after it to the next page: once all
    of them had been handed to the field being left before the page changed."""
    app = make_app(tmp_path, workbook_dir=KINDS_WORKBOOK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_page("kinds", "text")
        _burst(app, "abc")
        _burst_keys(app, "ctrl+n")
        _burst(app, "story")
        _burst_keys(app, "ctrl+b")
        _burst(app, "xy")
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.screen.page.id == "text"
    assert _stored(tmp_path, "text", "name") == "abcxy"
    assert _stored(tmp_path, "long-text", "story") == "story"


def _burst_keys(app, *keys: str) -> None:
    for name in keys:
        key = events.Key(name, None)
        key.set_sender(app)
        app._driver.send_message(key)
