"""What can go wrong when exporting or printing, each said in one plain sentence.

In a module of their own so that every part of the export (choosing pages, writing files,
printing) can raise them without importing the others.
"""

from __future__ import annotations


class ExportError(Exception):
    """Something the person asked to export or print cannot be done, said in one plain sentence."""


class NothingToExport(ExportError):
    """No page matches: nothing is complete yet (or no draft, with drafts asked for)."""

    def __init__(self, message: str, include_drafts: bool = False):
        self.include_drafts = include_drafts
        super().__init__(message)


class UnknownChapter(ExportError):
    """A chapter id that the workbook does not have."""

    def __init__(self, unknown: list[str], valid: list[str]):
        self.unknown = unknown
        self.valid = valid
        names = ", ".join(repr(u) for u in unknown)
        super().__init__(f"no chapter {names} in this workbook; its chapters are: {', '.join(valid)}")
