"""Where the generated pages go in the site's navigation.

Navigation is MkDocs' plain ``nav`` data (lists, one-key mappings and page
paths), so this stays free of MkDocs: the plugin hands in the user's ``nav``
(or the one MkDocs would build) and gets the completed one back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import QualsiteError, did_you_mean
from ..i18n import _
from ..study.model import Category, Study
from .citation import CITE_PAGE
from .rigour import has_audit_trail
from .text import html
from .urls import (
    ACCESSIBILITY_PAGE,
    AUDIT_PAGE,
    CATEGORIES_INDEX,
    CHECKLIST_PAGE,
    HISTORY_PAGE,
    MATRIX_PAGES,
    MODEL_PAGE,
    PARTICIPANTS_INDEX,
    PRINT_PAGE,
    TABLES_PAGE,
    category_src,
    participant_src,
)

NavItem = str | Mapping[str, Any]

MARKER_PREFIX = "qualsite:"


@dataclass(frozen=True, slots=True)
class Section:
    """A generated section: its default title and its nav entries."""

    title: str
    items: list[NavItem]


def generated_sections(
    study: Study,
    *,
    participant_pages: bool,
    matrices: bool = False,
    codebook_history: bool = False,
) -> dict[str, Section]:
    """The generated sections by marker name, in the order they are appended,
    titled in the site's language (the marker names and pages stay as they are)."""

    def entry(category: Category) -> NavItem:
        children = study.children(category)
        if not children:
            return category_src(category)
        # MkDocs treats titles as HTML (themes print them unescaped).
        return {str(html(category.name)): [category_src(category), *(entry(c) for c in children)]}

    sections: dict[str, Section] = {}
    if study.model is not None:
        sections["model"] = Section(_("Model"), [MODEL_PAGE])
    sections["categories"] = Section(
        _("Categories"), [CATEGORIES_INDEX, *(entry(c) for c in study.top_categories)]
    )
    if study.tables:
        sections["tables"] = Section(_("Tables"), [TABLES_PAGE])
    if matrices:
        sections["matrices"] = Section(_("Matrices"), list(MATRIX_PAGES))
    if participant_pages:
        sections["participants"] = Section(
            _("Participants"),
            [PARTICIPANTS_INDEX, *(participant_src(p) for p in study.participants)],
        )
    if study.checklist is not None:
        sections["checklist"] = Section(_("Reporting checklist"), [CHECKLIST_PAGE])
    audit: list[NavItem] = [AUDIT_PAGE] if has_audit_trail(study) else []
    audit += [HISTORY_PAGE] if codebook_history else []
    if audit:
        sections["audit"] = Section(_("Audit trail"), audit)
    sections["cite"] = Section(_("How to cite"), [CITE_PAGE])
    sections["accessibility"] = Section(_("Accessibility"), [ACCESSIBILITY_PAGE])
    # Translators: the Print page's title: the whole study on one page, to print.
    sections["print"] = Section(_("Print"), [PRINT_PAGE])
    # Titles are HTML to MkDocs, as the categories' above: a translation is text.
    return {name: Section(str(html(s.title)), s.items) for name, s in sections.items()}


def section_index_pages(study: Study) -> frozenset[str]:
    """The category pages that open a section of their own.

    A category with sub-categories is a section whose first entry is the
    category's own page. Marked as the section's index (Material's
    ``navigation.indexes``), that page becomes the section's own link rather
    than a child that repeats the section's title.
    """
    return frozenset(category_src(c) for c in study.categories if study.children(c))


#: The features of Material for MkDocs that a study's navigation needs, and why.
NAVIGATION_FEATURES: Mapping[str, str] = {
    "navigation.indexes": (
        "each category with sub-categories is listed twice in the sidebar, as its "
        "section and as that section's first page"
    ),
    "navigation.prune": (
        "every page carries the whole category tree in its sidebar, which makes each "
        "page of a big study heavier"
    ),
}


def navigation_advice(theme_name: str | None, features: Sequence[str]) -> list[str]:
    """What a study's ``mkdocs.yml`` could add to Material's features, and why.

    Advice, not an error: a site builds and reads without them.
    """
    if theme_name != "material":
        return []
    return [
        f"theme: features lacks {feature}: without it {why}; add it "
        "(qualsite new writes both navigation.indexes and navigation.prune)"
        for feature, why in NAVIGATION_FEATURES.items()
        if feature not in features
    ]


def place_sections(nav: Sequence[NavItem], sections: Mapping[str, Section]) -> list[NavItem]:
    """Replace each ``qualsite:<name>`` marker by its section; append the rest.

    A marker is a nav entry of its own (``- qualsite:categories``) or the
    value of a titled entry (``- Findings: qualsite:categories``), which
    keeps the user's title.
    """
    placed: set[str] = set()

    def section_for(marker: str, title: str | None) -> NavItem:
        name = marker[len(MARKER_PREFIX) :].strip()
        if name not in sections:
            raise QualsiteError(
                f"unknown navigation marker '{marker}' in mkdocs.yml"
                f"{did_you_mean(name, sections)}; qualsite places "
                + ", ".join(f"'{MARKER_PREFIX}{n}'" for n in sections)
            )
        placed.add(name)
        items = sections[name].items
        if len(items) == 1:  # a single page is an entry, not a section
            return {title or sections[name].title: items[0]}
        return {title or sections[name].title: list(items)}

    def walk(items: Sequence[NavItem]) -> list[NavItem]:
        result: list[NavItem] = []
        for item in items:
            if isinstance(item, str) and item.startswith(MARKER_PREFIX):
                result.append(section_for(item, None))
            elif isinstance(item, Mapping) and len(item) == 1:
                ((title, value),) = item.items()
                if isinstance(value, str) and value.startswith(MARKER_PREFIX):
                    result.append(section_for(value, title))
                elif isinstance(value, list):
                    result.append({title: walk(value)})
                else:
                    result.append(item)
            else:
                result.append(item)
        return result

    completed = walk(nav)
    for name in sections:
        if name not in placed:
            completed.append(section_for(MARKER_PREFIX + name, None))
    return completed
