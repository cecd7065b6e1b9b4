"""Where each generated page lives, and relative links between pages.

MkDocs' own rules, restated without MkDocs so that the core can build links
alone: ``a/b.md`` is served at ``a/b/`` with directory URLs and at
``a/b.html`` without; ``index.md`` is its folder. Links are relative, so a
site works at ``/``, under a sub-path and from ``file://``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from ..study.model import Category, Participant

CATEGORIES_DIR = "categories"
PARTICIPANTS_DIR = "participants"
CATEGORIES_INDEX = f"{CATEGORIES_DIR}/index.md"
PARTICIPANTS_INDEX = f"{PARTICIPANTS_DIR}/index.md"
ASSETS_DIR = "assets/qualsite"
MODEL_PAGE = "model.md"
TABLES_PAGE = "tables.md"
PRINT_PAGE = "print.md"
#: What shows the study's rigour (issue 18): its reporting checklist and
#: its audit trail of decisions and dated memos.
CHECKLIST_PAGE = "checklist.md"
AUDIT_PAGE = "audit-trail.md"
HISTORY_PAGE = "codebook-history.md"
#: The accessibility statement (issue 20).
ACCESSIBILITY_PAGE = "accessibility.md"
# The matrices (issue 15): each page's cells link to pages of excerpts in
# the folder of its name (matrices/participants/<category>.md, ...).
MATRICES_DIR = "matrices"
PARTICIPANT_MATRIX_PAGE = f"{MATRICES_DIR}/participants.md"
CO_OCCURRENCE_PAGE = f"{MATRICES_DIR}/co-occurrence.md"
MATRIX_PAGES = (PARTICIPANT_MATRIX_PAGE, CO_OCCURRENCE_PAGE)


def category_src(category: Category, page: int = 1) -> str:
    """A category's page; its further pages of excerpts, when it has more
    than one page holds, are in a folder of its name (ids hold no "/")."""
    if page > 1:
        return f"{CATEGORIES_DIR}/{category.id}/{page}.md"
    return f"{CATEGORIES_DIR}/{category.id}.md"


def participant_src(participant: Participant) -> str:
    # Lower case: ids are unique ignoring case, and "P3" and "p3" must not be
    # two pages that a case-insensitive disk would merge.
    return f"{PARTICIPANTS_DIR}/{participant.id.lower()}.md"


@dataclass(frozen=True, slots=True)
class SiteUrls:
    use_directory_urls: bool = True

    def url(self, src_path: str) -> str:
        """The page's address relative to the site root, as MkDocs computes it."""
        return _url(src_path, self.use_directory_urls)

    def dest_path(self, src_path: str) -> str:
        """The file a page is written to, relative to the site folder."""
        url = unquote(self.url(src_path))
        if url.endswith("/"):
            url = ("" if url == "./" else url) + "index.html"
        return url

    def relative(self, target_src: str, from_src: str, anchor: str | None = None) -> str:
        """A link from the page ``from_src`` to ``target_src`` (and an anchor on it)."""
        relative = _relative(target_src, from_src, self.use_directory_urls)
        return relative + (f"#{anchor}" if anchor else "")


# A big study's pages hold tens of thousands of links between a few hundred
# pages: each address is worked out once.
@lru_cache(maxsize=65536)
def _url(src_path: str, use_directory_urls: bool) -> str:
    parent, filename = posixpath.split(src_path)
    stem, suffix = posixpath.splitext(filename)
    if suffix != ".md":
        url = src_path
    elif stem in ("index", "README"):
        url = posixpath.join(parent, "index.html")
    elif use_directory_urls:
        url = posixpath.join(parent, stem, "index.html")
    else:
        url = posixpath.join(parent, stem + ".html")
    if use_directory_urls and posixpath.basename(url) == "index.html":
        url = (posixpath.dirname(url) or ".") + "/"
    return quote(url)


@lru_cache(maxsize=65536)
def _relative(target_src: str, from_src: str, use_directory_urls: bool) -> str:
    target = _url(target_src, use_directory_urls)
    origin = _url(from_src, use_directory_urls)
    # A page's links resolve against its folder: "a/b/" is a folder,
    # "a/b.html" lives in "a/".
    base_parts = _parts(origin if origin.endswith("/") else posixpath.dirname(origin))
    target_parts = _parts(target)
    common = 0
    for base_part, target_part in zip(base_parts, target_parts, strict=False):
        if base_part != target_part:
            break
        common += 1
    relative = "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."
    if target.endswith("/"):
        relative += "/"
    return relative


def src_at_address(url: str) -> str:
    """A source path whose page MkDocs would publish at ``url`` (a page's
    address relative to the site root, as MkDocs gives it), with either
    setting of use_directory_urls."""
    url = unquote(url)
    if url in ("", "."):
        return "index.md"
    if url.endswith("/"):
        return f"{url}index.md"
    if url.endswith(".html"):
        return url.removesuffix(".html") + ".md"
    return url


def forget_addresses() -> None:
    """Empty the caches of addresses, once a site's pages are made: what
    links remain to be made (embeds, the Print page) are few."""
    _url.cache_clear()
    _relative.cache_clear()


def _parts(path: str) -> list[str]:
    normalised = posixpath.normpath("/" + path)[1:]
    return normalised.split("/") if normalised else []


class PageLinks:
    """Links as seen from one page; templates call it to point anywhere."""

    def __init__(self, urls: SiteUrls, page_src: str) -> None:
        self.urls = urls
        self.page_src = page_src

    def page(self, target_src: str, anchor: str | None = None) -> str:
        if target_src == self.page_src and anchor:
            return f"#{anchor}"
        return self.urls.relative(target_src, self.page_src, anchor)

    def category(self, category: Category, anchor: str | None = None) -> str:
        return self.page(category_src(category), anchor)

    def participant(self, participant: Participant) -> str:
        return self.page(participant_src(participant))

    def asset(self, name: str) -> str:
        return self.page(f"{ASSETS_DIR}/{name}")
