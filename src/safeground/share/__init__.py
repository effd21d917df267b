"""Sharing chosen pages with a partner as a file, and comparing two people's answers.

Partners answer privately, each in their own profile or on their own computer; each then shares
only the pages they choose, as a plain TOML file (``docs/share-format.md``). Nothing here reads
another profile: the only way one person's answers reach another is a share file they made.

- :mod:`.fileformat`: what a share file holds, writing it, and reading one back with every check
  (size, format version, workbook, shape) a file from someone else needs.
- :mod:`.choosing`: which pages may be shared, and what of them: completed pages, never a private
  question, whatever is asked for.
- :mod:`.compare`: the two sets of answers side by side, page by page, matched by ids.
- :mod:`.sheet`: the comparison as a printable conversation sheet, through the export renderers.

No Textual here.
"""
