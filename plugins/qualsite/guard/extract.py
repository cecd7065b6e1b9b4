"""What a reader can get out of each file of a finished site, as text.

The output gate does not trust how a file was made, so it reads each file
the way a reader (or a search engine, or a curious examiner with the page
source open) can: an HTML page as the text it shows, with markup that
splits a word (``Oak<b>wood</b>``, ``Oak<!-- -->wood``) joined up, and as
its source (attributes, addresses, comments, scripts), entities decoded;
a Word file, a REFI-QDA codebook or a zip by what is inside; a gzipped
sitemap unzipped. Each reading is a :class:`View`.

Markup is taken apart with regular expressions rather than a parser: the
gate reads tens of megabytes on a big study, must not be stopped by a
malformed file a user copied in, and needs text, not a tree.
"""

from __future__ import annotations

import codecs
import gzip
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath
from urllib.parse import unquote

#: Larger files inside an archive, or unpacked from gzip, are refused (an
#: archive bomb), and reported as unreadable.
MAX_UNPACKED_BYTES = 512 * 2**20


#: Stands between two units of a reading (two block elements of a page, two
#: strings of a JSON file): its letters stop a name, or a number, from being
#: read across it, as the eye does not read across two table cells.
BARRIER = "\n\x1fqx\x1f\n"


class Units(Enum):
    """How a reading falls into units that the gate need check only once
    per build (a site repeats its navigation on every page)."""

    WHOLE = "whole"  # none: read it whole (a CSV file, a Word document)
    LINES = "lines"  # its lines, each with the lines either side (page source)
    BLOCKS = "blocks"  # the pieces between barriers (text as shown, JSON strings)


@dataclass(frozen=True, slots=True)
class View:
    """One reading of a file."""

    text: str
    #: Personal-data patterns apply (text a reader sees, not code or markup).
    patterns: bool
    #: How the message names this reading: "its text", "its markup"...
    where: str
    units: Units = Units.WHOLE
    #: The deny-list applies.
    names: bool = True

    @property
    def lines(self) -> bool:
        """Whether a line of this reading is a line of the file."""
        return self.units is not Units.BLOCKS


@dataclass(frozen=True, slots=True)
class Member:
    """A file inside another (a zip's entry, a gzip's content)."""

    name: str
    data: bytes


#: Kinds of file that hold no text the gate can read (it reads their names).
OPAQUE_SUFFIXES = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".bmp",
        ".ico",
        ".tif",
        ".tiff",
        ".pdf",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".m4a",
        ".wav",
        ".ogg",
        ".webm",
        ".mov",
    ]
)
_MARKUP_SUFFIXES = frozenset(
    [
        ".html",
        ".htm",
        ".xhtml",
        ".xml",
        ".svg",
        ".rels",
        ".qde",
        ".qdc",
        ".opf",
        ".ncx",
        ".xsl",
        ".xsd",
        ".vml",
    ]
)
_PLAIN_SUFFIXES = frozenset(
    [
        ".txt",
        ".md",
        ".markdown",
        ".csv",
        ".tsv",
        ".tex",
        ".bib",
        ".cff",
        ".dot",
        ".gv",
        ".yml",
        ".yaml",
        ".rst",
        ".ris",
        ".log",
    ]
)
_CODE_SUFFIXES = frozenset([".js", ".mjs", ".css", ".map"])

# -- markup ----------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
# A tag's attributes up to its ">", with quoted values that may hold ">"
# (written as an unrolled loop: runs of plain characters are taken whole).
_TAG_BODY = r"[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>"
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template)\b" + _TAG_BODY + r".*?(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
# Tags, declarations and processing instructions (<!DOCTYPE>, <?xml?>).
_ANY_TAG = re.compile(r"<[/!?]?[A-Za-z]" + _TAG_BODY)
# Elements that sit inside a line of text: markup between two of them joins
# the letters either side into one word on the screen. HTML's phrasing
# elements, SVG's tspan, and Word's and OpenDocument's runs.
_INLINE_NAMES = [
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "big",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "mark",
    "nobr",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
    "tspan",
    "a:r",
    "a:t",
    "text:span",
    "text:a",
    "text:s",
]


def _merged(words: list[str]) -> str:
    """An alternation of ``words`` merged on their common beginnings: the
    regex engine tries the branches of a plain alternation one by one at
    every "<" of a page, and a page has thousands."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items(), key=lambda item: item[0] == ""):
        if first == "":
            branches.append("")
        else:
            branches.append(
                re.escape(first) + _merged(rests) if rests != [""] else re.escape(first)
            )
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# Word's markup inside a paragraph (runs, their formatting, bookmarks,
# proofing marks...) is all inline; these are the elements that break a line.
_WORD_BLOCKS = "p|tc|tr|tbl|br|cr|tab|body|sectPr|hdr|ftr|footnote|endnote|comment|txbxContent"
_INLINE_TAG = re.compile(
    r"</?(?:"
    + _merged(sorted({n.lower() for n in _INLINE_NAMES}))
    + rf"|w:(?!(?:{_WORD_BLOCKS})[\s/>])[A-Za-z]+)(?=[\s/>])"
    + _TAG_BODY,
    re.IGNORECASE,
)
# A line break inside a block: the words either side are on two lines of
# one paragraph, not in two blocks.
_LINE_BREAK = re.compile(r"<br\b" + _TAG_BODY, re.IGNORECASE)


def markup_views(markup: str) -> Iterator[View]:
    """An HTML or XML document's readings: its source, entities decoded and
    addresses unescaped (attributes, addresses, comments, scripts); and its
    text as shown, inline markup (``Oak<b>wood</b>``, ``Oak<!-- -->wood``)
    taken out and a barrier between blocks."""
    yield from source_views(markup, "its markup")
    yield from shown_views(markup)


def source_views(source: str, where: str) -> Iterator[View]:
    """Source with HTML's entities and addresses' escapes decoded; and, if
    it holds a backslash, once more with a script's or a stylesheet's escapes
    decoded too (read both ways: a backslash that is no escape must not hide
    the word after it)."""
    yield View(_decoded_source(source), False, where, Units.LINES)
    if "\\" in source:
        yield View(_decoded_source(_code_unescape(source)), False, where, Units.LINES)


def shown_views(markup: str) -> Iterator[View]:
    # Scripts, styles and templates show nothing where they stand: the text
    # either side of one runs on (Oak<script></script>wood is "Oakwood").
    body = _CDATA.sub(r"\1", _CODE_ELEMENTS.sub("", markup))
    body = _LINE_BREAK.sub("\n", _COMMENT.sub("", body))
    shown = _ANY_TAG.sub(BARRIER, _INLINE_TAG.sub("", body))
    yield View(html.unescape(shown), True, "its text", Units.BLOCKS)


def _decoded_source(markup: str) -> str:
    text = html.unescape(markup)
    return unquote(text) if "%" in text else text


# -- code ------------------------------------------------------------------------

# JavaScript's (and JSON's) \u0077, \u{77} and \x77, and CSS's \77 (one to
# six hexadecimal digits, and a space that ends it).
_CODE_ESCAPE = re.compile(
    r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|([0-9A-Fa-f]{1,6}) ?|(/))"
)


def _code_unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(5):
            return "/"
        digits = next(group for group in match.groups()[:4] if group)
        try:
            return chr(int(digits, 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _CODE_ESCAPE.sub(one, text)


def code_views(code: str) -> Iterator[View]:
    """A script or stylesheet: its source, with string escapes decoded (a
    search index inlined into a script holds the site's text)."""
    yield from source_views(code, "its code")


# -- JSON ------------------------------------------------------------------------


def json_views(text: str) -> Iterator[View]:
    """Every string of a JSON document (the search index: titles, text with
    HTML in it, locations), read as markup; keys too."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        yield from code_views(text)
        return
    strings: list[str] = []
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            strings.extend(value)
            stack.extend(value.values())
    # Each string on its own (titles, locations, keys), and the text of
    # each as shown (the search index's text is HTML).
    joined = BARRIER.join(reversed(strings))
    yield View(_decoded_source(joined), False, "its strings", Units.BLOCKS)
    yield from shown_views(joined)


# -- what a file is -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """How a file was read: views of its text, files inside it, or neither
    (``opaque``: only its name could be checked)."""

    views: tuple[View, ...] = ()
    members: tuple[Member, ...] = ()
    opaque: bool = False
    #: Why it could not be read, when it should have been.
    problem: str | None = None


def read(name: str, data: bytes) -> Reading:
    """Read one file by what it is (its bytes first, its name after)."""
    suffix = PurePosixPath(name).suffix.lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_members(data)
    if data.startswith(b"\x1f\x8b"):
        return _gzip_member(name, data)
    if suffix in OPAQUE_SUFFIXES and suffix != ".svg":
        return Reading(opaque=True)
    text = _decode(data)
    if text is None:
        return Reading(opaque=True)
    if suffix in _MARKUP_SUFFIXES:
        return Reading(tuple(markup_views(text)))
    if suffix == ".json" or suffix == ".webmanifest":
        return Reading(tuple(json_views(text)))
    if suffix in _CODE_SUFFIXES:
        return Reading(tuple(code_views(text)))
    if suffix in _PLAIN_SUFFIXES:
        return Reading((View(text, True, "its text"),))
    # Any other text: read as markup if it looks like it, else as code.
    if "<" in text and _ANY_TAG.search(text):
        return Reading(tuple(markup_views(text)))
    return Reading(tuple(code_views(text)))


def _decode(data: bytes) -> str | None:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _zip_members(data: bytes) -> Reading:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = []
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    members.append(Member(info.filename, b""))
                    continue
                total += info.file_size
                if total > MAX_UNPACKED_BYTES:
                    return Reading(problem="it unpacks to more than 512 MiB")
                members.append(Member(info.filename, archive.read(info)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        return Reading(problem="it looks like a zip file but cannot be opened")
    return Reading(members=tuple(members))


def _gzip_member(name: str, data: bytes) -> Reading:
    inner = name[: -len(".gz")] if name.lower().endswith(".gz") else name + ".unpacked"
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacking:
            content = unpacking.read(MAX_UNPACKED_BYTES + 1)
    except (OSError, EOFError):
        return Reading(problem="it looks gzipped but cannot be unpacked")
    if len(content) > MAX_UNPACKED_BYTES:
        return Reading(problem="it unpacks to more than 512 MiB")
    return Reading(members=(Member(PurePosixPath(inner).name, content),))
