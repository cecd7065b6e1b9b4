"""Rewriting the links and ids of finished HTML, tag by tag.

The Print page is put together from pages that were rendered at other places
in the site, so their links must be re-pointed, and the PDF must not link into
a folder that is deleted once it is printed. This works on HTML that MkDocs
has made from Markdown, where every ``<`` of the text is escaped as ``&lt;``:
what looks like a tag is one (comments, scripts and styles are left alone).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_OPAQUE = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"(\s+)([^\s=/>\"']+)(?:(\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")

#: Attributes whose value is one id, or several separated by spaces.
ID_ATTRIBUTES = frozenset(
    {"id", "for", "headers", "aria-labelledby", "aria-describedby", "aria-controls"}
)
#: Attributes whose value is an address.
ADDRESS_ATTRIBUTES = frozenset({"href", "xlink:href", "src", "poster", "data"})
#: Attributes whose value is a list of addresses, each with a size ("a.png 2x, b.png 3x").
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})

#: A made-up origin, to resolve addresses inside the site with urljoin.
_ORIGIN = "http://site.invalid/"


@dataclass(frozen=True, slots=True)
class Tag:
    name: str  # lower case
    attributes: dict[str, str]  # names in lower case, values unescaped


#: Given a tag, the changes to its attributes (None removes one), and whether
#: the tag stops being a link (an <a> becomes a <span>, or a <g> in SVG).
TagRewrite = Callable[[Tag, bool], tuple[dict[str, str | None], bool]]


def rewrite_tags(markup: str, rewrite: TagRewrite) -> str:
    """``markup`` with each start tag passed through ``rewrite(tag, in_svg)``."""
    out: list[str] = []
    position = 0
    svg_depth = 0
    unlinked_in_svg: bool | None = None  # set while inside an <a> that lost its link
    for opaque in [*_OPAQUE.finditer(markup), None]:
        end = opaque.start() if opaque else len(markup)
        chunk = markup[position:end]
        last = 0
        for match in _TAG.finditer(chunk):
            out.append(chunk[last : match.start()])
            last = match.end()
            closing, name, body = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if name == "svg":
                svg_depth += -1 if closing else 1
            if closing:
                if name == "a" and unlinked_in_svg is not None:
                    out.append("</g>" if unlinked_in_svg else "</span>")
                    unlinked_in_svg = None
                else:
                    out.append(match.group(0))
                continue
            tag = Tag(name, _attributes(body))
            changes, unlink = rewrite(tag, svg_depth > 0)
            if not changes and not unlink:
                out.append(match.group(0))
                continue
            new_name = match.group(2)
            if unlink and name == "a":
                new_name = "g" if svg_depth > 0 else "span"
                unlinked_in_svg = svg_depth > 0
                changes = {**changes, "href": None, "xlink:href": None, "target": None}
            out.append(f"<{new_name}{_with_changes(body, changes)}>")
        out.append(chunk[last:])
        if opaque:
            out.append(opaque.group(0))
            position = opaque.end()
    return "".join(out)


def _attributes(body: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(body):
        value = match.group(4) or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        found[match.group(2).lower()] = html.unescape(value)
    return found


def _with_changes(body: str, changes: dict[str, str | None]) -> str:
    def change(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name not in changes:
            return match.group(0)
        value = changes[name]
        if value is None:
            return ""
        return f'{match.group(1)}{match.group(2)}="{html.escape(value)}"'

    return _ATTRIBUTE.sub(change, body)


# -- addresses ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    """Where a link inside the site leads: a file's URL in the site (as
    MkDocs writes page URLs: "" for the home page, "method/" or
    "method.html") and the rest of the link."""

    path: str
    query: str
    fragment: str


def resolve(value: str, page_url: str) -> Address | None:
    """The address of ``value`` written on the page at ``page_url``; None
    for a link that leaves the site (another scheme or host, or ``/…``)."""
    if value.startswith("/") and not value.startswith("//"):
        return None  # absolute within the server: not a file of the site
    joined = urlsplit(urljoin(_ORIGIN + page_url, value))
    if f"{joined.scheme}://{joined.netloc}/" != _ORIGIN:
        return None
    return Address(joined.path[1:], joined.query, joined.fragment)


def relative_to(address: Address, page_url: str) -> str:
    """``address`` as written on the page at ``page_url``."""
    folder = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
    path = posixpath.relpath(address.path or ".", folder or ".")
    if address.path.endswith("/") or not address.path:
        path = path.rstrip("/") + "/" if path != "." else "./"
    if address.query:
        path += f"?{address.query}"
    if address.fragment:
        path += f"#{address.fragment}"
    return path


def rewrite_srcset(value: str, rewrite: Callable[[str], str]) -> str:
    """A ``srcset`` with each address passed through ``rewrite``."""
    candidates = []
    for candidate in value.split(","):
        address, _, size = candidate.strip().partition(" ")
        if address:
            candidates.append(f"{rewrite(address)} {size.strip()}".strip())
    return ", ".join(candidates)


def leaves_the_page(value: str) -> bool:
    """Whether a link leads anywhere but within its page or to the web: a
    file next to it, a path from the server's root, a protocol-relative
    address (``//host``, which from a file becomes ``file://host``)."""
    if value.startswith("#"):
        return False
    return urlsplit(value).scheme.lower() not in ("http", "https", "mailto", "tel")


def repeated_ids(markup: str) -> list[str]:
    """The ids given to more than one element of ``markup``."""
    counts: Counter[str] = Counter()

    def count(tag: Tag, in_svg: bool) -> tuple[dict[str, str | None], bool]:
        if "id" in tag.attributes:
            counts[tag.attributes["id"]] += 1
        return {}, False

    rewrite_tags(markup, count)
    return [anchor for anchor, n in counts.items() if n > 1]


def without_links_inside(markup: str) -> str:
    """``markup`` whose links lead only within it or to the web: any other
    becomes plain text (a PDF cannot follow it)."""

    def unlink(tag: Tag, in_svg: bool) -> tuple[dict[str, str | None], bool]:
        if tag.name != "a":
            return {}, False
        value = tag.attributes.get("href", tag.attributes.get("xlink:href"))
        return {}, value is not None and leaves_the_page(value)

    return rewrite_tags(markup, unlink)
