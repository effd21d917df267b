"""Text from outside, for a widget: workbook text, paths and error messages.

Shown as plain text, never read as markup (``[/]`` in a title or in a folder's name is just two
brackets; read as markup it would end the app), and with every control character drawn as a
visible stand-in (:func:`safeground.untrusted.for_terminal`), so an escape sequence in a workbook
folder can't clear the screen or write to the clipboard.

Kept apart from :mod:`safeground.widgets.visible`, which imports the text area: the home screen
uses these, and every import there is paid for at start-up.
"""

from __future__ import annotations

from textual.content import Content

from safeground.untrusted import for_terminal


def plain(text: object) -> Content:
    """One line (a title, a label, a path): control characters, line breaks too, as stand-ins."""
    return Content(for_terminal(text))


def plain_lines(text: object) -> Content:
    """Text shown as paragraphs (help, a message): line breaks and tabs are kept."""
    return Content(for_terminal(text, multiline=True))
