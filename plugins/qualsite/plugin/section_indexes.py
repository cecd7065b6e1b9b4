"""Category pages as their own section's page in Material's sidebar.

Material's ``navigation.indexes`` feature attaches a section's first child to
the section itself when that child "is an index" (``Page.is_index``), which
MkDocs decides by its file name alone (``index.md``). A category page is
``categories/<id>.md`` and keeps that address; so each page that opens a
section of its own (:func:`qualsite.render.nav.section_index_pages`) is told
here that it is its section's index, and nothing else about it changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

#: One subclass per Page class met (MkDocs' or ProperDocs'), made once.
_INDEX_CLASSES: dict[type[Page], type[Page]] = {}


def attach_section_indexes(nav: Navigation, index_srcs: frozenset[str]) -> None:
    """Mark the first page of each section that opens with one of
    ``index_srcs`` as that section's index."""
    for section in _sections(nav.items):
        first = section.children[0] if section.children else None
        if isinstance(first, Page) and first.file.src_uri in index_srcs:
            _mark_as_index(first)


def _sections(items: Iterable[object]) -> Iterable[Section]:
    for item in items:
        if isinstance(item, Section):
            yield item
            yield from _sections(item.children)


def _mark_as_index(page: Page) -> None:
    cls = type(page)
    if cls in _INDEX_CLASSES.values():
        return
    index_class = _INDEX_CLASSES.get(cls)
    if index_class is None:
        # Only ``is_index`` differs: the page keeps its file, address and
        # title, and the object stays the one every other part of the build
        # holds (MkDocs keeps one Page per file).
        index_class = type(f"SectionIndex{cls.__name__}", (cls,), {"is_index": True})
        _INDEX_CLASSES[cls] = index_class
    page.__class__ = index_class
