"""Read a workbook folder and check every part of it.

Workbooks are written by people (therapists, coaches) in a text editor, so loading is strict and
kind: every problem is collected, not just the first, and each one names the file, the line where
we can find it, the table's path (``pages[2].fields[1]``, counted from 1 as people count) and what to
change. Nothing here raises anything but :class:`WorkbookError`.

A workbook folder may come from anyone (a download, a shared drive), so every string the app or a
command could show is refused if it holds a control character: a terminal obeys those rather than
shows them (``ESC ] 52`` writes the clipboard, ``ESC [ 2J`` wipes the screen). Only the prose keys
(:data:`PROSE_KEYS`) may hold line breaks and tabs. The check rides on the reads every value goes
through anyway (``string``, ``ident``), so it costs one regular-expression search per string.
Messages that quote the author's text (an unknown key, a bad id) quote it through
:func:`~safeground.untrusted.for_terminal`, and so does ``str(problem)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeground import tomlparse
from safeground.content import (
    FIELD_KINDS,
    Chapter,
    Field,
    Option,
    Page,
    Resource,
    Support,
    Workbook,
)
from safeground.kinds import COMMON_KEYS, KINDS
from safeground.untrusted import find_control, for_terminal

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WORKBOOK_FILE = "workbook.toml"
SUPPORT_FILE = "support.toml"
#: More points than this do not fit on one row of an 80-column terminal.
MAX_SCALE_POINTS = 11
#: A content file larger than this is not a workbook someone wrote by hand.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Keys whose text is shown as paragraphs, so it may hold line breaks and tabs. Everything else
#: (ids, titles, prompts, labels, options, names) is shown on one line.
PROSE_KEYS = frozenset({"text", "intro", "description", "help", "about", "emergency", "region_note"})


def builtin_workbook_dir() -> Path:
    """The workbook that ships with Safe Ground.

    In a wheel it sits inside the package; in a source checkout (``make run``, editable installs,
    tests) it is the ``workbook/`` folder at the top of the repository. Both are the same files.
    """
    packaged = Path(__file__).resolve().parent / "workbook"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "workbook"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook folder, said so that its author can fix it."""

    file: Path
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        # Cleaned once more here: the folder's own path can hold control characters too.
        place = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        text = f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        return for_terminal(text)


class WorkbookError(Exception):
    """A workbook folder that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class _LineIndex:
    """Finds, in a TOML file's text, the line where a table or a key was written.

    tomllib gives no positions for values, and authors want line numbers. This follows the headers
    (``[[pages]]``, ``[[pages.fields]]``) and the ``key =`` lines, which is how workbook files are
    written; when something was written another way, messages fall back to the table's path.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
    _INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str):
        self.tables: dict[tuple, int] = {(): 1}
        self.keys: dict[tuple, int] = {}
        counters: dict[tuple, int] = {}
        current: tuple = ()
        in_multiline: str | None = None
        #: Inside ``options = [`` written one ``{id = ..., label = ...}`` per line: the key's path.
        in_array: tuple | None = None
        items = 0
        # TOML counts lines by "\n" only (str.splitlines would also split at form feeds and the like).
        for number, line in enumerate(text.split("\n"), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            if in_array is not None:
                stripped = line.strip()
                if stripped.startswith("{"):
                    item = in_array + (items,)
                    self.tables.setdefault(item, number)
                    for name in self._INLINE_KEY.findall(stripped):
                        self.keys.setdefault(item + (name,), number)
                    items += 1
                    continue
                if stripped.startswith("]"):
                    in_array = None
                    continue
            header = self._HEADER.match(line)
            if header:
                names = tuple(part.strip().strip('"') for part in header.group(2).split("."))
                if header.group(1) == "[[":
                    parent = self._resolve(names[:-1], current)
                    array = parent + (names[-1],)
                    counters[array] = counters.get(array, -1) + 1
                    current = array + (counters[array],)
                else:
                    current = names
                self.tables.setdefault(current, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault(current + (key.group(1),), number)
                rest = line.split("=", 1)[1]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote
                if rest.strip().startswith("[") and rest.count("[") > rest.count("]"):
                    in_array, items = current + (key.group(1),), 0

    @staticmethod
    def _resolve(names: tuple, current: tuple) -> tuple:
        """Map ``pages.fields`` to ``pages, 2, fields`` using the array items we are inside."""
        resolved: tuple = ()
        rest = list(current)
        for name in names:
            resolved += (name,)
            if rest[: len(resolved)] == list(resolved) and len(rest) > len(resolved):
                index = rest[len(resolved)]
                if isinstance(index, int):
                    resolved += (index,)
        return resolved

    def line(self, path: tuple, key: str | None = None) -> int | None:
        if key is not None and path + (key,) in self.keys:
            return self.keys[path + (key,)]
        # An inline table (``options = [{id = ...}, ...]``) has no header of its own: point at the
        # nearest enclosing key or table that was written on a line of its own.
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.tables:
                return self.tables[path[:depth]]
            if path[:depth] in self.keys:
                return self.keys[path[:depth]]
        return self.tables.get(())


def _where(path: tuple, ident: Any = None) -> str:
    """``("pages", 1, "fields", 0)`` → ``pages[2].fields[1]``, with the id when there is one."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
        else:
            parts.append(part)
    text = ".".join(parts)
    if isinstance(ident, str) and ident:
        text += f' (id "{for_terminal(ident)}")'
    return text


def _control_message(key: str, text: str, index: int) -> str:
    """Why ``text`` (the value of ``key``) is refused: the character at ``index``, named by its code."""
    code = ord(text[index])
    what = {0x0A: "a line break", 0x09: "a tab"}.get(code, "a control character")
    place = f"'{key}' holds {what} (U+{code:04X}) at character {index + 1}"
    if code in (0x0A, 0x09):
        return f"{place}: this text is shown on one line, so take it out"
    return f"{place}: terminals obey these instead of showing them, so take it out"


class _FileChecker:
    """Checks one parsed TOML file, collecting problems instead of stopping at the first."""

    def __init__(self, file: Path, text: str, problems: list[Problem]):
        self.file = file
        self.text = text
        self._lines: _LineIndex | None = None
        self.problems = problems

    @property
    def lines(self) -> _LineIndex:
        # Built on the first problem only: a workbook without problems (every start-up) never
        # needs line numbers, and indexing every line costs about as much as parsing the file.
        if self._lines is None:
            self._lines = _LineIndex(self.text)
        return self._lines

    def problem(self, path: tuple, message: str, key: str | None = None, ident: Any = None) -> None:
        self.problems.append(Problem(self.file, self.lines.line(path, key), _where(path, ident), message))

    def keys(self, table: dict, path: tuple, allowed: set[str] | frozenset[str], ident: Any = None) -> None:
        for key in table:
            if key not in allowed:
                import difflib  # only when there is a problem to explain

                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; allowed here: {', '.join(sorted(allowed))}"
                self.problem(path, f"unknown key '{for_terminal(key)}'{suggestion}", key, ident)

    def string(self, table: dict, path: tuple, key: str, *, required: bool = True, ident: Any = None) -> str:
        if key not in table:
            if required:
                self.problem(path, f"missing '{key}': add {key} = \"...\"", None, ident)
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.problem(path, f"'{key}' must be text in quotes, not {_type_name(value)}", key, ident)
            return ""
        if self.control(value, path, key, ident):
            return value
        if required and not value.strip():
            self.problem(path, f"'{key}' is empty: write something there", key, ident)
        return value

    def ident(self, table: dict, path: tuple) -> str:
        if "id" not in table:
            self.problem(path, "missing 'id': add id = \"some-name\" (lowercase words joined by dashes)")
            return ""
        value = table["id"]
        if not isinstance(value, str):
            self.problem(path, f"'id' must be text in quotes, like id = \"my-page\", not {_type_name(value)}", "id")
            return ""
        # fullmatch: with match, "$" would let a trailing line break through.
        if self.control(value, path, "id"):
            return value
        if not ID_PATTERN.fullmatch(value):
            self.problem(
                path, f'id "{value}" must be lowercase letters and digits joined by dashes, like "my-page"', "id"
            )
        return value

    def integer(self, table: dict, path: tuple, key: str, default: int | None, ident: Any = None) -> int | None:
        if key not in table:
            if default is None:
                self.problem(path, f"missing '{key}': add {key} = <a whole number>", None, ident)
            return default
        value = table[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(path, f"'{key}' must be a whole number, not {_type_name(value)}", key, ident)
            return default
        return value

    def boolean(self, table: dict, path: tuple, key: str, default: bool, ident: Any = None) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(path, f"'{key}' must be true or false, not {_type_name(value)}", key, ident)
            return default
        return value

    def tables(self, table: dict, path: tuple, key: str, ident: Any = None, *, what: str) -> list[dict]:
        """An array of tables, such as ``[[pages]]`` or ``options = [{...}, ...]``."""
        if key not in table:
            self.problem(path, f"missing '{key}': add at least one {what}", None, ident)
            return []
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(path, f"'{key}' must be a list of tables ({what}s), not {_type_name(value)}", key, ident)
            return []
        if not value:
            self.problem(path, f"'{key}' is empty: add at least one {what}", key, ident)
        return value

    def control(self, value: str, path: tuple, key: str, ident: Any = None) -> bool:
        """Report ``value`` if it holds a control character where ``key`` may not; True if it does."""
        index = find_control(value, prose=key in PROSE_KEYS)
        if index is None:
            return False
        self.problem(path, _control_message(key, value, index), key, ident)
        return True

    def unique(self, items: list[tuple[str, tuple]], what: str) -> None:
        seen: set[str] = set()
        for ident, path in items:
            if ident and ident in seen:
                self.problem(path, f'{what} id "{ident}" is used twice: each {what} needs its own id', "id")
            seen.add(ident)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _read_toml(file: Path, problems: list[Problem]) -> tuple[dict, str] | None:
    """Parse one file, turning every way it can fail into a problem that names the file."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    file,
                    None,
                    "",
                    f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; is it really a workbook file?",
                )
            )
            return None
        raw = file.read_bytes()
    except OSError as error:
        problems.append(Problem(file, None, "", f"cannot be read ({error.strerror or error})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(file, line, "", "is not UTF-8 text: save it as UTF-8 in your editor"))
        return None
    try:
        return tomlparse.loads(text), text
    except RecursionError:  # tomllib recurses once per nesting level: "a = [[[[..." runs out of stack
        problems.append(Problem(file, None, "", "is not valid TOML: its values are nested too deeply"))
        return None
    except tomlparse.TOMLDecodeError as error:
        line_match = re.search(r"line (\d+)", str(error))
        line = int(line_match.group(1)) if line_match else None
        if line is None and "at end of document" in str(error):  # cut short: the last line
            line = text.rstrip("\n").count("\n") + 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        problems.append(Problem(file, line, "", f"is not valid TOML: {message}"))
        return None


def _load_field(check: _FileChecker, table: dict, path: tuple) -> Field | None:
    ident = check.ident(table, path)
    kind = table.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        if "kind" not in table:
            check.problem(path, f"missing 'kind': one of {', '.join(FIELD_KINDS)}", None, ident)
        else:
            import difflib

            hint = difflib.get_close_matches(str(kind), FIELD_KINDS, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; use one of {', '.join(FIELD_KINDS)}"
            check.problem(path, f"unknown kind {kind!r}{suggestion}", "kind", ident)
        check.string(table, path, "prompt", ident=ident)
        return None
    rules = KINDS[kind]
    check.keys(table, path, COMMON_KEYS | rules.keys, ident)
    values: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "prompt": check.string(table, path, "prompt", ident=ident),
        "help": check.string(table, path, "help", required=False, ident=ident),
        "required": check.boolean(table, path, "required", True, ident),
    }
    if "placeholder" in rules.keys:
        values["placeholder"] = check.string(table, path, "placeholder", required=False, ident=ident)
    if "options" in rules.keys:
        values["options"] = _load_options(check, table, path, "options", ident, "option")
        fewest = 2 if kind == "choice" else 1
        if 0 < len(values["options"]) < fewest:
            check.problem(path, f"a choice needs at least {fewest} options to choose from", "options", ident)
    if "support" in rules.keys and "support" in table:
        support = table["support"]
        if not isinstance(support, list) or not all(isinstance(s, str) for s in support):
            check.problem(path, '\'support\' must be a list of option ids, like ["yes", "not-sure"]', "support", ident)
        else:
            known = {o.id for o in values["options"]}
            for option_id in support:
                if check.control(option_id, path, "support", ident):
                    continue
                if option_id not in known:
                    check.problem(
                        path,
                        f'support lists "{for_terminal(option_id)}", which is not one of this field\'s option ids',
                        "support",
                        ident,
                    )
            values["support"] = tuple(support)
    if "min" in rules.keys:
        low = check.integer(table, path, "min", None, ident)
        high = check.integer(table, path, "max", None, ident)
        if low is not None and high is not None:
            if low >= high:
                check.problem(path, f"'min' must be less than 'max' (found min = {low}, max = {high})", "min", ident)
            elif high - low + 1 > MAX_SCALE_POINTS:
                check.problem(
                    path,
                    f"a scale can have at most {MAX_SCALE_POINTS} points (found {high - low + 1}): narrow min..max",
                    "max",
                    ident,
                )
            values["min"], values["max"] = low, high
        values["min_label"] = check.string(table, path, "min_label", ident=ident)
        values["max_label"] = check.string(table, path, "max_label", ident=ident)
    if "statements" in rules.keys:
        values["statements"] = _load_options(check, table, path, "statements", ident, "statement")
    if "item_label" in rules.keys:
        values["item_label"] = check.string(table, path, "item_label", required=False, ident=ident)
        min_items = check.integer(table, path, "min_items", 1, ident)
        if min_items is not None and min_items < 0:
            check.problem(path, "'min_items' cannot be negative", "min_items", ident)
        values["min_items"] = min_items if min_items and min_items > 0 else 1
    return Field(**values)


def _load_options(
    check: _FileChecker, table: dict, path: tuple, key: str, field_id: str, what: str
) -> tuple[Option, ...]:
    options: list[Option] = []
    for index, item in enumerate(check.tables(table, path, key, field_id, what=what)):
        item_path = path + (key, index)
        check.keys(item, item_path, {"id", "label"})
        ident = check.ident(item, item_path)
        label = check.string(item, item_path, "label", ident=ident)
        options.append(Option(ident, label))
    check.unique([(o.id, path + (key, i)) for i, o in enumerate(options)], what)
    return tuple(options)


def _load_chapter(file: Path, data: dict, text: str, problems: list[Problem]) -> Chapter:
    check = _FileChecker(file, text, problems)
    root: tuple = ()
    check.keys(data, root, {"id", "title", "summary", "intro", "pages"})
    chapter_id = check.ident(data, root)
    pages: list[Page] = []
    for p_index, page_table in enumerate(check.tables(data, root, "pages", what="page ([[pages]])")):
        p_path = ("pages", p_index)
        check.keys(page_table, p_path, {"id", "title", "text", "fields"})
        page_id = check.ident(page_table, p_path)
        fields = []
        for f_index, field_table in enumerate(
            check.tables(page_table, p_path, "fields", page_id, what="field ([[pages.fields]])")
        ):
            field = _load_field(check, field_table, p_path + ("fields", f_index))
            if field is not None:
                fields.append((field, p_path + ("fields", f_index)))
        check.unique([(f.id, path) for f, path in fields], "field")
        pages.append(
            Page(
                id=page_id,
                title=check.string(page_table, p_path, "title", ident=page_id),
                text=check.string(page_table, p_path, "text", required=False, ident=page_id),
                fields=tuple(f for f, _ in fields),
            )
        )
    check.unique([(p.id, ("pages", i)) for i, p in enumerate(pages)], "page")
    return Chapter(
        id=chapter_id,
        title=check.string(data, root, "title"),
        summary=check.string(data, root, "summary"),
        intro=check.string(data, root, "intro", required=False),
        pages=tuple(pages),
        path=file,
    )


def _load_support(file: Path, data: dict, text: str, problems: list[Problem]) -> Support:
    check = _FileChecker(file, text, problems)
    root: tuple = ()
    check.keys(data, root, {"title", "intro", "region_note", "emergency", "resources"})
    resources = []
    for index, table in enumerate(check.tables(data, root, "resources", what="resource ([[resources]])")):
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
        title=check.string(data, root, "title"),
        intro=check.string(data, root, "intro"),
        region_note=check.string(data, root, "region_note", required=False),
        emergency=check.string(data, root, "emergency"),
        resources=tuple(resources),
    )


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
    parsed = _read_toml(index_file, problems)
    if parsed is None:
        return None, problems
    data, text = parsed
    check = _FileChecker(index_file, text, problems)
    check.keys(data, (), {"id", "title", "version", "description", "chapters"})
    workbook_id = check.ident(data, ())
    title = check.string(data, (), "title")
    version = check.string(data, (), "version")
    description = check.string(data, (), "description", required=False)
    listed = data.get("chapters")
    if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
        check.problem(
            (),
            'chapters must be a list of chapter ids, like chapters = ["first-chapter", "second-chapter"]',
            "chapters",
        )
        listed = []
    for chapter_id in listed:
        check.control(chapter_id, (), "chapters")
    for duplicate in sorted({c for c in listed if listed.count(c) > 1}):
        check.problem((), f'chapter "{for_terminal(duplicate)}" is listed twice in chapters', "chapters")

    chapters: dict[str, Chapter] = {}
    unreadable: list[str] = []
    for file in sorted(folder.glob("*.toml")):
        if file.name in (WORKBOOK_FILE, SUPPORT_FILE):
            continue
        parsed_chapter = _read_toml(file, problems)
        if parsed_chapter is None:
            unreadable.append(file.name)
            continue
        chapter = _load_chapter(file, *parsed_chapter, problems)
        if chapter.id and chapter.id in chapters:
            problems.append(
                Problem(
                    file,
                    1,
                    "",
                    f'chapter id "{for_terminal(chapter.id)}" is also used by {chapters[chapter.id].path.name}',
                )
            )
        elif chapter.id and chapter.id not in listed:
            problems.append(
                Problem(
                    file,
                    1,
                    "",
                    f'chapter "{for_terminal(chapter.id)}" is not listed in {WORKBOOK_FILE}: add it to chapters, or move the file out of this folder',
                )
            )
        chapters.setdefault(chapter.id, chapter)
    for chapter_id in listed:
        if chapter_id not in chapters:
            hint = f" (it may be in {', '.join(unreadable)}, which could not be read: see above)" if unreadable else ""
            quoted = for_terminal(chapter_id)
            check.problem(
                (),
                f'chapter "{quoted}" is listed, but no file in {for_terminal(folder)} has id = "{quoted}"{hint}',
                "chapters",
            )

    support_file = folder / SUPPORT_FILE
    if not support_file.is_file():
        # Safety resources are part of the product: a workbook without its own gets ours.
        support_file = builtin_workbook_dir() / SUPPORT_FILE
    parsed_support = _read_toml(support_file, problems)
    support = _load_support(support_file, *parsed_support, problems) if parsed_support else None

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


def load_workbook(folder: Path | None = None) -> Workbook:
    """Load a workbook folder (the built-in one by default), or raise :class:`WorkbookError`."""
    workbook, problems = check_workbook(Path(folder) if folder else builtin_workbook_dir())
    if workbook is None:
        raise WorkbookError(problems)
    return workbook
