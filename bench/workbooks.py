"""Workbooks and answers for the benchmark: generated folders of any size, fully answered.

Everything is written into folders the caller gives (temporary ones), never the user's data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safeground.content import Chapter, Field, Page, Workbook
from safeground.loader import load_workbook
from safeground.progress import Progress

#: Five fields per page, cycling through every kind so that each kind's cost is in the figures.
_FIELD_TEMPLATES = (
    ('kind = "text"\nplaceholder = "A few words"\n'),
    ('kind = "long_text"\n'),
    (
        'kind = "choice"\noptions = [\n  {id = "yes", label = "Yes"},\n  {id = "sometimes", label = "Sometimes"},\n'
        '  {id = "no", label = "No"},\n]\nsupport = ["no"]\n'
    ),
    (
        'kind = "checklist"\noptions = [\n  {id = "calm", label = "I felt calm"},\n  {id = "warm", label = "I felt warm"},\n'
        '  {id = "tense", label = "I felt tense"},\n  {id = "other", label = "Something else"},\n]\n'
    ),
    ('kind = "scale"\nmin = 1\nmax = 10\nmin_label = "Not at all"\nmax_label = "Completely"\n'),
    (
        'kind = "statements"\nmin = 1\nmax = 5\nmin_label = "Not true"\nmax_label = "Very true"\nstatements = [\n'
        '  {id = "heard", label = "I feel heard."},\n  {id = "safe", label = "I feel safe."},\n'
        '  {id = "calm", label = "We stay calm."},\n]\n'
    ),
    ('kind = "list"\nitem_label = "an item"\n'),
)

PARAGRAPH = (
    "When we disagree I notice my shoulders tighten before I have said a word, and I want to say it "
    "plainly: I would like us to slow down, listen to the end of each other's sentences, and remember "
    "that we are on the same side. "
)


def generate_workbook(folder: Path, chapters: int, pages: int = 10, fields: int = 5) -> Path:
    """Write a valid workbook folder with ``chapters`` x ``pages`` x ``fields`` and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"chapter-{c:03d}" for c in range(1, chapters + 1)]
    listed = ", ".join(f'"{i}"' for i in ids)
    (folder / "workbook.toml").write_text(
        f'id = "generated"\ntitle = "Generated workbook"\nversion = "1"\n'
        f'description = """\nA generated workbook of {chapters} chapters for the benchmark.\n"""\n'
        f"chapters = [{listed}]\n",
        encoding="utf-8",
    )
    for number, chapter_id in enumerate(ids, start=1):
        parts = [
            f'id = "{chapter_id}"\ntitle = "Chapter {number}"\nsummary = "Summary of chapter {number}"\n'
            f'intro = """\nAn introduction to chapter {number}, with **some** Markdown.\n"""\n'
        ]
        kind = number  # a different mix of kinds on each page
        for p in range(1, pages + 1):
            parts.append(
                f'\n[[pages]]\nid = "page-{p:02d}"\ntitle = "Page {p} of chapter {number}"\n'
                f'text = """\nSome text for page {p}.\n\n- a bullet\n- another\n"""\n'
            )
            for f in range(1, fields + 1):
                template = _FIELD_TEMPLATES[kind % len(_FIELD_TEMPLATES)]
                kind += 1
                parts.append(
                    f'\n[[pages.fields]]\nid = "field-{f:02d}"\nprompt = "Question {f} on page {p}?"\n{template}'
                )
        (folder / f"{number:03d}-{chapter_id}.toml").write_text("".join(parts), encoding="utf-8")
    return folder


def answer_for(field: Field, text: str, index: int) -> Any:
    """A valid, complete answer for ``field``; ``text`` goes into every free-text place."""
    if field.kind == "text":
        return text[:120]
    if field.kind == "long_text":
        return text
    if field.kind == "choice":
        return field.options[index % len(field.options)].id
    if field.kind == "checklist":
        return [o.id for o in field.options[::2]]
    if field.kind == "scale":
        return field.min + index % (field.max - field.min + 1)
    if field.kind == "statements":
        return {s.id: field.min + i % (field.max - field.min + 1) for i, s in enumerate(field.statements)}
    if field.kind == "list":
        return [text[:200], "Another item"] + ["More"] * max(0, field.min_items - 2)
    raise ValueError(field.kind)


def long_text(chars: int) -> str:
    """Exactly ``chars`` characters of prose in paragraphs, the way people write long answers."""
    paragraph = (PARAGRAPH * 3).strip()
    text = "\n\n".join([paragraph] * (chars // len(paragraph) + 1))[:chars]
    return text[:-1] + "." if text[-1:].isspace() else text


def fully_answered(workbook: Workbook, answer_chars: int = 1500) -> Progress:
    """Every field of every page answered; free text is ``answer_chars`` characters long."""
    text = long_text(answer_chars)
    progress = Progress(workbook.id, workbook.version)
    for chapter in workbook.chapters:
        for page in chapter.pages:
            for index, field in enumerate(page.fields):
                progress.set(workbook, chapter.id, page.id, field.id, answer_for(field, text, index))
    last: Chapter = workbook.chapters[-1]
    page: Page = last.pages[-1]
    progress.position.chapter, progress.position.page, progress.position.field = last.id, page.id, page.fields[0].id
    return progress


def one_long_answer(chars: int) -> tuple[Workbook, Progress]:
    """A one-page workbook whose only question holds an answer of ``chars`` characters of prose
    (paragraphs of about 500 characters): someone who wrote, or pasted, a very long answer."""
    from safeground.content import Support

    field = Field(id="story", kind="long_text", prompt="Tell the whole story, as long as it takes.")
    page = Page(id="story", title="The whole story", text="Take all the room you need.", fields=(field,))
    chapter = Chapter(id="story", title="One long answer", summary="", intro="", pages=(page,))
    workbook = Workbook(
        id="one-answer",
        title="One long answer",
        version="1",
        description="",
        chapters=(chapter,),
        support=Support(title="Support", intro="", region_note="", emergency="", resources=()),
    )
    progress = Progress(workbook.id, workbook.version)
    progress.set(workbook, chapter.id, page.id, field.id, long_text(chars))
    return workbook, progress


def huge_title_workbook(folder: Path, chars: int) -> Path:
    """A copy of the built-in workbook whose title is ``chars`` characters long (a damaged or
    hostile workbook folder; the loader takes files up to 2 MB)."""
    import shutil

    from safeground.loader import builtin_workbook_dir

    folder = Path(folder)
    shutil.copytree(builtin_workbook_dir(), folder)
    manifest = folder / "workbook.toml"
    title = ("A very long title " * (chars // 18 + 1))[:chars].rstrip()
    text = manifest.read_text(encoding="utf-8").replace('title = "Safe Ground"', f'title = "{title}"', 1)
    manifest.write_text(text, encoding="utf-8")
    return folder


def prepare_data_dir(data_dir: Path, workbook: Workbook, progress: Progress | None, profile: str = "default") -> Path:
    """A data folder holding ``progress`` for ``workbook``, with the welcome note already seen
    (so start-up shows the home screen, as it does on every start but the first)."""
    from safeground.settings import Settings
    from safeground.storage import ProgressStore

    store = ProgressStore(Path(data_dir), profile, workbook.id)
    settings = Settings(welcomed=True)
    settings.save(store.profile_dir)
    if progress is not None:
        store.save(progress)
    return Path(data_dir)


def builtin() -> Workbook:
    return load_workbook()


class Home:
    """A user's data as the app finds it with no options: ``$XDG_DATA_HOME/safeground``.

    The benchmark starts ``safeground`` the way a person types it, so the data folder is found
    the usual way (platformdirs and all) rather than given with --data-dir.
    """

    def __init__(self, folder: Path, workbook: Workbook, progress: Progress | None, workbook_dir: Path | None = None):
        self.xdg_data_home = Path(folder)
        self.data_dir = prepare_data_dir(self.xdg_data_home / "safeground", workbook, progress)
        self.workbook = workbook
        self.progress = progress
        self.workbook_dir = workbook_dir

    def env(self, base: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in base.items() if k != "SAFEGROUND_DATA_DIR"}
        env["XDG_DATA_HOME"] = str(self.xdg_data_home)
        return env

    def args(self) -> list[str]:
        return ["--workbook", str(self.workbook_dir)] if self.workbook_dir is not None else []
