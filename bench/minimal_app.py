"""The start-up baseline: the smallest Textual app (one Label), ready-marked like Safe Ground.

Started by bench/startup.py exactly as Safe Ground is (same interpreter, same pseudo-terminal, same
environment). When its screen has been drawn it writes one line to the descriptor named by
SAFEGROUND_BENCH_READY_FD, as Safe Ground's home screen does (see safeground/screens/home.py).
"""

import os

from textual.app import App, ComposeResult
from textual.widgets import Label

READY_FD_ENV = "SAFEGROUND_BENCH_READY_FD"


def announce_ready() -> None:
    descriptor = os.environ.pop(READY_FD_ENV, None)
    if descriptor:
        try:
            os.write(int(descriptor), b"ready\n")
            os.close(int(descriptor))
        except (ValueError, OSError):
            pass


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Hello")

    def on_mount(self) -> None:
        self.call_after_refresh(announce_ready)


if __name__ == "__main__":
    MinimalApp().run()
