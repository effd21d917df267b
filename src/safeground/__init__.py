"""Safe Ground: a terminal workbook for cultivating emotional safety in a relationship.

The package is split in two: a core (content, progress, storage, export, command line) that never
imports Textual, and the app (``safeground.app``, ``screens``, ``widgets``) as thin screens over it.
"""

__version__ = "0.1.0"
