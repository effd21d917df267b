"""Shown instead of a squashed layout when the terminal is smaller than 80×24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class TooSmallScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Static(
            Content("Safe Ground needs a terminal of at least 80 × 24.\nPlease make this window larger."),
            id="too-small",
        )
