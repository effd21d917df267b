"""A footer that is rebuilt only when the keys it shows change.

Textual's footer rebuilds all its keys whenever the focus moves (the active bindings might have
changed), and a page turn moves the focus twice: out of the page being left and into the new
one. On a chapter page the keys shown are the same whatever has the focus, so each rebuild was
a dozen widgets made and styled for nothing: about a tenth of a page turn (bench/README.md).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

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
