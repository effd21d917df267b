"""The footer every full screen uses: the quick exit and support always first, nothing cut.

Textual's own footer lists the screen's keys before the app's, left to right, and lets the row
run off the right edge. A screen with several keys of its own (or a narrow terminal) would then
push the quick exit out of sight, and it is the one key someone in a hurry must find. So this
footer moves the keys that must always be seen to the front, and leaves out whole keys at the
end that would not fit, rather than showing half a word. Keys left out still work; the support
screen lists them all.

It is also rebuilt only when the keys it shows change. Textual's footer rebuilds all its keys
whenever the focus moves (the active bindings might have changed), and a page turn moves the focus twice: out of the page being left and into the new
one. On a chapter page the keys shown are the same whatever has the focus, so each rebuild was
a dozen widgets made and styled for nothing: about a tenth of a page turn (bench/README.md).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget; no public name yet

Shown = tuple[tuple[str, str, str, bool, str], ...]


class SteadyFooter(Footer):
    """Textual's footer, rebuilt only when the keys shown (or their state) differ."""

    _shown: Shown | None = None

    @staticmethod
    def keys_shown(screen: Screen) -> Shown:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self.keys_shown(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and self.is_attached and screen is self.screen and self._shown is not None:
            if self.keys_shown(screen) == self._shown:
                return
        super().bindings_changed(screen)


#: Actions shown first, in this order, on every screen (the app's keys go through its "footer"
#: action: see SafeGroundApp.BINDINGS).
ALWAYS_FIRST = ("footer('quick_exit')", "footer('support')")


def key_width(key: FooterKey) -> int:
    """Columns a key takes: " key description " with the footer's padding."""
    return len(key.key_display) + len(key.description) + 3


class SafeFooter(SteadyFooter):
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
