"""One file of a workbook folder: read as TOML, then checked as a chapter or as the support file."""

from __future__ import annotations

from pathlib import Path

from safeground import tomlparse
from safeground.content import Chapter, Page, Resource, Support
from safeground.loader.fields import load_field
from safeground.loader.problems import Problem
from safeground.loader.values import FileChecker

#: A content file larger than this is not a workbook someone wrote by hand.
MAX_FILE_BYTES = 2 * 1024 * 1024


def read_toml(file: Path, problems: list[Problem]) -> tuple[dict, str] | None:
    """Parse one file, turning every way it can fail into a problem that names the file."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            size = MAX_FILE_BYTES // 1024 // 1024
            problems.append(
                Problem(file, None, "", f"the file is larger than {size} MB; is it really a workbook file?")
            )
            return None
        raw = file.read_bytes()
    except OSError as error:
        problems.append(Problem(file, None, "", f"cannot be read ({error.strerror or error})"))
        return None
    try:
        return tomlparse.read(raw)
    except tomlparse.NotUtf8 as error:
        problems.append(Problem(file, error.line, "", "is not UTF-8 text: save it as UTF-8 in your editor"))
    except tomlparse.NotToml as error:
        problems.append(Problem(file, error.line, "", f"is not valid TOML: {error.reason}"))
    return None


def load_chapter(file: Path, data: dict, text: str, problems: list[Problem]) -> Chapter:
    """A chapter file: its pages, and each page's fields, every id used once."""
    check = FileChecker(file, text, problems)
    check.keys(data, (), {"id", "title", "summary", "intro", "pages"})
    chapter_id = check.ident(data, ())
    pages = [
        _load_page(check, page_table, ("pages", index))
        for index, page_table in enumerate(check.tables(data, (), "pages", what="page ([[pages]])"))
    ]
    check.unique([(p.id, ("pages", i)) for i, p in enumerate(pages)], "page")
    return Chapter(
        id=chapter_id,
        title=check.string(data, (), "title"),
        summary=check.string(data, (), "summary"),
        intro=check.string(data, (), "intro", required=False),
        pages=tuple(pages),
        path=file,
    )


def _load_page(check: FileChecker, table: dict, path: tuple[str, int]) -> Page:
    check.keys(table, path, {"id", "title", "text", "discuss", "fields"})
    page_id = check.ident(table, path)
    fields = []
    for index, field_table in enumerate(check.tables(table, path, "fields", page_id, what="field ([[pages.fields]])")):
        field_path = path + ("fields", index)
        field = load_field(check, field_table, field_path)
        if field is not None:
            fields.append((field, field_path))
    check.unique([(f.id, field_path) for f, field_path in fields], "field")
    return Page(
        id=page_id,
        title=check.string(table, path, "title", ident=page_id),
        text=check.string(table, path, "text", required=False, ident=page_id),
        fields=tuple(f for f, _ in fields),
        discuss=check.string(table, path, "discuss", required=False, ident=page_id),
    )


def load_support(file: Path, data: dict, text: str, problems: list[Problem]) -> Support:
    """The support file: where to find help, shown whenever a page or an answer calls for it."""
    check = FileChecker(file, text, problems)
    check.keys(data, (), {"title", "intro", "region_note", "emergency", "resources"})
    resources = []
    for index, table in enumerate(check.tables(data, (), "resources", what="resource ([[resources]])")):
        path = ("resources", index)
        check.keys(table, path, {"id", "name", "contact", "about", "url"})
        ident = check.ident(table, path)
        resources.append(
            Resource(
                id=ident,
                name=check.string(table, path, "name", ident=ident),
                contact=check.string(table, path, "contact", ident=ident),
                about=check.string(table, path, "about", required=False, ident=ident),
                url=check.string(table, path, "url", required=False, ident=ident),
            )
        )
    check.unique([(r.id, ("resources", i)) for i, r in enumerate(resources)], "resource")
    return Support(
        title=check.string(data, (), "title"),
        intro=check.string(data, (), "intro"),
        region_note=check.string(data, (), "region_note", required=False),
        emergency=check.string(data, (), "emergency"),
        resources=tuple(resources),
    )
