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
from ..study.model import Category, Study
from .citation import CITE_PAGE
from .text import html
from .urls import (
    CATEGORIES_INDEX,
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


def generated_sections(study: Study, *, participant_pages: bool) -> dict[str, Section]:
    """The generated sections by marker name, in the order they are appended."""

    def entry(category: Category) -> NavItem:
        children = study.children(category)
        if not children:
            return category_src(category)
        # MkDocs treats titles as HTML (themes print them unescaped).
        return {str(html(category.name)): [category_src(category), *(entry(c) for c in children)]}

    sections: dict[str, Section] = {}
    if study.model is not None:
        sections["model"] = Section("Model", [MODEL_PAGE])
    sections["categories"] = Section(
        "Categories", [CATEGORIES_INDEX, *(entry(c) for c in study.top_categories)]
    )
    if study.tables:
        sections["tables"] = Section("Tables", [TABLES_PAGE])
    if participant_pages:
        sections["participants"] = Section(
            "Participants", [PARTICIPANTS_INDEX, *(participant_src(p) for p in study.participants)]
        )
    sections["cite"] = Section("How to cite", [CITE_PAGE])
    sections["print"] = Section("Print", [PRINT_PAGE])
    return sections


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
