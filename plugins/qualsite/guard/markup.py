"""What a reader can get out of a page, a script or a data file, as text.

The output gate reads each file the way a reader can, or a search engine,
or a curious examiner with the page source open:

- a page's text **as shown**: inline markup that splits a word taken out
  (``Oak<b>wood</b>``, ``Oak<!-- -->wood``, ``Oak<script></script>wood``),
  entities decoded, a ``<br>`` a line break, right-to-left ``<bdo>`` read
  as shown, and a barrier between blocks (the eye does not join two table
  cells into one name or one phone number);
- what its source holds beyond that: every attribute value (addresses,
  alternative text, titles, ids), every comment and the code of every
  script and style, with entities, percent-escapes and script and
  stylesheet escapes (``\\u0077``, ``\\77``) decoded;
- the attribute values a reader is shown or can act on (``alt``,
  ``title``, ``aria-label``, ``mailto:`` and ``tel:`` links), where
  personal data would be personal data.

Markup is taken apart with regular expressions rather than a parser: the
gate reads tens of megabytes on a big study, must not be stopped by a
malformed file a user copied in, and needs text, not a tree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .normalise import PDF, RLO

#: Stands between two units of a reading (two block elements of a page, two
#: attribute values): its letters stop a name, or a number, from being read
#: across it.
BARRIER = "\n\x1fqx\x1f\n"


@dataclass(frozen=True, slots=True)
class View:
    """One reading of a file (or of a piece of a big one)."""

    text: str
    #: Personal-data patterns apply (text a reader is shown or can act on).
    patterns: bool
    #: How a message names this reading: "its text", "an attribute value in it"...
    where: str
    #: The text is units between barriers, each checked once per build (a
    #: site repeats its navigation on every page); else it is read whole.
    units: bool = False
    #: The file's line this text starts on, when its lines are the file's
    #: (a plain text file's); 0 otherwise.
    first_line: int = 0
    #: What is read of the units not yet checked, when that is not the units
    #: themselves: (text, patterns apply, how a message names it) each.
    then: Callable[[str], Iterator[tuple[str, bool, str]]] | None = None


# -- markup ------------------------------------------------------------------------

# A tag's attributes up to its ">", with quoted values that may hold ">"
# (an unrolled loop: runs of plain characters are taken whole).
_TAG_BODY = r"[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>"
_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_CODE_ELEMENT = re.compile(
    r"<(script|style|template)\b" + _TAG_BODY + r"(.*?)(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
# Tags, declarations and processing instructions (<!DOCTYPE>, <?xml?>).
_ANY_TAG = re.compile(r"<[/!?]?[A-Za-z]" + _TAG_BODY)
_LINE_BREAK = re.compile(r"<br\b" + _TAG_BODY, re.IGNORECASE)
_BDO_RTL = re.compile(r"<bdo\b(?=[^>]*\bdir\s*=\s*[\"']?rtl\b)" + _TAG_BODY, re.IGNORECASE)
_BDO_END = re.compile(r"</bdo\s*>", re.IGNORECASE)
# Whether a page may hold the rarer markup above, in either case.
_MAYBE_RARE = re.compile(r"<(?:!\[CDATA\[|br|bdo)", re.IGNORECASE)

# HTML's phrasing content (the elements that sit inside a line of text, so
# that markup between two of them joins the letters either side into one
# word on the screen), obsolete ones that browsers still draw inline, SVG's
# tspan and OpenDocument's spans.
_INLINE_NAMES = [
    "a",
    "abbr",
    "acronym",
    "audio",
    "b",
    "bdi",
    "big",
    "blink",
    "button",
    "canvas",
    "cite",
    "code",
    "data",
    "datalist",
    "del",
    "dfn",
    "em",
    "embed",
    "font",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "map",
    "mark",
    "math",
    "meter",
    "nobr",
    "noscript",
    "object",
    "output",
    "picture",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "select",
    "slot",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "svg",
    "textarea",
    "time",
    "tt",
    "u",
    "var",
    "video",
    "wbr",
    "tspan",
    "text:span",
    "text:a",
    "text:s",
    "a:r",
    "a:t",
]
# Word's markup inside a paragraph (runs, their formatting, bookmarks,
# proofing marks...) is all inline; these are the elements that end a line.
_WORD_BLOCKS = "p|tc|tr|tbl|br|cr|tab|body|sectPr|hdr|ftr|footnote|endnote|comment|txbxContent"


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
            branches.append(re.escape(first) + (_merged(rests) if rests != [""] else ""))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_INLINE_TAG = re.compile(
    r"</?(?:"
    + _merged(sorted({name.lower() for name in _INLINE_NAMES}))
    + rf"|w:(?!(?:{_WORD_BLOCKS})[\s/>])[A-Za-z]+)(?=[\s/>])"
    + _TAG_BODY,
    re.IGNORECASE,
)

# Attribute values, quoted either way or not at all.
_VALUES = (
    re.compile(r"=\s*\"([^\"]*)\""),
    re.compile(r"=\s*'([^']*)'"),
    re.compile(r"=\s*([^\s\"'=<>`]+)"),
)
# Attribute values a reader is shown (as a tooltip, by a screen reader, in a
# form, by qualsite's stylesheet: a search result's caption) or can act on
# (an address to write to, a number to ring).
_SHOWN_VALUES = (
    re.compile(
        r"\s(?:alt|title|aria-label|aria-description|placeholder|value|label|data-qs-caption)"
        r"\s*=\s*"
        r"(?:\"([^\"]*)\"|'([^']*)')",
        re.IGNORECASE,
    ),
    re.compile(r"\shref\s*=\s*[\"']?((?:mailto|tel|sms):[^\"'\s>]*)", re.IGNORECASE),
)


def markup_views(markup: str) -> Iterator[View]:
    """An HTML or XML document's readings: its text as shown; its tags,
    whose attribute values are read once each distinct tag (a site repeats
    its navigation's tags on every page); its comments and code."""
    yield from shown_views(markup)
    tags = BARRIER.join(_ANY_TAG.findall(markup))
    yield View(tags, False, "an attribute in it", units=True, then=_attribute_readings)
    code = _CODE_ELEMENT.findall(markup)
    hidden = [*_COMMENT.findall(markup), *(source for _, source in code)]
    if hidden:
        text = _decoded(BARRIER.join(unit for unit in hidden if unit))
        yield View(text, False, "a comment or script in it", units=True)
    drawn = BARRIER.join(
        drawn_text(source) for element, source in code if element.lower() == "style"
    )
    if drawn.strip(BARRIER):
        yield View(drawn, True, "the text a stylesheet in it draws", units=True)


def _attribute_readings(tags: str) -> Iterator[tuple[str, bool, str]]:
    """Tags' attribute values, decoded, for names; and those a reader is
    shown or can act on, for personal data too."""
    values = [value for expression in _VALUES for value in expression.findall(tags)]
    yield _decoded(BARRIER.join(values)), False, "an attribute in it"
    shown = _shown_attribute_values(tags)
    if shown:
        yield shown, True, "an attribute value in it"


def _shown_attribute_values(markup: str) -> str:
    """The attribute values in ``markup`` that a reader is shown or can act
    on, decoded and between barriers ("" when there is none)."""
    shown = [
        value
        for expression in _SHOWN_VALUES
        for found in expression.findall(markup)
        for value in ([found] if isinstance(found, str) else found)
        if value
    ]
    return html.unescape(BARRIER.join(shown)) if shown else ""


def shown_views(markup: str) -> Iterator[View]:
    """The text as a browser shows it."""
    # Scripts, styles and templates show nothing where they stand: the text
    # either side of one runs on.
    # (Each pass over a big study's pages costs a second; those whose markup
    # is not in the text at all are skipped, which a substring test tells
    # far faster.)
    lowered = markup.lower() if _MAYBE_RARE.search(markup) else ""
    body = _CODE_ELEMENT.sub("", markup)
    if "<![cdata[" in lowered:
        body = _CDATA.sub(r"\1", body)
    if "<!--" in body:
        body = _COMMENT.sub("", body)
    if "<br" in lowered:
        body = _LINE_BREAK.sub("\n", body)
    if "<bdo" in lowered:
        body = _BDO_END.sub(PDF, _BDO_RTL.sub(RLO, body))
    shown = _ANY_TAG.sub(BARRIER, _INLINE_TAG.sub("", body))
    readings = decodings(shown)
    yield View(readings[0], True, "its text", units=True)
    if len(readings) > 1:  # an address in the text (a sitemap's), escapes in it
        yield View(BARRIER.join(readings[1:]), False, "its text, decoded", units=True)


def _decoded(text: str) -> str:
    """Entities, percent-escapes and script and stylesheet escapes decoded,
    each kind alone and all together (between barriers)."""
    return BARRIER.join(decodings(text))


def decodings(text: str) -> list[str]:
    """The text with entities decoded; and, where it holds them, with
    percent-escapes and script and stylesheet escapes decoded too: a
    backslash that starts no escape must not hide the word after it, nor a
    decoded one the word it spells."""
    readings = [html.unescape(text)]
    if "%" in text:
        readings.append(unquote(readings[0]))
    if "\\" in text:
        readings.append(unquote(html.unescape(code_unescape(text))))
    return readings


# -- scripts and stylesheets -----------------------------------------------------------

# JavaScript's (and JSON's) \u0077, \u{77} and \x77, and CSS's \77 (one to
# six hexadecimal digits, and a space that ends it).
_CODE_ESCAPE = re.compile(
    r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|([0-9A-Fa-f]{1,6}) ?|(/))"
)


def code_unescape(text: str) -> str:
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
    """A script, a stylesheet or any other text: its source, decoded each
    way, line by line (a decoded escape can be a line break, so lines may
    drift in all but the first reading)."""
    for reading in decodings(code):
        yield View(reading, False, "its code", first_line=1)


def stylesheet_views(css: str) -> Iterator[View]:
    """A stylesheet: its source, as code, and the words it draws."""
    yield from code_views(css)
    drawn = drawn_text(css)
    if drawn:
        yield View(drawn, True, "the text a stylesheet in it draws")


# -- what a stylesheet draws -------------------------------------------------------------

# A pseudo-element's words are in no page: `content: "Jane" " Oak" "wood"`
# draws "Jane Oakwood", which no single string of the stylesheet holds.
_CSS_STRING = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'"
_CSS_STRING_OR_COMMENT = re.compile(_CSS_STRING + r"|/\*.*?(?:\*/|\Z)", re.DOTALL)
# A block of declarations (the innermost braces, strings whole), a content
# declaration in one, and the parts of its value: strings, functions
# (counter(), attr(), url(): what they draw is no string of the
# stylesheet), anything else.
_DECLARATIONS = re.compile(r"\{((?:" + _CSS_STRING + r"|[^{}\"'])*)\}", re.DOTALL)
_CONTENT = re.compile(
    r"(?<![\w-])content\s*:((?:" + _CSS_STRING + r"|[^;\"'])*)", re.IGNORECASE | re.DOTALL
)
_VALUE_PART = re.compile(
    _CSS_STRING + r"|[\w-]+\((?:" + _CSS_STRING + r"|[^)\"'])*\)?|[^\s\"']+", re.DOTALL
)
# CSS's escapes: up to six hexadecimal digits and a space that ends them, a
# line break that continues the string, or any other character as itself.
_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n]?|(\n)|(.))", re.DOTALL)


def drawn_text(css: str) -> str:
    """The words a stylesheet's ``content`` declarations draw: each run of
    strings in a declaration joined, as CSS joins them (their escapes
    decoded), between barriers; "" when it draws none. Comments, selectors
    and what a function draws (a counter, an attribute, an image) are not
    drawn words, and a function between two strings parts them."""
    if "content" not in css.lower():
        return ""
    css = _CSS_STRING_OR_COMMENT.sub(
        lambda match: match.group() if match.group()[0] in "\"'" else " ", css
    )
    runs: list[str] = []
    for block in _DECLARATIONS.findall(css):
        for value in _CONTENT.findall(block):
            run: list[str] = []
            for part in [*_VALUE_PART.findall(value), ""]:
                if part[:1] in ('"', "'"):
                    run.append(_css_unescape(part[1:-1]))
                elif run:
                    runs.append("".join(run))
                    run = []
    return BARRIER.join(text for text in runs if text.strip())


def _css_unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        digits, line_break, other = match.groups()
        if digits:
            code = int(digits, 16)
            # As CSS reads them: none, a surrogate or past Unicode is U+FFFD.
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if line_break else other

    return _CSS_ESCAPE.sub(one, text)


# -- JSON ------------------------------------------------------------------------------

# A search index's addresses hold excerpt ids, which may hold long runs of
# digits; they are read for names, not for patterns.
_LOCATION = re.compile(r"\"location\"\s*:\s*\"[^\"]*\"")


_JSON_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))", re.DOTALL)
_JSON_CHARACTERS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescape(text: str) -> str:
    """JSON's string escapes decoded, once (the HTML in a search index keeps
    its own entities, which a reader's browser decodes once more)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        return _JSON_CHARACTERS.get(match.group(2), match.group(2))

    return _JSON_ESCAPE.sub(one, text) if "\\" in text else text


def json_views(text: str) -> Iterator[View]:
    """A JSON document (the search index: titles, text with HTML in it,
    locations), its escapes decoded, read as source and as shown."""
    data = _json_unescape(text)
    readings = [html.unescape(data)]
    if "%" in data:
        readings.append(unquote(readings[0]))
    yield View(BARRIER.join(readings), False, "its data")
    yield from shown_views(_LOCATION.sub(BARRIER, data))
    # The HTML in the index keeps attributes that a result shows (qualsite's
    # search captions): personal data there is personal data. Each value is
    # a unit of its own (a big study's captions are a few hundred distinct
    # ones, repeated thousands of times).
    shown = _shown_attribute_values(data)
    if shown:
        yield View(shown, True, "an attribute value in it", units=True)


# -- plain text ------------------------------------------------------------------------


def plain_views(text: str) -> Iterator[View]:
    """A text file (CSV, LaTeX, BibTeX, CFF...): read as it is, lines and all."""
    yield View(text, True, "its text", first_line=1)
