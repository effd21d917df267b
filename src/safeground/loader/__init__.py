"""Read a workbook folder and check every part of it.

Workbooks are written by people (therapists, coaches) in a text editor, so loading is strict and
kind: every problem is collected, not just the first, and each one names the file, the line where
we can find it, the table's path (``pages[2].fields[1]``, counted from 1 as people count) and what to
change. Nothing here raises anything but :class:`WorkbookError`.

Where to look:

- :mod:`.folder` — the folder as a whole: ``workbook.toml``, its chapter list, the support file;
  :func:`check_workbook` and :func:`load_workbook`.
- :mod:`.files` — one file: read as TOML (:mod:`safeground.tomlparse` places errors on their
  line), then checked as a chapter (its pages) or as the support file.
- :mod:`.fields` — a page's fields: the common keys, then one check per kind (``KIND_CHECKS``).
- :mod:`.values` — typed reads from a table (text, ids, numbers, lists of tables), each refusing
  control characters on the way.
- :mod:`.text` — which text may hold what (ids, :data:`PROSE_KEYS`), since a workbook folder may
  come from anyone.
- :mod:`.problems` — :class:`Problem` and :class:`WorkbookError`: how each problem is said.
"""

from __future__ import annotations

from safeground.loader.fields import KIND_CHECKS, MAX_SCALE_POINTS
from safeground.loader.files import MAX_FILE_BYTES
from safeground.loader.folder import (
    SUPPORT_FILE,
    WORKBOOK_FILE,
    builtin_workbook_dir,
    check_workbook,
    load_workbook,
)
from safeground.loader.problems import Problem, WorkbookError
from safeground.loader.text import ID_PATTERN, PROSE_KEYS

__all__ = [
    "ID_PATTERN",
    "KIND_CHECKS",
    "MAX_FILE_BYTES",
    "MAX_SCALE_POINTS",
    "PROSE_KEYS",
    "SUPPORT_FILE",
    "WORKBOOK_FILE",
    "Problem",
    "WorkbookError",
    "builtin_workbook_dir",
    "check_workbook",
    "load_workbook",
]
