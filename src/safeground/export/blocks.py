"""The workbook's own text (Markdown) as the few blocks paper needs.

The text is read by markdown-it-py, the parser that draws the same text on screen (Textual's
Markdown widget), so the page and the paper cannot disagree about what it means: what is bold,
where a list starts, what a backslash escapes. Raw HTML is off (``<script>`` is text, as it is on
screen), and the renderers escape every piece of text for their own format.

The blocks are few on purpose: paragraphs, headings, lists and quotes, each holding runs of text
with their emphasis (:class:`Span`). Whatever else Markdown has is read into one of those: a code
block is a paragraph of its text, a table one paragraph per row, a nested list a list of its own
between its parent's items, a link its text followed by its address. A rule (``---``) draws
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from safeground.export.cleaning import clean, clean_inline

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode


@dataclass(frozen=True)
class Span:
    """A run of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Quote:
    spans: Inline


Block = Paragraph | Heading | BulletList | Quote


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with tables, as the screen reads it ("gfm-like"), but with raw HTML off.

    Imported on first use: the command line's other commands never need it. Linkify is left off
    (a bare address reads the same either way) and so is strikethrough, which no renderer here
    can draw: ``~~this~~`` prints as written."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _tree(source: str) -> SyntaxTreeNode:
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_parser().parse(source))


class _Spans:
    """Builds an :data:`Inline`, joining neighbouring runs of the same emphasis."""

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def add(self, text: str, bold: bool, italic: bool) -> None:
        text = clean_inline(text)
        if not text:
            return
        last = self.spans[-1] if self.spans else None
        if last is not None and last.bold == bold and last.italic == italic:
            self.spans[-1] = Span(last.text + text, bold, italic)
        else:
            self.spans.append(Span(text, bold, italic))

    def inline(self, nodes: Sequence[SyntaxTreeNode], bold: bool = False, italic: bool = False) -> None:
        for node in nodes:
            kind = node.type
            if kind in ("text", "code_inline"):
                self.add(node.content, bold, italic)
            elif kind in ("softbreak", "hardbreak"):
                self.add(" ", bold, italic)
            elif kind == "strong":
                self.inline(node.children, True, italic)
            elif kind == "em":
                self.inline(node.children, bold, True)
            elif kind == "link":
                self._link(node, bold, italic)
            else:  # an image (its description) or anything a later parser adds: its text
                self.inline(node.children, bold, italic)

    def _link(self, node: SyntaxTreeNode, bold: bool, italic: bool) -> None:
        """A link's text, then its address in brackets: paper cannot be clicked. An address
        written as its own text (``<https://...>``) is written once."""
        start = len("".join(span.text for span in self.spans))
        self.inline(node.children, bold, italic)
        shown = "".join(span.text for span in self.spans)[start:]
        href = str(node.attrs.get("href", ""))
        if href and href not in (shown, f"mailto:{shown}"):
            self.add(f" ({href})", bold, italic)

    def result(self) -> Inline:
        """The runs, with the spaces at either end of the whole taken off (a line break that
        ended a paragraph, or an item's indentation, is not part of the text)."""
        spans = list(self.spans)
        if spans:
            spans[0] = Span(spans[0].text.lstrip(), spans[0].bold, spans[0].italic)
            spans[-1] = Span(spans[-1].text.rstrip(), spans[-1].bold, spans[-1].italic)
        return tuple(span for span in spans if span.text)


def _inline_of(nodes: Sequence[SyntaxTreeNode]) -> Inline:
    spans = _Spans()
    spans.inline(nodes)
    return spans.result()


def _joined(parts: Sequence[Inline]) -> Inline:
    """Several runs of inline text read as one, a space between each."""
    spans = _Spans()
    for index, part in enumerate(parts):
        if index:
            spans.add(" ", False, False)
        for span in part:
            spans.add(span.text, span.bold, span.italic)
    return spans.result()


def _text_of(node: SyntaxTreeNode) -> Inline:
    """A leaf block's inline text (a paragraph's, a heading's, a table cell's)."""
    return _inline_of(node.children[0].children) if node.children else ()


def _flat(blocks: Sequence[Block]) -> list[Inline]:
    """Blocks inside a quote or a list item, as runs of text in reading order."""
    parts: list[Inline] = []
    for block in blocks:
        parts.extend(block.items if isinstance(block, BulletList) else [block.spans])
    return parts


def _list(node: SyntaxTreeNode) -> Iterator[BulletList]:
    """A list, as one :class:`BulletList`; a list nested in an item splits it there: the items so
    far, the nested list, then the rest, numbered on from where they were (paper has no nesting
    here, but an item is never renumbered)."""
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 1
    start = number
    items: list[Inline] = []
    for item in node.children:
        inner = list(_blocks(item.children))
        head = _joined([block.spans for block in inner if not isinstance(block, BulletList)])
        nested = [block for block in inner if isinstance(block, BulletList)]
        if head:
            items.append(head)
            number += 1
        if nested:
            if items:
                yield BulletList(tuple(items), ordered, start)
            yield from nested
            items, start = [], number
    if items:
        yield BulletList(tuple(items), ordered, start)


def _blocks(nodes: Sequence[SyntaxTreeNode]) -> Iterator[Block]:
    for node in nodes:
        kind = node.type
        if kind == "paragraph":
            yield Paragraph(_text_of(node))
        elif kind == "heading":
            yield Heading(int(node.tag[1:]), _text_of(node))
        elif kind in ("bullet_list", "ordered_list"):
            yield from _list(node)
        elif kind == "blockquote":
            yield Quote(_joined(_flat(list(_blocks(node.children)))))
        elif kind in ("code_block", "fence"):
            yield Paragraph(_joined([(Span(line.strip()),) for line in node.content.split("\n") if line.strip()]))
        elif kind == "table":
            for row in (r for section in node.children for r in section.children):
                yield Paragraph(_joined(_with_bars([_text_of(cell) for cell in row.children])))
        elif kind != "hr":  # anything else holds blocks or text of its own
            yield from _blocks(node.children)


def _with_bars(cells: list[Inline]) -> list[Inline]:
    """A table row's cells, a ``|`` between each, as the row was written."""
    out: list[Inline] = []
    for index, cell in enumerate(cells):
        if index:
            out.append((Span("|"),))
        out.append(cell)
    return out


@lru_cache(maxsize=512)
def parse_text(source: str) -> tuple[Block, ...]:
    """A page's text (the workbook's Markdown) as blocks: paragraphs, headings, lists, quotes.
    The text is cleaned (:func:`~safeground.export.cleaning.clean`) before it is read; blocks
    with no text left are dropped.

    Remembered per text (the blocks are immutable): a workbook's pages do not change while it is
    open, and markdown-it takes about 0.13 ms a page, which made each export of the built-in
    workbook 2.7 ms slower than the regular expressions it replaced. The review screen and the
    print dialog build the same pages again; the second time costs nothing."""
    blocks = _blocks(_tree(clean(source)).children)
    return tuple(b for b in blocks if (b.items if isinstance(b, BulletList) else b.spans))


def parse_inline(text: str) -> Inline:
    """One line of the workbook's Markdown: ``**bold**``, ``*italic*``, ```code```, links and
    backslash escapes. Anything else is text as written: ``I feel ___ when ___`` keeps its
    blanks."""
    tokens = _parser().parseInline(clean(text, single_line=True))
    from markdown_it.tree import SyntaxTreeNode

    root = SyntaxTreeNode(tokens)
    return _inline_of(root.children[0].children) if root.children else ()


def plain(spans: Inline) -> str:
    """Spans without their emphasis."""
    return "".join(span.text for span in spans)
