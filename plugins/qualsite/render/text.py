"""Escaping study text for each place it lands in a generated page.

A study's text is plain text: whatever a participant said, including ``<b>``,
``*sigh*`` or ``{{ x }}``, must reach the reader exactly as written. Generated
pages are Markdown with HTML blocks inside, and may pass through other
MkDocs plugins that expand Jinja (mkdocs-macros) or ``--8<--`` snippets, so
text is escaped for HTML and, beyond that, braces become character
references that no template engine recognises, and ``$`` and ``\\`` become
references that no math extension (pymdownx.arithmatex: ``$x$``, ``\\(x\\)``,
``$$``, ``\\[x\\]``, ``\\begin{...}``) recognises. A reference looks exactly
like the character it stands for.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml
from markupsafe import Markup, escape

from ..i18n import _

# Braces become references so that no later Jinja pass sees "{{" or "{%";
# dollars and backslashes so that no math extension sees "$x$", "$$" or
# "\\(x\\)" (pymdownx.arithmatex reads them in Markdown, and an HTML block
# may sit inside Markdown that md_in_html reads).
_REFERENCES = str.maketrans({c: f"&#{ord(c)};" for c in "{}$\\"})
_NEEDS_REFERENCE = re.compile(r"[{}$\\]")

# Characters that Python-Markdown unescapes after a backslash, but for those
# that become references (here or in html()): a backslash before "(" or "["
# would write arithmatex's own "\\(" and "\\[" ...
_BACKSLASHED = re.compile(r"([`*_#+\-.!>])")
# ... and those that common extensions give a meaning without a backslash
# escape (~~strike~~, ^^insert^^, ==mark==, tables, bare-URL links after ":",
# (c) as a copyright sign), and brackets and parentheses (links, and math
# after a backslash); these become character references, which no Markdown
# syntax matches.
_AS_REFERENCE = str.maketrans({c: f"&#{ord(c)};" for c in "~^=|:[]()"})

_BLANK_LINE = re.compile(r"\n\s*\n")


def html(text: object) -> Markup:
    """Text (or a number, or anything a template prints) for an HTML
    element or attribute."""
    # Names, labels and addresses recur thousands of times in a big study's
    # pages; each is escaped once. Longer texts (excerpts) seldom recur, and
    # would only fill the cache. (typed: Markup("<b>") == "<b>".)
    if isinstance(text, str) and len(text) <= 80:
        return _short_html(text)
    return _html(text)


def _html(text: object) -> Markup:
    escaped = escape(text)
    if _NEEDS_REFERENCE.search(escaped):
        return Markup(str(escaped).translate(_REFERENCES))
    return escaped


_short_html = lru_cache(maxsize=1 << 12, typed=True)(_html)


def paragraph_texts(text: str) -> list[str]:
    """Plain text's paragraphs: blank lines separate them, line breaks join."""
    blocks = (" ".join(block.split()) for block in _BLANK_LINE.split(text.strip()))
    return [block for block in blocks if block]


def paragraphs(text: object) -> Markup:
    """Plain text (or anything that prints as text, such as a memo) as HTML
    paragraphs."""
    return Markup("".join(f"<p>{html(block)}</p>" for block in paragraph_texts(str(text))))


# Redaction markers that researchers write in transcripts: "[redacted]",
# "[redacted: place]", or a bracketed word for what was taken out ("[name]").
REDACTED_WORDS = (
    "name", "names", "place", "location", "town", "city", "area", "address", "service",
    "team", "organisation", "organization", "hospital", "trust", "school", "university",
    "employer", "colleague", "manager", "person", "relative", "date", "age", "job title",
    "role", "number", "phone", "email",
)  # fmt: skip
_REDACTION = re.compile(
    r"\[(?:redacted(?::\s*[^\[\]<>&]{1,40})?|" + "|".join(REDACTED_WORDS) + r")\]",
    re.IGNORECASE,
)


def _mark_redactions(escaped: str) -> str:
    # Markers hold no character that HTML escaping changes, so they are found
    # in the escaped text as written.
    if "[" not in escaped:
        return escaped
    # Translators: the tooltip of a marker such as "[name]" in an excerpt,
    # where the researcher took out words that could identify someone.
    title = html(_("Removed to protect anonymity"))
    return _REDACTION.sub(
        lambda m: f'<span class="qs-redaction" title="{title}">{m.group(0)}</span>', escaped
    )


def excerpt_paragraphs(text: str) -> Markup:
    """An excerpt's paragraphs, with redaction markers shown as redactions."""
    return Markup(_mark_redactions(str(paragraphs(text))))


def excerpt_inline(text: str) -> Markup:
    """An excerpt on one line (a table cell), with redaction markers shown."""
    return Markup(_mark_redactions(str(html(" ".join(text.split())))))


def markdown_inline(text: str) -> Markup:
    """Text for a Markdown heading or link text: nothing in it is formatting.

    HTML-escaping comes first (``&``, ``<``, and the references of
    :func:`html`), then every other Markdown punctuation character is
    backslash-escaped or written as a reference, so ``*x*`` stays ``*x*``,
    ``[a](b)`` never becomes a link and ``\\(x\\)`` never becomes math. Line
    breaks are joined: a heading is one line.
    """
    escaped = str(html(" ".join(text.split())))
    # Entities made by html() (&amp; &#123;) keep their & and ; unescaped.
    parts = re.split(r"(&#?\w+;)", escaped)
    return Markup(
        "".join(
            part
            if part.startswith("&")
            else _BACKSLASHED.sub(r"\\\1", part).translate(_AS_REFERENCE)
            for part in parts
        )
    )


def yaml_string(text: str) -> Markup:
    """A YAML double-quoted scalar (for front matter).

    MkDocs treats a page title as HTML, so templates escape a title before
    quoting it: ``{{ title | e | yaml_string }}``.

    An ASCII-only JSON string is a valid YAML scalar, except that YAML reads
    each half of a UTF-16 surrogate pair alone; characters beyond the Basic
    Multilingual Plane (emoji) are therefore written as YAML's ``\\U`` escapes.
    """
    quoted = json.dumps(" ".join(text.split()), ensure_ascii=True)
    return Markup(_SURROGATE_PAIR.sub(_as_yaml_escape, quoted))


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _as_yaml_escape(match: re.Match[str]) -> str:
    high, low = int(match[1], 16), int(match[2], 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def first_words(value: object, count: int = 6) -> str:
    """The first ``count`` words of ``value``, and "…" when there are more:
    enough to tell one excerpt's link from another's when heard."""
    words = str(value).split()
    return " ".join(words[:count]) + ("\N{HORIZONTAL ELLIPSIS}" if len(words) > count else "")


#: YAML front matter, as MkDocs reads it: between two lines of three dashes
#: at the very top of the page.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:-{3}|\.{3})[ \t]*\n", re.DOTALL)


def split_front_matter(markdown: str) -> tuple[dict[str, object], str]:
    """The page's front matter (empty when it has none, or none MkDocs would
    read) and the Markdown after it."""
    found = _FRONT_MATTER.match(markdown)
    if not found:
        return {}, markdown
    try:
        data = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return {}, markdown
    return (data if isinstance(data, dict) else {}), markdown[found.end() :]
