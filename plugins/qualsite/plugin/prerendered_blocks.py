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
compares whole sites built both ways). It does so only while qualsite's own
pages are rendered, and only for blocks whose end a blank-line split finds
unambiguously:

- the block starts a chunk between blank lines with an opening tag that
  Python-Markdown treats as a block (``<figure``, ``<ul``, ``<div`` ...),
  and that chunk ends with the same element's closing tag, which closes the
  opening one (no sibling after it);
- the chunk holds no comment, script, style, CDATA or processing
  instruction (where a parser reads tags differently), and no ``markdown``
  attribute (md_in_html renders those blocks' content as Markdown);
- the page has no fenced code block, inside which the chunk would be code.

Anything else is left for Python-Markdown to read as before. The ids of the
blocks set aside are added to MkDocs' record of the page's anchors, so that
a link to ``categories/x.md#excerpt-x12`` is still validated.
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
_OPENING = re.compile(r"<([a-z][a-z0-9]*)[\s>]")
#: Where an HTML parser stops reading tags as tags, or md_in_html steps in.
_UNCLEAR = re.compile(r"<!|<\?|<script|<style|<textarea|<[a-z][^>]*\smarkdown[\s=>]", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)>")
_ANCHOR_ATTRIBUTE = re.compile(r"""(?<=\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TAG_PATTERNS: dict[str, re.Pattern[str]] = {}
_SELF_CLOSED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*/>")
_LINE_START_TAG = re.compile(r"^ {0,3}<([a-zA-Z][a-zA-Z0-9]*)", re.MULTILINE)
#: Block-level tags that have no closing tag.
_VOID = frozenset({"hr"})

#: Python-Markdown's name for MkDocs' preprocessor that gathers raw HTML ids.
MKDOCS_RAW_HTML = "mkdocs_raw_html"


def _tag_pattern(tag: str) -> re.Pattern[str]:
    pattern = _TAG_PATTERNS.get(tag)
    if pattern is None:
        pattern = _TAG_PATTERNS[tag] = re.compile(rf"<(/?){tag}[\s>]", re.IGNORECASE)
    return pattern


def whole_block(chunk: str) -> bool:
    """Whether ``chunk`` (text between blank lines) is one block-level HTML
    element, opened at its start and closed at its end, that any HTML parser
    would read the same way."""
    opening = _OPENING.match(chunk)
    if opening is None:
        return False
    tag = opening.group(1)
    if tag not in _BLOCK_TAGS or not chunk.endswith(f"</{tag}>") or _UNCLEAR.search(chunk):
        return False
    return _closing(chunk, tag, 0, 0) == len(chunk)


def _closing(text: str, tag: str, start: int, depth: int) -> int | None:
    """Where the element open ``depth`` deep (0: opened at ``start``) ends
    in ``text``: the end of its closing tag, or None if it goes on."""
    for mark in _tag_pattern(tag).finditer(text, start):
        depth += -1 if mark.group(1) else 1
        if depth == 0:
            return mark.end()
    return None


@dataclass
class _Region:
    """Raw HTML that a chunk opened and a later one closes: Python-Markdown
    keeps it whole, blank lines and all, as one block."""

    tag: str
    depth: int

    def end_in(self, chunk: str) -> int | None:
        """Where the region ends in ``chunk``, if it does."""
        end = _closing(chunk, self.tag, 0, self.depth)
        if end is None:
            self.depth = _depth_at_end(chunk, self.tag, 0, self.depth)
        return end

    def could_end_in(self, chunk: str) -> bool:
        return _tag_pattern(self.tag).search(chunk) is not None


def _region_left_open(chunk: str, block_level: Collection[str]) -> _Region | None:
    """The raw HTML that ``chunk`` opens (a block-level tag at the start of
    a line) and does not close; ``chunk`` holds no comment or script."""
    after = 0
    for line_start in _LINE_START_TAG.finditer(chunk):
        at = line_start.start(1) - 1  # the "<"
        name = line_start.group(1).lower()
        if at < after or name not in block_level or name in _VOID:
            continue  # inside a block this chunk has already closed, or no block
        end = _closing(chunk, name, at, 0)
        if end is None:
            return _Region(name, _depth_at_end(chunk, name, at, 0))
        after = end
    return None


def _unclear(chunk: str, block_level: Collection[str]) -> bool:
    if _UNCLEAR.search(chunk):
        return True
    # A block's tag closed as an empty one, "<div/>", which Python-Markdown
    # reads in ways of its own.
    return any(tag.lower() in block_level for tag in _SELF_CLOSED.findall(chunk))


def _depth_at_end(text: str, tag: str, start: int, depth: int) -> int:
    for mark in _tag_pattern(tag).finditer(text, start):
        depth += -1 if mark.group(1) else 1
    return depth


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
        if not (chunk.startswith("<") and whole_block(chunk)) and _unclear(chunk, block_level):
            # A script, a comment, a Markdown attribute: where a block ends
            # is the HTML parser's to find from here on.
            break
        if region is None:
            if chunk.startswith("<") and whole_block(chunk):
                blocks.append(chunk)
                # Stashed as Python-Markdown stashes a block followed by a
                # blank line: with its newline.
                chunks[index] = store(chunk + "\n")
            else:
                region = _region_left_open(chunk, block_level)
        elif chunk.startswith("<") and whole_block(chunk) and not region.could_end_in(chunk):
            # Inside another block, it is that block's text, blank lines
            # around it and all: the placeholder stands for the text alone.
            blocks.append(chunk)
            chunks[index] = store(chunk)
        else:
            end = region.end_in(chunk)
            if end is not None:
                # What follows the end on its line may open another block.
                region = _region_left_open(chunk[end:], block_level)
    return "\n\n".join(chunks), blocks


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids in ``blocks`` (and ``name`` of ``<a>``), as MkDocs records them."""
    found: set[str] = set()
    for block in blocks:
        for tag, attributes in _START_TAG.findall(block):
            for name, double, single, bare in _ANCHOR_ATTRIBUTE.findall(attributes):
                if name == "id" or tag.lower() == "a":
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
