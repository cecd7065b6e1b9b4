"""Small corrections to the HTML of Material for MkDocs, so that every page
type passes axe-core (WCAG 2.2 AA) as qualsite promises."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from mkdocs.config.defaults import MkDocsConfig

from ..i18n import N_, _

# Material's search is a role="dialog" without an accessible name
# (axe: aria-dialog-name); a dialog must say what it is.
_UNNAMED_SEARCH = re.compile(r'(<div class="md-search"(?![^>]*aria-label)[^>]*role="dialog")')

# The header's menu button, which opens the navigation drawer on a narrow
# screen, is a <label> holding only an icon. Named here, in the site's
# language, it says what it is; qualsite-navigation.js, which makes it a
# <button>, keeps that name (its own English one is a fallback).
_UNNAMED_MENU = re.compile(
    r'<label(?=[^>]*\bfor="__drawer")(?=[^>]*\bclass="[^"]*\bmd-header__button\b)'
    r"(?![^>]*aria-label)([^>]*)>"
)


def name_search_dialog(page: str) -> str:
    """Material's header controls named in the site's language: the search
    dialog, and the menu button (:func:`name_menu_button`), on every page."""
    # Translators: the name of the site's search box, read out by screen readers.
    search = html.escape(_("Search"), quote=True)
    page = _UNNAMED_SEARCH.sub(lambda m: f'{m.group(1)} aria-label="{search}"', page, count=1)
    return name_menu_button(page)


def name_menu_button(page: str) -> str:
    """The header's menu button (which opens the navigation drawer) named
    in the site's language."""
    # Translators: the name of the button that opens the site's navigation menu
    # on a narrow screen, read out by screen readers.
    name = html.escape(_("Navigation"), quote=True)
    return _UNNAMED_MENU.sub(lambda m: f'<label{m.group(1)} aria-label="{name}">', page, count=1)


def after_article_start(html: str, insert: str) -> str:
    """``insert`` at the start of the page's main content, when the theme
    marks it with an <article> (Material, MkDocs' own themes)."""
    start = html.find("<article")
    end = html.find(">", start) if start >= 0 else -1
    return html if end < 0 else html[: end + 1] + insert + html[end + 1 :]


# With navigation.indexes, a section whose own page is its index (a category
# with sub-categories) gets a toggle <label> that holds only an arrow icon,
# and the section's nested <nav> is named by that label: every such nav is an
# unnamed landmark, all of them alike (axe: landmark-unique), and the toggle
# says nothing to a screen reader. Each toggle is named after its section,
# whose title the theme writes at the top of the nested nav.
_ICON_ONLY_TOGGLE = re.compile(
    r'(<label class="md-nav__link[^"]*" for="([^"]+)" id="\2_label")'
    r'(?![^>]*aria-label)([^>]*>\s*<span class="md-nav__icon md-icon"></span>\s*</label>)'
)
_SECTION_TITLE = re.compile(r'<label class="md-nav__title" for="([^"]+)">(.*?)</label>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def name_section_toggles(page: str) -> str:
    if "md-nav__container" not in page:
        return page  # no section index on this page (or navigation.indexes is off)
    titles = {
        for_id: html.escape(" ".join(html.unescape(_TAG.sub(" ", inner)).split()))
        for for_id, inner in _SECTION_TITLE.findall(page)
    }

    def named(match: re.Match[str]) -> str:
        title = titles.get(match.group(2))
        if not title:
            return match.group(0)
        return f'{match.group(1)} aria-label="{title}"{match.group(3)}'

    return _ICON_ONLY_TOGGLE.sub(named, page)


# A page without headings still gets the theme's "Table of contents" <nav>,
# empty: a landmark that leads nowhere. It stays as a plain <div> (the
# theme's stylesheet and script find it by its classes), out of the
# accessibility tree.
_EMPTY_TOC = re.compile(r'<nav class="(md-nav md-nav--secondary)"[^>]*>(\s*)</nav>')


def drop_empty_toc(page: str) -> str:
    return _EMPTY_TOC.sub(r'<div class="\1">\2</div>', page)


#: What the page that is not found is called (the theme titles it as the
#: home page): a message, translated where the title is written.
NOT_FOUND_TITLE = N_("Page not found")
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def title_not_found(page: str, site_name: str) -> str:
    """The 404 page's <title>: what it is, then the site's name."""
    title = f"<title>{html.escape(_(NOT_FOUND_TITLE))} - {html.escape(site_name)}</title>"
    head_end = page.find("</head>")
    head = page if head_end < 0 else page[:head_end]
    if not _TITLE.search(head):
        return page
    return _TITLE.sub(lambda _: title, head, count=1) + page[len(head) :]


#: Loaded before Material's bundle, in this order: results from a plain
#: scan of the search index while Material's worker builds its own; then
#: the wrapper of that worker, which answers the newest query rather than
#: every letter typed, and gives it the scan's results until it is ready
#: (see the scripts).
SEARCH_SCRIPTS = ("qualsite-search-early.js", "qualsite-search.js")


def queue_search_queries(config: MkDocsConfig, paths: Sequence[str]) -> bool:
    """Load ``paths`` in the page's head, before Material's bundle, if the
    site has Material's search. Material puts ``extra.polyfills`` there, in
    order (after the offline shim, which must replace ``Worker`` first)."""
    if config.theme.name != "material" or "search" not in _plugin_names(config):
        return False
    polyfills = list(config.extra.get("polyfills") or [])
    for path in paths:
        if path not in polyfills:
            polyfills.append(path)
    config.extra["polyfills"] = polyfills
    return True


def _plugin_names(config: MkDocsConfig) -> set[str]:
    # "material/search" is registered as "search" too; either name counts.
    return {name.split("/")[-1] for name in config.plugins}
