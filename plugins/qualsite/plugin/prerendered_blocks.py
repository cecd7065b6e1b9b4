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
  and that the parser's stack of open elements (an end tag closes every
  element opened after its own) first empties at the chunk's last tag;
- every ``<`` in it starts a plain tag: HTML's spaces between its parts,
  attributes quoted or bare, no ``<`` or ``>`` in a value, no backtick
  where the parser takes none, no ``markdown`` attribute where md_in_html
  would render the block's content; no comment, script, style, CDATA or
  processing instruction, where a parser reads on in ways of its own;
  every ``&`` starts a whole character reference (the parser would add a
  ``;``);
- the chunks around the blocks are followed as the parser follows them, so
  that a block inside an element that one chunk opens and a later one
  closes is set aside as that element's text. Where the parser would hold
  text back for a later block (a reference or an empty tag after a block's
  end on its line) or read a chunk otherwise, the rest of the page is left
  to it, as is a page with a fenced code block, inside which a chunk would
  be code.

The ids of the blocks set aside are added to MkDocs' record of the page's
anchors, read as MkDocs' parser reads them, so that a link to
``categories/x.md#excerpt-x12`` is still validated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import partial
from html import unescape

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.md_in_html import HtmlBlockPreprocessor as MarkdownInHtmlReader
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

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
# Where an HTML parser reads a chunk in ways of its own: elements whose
# content it reads as text, not tags (Python's own: script and style;
# others' and later versions': the rest); title and textarea, which later
# versions read so, when their content holds a "<" of its own; a markdown
# attribute, which md_in_html renders; an "&" that does not start a whole
# character reference (the parser completes it). Once every "<" is known to
# start a tag whose values hold no "<" or ">", a tag is "<" up to the next ">".
# (Two patterns, each starting with its character, are found faster than
# one that tries both at every character.)
_UNCLEAR_TAG = re.compile(
    r"<(?:(?:script|style|xmp|plaintext|iframe|noembed|noframes)(?=[\s/>])"
    r"|(title|textarea)(?=[\s/>])[^>]*>[^<]*<(?!/\1\s*>))",
    re.IGNORECASE,
)
_MARKDOWN_ATTRIBUTE = re.compile(r"<[^<>]*\smarkdown(?=[\s=/>])", re.IGNORECASE)
_LOOSE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)")
# HTML's whitespace between a tag's parts (Python's "\s" would take a
# no-break space too, which the parser reads as part of a name).
_SPACE = "[ \t\n\r\f]"
# A tag as qualsite's templates write one: a name, then attributes, each
# bare or with a value (quoted, or plain) that holds no "<" or ">"; or an
# end tag. Python-Markdown's parser takes no backtick in a name or a plain
# value.
_VALUE = r"""(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+)"""
_ATTRIBUTE = rf"""{_SPACE}+[^\s"'<>/=`][^\s"'<>/=]*(?:{_SPACE}*={_SPACE}*{_VALUE})?"""
_TAG = re.compile(
    rf"<([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTRIBUTE})*){_SPACE}*(/?)>|</([a-zA-Z][a-zA-Z0-9-]*){_SPACE}*>"
)
# A tag or a character reference: what the parser reports besides text.
_TOKEN = re.compile(rf"{_TAG.pattern}|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_ATTRIBUTE_PARTS = re.compile(
    rf"""{_SPACE}+([^\s"'<>/=`][^\s"'<>/=]*)(?:{_SPACE}*(={_SPACE}*)(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+)))?"""
)
_ANCHOR_TAG = re.compile(r"<[a-zA-Z][^<>]*\s(?:id|name)\s*=[^<>]*>", re.IGNORECASE)
# A chunk's first tag, as the start of a block.
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[ \t\n\r\f>]")
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
#: The tags Python-Markdown's parser reads as empty, whatever follows them.
_EMPTY = frozenset({"hr"})

#: Python-Markdown's name for MkDocs' preprocessor that gathers raw HTML ids.
MKDOCS_RAW_HTML = "mkdocs_raw_html"
#: The name md_in_html gives the block processor that renders what a
#: ``markdown`` attribute marks.
MD_IN_HTML = "markdown_block"
#: Python-Markdown's name for its HTML-block reader (md_in_html's takes it too).
HTML_BLOCK = "html_block"
_SET_ASIDE = "qualsite_blocks"
_RECORD_ANCHORS = "qualsite_block_anchors"


_Tags = list[tuple[str, str, str, str]]  # (start tag's name, attributes, "/", end tag's name)


def _plain_tags(chunk: str, markdown_attributes: bool) -> _Tags | None:
    """The tags of ``chunk`` if every "<" in it starts a plain tag and the
    rest is plain text (see the module's description); else None.
    ``markdown_attributes``: whether md_in_html reads them (else a
    ``markdown`` attribute is as any other)."""
    tags: _Tags = _TAG.findall(chunk)
    # One tag for each "<": no comment, no instruction, no value with "<" or ">".
    if len(tags) != chunk.count("<") or _UNCLEAR_TAG.search(chunk):
        return None
    if markdown_attributes and _MARKDOWN_ATTRIBUTE.search(chunk):
        return None
    if "&" in chunk and _LOOSE_AMPERSAND.search(chunk):
        return None
    return tags


def _close(stack: list[str], name: str) -> bool:
    """An end tag as the parser reads it: if ``name`` is open, close it and
    every element opened after it; whether it was open."""
    if name not in stack:
        return False
    while stack.pop() != name:
        pass
    return True


class _Unclear(Exception):
    """From here on, where the blocks end is the HTML parser's to find."""


def _at_line_start(chunk: str, position: int) -> bool:
    """As Python-Markdown's parser has it: up to three spaces before."""
    line_start = chunk.rfind("\n", 0, position) + 1
    return position - line_start <= 3 and not chunk[line_start:position].strip()


def _follow(chunk: str, stack: list[str], block_level: Collection[str]) -> None:
    """Follow Python-Markdown's parser through a plain ``chunk`` as it
    finds raw blocks: ``stack`` holds the elements open in the raw block
    that the chunk begins inside (empty if none), and is left holding those
    open at its end. Raises _Unclear where the parser would hold something
    back for a later block (a reference or an empty tag after a block's end
    on its line) or make an empty block of its own."""
    in_tail = False  # after a block's end, on the same line
    last = 0
    for mark in _TOKEN.finditer(chunk):
        if in_tail and "\n" in chunk[last : mark.start()]:
            in_tail = False
        last = mark.end()
        opening, _, empty, closing = mark.groups()
        if closing is not None:
            if stack and _close(stack, closing.lower()) and not stack:
                # A block ended: a blank line after it (the chunk's end), or
                # more on its line.
                in_tail = bool(chunk[last:].strip(" "))
        elif opening is None:  # a character reference
            if in_tail and not stack:
                raise _Unclear
        else:
            name = opening.lower()
            if empty or name in _EMPTY:
                if not stack and (
                    in_tail or (name in block_level and _at_line_start(chunk, mark.start()))
                ):
                    raise _Unclear
            elif stack or (
                # A raw block starts.
                name in block_level and (in_tail or _at_line_start(chunk, mark.start()))
            ):
                stack.append(name)


def _self_contained(chunk: str) -> bool:
    """Whether a _plain ``chunk``, read inside an open raw block, closes
    every element it opens and no element opened before it."""
    stack: list[str] = []
    for opening, _, empty, closing in _TAG.findall(chunk):
        if closing:
            if not _close(stack, closing.lower()):
                return False
        elif not empty and opening.lower() not in _EMPTY:
            stack.append(opening.lower())
    return not stack


def whole_block(
    chunk: str, block_level: Collection[str] = _BLOCK_TAGS, *, markdown_attributes: bool = True
) -> bool:
    """Whether ``chunk`` (text between blank lines, outside any raw block)
    is one block-level HTML element, opened at its start and closed at its
    end, that Python-Markdown stashes whole (``block_level``: the tags it
    reads as blocks; ``markdown_attributes``: whether md_in_html is on)."""
    opening = _OPENING.match(chunk)
    if opening is None or not chunk.endswith(">"):
        return False
    first = opening.group(1).lower()
    if first not in _BLOCK_TAGS or first not in block_level:
        return False
    tags = _plain_tags(chunk, markdown_attributes)
    if tags is None:
        return False
    # The last "<" starts the last tag, which must end the chunk.
    last_tag = _TAG.match(chunk, chunk.rfind("<"))
    if last_tag is None or last_tag.end() != len(chunk):
        return False
    # The parser's stack of open elements in the raw block that the first
    # tag opens: the block is whole if it first empties at the last tag.
    stack: list[str] = []
    for index, (opening_name, _, empty, closing_name) in enumerate(tags):
        if closing_name:
            if _close(stack, closing_name.lower()) and not stack:
                return index == len(tags) - 1
        else:
            name = opening_name.lower()
            if not (empty or name in _EMPTY):
                stack.append(name)
            elif not stack:
                return False  # an empty first tag: no block opens
    return False


def set_aside(
    source: str,
    store: Callable[[str], str],
    block_level: Collection[str],
    *,
    markdown_attributes: bool = True,
) -> tuple[str, list[str]]:
    """``source`` with each whole block replaced by what ``store`` gives for
    it (a stash placeholder), as Python-Markdown's HTML-block preprocessor
    would have stashed it, and the blocks set aside. ``block_level`` holds
    the tags that Python-Markdown reads as blocks; ``markdown_attributes``
    says whether md_in_html renders blocks that have one."""
    whole = partial(whole_block, block_level=block_level, markdown_attributes=markdown_attributes)
    if _FENCE.search(source):
        return source, []
    chunks = source.split("\n\n")
    blocks: list[str] = []
    # The elements open in the raw block that goes on across blank lines.
    open_elements: list[str] = []
    for index, chunk in enumerate(chunks):
        if "<" not in chunk:
            continue  # Markdown, or text inside the open raw block
        if not open_elements and whole(chunk):
            blocks.append(chunk)
            # Stashed as the parser stashes a block a blank line follows.
            chunks[index] = store(chunk + "\n")
            continue
        if _plain_tags(chunk, markdown_attributes) is None:
            break
        if open_elements and whole(chunk) and _self_contained(chunk):
            blocks.append(chunk)
            # Inside the raw block, the placeholder stands for the text
            # alone, the blank lines around it kept.
            chunks[index] = store(chunk)
            continue
        try:
            _follow(chunk, open_elements, block_level)
        except _Unclear:
            break
    return "\n\n".join(chunks), blocks


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids in ``blocks`` (_plain ones), and the ``name`` of an ``<a>``,
    as MkDocs' HTML parser records them: names in any case, values
    unescaped (an attribute without a value names no anchor)."""
    found: set[str] = set()
    for tag in _ANCHOR_TAG.findall("\n".join(blocks)):
        mark = _TAG.fullmatch(tag)
        if mark is None or mark.group(1) is None:
            continue
        is_link = mark.group(1).lower() == "a"
        for name, equals, double, single, bare in _ATTRIBUTE_PARTS.findall(mark.group(2)):
            name = name.lower()
            if equals and (name == "id" or (name == "name" and is_link)):
                found.add(unescape(double or single or bare))
    return found


class _SetAside(Preprocessor):
    def __init__(self, md: Markdown, applies: Callable[[], bool]) -> None:
        super().__init__(md)
        self.applies = applies
        self.blocks: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        self.blocks = []
        if not self.applies() or not _stock_reading(self):
            return lines
        source, self.blocks = set_aside(
            "\n".join(lines),
            self.md.htmlStash.store,
            self.md.block_level_elements,
            markdown_attributes=MD_IN_HTML in self.md.parser.blockprocessors,
        )
        return source.split("\n")


class _RecordAnchors(Preprocessor):
    """Adds the set-aside blocks' ids to what MkDocs' raw-HTML reader found."""

    def __init__(self, md: Markdown, step: _SetAside) -> None:
        super().__init__(md)
        self.step = step

    def run(self, lines: list[str]) -> list[str]:
        if self.step.blocks and MKDOCS_RAW_HTML in self.md.preprocessors:
            reader = self.md.preprocessors[MKDOCS_RAW_HTML]
            found = getattr(reader, "present_anchor_ids", None)
            if isinstance(found, set):
                found |= anchor_ids(self.step.blocks)
        return lines


#: The HTML-block readers whose way of stashing a block set_aside follows:
#: Python-Markdown's own, and md_in_html's (which reads a block with no
#: markdown attribute the same way).
_STOCK_READERS = (HtmlBlockPreprocessor, MarkdownInHtmlReader)


def _stock_reading(step: _SetAside) -> bool:
    """Whether Markdown reads HTML blocks as set_aside expects: with a stock
    HTML-block reader, and nothing of another extension's between this
    step and it (which would see placeholders where it saw HTML)."""
    if HTML_BLOCK not in step.md.preprocessors:
        return False
    reader = step.md.preprocessors[HTML_BLOCK]
    steps = list(step.md.preprocessors)  # in the order they run
    if type(reader) not in _STOCK_READERS or step not in steps or reader not in steps:
        return False
    known = [
        step.md.preprocessors[name]
        for name in (MKDOCS_RAW_HTML, _RECORD_ANCHORS)
        if name in step.md.preprocessors
    ]
    between = steps[steps.index(step) + 1 : steps.index(reader)]
    return all(any(other is mine for mine in known) for other in between)


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
        step = _SetAside(md, self.applies)
        # After whitespace is normalised (30) and before MkDocs' raw-HTML
        # reader (21) and Python-Markdown's HTML-block reader (20).
        md.preprocessors.register(step, _SET_ASIDE, 21.5)
        md.preprocessors.register(_RecordAnchors(md, step), _RECORD_ANCHORS, 20.5)
