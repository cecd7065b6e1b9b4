"""The page ``qualsite serve`` answers with while the study does not build.

It shows the problems as the terminal shows them, and nothing else: no site
name, no navigation, no file of the last good build. A save that breaks the
study may also be the one that withdrew a participant, so the preview must
not fall back on pages built before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

TITLE = "The preview cannot be built"

INTRODUCTION = (
    "qualsite stopped at a problem in the study; the terminal running "
    "<code>qualsite serve</code> says the same:"
)

AFTERWARDS = "Fix it and save: this page reloads itself, and shows the site again once it builds."

# Self-contained: while the study is broken the preview serves no other file,
# the theme's stylesheets included.
_STYLE = """
:root { color-scheme: light dark; }
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; }
main { max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; }
pre {
  white-space: pre-wrap; overflow-wrap: anywhere; padding: 1rem;
  border-left: 4px solid #c62828; background: rgba(198, 40, 40, 0.08);
}
"""


def build_error_page(lines: Sequence[str], *, reload_script: str) -> str:
    """The whole page: ``lines`` (each a message as the terminal printed
    it, possibly of several lines) escaped, then ``reload_script``, trusted
    code that reloads the page once the study builds again."""
    problems = escape("\n".join(lines), quote=False)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{TITLE}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{TITLE}</h1>\n<p>{INTRODUCTION}</p>\n"
        f'<pre id="problems">{problems}</pre>\n<p>{AFTERWARDS}</p>\n'
        f"</main>\n<script>{reload_script}</script>\n</body>\n</html>\n"
    )
