"""One file of a workbook folder: read as TOML, then checked as a chapter or as the support file."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from safeground import tomlparse
from safeground.content import OTHER_REGION, Chapter, Page, Region, Resource, Support
from safeground.loader.fields import load_field
from safeground.loader.problems import Problem
from safeground.loader.values import FileChecker
from safeground.tomlparse import KeyPath
from safeground.untrusted import find_control

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


def load_support(file: Path, data: dict, text: str, problems: list[Problem], *, builtin: bool = False) -> Support:
    """The support file: where to find help, shown whenever a page or an answer calls for it.

    One list (``[[resources]]``), lines by region (``[[regions]]``), or both. In Safe Ground's own
    file (``builtin``) every line must say where it was checked and when: that is what lets the
    screen say "checked on", and what keeps a number nobody verified out."""
    check = FileChecker(file, text, problems)
    check.keys(data, (), {"title", "intro", "region_note", "emergency", "resources", "regions"})
    has_regions = "regions" in data
    resources = _resources(check, data, (), builtin, required=not has_regions)
    regions = (
        [
            _load_region(check, table, ("regions", index), builtin)
            for index, table in enumerate(check.tables(data, (), "regions", what="region ([[regions]])"))
        ]
        if has_regions
        else []
    )
    check.unique([(r.code, ("regions", i)) for i, r in enumerate(regions)], "region")
    return Support(
        title=check.string(data, (), "title"),
        intro=check.string(data, (), "intro"),
        region_note=check.string(data, (), "region_note", required=False),
        emergency=check.string(data, (), "emergency", required=not has_regions),
        resources=tuple(resources),
        regions=tuple(regions),
    )


def _resources(check: FileChecker, table: dict, path: KeyPath, builtin: bool, *, required: bool) -> list[Resource]:
    """A list of ``resources`` (each with its id used once), under the file or under a region."""
    if "resources" not in table and not required:
        return []
    resources = []
    for index, item in enumerate(check.tables(table, path, "resources", what="resource ([[resources]])")):
        item_path = path + ("resources", index)
        check.keys(item, item_path, {"id", "name", "contact", "about", "url", "source", "checked"})
        ident = check.ident(item, item_path)
        source, checked = _checked_where(check, item, item_path, builtin, ident)
        resources.append(
            Resource(
                id=ident,
                name=check.string(item, item_path, "name", ident=ident),
                contact=check.string(item, item_path, "contact", ident=ident),
                about=check.string(item, item_path, "about", required=False, ident=ident),
                url=check.string(item, item_path, "url", required=False, ident=ident),
                source=source,
                checked=checked,
            )
        )
    check.unique([(r.id, path + ("resources", i)) for i, r in enumerate(resources)], "resource")
    return resources


def _load_region(check: FileChecker, table: dict, path: KeyPath, builtin: bool) -> Region:
    check.keys(table, path, {"code", "name", "emergency", "note", "source", "checked", "resources"})
    code = _region_code(check, table, path)
    emergency = check.string(table, path, "emergency", ident=code)
    # The emergency line needs a source only when it gives a number ("your local emergency
    # number" is true everywhere).
    needs_source = builtin and any(c.isdigit() for c in emergency)
    source, checked = _checked_where(check, table, path, needs_source, code)
    return Region(
        code=code,
        name=check.string(table, path, "name", ident=code),
        emergency=emergency,
        resources=tuple(_resources(check, table, path, builtin, required=True)),
        note=check.string(table, path, "note", required=False, ident=code),
        source=source,
        checked=checked,
    )


def _region_code(check: FileChecker, table: dict, path: KeyPath) -> str:
    """A two-letter country code in lowercase ("gb", "nz"), or "other" for somewhere else."""
    code = table.get("code")
    if not isinstance(code, str) or not (code == OTHER_REGION or re.fullmatch("[a-z]{2}", code)):
        check.problem(
            path, f'\'code\' must be a two-letter country code in lowercase, like "gb", or "{OTHER_REGION}"', "code"
        )
        return code if isinstance(code, str) and not find_control(code) else ""
    return code


def _checked_where(check: FileChecker, table: dict, path: KeyPath, required: bool, ident: str) -> tuple[str, str]:
    """``source`` (an address) and ``checked`` (a date, ``checked = 2026-12-01``): where and when
    a line was verified. Required in Safe Ground's own list."""
    source = check.string(table, path, "source", required=required, ident=ident)
    if source and not source.startswith(("https://", "http://")):
        check.problem(path, "'source' must be the address of the page the number was read on", "source", ident)
    if "checked" not in table:
        if required:
            check.problem(
                path, "missing 'checked': add checked = 2026-12-01 (the day you read the source)", None, ident
            )
        return source, ""
    value = table["checked"]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return source, value.isoformat()
    check.problem(path, "'checked' must be a date without quotes, like checked = 2026-12-01", "checked", ident)
    return source, ""
