"""The footer every full screen uses: the quick exit and support always first, nothing cut.

Textual's own footer lists the screen's keys before the app's, left to right, and lets the row
run off the right edge. A screen with several keys of its own (or a narrow terminal) would then
push the quick exit out of sight, and it is the one key someone in a hurry must find. So this
footer moves the keys that must always be seen to the front, and leaves out whole keys at the
end that would not fit, rather than showing half a word. Keys left out still work; the support
screen lists them all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget; no public name yet

#: Actions shown first, in this order, on every screen (the app's keys go through its "footer"
#: action: see SafeGroundApp.BINDINGS).
ALWAYS_FIRST = ("footer('quick_exit')", "footer('support')")


def key_width(key: FooterKey) -> int:
    """Columns a key takes: " key description " with the footer's padding."""
    return len(key.key_display) + len(key.description) + 3


class SafeFooter(Footer):
    """A footer that always begins with the quick exit and support, and shows only whole keys."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        others = [w for w in widgets if not isinstance(w, FooterKey)]
        first = [k for action in ALWAYS_FIRST for k in keys if k.action == action]
        ordered = first + [k for k in keys if k not in first]
        yield from self._fitting(ordered) + others

    def _fitting(self, keys: list[FooterKey]) -> list[Widget]:
        """The keys, in order, up to the first that would run past the right edge."""
        room = self.app.size.width - 1
        shown: list[Widget] = []
        for key in keys:
            room -= key_width(key)
            if room < 0:
                break
            shown.append(key)
        return shown
