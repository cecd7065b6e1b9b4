"""Small corrections to the HTML of Material for MkDocs, so that every page
type passes axe-core (WCAG 2.2 AA) as qualsite promises."""

from __future__ import annotations

import re

# Material's search is a role="dialog" without an accessible name
# (axe: aria-dialog-name); a dialog must say what it is.
_UNNAMED_SEARCH = re.compile(r'(<div class="md-search"(?![^>]*aria-label)[^>]*role="dialog")')


def name_search_dialog(html: str) -> str:
    return _UNNAMED_SEARCH.sub(r'\1 aria-label="Search"', html, count=1)


def after_article_start(html: str, insert: str) -> str:
    """``insert`` at the start of the page's main content, when the theme
    marks it with an <article> (Material, MkDocs' own themes)."""
    start = html.find("<article")
    end = html.find(">", start) if start >= 0 else -1
    return html if end < 0 else html[: end + 1] + insert + html[end + 1 :]
