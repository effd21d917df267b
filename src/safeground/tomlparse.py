"""Reading TOML quickly, with the standard library's error messages, and finding where things are.

The loader (workbook folders) and storage (progress files) read TOML the same way: :func:`read`
turns bytes into a document or into a :class:`TomlError` with the line in plain words, and
:class:`LineIndex` / :func:`line_of_key` find the line where a key or table was written, since
tomllib gives no positions for values.

Parsing is most of the time it takes to open a large workbook and its progress file (100 chapters:
a quarter of a second with :mod:`tomllib`, which is pure Python). The ``tomli`` package, which
tomllib was taken from, ships compiled wheels that parse the same documents about three times
faster, so it is used when it is installed. When it rejects a document (or is missing), the text is
parsed again with tomllib, so that errors and their line numbers read exactly as before.

tomli is held below 2.4 (pyproject.toml): later versions also read TOML 1.1 (inline tables over
several lines, new escapes), so a workbook could pass ``safeground check`` here and fail where
only tomllib reads it. Below 2.4 both accept exactly TOML 1.0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_fast_loads: Callable[[str], dict[str, Any]] | None
try:
    from tomli import loads as _fast_loads
except ImportError:  # pragma: no cover - tomli is a dependency; tomllib alone is still correct
    _fast_loads = None


def __getattr__(name: str) -> Any:
    # ``TOMLDecodeError`` is tomllib's; tomllib itself is imported only when a document is
    # refused (or tomli is missing), which keeps it off the start-up path.
    if name == "TOMLDecodeError":
        import tomllib

        return tomllib.TOMLDecodeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, faster where tomli is installed. Raises what tomllib raises."""
    if _fast_loads is not None:
        try:
            return _fast_loads(text)
        except Exception:  # noqa: BLE001 - any refusal is reported by tomllib below, in its words
            pass
    import tomllib

    return tomllib.loads(text)


# -- reading a file's bytes, and saying where it goes wrong -----------------------------------------


class TomlError(Exception):
    """Bytes that are not a TOML document, with the line (and column) where that shows, if known.

    ``reason`` is in plain words and names no position: callers put the file and line in front of
    it in their own way (``path:line: ...``), and word the rest for who reads it.
    """

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


class NotUtf8(TomlError):
    """The bytes are not UTF-8 text, so not TOML either. ``line`` is where the first bad byte is."""


class NotToml(TomlError):
    """The text is not valid TOML. ``reason`` is tomllib's, without its "(at line 3, column 5)"."""


_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def decode(raw: bytes) -> str:
    """``raw`` as text, or :class:`NotUtf8` naming the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8("is not UTF-8 text", raw[: error.start].count(b"\n") + 1) from None


def parse(text: str) -> dict[str, Any]:
    """:func:`loads`, with every refusal turned into :class:`NotToml` with its line and column."""
    try:
        return loads(text)
    except RecursionError:  # tomllib recurses once per nesting level: "a = [[[[..." runs out of stack
        raise NotToml("its values are nested too deeply") from None
    except ValueError as error:  # TOMLDecodeError is one; tomllib is imported by now (see loads)
        import tomllib

        if not isinstance(error, tomllib.TOMLDecodeError):
            raise
        raise _not_toml(error, text) from None


def _not_toml(error: ValueError, text: str) -> NotToml:
    message = str(error)
    found = _POSITION.search(message)
    line = column = None
    if found and found.group(1):
        line, column = int(found.group(1)), int(found.group(2))
    elif found:  # cut short: the document ends on its last line
        line = text.rstrip("\n").count("\n") + 1
    return NotToml(_POSITION.sub("", message), line, column)


def read(raw: bytes) -> tuple[dict[str, Any], str]:
    """A file's bytes as a TOML document and its text, or :class:`NotUtf8` / :class:`NotToml`."""
    text = decode(raw)
    return parse(text), text


# -- finding the line where a key or table was written ---------------------------------------------

#: A key as people write it: bare (``my-key``) or in quotes without escapes (``"my key"``).
_ONE_KEY = r'(?:[A-Za-z0-9_\-]+|"[^"\\\n]*")'
_KEY = re.compile(rf"^\s*({_ONE_KEY}(?:\s*\.\s*{_ONE_KEY})*)\s*=")
_KEY_PART = re.compile(_ONE_KEY)
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")

#: A path into a document: table names and keys, with array items counted from 0
#: (``("pages", 1, "fields", 0, "prompt")``).
KeyPath = tuple[str | int, ...]


def _key_parts(written: str) -> KeyPath:
    """``a."b c".d`` → ``("a", "b c", "d")``."""
    return tuple(part.strip('"') for part in _KEY_PART.findall(written))


class LineIndex:
    """Finds, in a TOML document's text, the line where a table or a key was written.

    This follows the headers (``[answers.first]``, ``[[pages]]``, ``[[pages.fields]]``), the
    ``key =`` lines and ``options = [`` written one ``{id = ..., label = ...}`` per line, which is
    how workbook and progress files are written. Something written another way is not found, and
    callers fall back to naming the table's path. Built only when there is a problem to place:
    indexing every line costs about as much as parsing the document.
    """

    def __init__(self, text: str):
        self.tables: dict[KeyPath, int] = {(): 1}
        self.keys: dict[KeyPath, int] = {}
        self._counters: dict[KeyPath, int] = {}
        self._current: KeyPath = ()
        self._in_multiline: str | None = None
        #: Inside ``options = [`` written one inline table per line: the key's path.
        self._in_array: KeyPath | None = None
        self._items = 0
        # TOML counts lines by "\n" only (str.splitlines would also split at form feeds and the like).
        for number, line in enumerate(text.split("\n"), start=1):
            self._read_line(number, line)

    def _read_line(self, number: int, line: str) -> None:
        if self._in_multiline:
            if line.count(self._in_multiline) % 2 == 1:
                self._in_multiline = None
            return
        if self._in_array is not None and self._array_item(number, line.strip(), self._in_array):
            return
        header = _HEADER.match(line)
        if header:
            self._header(number, header.group(1), header.group(2))
            return
        key = _KEY.match(line)
        if key:
            self._key(number, _key_parts(key.group(1)), line[key.end() :])

    def _array_item(self, number: int, stripped: str, array: KeyPath) -> bool:
        """One line of the array at ``array``, written over several lines; True if it was one."""
        if stripped.startswith("{"):
            item = array + (self._items,)
            self.tables.setdefault(item, number)
            for name in _INLINE_KEY.findall(stripped):
                self.keys.setdefault(item + (name,), number)
            self._items += 1
            return True
        if stripped.startswith("]"):
            self._in_array = None
            return True
        return False

    def _header(self, number: int, brackets: str, written: str) -> None:
        names = tuple(part.strip().strip('"') for part in written.split("."))
        if brackets == "[[":
            array = self._resolve(names[:-1]) + (names[-1],)
            self._counters[array] = self._counters.get(array, -1) + 1
            self._current = array + (self._counters[array],)
        else:
            self._current = names
        self.tables.setdefault(self._current, number)

    def _key(self, number: int, names: KeyPath, rest: str) -> None:
        path = self._current + names
        self.keys.setdefault(path, number)
        for quote in ('"""', "'''"):
            if rest.count(quote) % 2 == 1:
                self._in_multiline = quote
        if rest.strip().startswith("[") and rest.count("[") > rest.count("]"):
            self._in_array, self._items = path, 0

    def _resolve(self, names: KeyPath) -> KeyPath:
        """Map ``pages.fields`` to ``pages, 2, fields`` using the array items we are inside."""
        resolved: KeyPath = ()
        rest = list(self._current)
        for name in names:
            resolved += (name,)
            if rest[: len(resolved)] == list(resolved) and len(rest) > len(resolved):
                index = rest[len(resolved)]
                if isinstance(index, int):
                    resolved += (index,)
        return resolved

    def exact(self, path: KeyPath) -> int | None:
        """The line where the key or table at ``path`` was written, or None if not found."""
        return self.keys.get(path) or (self.tables.get(path) if path else None)

    def nearest(self, path: KeyPath, key: str | None = None) -> int:
        """The line of ``key`` in the table at ``path``; failing that, of the nearest enclosing
        table or key written on a line of its own (an inline table such as ``options = [{id =
        ...}]`` has no header); failing all, the first line."""
        if key is not None and path + (key,) in self.keys:
            return self.keys[path + (key,)]
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.tables:
                return self.tables[path[:depth]]
            if path[:depth] in self.keys:
                return self.keys[path[:depth]]
        return 1


def line_of_key(text: str, dotted_key: str) -> int | None:
    """The line in ``text`` where ``dotted_key`` (``answers.first.words``) was written, or None."""
    if not dotted_key:
        return None
    # Split on dots only: the dotted key names ids and keys as they are, not as TOML quotes them.
    return LineIndex(text).exact(tuple(dotted_key.split(".")))
