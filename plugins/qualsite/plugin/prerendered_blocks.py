"""qualsite's own HTML blocks handed to Markdown as already rendered.

A generated page (a category's, the tables, the Print page's sections) is
Markdown made of a few headings between blocks of HTML that qualsite's
templates wrote: an excerpt's ``<figure>``, a list of related categories.
Python-Markdown reads every such block with an HTML parser only to find
where it ends and to set it aside untouched, and MkDocs reads it a second
time for its ids; on the 10,000-excerpt benchmark study those two readings
were half of a plain MkDocs build of the same pages (7.7 s of 15 s in a
profile).

:class:`PrerenderedBlocks` sets those blocks aside before either parser
runs, in Python-Markdown's own stash, as its HTML-block preprocessor would
have: the same text, so the page's HTML is the same to the byte (a test
compares whole sites built both ways, another the HTML of generated
Markdown). It does so only while qualsite's own pages are rendered, and
only where a blank-line split finds the blocks unambiguously:

- a block is a chunk between blank lines that starts with an opening tag
  Python-Markdown treats as a block (``<figure``, ``<ul``, ``<div`` ...)
  and ends with the closing tag that closes it (no sibling after it);
- every ``<`` in it starts a plain tag: attributes quoted or bare, no
  ``<`` or ``>`` in a value, no ``markdown`` attribute (md_in_html renders
  such a block's content); no comment, script, style, CDATA or processing
  instruction, where a parser reads on in ways of its own; every ``&``
  starts a whole character reference (the parser would add a ``;``);
- a block inside another element that a chunk opened and a later one
  closes is set aside as that element's text; from a chunk whose blocks
  cannot be followed so (an element opened mid-line, an unclear tag), the
  rest of the page is left to the parsers, as is a page with a fenced code
  block, inside which a chunk would be code.

The ids of the blocks set aside are added to MkDocs' record of the page's
anchors, read as MkDocs' parser reads them, so that a link to
``categories/x.md#excerpt-x12`` is still validated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

#: Tags that start a raw block in Python-Markdown (its ``block_level_elements``)
#: and that qualsite's templates open a block with.
_BLOCK_TAGS = frozenset(
    {
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "figure",
        "footer",
        "header",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "ul",
    }
)
#: Elements whose content an HTML parser reads as text, not tags (Python's
#: own: script and style; others' and later versions': the rest).
_RAW_TEXT = re.compile(r"<(?:script|style|xmp|plaintext|iframe|noembed|noframes)(?=[\s/>])", re.I)
#: Elements whose content a later Python's parser reads as text: unclear
#: only when that content holds a "<" of its own.
_TEXT_WITH_TAGS = re.compile(r"<(title|textarea)(?=[\s/>])[^>]*>[^<]*<(?!/\1\s*>)", re.I)
#: Block-level tags that have no closing tag.
_VOID = frozenset({"hr"})

# A tag as qualsite's templates write one: a name, then attributes, each
# bare or with a value (quoted, or plain) that holds no "<" or ">"; or an
# end tag.
_ATTRIBUTE = r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(
    rf"<([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTRIBUTE})*)\s*(/?)>|</([a-zA-Z][a-zA-Z0-9-]*)\s*>"
)
_ATTRIBUTE_PARTS = re.compile(
    r"""\s+([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+)))?"""
)
# Once every "<" is known to start a tag whose values hold no "<" or ">",
# a tag is "<" up to the next ">".
_MARKDOWN_ATTRIBUTE = re.compile(r"<[^<>]*\smarkdown(?=[\s=/>])", re.I)
_ANCHOR_TAG = re.compile(r"<[a-zA-Z][^<>]*\s(?:id|name)\s*=[^<>]*>", re.I)
# An "&" that does not start a whole character reference.
_LOOSE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
_NAMED_TAGS: dict[str, re.Pattern[str]] = {}

#: Python-Markdown's name for MkDocs' preprocessor that gathers raw HTML ids.
MKDOCS_RAW_HTML = "mkdocs_raw_html"


def _plain(chunk: str) -> bool:
    """Whether every "<" in ``chunk`` starts a plain tag and the rest is
    plain text (see the module's description)."""
    return not (
        "<" in _TAG.sub("", chunk)  # a comment, an instruction, a value with "<" or ">"
        or _RAW_TEXT.search(chunk)
        or _TEXT_WITH_TAGS.search(chunk)
        or _MARKDOWN_ATTRIBUTE.search(chunk)
        or _LOOSE_AMPERSAND.search(chunk)
    )


def _named_tags(name: str) -> re.Pattern[str]:
    """The start and end tags of ``name``: "/" first if an end tag, "/" last
    if written empty ("<div/>"). Exact in a chunk that is _plain."""
    pattern = _NAMED_TAGS.get(name)
    if pattern is None:
        pattern = re.compile(rf"<(/?){name}(?:\s[^<>]*?)?(/?)>", re.I)
        _NAMED_TAGS[name] = pattern
    return pattern


def _end_of(chunk: str, name: str, start: int, depth: int) -> int | None:
    """Where in ``chunk``, from ``start``, the element ``name`` open
    ``depth`` deep ends (after its end tag); None if it goes on."""
    for mark in _named_tags(name).finditer(chunk, start):
        closing, empty = mark.groups()
        if not empty:
            depth += -1 if closing else 1
            if depth == 0:
                return mark.end()
    return None


def _depth_at_end(chunk: str, name: str, start: int, depth: int) -> int:
    for mark in _named_tags(name).finditer(chunk, start):
        closing, empty = mark.groups()
        if not empty:
            depth += -1 if closing else 1
    return depth


_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")


def whole_block(chunk: str) -> bool:
    """Whether ``chunk`` (text between blank lines) is one block-level HTML
    element, opened at its start and closed at its end, that any HTML parser
    reads the same way."""
    opening = _OPENING.match(chunk)
    if opening is None:
        return False
    name = opening.group(1).lower()
    return (
        name in _BLOCK_TAGS
        and chunk[-len(name) - 1 :].lower() == f"{name}>"
        and _plain(chunk)
        and _end_of(chunk, name, 0, 0) == len(chunk)
    )


@dataclass
class _Region:
    """An element that a chunk opened and a later one closes: Python-Markdown
    keeps it whole, blank lines and all, as one block."""

    name: str
    depth: int


class _Unclear(Exception):
    """From here on, where the blocks end is the HTML parser's to find."""


def _left_open(chunk: str, start: int, block_level: Collection[str]) -> _Region | None:
    """The element that ``chunk`` (a _plain one) leaves open, from ``start``
    on: a block-level element opened at the start of a line and not closed.
    Raises _Unclear for any other block-level element left open."""
    position = start
    while True:
        mark = _TAG.search(chunk, position)
        if mark is None:
            return None
        name, empty = (mark.group(1) or "").lower(), mark.group(3)
        position = mark.end()
        if not name or name not in block_level or name in _VOID:
            continue  # an end tag, or no block
        if empty:
            raise _Unclear  # "<div/>": Python-Markdown reads it a way of its own
        end = _end_of(chunk, name, mark.start(), 0)
        if end is not None:
            position = end
            continue
        line_start = chunk.rfind("\n", 0, mark.start()) + 1
        indent = chunk[line_start : mark.start()]
        if indent.strip(" ") or len(indent) > 3:
            raise _Unclear  # opened mid-line (after a block that closed there: a block)
        return _Region(name, _depth_at_end(chunk, name, mark.start(), 0))


def set_aside(
    source: str, store: Callable[[str], str], block_level: Collection[str]
) -> tuple[str, list[str]]:
    """``source`` with each whole block replaced by what ``store`` gives for
    it (a stash placeholder), as Python-Markdown's HTML-block preprocessor
    would have stashed it, and the blocks set aside. ``block_level`` holds
    the tags that Python-Markdown reads as blocks."""
    if _FENCE.search(source):
        return source, []
    chunks = source.split("\n\n")
    blocks: list[str] = []
    region: _Region | None = None
    for index, chunk in enumerate(chunks):
        if "<" not in chunk:
            continue  # Markdown, or text inside the open element
        if whole_block(chunk) and (region is None or not _named_tags(region.name).search(chunk)):
            blocks.append(chunk)
            # A block followed by a blank line is stashed with its newline;
            # inside an open element, the placeholder stands for the text
            # alone, blank lines around it kept.
            chunks[index] = store(chunk if region is not None else chunk + "\n")
            continue
        if not _plain(chunk):
            break
        try:
            if region is None:
                region = _left_open(chunk, 0, block_level)
                continue
            end = _end_of(chunk, region.name, 0, region.depth)
            if end is None:
                region.depth = _depth_at_end(chunk, region.name, 0, region.depth)
            else:
                # What follows the end on its line may open another block.
                region = _left_open(chunk, end, block_level)
        except _Unclear:
            break
    return "\n\n".join(chunks), blocks


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids in ``blocks`` (_plain ones), and the ``name`` of an ``<a>``,
    as MkDocs' HTML parser records them: names in any case, values
    unescaped."""
    found: set[str] = set()
    for tag in _ANCHOR_TAG.findall("\n".join(blocks)):
        mark = _TAG.fullmatch(tag)
        if mark is None or mark.group(1) is None:
            continue
        is_link = mark.group(1).lower() == "a"
        for name, double, single, bare in _ATTRIBUTE_PARTS.findall(mark.group(2)):
            name = name.lower()
            if name == "id" or (name == "name" and is_link):
                found.add(unescape(double or single or bare))
    return found


class _SetAside(Preprocessor):
    def __init__(self, md: Markdown, applies: Callable[[], bool]) -> None:
        super().__init__(md)
        self.applies = applies
        self.blocks: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        self.blocks = []
        if not self.applies():
            return lines
        source, self.blocks = set_aside(
            "\n".join(lines), self.md.htmlStash.store, self.md.block_level_elements
        )
        return source.split("\n")


class _RecordAnchors(Preprocessor):
    """Adds the set-aside blocks' ids to what MkDocs' raw-HTML reader found."""

    def __init__(self, md: Markdown, blocks: _SetAside) -> None:
        super().__init__(md)
        self.set_aside = blocks

    def run(self, lines: list[str]) -> list[str]:
        if self.set_aside.blocks and MKDOCS_RAW_HTML in self.md.preprocessors:
            reader = self.md.preprocessors[MKDOCS_RAW_HTML]
            found = getattr(reader, "present_anchor_ids", None)
            if isinstance(found, set):
                found |= anchor_ids(self.set_aside.blocks)
        return lines


class OwnMarkdown:
    """Whether the Markdown being rendered now is qualsite's own: set from
    the moment the last plugin has seen a generated page's Markdown until
    its HTML is made."""

    def __init__(self) -> None:
        self.now = False

    def __call__(self) -> bool:
        return self.now

    @contextmanager
    def rendering(self) -> Iterator[None]:
        was, self.now = self.now, True
        try:
            yield
        finally:
            self.now = was


class PrerenderedBlocks(Extension):
    """The Markdown extension; ``applies`` says whether the page being
    rendered is one of qualsite's."""

    def __init__(self, applies: Callable[[], bool]) -> None:
        super().__init__()
        self.applies = applies

    def extendMarkdown(self, md: Markdown) -> None:
        blocks = _SetAside(md, self.applies)
        # After whitespace is normalised (30) and before MkDocs' raw-HTML
        # reader (21) and Python-Markdown's HTML-block reader (20).
        md.preprocessors.register(blocks, "qualsite_blocks", 21.5)
        md.preprocessors.register(_RecordAnchors(md, blocks), "qualsite_block_anchors", 20.5)
