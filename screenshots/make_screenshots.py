"""Write SVG screenshots of the main screens to this folder (``make screenshots``).

They use a throwaway data folder with a few answers filled in, so they show the app as a person
part-way through the workbook would see it. The README shows them.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from app_support import make_app, stop_blinking  # noqa: E402

from safeground.loader import load_workbook  # noqa: E402
from safeground.progress import Progress  # noqa: E402
from safeground.storage import ProgressStore  # noqa: E402

SIZE = (100, 32)
ANSWERS = {
    ("what-safety-is", "safety-and-security", "focus"): "both",
    ("what-safety-is", "safety-and-security", "why-now"): "We keep having the same argument about chores, and I want us to feel like a team again.",
    ("what-safety-is", "body-check", "trusted-body"): ["shoulders-drop", "warmth"],
    ("what-safety-is", "body-check", "partner-body"): ["warmth", "tension"],
    ("what-safety-is", "what-helps", "helpers"): {"respect": 4, "honesty": 5, "consent": 5},
    ("friend-lens", "friendship-first", "calm-closeness"): 7,
}


def prefill(data_dir: Path) -> None:
    workbook = load_workbook()
    progress = Progress(workbook.id, workbook.version)
    for (chapter, page, field), value in ANSWERS.items():
        progress.set(workbook, chapter, page, field, value)
    ProgressStore(data_dir, "default", workbook.id).save(progress)


async def shoot(name: str, action, *, welcomed: bool = True) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="safeground-shots-"))
    try:
        prefill(data_dir)
        app = make_app(data_dir, welcomed=welcomed)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await action(app, pilot)
            await pilot.pause()
            if app.session is not None:
                app.session.save_and_wait(timeout=5)
            await pilot.pause()
            stop_blinking(app)
            await pilot.pause()
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
        print(f"screenshots/{name}.svg")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


async def nothing(app, pilot) -> None:
    pass


async def open_page(chapter: str, page: str):
    async def action(app, pilot) -> None:
        app.open_page(chapter, page)
        await pilot.pause()

    return action


async def main() -> None:
    await shoot("home", nothing)
    await shoot("page-statements", await open_page("what-safety-is", "what-helps"))
    await shoot("page-scale", await open_page("friend-lens", "friendship-first"))
    await shoot("page-list", await open_page("friend-lens", "just-a-friend"))

    async def support(app, pilot) -> None:
        await pilot.press("f1")

    await shoot("support", support)
    await shoot("first-run", nothing, welcomed=False)


if __name__ == "__main__":
    asyncio.run(main())
