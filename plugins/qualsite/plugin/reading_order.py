"""The reading order of the Print page, from MkDocs' navigation."""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs.structure.pages import Page

from ..render.citation import CITE_PAGE
from ..render.printing import PrintPart
from ..render.urls import (
    AUDIT_PAGE,
    CATEGORIES_DIR,
    CHECKLIST_PAGE,
    HISTORY_PAGE,
    MATRIX_PAGES,
    MODEL_PAGE,
    PARTICIPANTS_DIR,
    PRINT_PAGE,
    TABLES_PAGE,
)

_GENERATED = {
    MODEL_PAGE: "model",
    TABLES_PAGE: "tables",
    CITE_PAGE: "cite",
    CHECKLIST_PAGE: "checklist",
    AUDIT_PAGE: "audit",
    HISTORY_PAGE: "history",
    **{page: "matrices" for page in MATRIX_PAGES},  # both matrices in one section
}


def print_parts(pages: Sequence[Page], generated_here: frozenset[str]) -> list[PrintPart]:
    """The site's pages in navigation order, as the Print page's parts: the
    user's pages (and other plugins'), each generated section of qualsite's once (all the
    categories where the first category page stands), participants never."""
    parts: list[PrintPart] = []
    seen: set[str] = set()
    for page in pages:
        src = page.file.src_uri
        if src == PRINT_PAGE or src.startswith(f"{PARTICIPANTS_DIR}/"):
            continue
        if src in generated_here:
            kind = "categories" if src.startswith(f"{CATEGORIES_DIR}/") else _GENERATED.get(src)
            if kind is not None and kind not in seen:
                seen.add(kind)
                parts.append(PrintPart(kind))
            continue
        parts.append(PrintPart("content", src))
    return parts
