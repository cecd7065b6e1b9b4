"""Escaping study text for each place it lands in a generated page.

A study's text is plain text: whatever a participant said, including ``<b>``,
``*sigh*`` or ``{{ x }}``, must reach the reader exactly as written. Generated
pages are Markdown with HTML blocks inside, and may pass through other
MkDocs plugins that expand Jinja (mkdocs-macros) or ``--8<--`` snippets, so
text is escaped for HTML and, beyond that, braces become character
references that no template engine recognises.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

# Braces become references so that no later Jinja pass sees "{{" or "{%".
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})

# Characters with a meaning in Markdown inline text (Python-Markdown's
# escapable characters, plus those used by common extensions: ~ ^ = : |).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>~^=:|])")

_BLANK_LINE = re.compile(r"\n\s*\n")


def html(text: str) -> Markup:
    """Text for an HTML element or attribute."""
    return Markup(str(escape(text)).translate(_BRACES))


def paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs: blank lines separate them, line breaks join."""
    blocks = [" ".join(block.split()) for block in _BLANK_LINE.split(text.strip())]
    return Markup("".join(f"<p>{html(block)}</p>" for block in blocks if block))


def markdown_inline(text: str) -> Markup:
    """Text for a Markdown heading or link text: nothing in it is formatting.

    HTML-escaping comes first (``&``, ``<``), then every Markdown punctuation
    character is backslash-escaped, so ``*x*`` stays ``*x*`` and ``[a](b)``
    never becomes a link. Line breaks are joined: a heading is one line.
    """
    escaped = str(html(" ".join(text.split())))
    # Entities produced above (&amp; &#123;) must keep their own & and ;
    parts = re.split(r"(&#?\w+;)", escaped)
    return Markup(
        "".join(part if part.startswith("&") and part.endswith(";") else _MARKDOWN_SPECIAL.sub(r"\\\1", part) for part in parts)
    )


def yaml_string(text: str) -> Markup:
    """A YAML double-quoted scalar (for front matter). JSON strings are valid YAML."""
    return Markup(json.dumps(" ".join(text.split()), ensure_ascii=True))
