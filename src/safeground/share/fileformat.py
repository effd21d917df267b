"""The share file: what it holds, writing it, and reading one that came from someone else.

A share file is plain TOML (``docs/share-format.md``)::

    format = "safeground-share"
    format_version = 1
    workbook = "safe-ground"
    workbook_version = "1.0"
    shared = 2026-12-01
    name = "Sam"

    [answers.friend-lens.friendship-first]
    calm-closeness = 8

Only answers the person chose to share are in it (see :mod:`.choosing`). Reading one trusts
nothing: the size is capped before a byte is parsed, and every value is checked. A file that
can't be used raises :class:`ShareFileError` naming it, with one plain sentence; a single answer
that doesn't fit is set aside and listed (:attr:`Shared.unmatched`), never shown as something else.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from safeground import tomlparse
from safeground.content import Workbook
from safeground.kinds import KINDS, shown_part
from safeground.share.choosing import SharePage, is_private
from safeground.untrusted import for_terminal

MARKER = "safeground-share"
FORMAT_VERSION = 1
#: A share file bigger than this is refused unread: a whole workbook's answers, long ones too,
#: take a few tens of kilobytes, and a file from elsewhere should not get to fill the memory.
MAX_SHARE_BYTES = 1_000_000
#: The most of a name that is kept (it is shown in headings).
NAME_CHARS = 80
KEYS = frozenset({"format", "format_version", "workbook", "workbook_version", "shared", "name", "answers"})


class ShareFileError(Exception):
    """A share file that can't be used: the message names the file and says why, in plain words."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{for_terminal(path)}: {reason}")


@dataclass
class Shared:
    """One person's shared answers: ``answers[chapter][page][field]``, as the file holds them."""

    workbook_id: str
    workbook_version: str
    shared: date | None
    name: str
    answers: dict[str, dict[str, dict[str, Any]]]
    #: What the file held that this workbook can't show (``chapter/page/field: why``).
    unmatched: list[str] = field(default_factory=list)

    def page_answers(self, chapter_id: str, page_id: str) -> dict[str, Any]:
        return self.answers.get(chapter_id, {}).get(page_id, {})


def build(workbook: Workbook, pages: Iterable[SharePage], name: str, today: date) -> Shared:
    """A share of ``pages`` (already limited to what may be shared, see :mod:`.choosing`)."""
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for page in pages:
        written = {k: v for k, v in page.answers.items() if _may_write(page, k)}
        if written:
            answers.setdefault(page.chapter.id, {})[page.page.id] = written
    return Shared(workbook.id, workbook.version, today, name.strip()[:NAME_CHARS], answers)


def _may_write(page: SharePage, field_id: str) -> bool:
    """The writer's own check that no private answer is written, whoever built ``page``."""
    fld = page.page.field(field_id)
    return fld is not None and not is_private(fld)


def dumps(shared: Shared) -> str:
    import tomli_w

    document: dict[str, Any] = {
        "format": MARKER,
        "format_version": FORMAT_VERSION,
        "workbook": shared.workbook_id,
        "workbook_version": shared.workbook_version,
    }
    if shared.shared is not None:
        document["shared"] = shared.shared
    document["name"] = shared.name
    document["answers"] = shared.answers
    header = "# Safe Ground share file: answers chosen to share with a partner (docs/share-format.md).\n"
    return header + tomli_w.dumps(document)


def write(path: str | os.PathLike, shared: Shared, *, replace: bool = False) -> Path:
    """Write the share file (private, in one step; an existing file only with ``replace``).
    Raises the export's :class:`~safeground.export.TargetExists` or :class:`~safeground.export.ExportError`."""
    from safeground.export import write_private

    target = write_private(Path(path).expanduser(), dumps(shared).encode("utf-8"), replace=replace)
    return target.real


# -- reading ---------------------------------------------------------------------------------------


def read(path: str | os.PathLike, workbook: Workbook) -> Shared:
    """The share file at ``path``, checked against ``workbook``; raises :class:`ShareFileError`."""
    path = Path(path).expanduser()
    document = _document(path, _read_bytes(path))
    return _checked(path, document, workbook)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, looked at before it is opened: a pipe or a device would never end, and
    a file over the limit is not read at all."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ShareFileError(path, "is a folder, not a share file")
        if not stat.S_ISREG(info.st_mode):
            raise ShareFileError(path, "is not a regular file, so it was not read")
        if info.st_size > MAX_SHARE_BYTES:
            raise ShareFileError(path, _TOO_BIG)
        with open(path, "rb") as stream:
            data = stream.read(MAX_SHARE_BYTES + 1)
    except FileNotFoundError:
        raise ShareFileError(path, "there is no such file") from None
    except OSError as error:
        raise ShareFileError(path, f"cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_SHARE_BYTES:  # it grew after it was looked at
        raise ShareFileError(path, _TOO_BIG)
    return data


_TOO_BIG = f"is bigger than a share file can be ({MAX_SHARE_BYTES // 1_000_000} MB), so it was not read"


def _document(path: Path, data: bytes) -> dict[str, Any]:
    try:
        document, _text = tomlparse.read(data)
    except tomlparse.TomlError as error:
        where = f" (line {error.line})" if error.line else ""
        raise ShareFileError(path, f"is not a share file: it {error.reason}{where}") from None
    if document.get("format") != MARKER:
        raise ShareFileError(path, "is not a Safe Ground share file")
    return document


def _checked(path: Path, document: dict[str, Any], workbook: Workbook) -> Shared:
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ShareFileError(path, "is damaged: its format_version is missing or not a number")
    if version > FORMAT_VERSION:
        raise ShareFileError(
            path,
            f"was made by a newer Safe Ground (share format {version}; this one reads format {FORMAT_VERSION}). "
            "Update Safe Ground to open it",
        )
    workbook_id = document.get("workbook")
    if workbook_id != workbook.id:
        shown = for_terminal(workbook_id) if isinstance(workbook_id, str) else "another workbook"
        raise ShareFileError(path, f'holds answers to "{shown[:80]}", not to this workbook ("{workbook.id}")')
    answers = document.get("answers", {})
    if not isinstance(answers, dict):
        raise ShareFileError(path, "is damaged: 'answers' is not a table")
    name = document.get("name", "")
    shared = document.get("shared")
    wb_version = document.get("workbook_version", "")
    result = Shared(
        workbook_id=workbook.id,
        workbook_version=wb_version if isinstance(wb_version, str) else "",
        shared=shared if isinstance(shared, date) else None,
        name=" ".join(name.split())[:NAME_CHARS] if isinstance(name, str) else "",
        answers={},
    )
    _read_answers(answers, workbook, result)
    return result


def _read_answers(answers: dict[str, Any], workbook: Workbook, result: Shared) -> None:
    """Keep each answer this workbook has a place for and that fits it; list the rest."""
    for chapter_id, pages in answers.items():
        chapter = workbook.chapter(chapter_id)
        if chapter is None or not isinstance(pages, dict):
            result.unmatched.append(f"{_short(chapter_id)}: a chapter this workbook doesn't have")
            continue
        for page_id, fields in pages.items():
            page = chapter.page(page_id)
            if page is None or not isinstance(fields, dict):
                result.unmatched.append(f"{_short(chapter_id)}/{_short(page_id)}: a page this workbook doesn't have")
                continue
            for field_id, value in fields.items():
                reason = _unusable(page.field(field_id), value)
                if reason:
                    result.unmatched.append(f"{chapter_id}/{page_id}/{_short(field_id)}: {reason}")
                    continue
                fld = page.field(field_id)
                assert fld is not None
                result.answers.setdefault(chapter_id, {}).setdefault(page_id, {})[field_id] = shown_part(fld, value)


def _unusable(fld: Any, value: Any) -> str:
    """Why ``value`` can't be shown for ``fld``, or "" when it can."""
    if fld is None:
        return "a question this workbook doesn't have"
    if is_private(fld):
        return "a private question, which is never compared"
    rules = KINDS[fld.kind]
    if not rules.has_shape(value):
        return f"not {rules.shape}"
    shown = shown_part(fld, value)
    if shown is None or (isinstance(shown, (list, dict, str)) and not shown):
        return "an answer this version of the workbook can't show"
    return ""


def _short(ident: str) -> str:
    """An id from the file as a message names it: a hostile file's keys can be any length."""
    return ident if len(ident) <= 60 else ident[:59] + "…"


def save_chosen(
    workbook: Workbook,
    progress: Any,
    page_keys: Iterable[str],
    name: str,
    path: str | os.PathLike,
    *,
    replace: bool = False,
    today: date | None = None,
) -> tuple[Path, int]:
    """Share the pages ``page_keys`` (``chapter/page``) to ``path``: what the dialog asks for.
    The same choosing as the command's, so a private question can't be ticked into the file.
    Returns where it was written and how many pages; raises :class:`~.choosing.ChoiceError`,
    :class:`~safeground.export.TargetExists` or :class:`~safeground.export.ExportError`."""
    from safeground.share.choosing import choose

    pages = choose(workbook, progress, pages=list(page_keys))
    written = write(path, build(workbook, pages, name, today or date.today()), replace=replace)
    return written, len(pages)
