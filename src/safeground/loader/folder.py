"""The workbook folder as a whole: ``workbook.toml`` lists the chapters, one file holds each, and
``support.toml`` (ours when the folder has none) says where to find help."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from safeground.content import Chapter, Support, Workbook
from safeground.loader.files import load_chapter, load_support, read_toml
from safeground.loader.problems import Problem, WorkbookError
from safeground.loader.values import FileChecker
from safeground.untrusted import for_terminal

WORKBOOK_FILE = "workbook.toml"
SUPPORT_FILE = "support.toml"


def builtin_workbook_dir() -> Path:
    """The workbook that ships with Safe Ground.

    In a wheel it sits inside the package; in a source checkout (``make run``, editable installs,
    tests) it is the ``workbook/`` folder at the top of the repository. Both are the same files.
    """
    package = Path(__file__).resolve().parents[1]  # src/safeground/loader/folder.py → safeground
    packaged = package / "workbook"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "workbook"


def load_workbook(folder: Path | str | None = None) -> Workbook:
    """Load a workbook folder (the built-in one by default), or raise :class:`WorkbookError`."""
    workbook, problems = check_workbook(Path(folder) if folder else builtin_workbook_dir())
    if workbook is None:
        raise WorkbookError(problems)
    return workbook


def check_workbook(folder: Path) -> tuple[Workbook | None, list[Problem]]:
    """Load ``folder`` and return the workbook (None if unusable) with every problem found."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(folder, None, "", "is not a folder: give the folder that holds workbook.toml"))
        return None, problems
    index_file = folder / WORKBOOK_FILE
    if not index_file.is_file():
        problems.append(Problem(index_file, None, "", "is missing: every workbook folder needs a workbook.toml"))
        return None, problems
    parsed = read_toml(index_file, problems)
    if parsed is None:
        return None, problems
    data, text = parsed
    check = FileChecker(index_file, text, problems)
    check.keys(data, (), {"id", "title", "version", "description", "chapters"})
    workbook_id = check.ident(data, ())
    title = check.string(data, (), "title")
    version = check.string(data, (), "version")
    description = check.string(data, (), "description", required=False)
    listed = _listed_chapters(check, data)
    chapters = _load_chapters(folder, listed, check, problems)
    support = _load_support(folder, problems)
    if problems or support is None:
        return None, problems
    workbook = Workbook(
        id=workbook_id,
        title=title,
        version=version,
        description=description,
        chapters=tuple(chapters[c] for c in listed),
        support=support,
        folder=folder,
    )
    return workbook, problems


def _listed_chapters(check: FileChecker, data: dict) -> list[str]:
    """The chapter ids ``workbook.toml`` lists, in order (empty, with a problem, if it lists none)."""
    listed = data.get("chapters")
    if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
        check.problem(
            (),
            'chapters must be a list of chapter ids, like chapters = ["first-chapter", "second-chapter"]',
            "chapters",
        )
        return []
    for chapter_id in listed:
        check.control(chapter_id, (), "chapters")
    for duplicate in sorted({c for c in listed if listed.count(c) > 1}):
        check.problem((), f'chapter "{for_terminal(duplicate)}" is listed twice in chapters', "chapters")
    return listed


def _load_chapters(folder: Path, listed: list[str], check: FileChecker, problems: list[Problem]) -> dict[str, Chapter]:
    """Every chapter file in ``folder`` by id; each listed chapter must have one, and each file a listing."""
    chapters: dict[str, Chapter] = {}
    #: The file each chapter id was first found in.
    found_in: dict[str, str] = {}
    unreadable: list[str] = []
    for file in sorted(folder.glob("*.toml")):
        if file.name in (WORKBOOK_FILE, SUPPORT_FILE):
            continue
        parsed = read_toml(file, problems)
        if parsed is None:
            unreadable.append(file.name)
            continue
        chapter = load_chapter(file, *parsed, problems)
        if chapter.id and chapter.id in chapters:
            other = found_in[chapter.id]
            problems.append(Problem(file, 1, "", f'chapter id "{for_terminal(chapter.id)}" is also used by {other}'))
        elif chapter.id and chapter.id not in listed:
            message = (
                f'chapter "{for_terminal(chapter.id)}" is not listed in {WORKBOOK_FILE}: '
                "add it to chapters, or move the file out of this folder"
            )
            problems.append(Problem(file, 1, "", message))
        chapters.setdefault(chapter.id, chapter)
        found_in.setdefault(chapter.id, file.name)
    for chapter_id in listed:
        if chapter_id not in chapters:
            hint = f" (it may be in {', '.join(unreadable)}, which could not be read: see above)" if unreadable else ""
            quoted = for_terminal(chapter_id)
            check.problem(
                (),
                f'chapter "{quoted}" is listed, but no file in {for_terminal(folder)} has id = "{quoted}"{hint}',
                "chapters",
            )
    return chapters


def _load_support(folder: Path, problems: list[Problem]) -> Support | None:
    """The folder's support file, or ours: safety resources are part of the product.

    An author's file that lists no regions gets ours alongside, so the regional lists stay one
    key away on the support screen whatever the workbook."""
    ours = builtin_workbook_dir() / SUPPORT_FILE
    support_file = folder / SUPPORT_FILE
    if not support_file.is_file() or support_file.resolve() == ours.resolve():
        return _read_support(ours, problems, builtin=True)
    support = _read_support(support_file, problems, builtin=False)
    if support is None:
        return None
    regions = support.regions
    if not regions:
        builtin = _read_support(ours, problems, builtin=True)
        regions = builtin.regions if builtin else ()
    return replace(support, regions=regions, from_author=True)


def _read_support(file: Path, problems: list[Problem], *, builtin: bool) -> Support | None:
    parsed = read_toml(file, problems)
    return load_support(file, *parsed, problems, builtin=builtin) if parsed else None
