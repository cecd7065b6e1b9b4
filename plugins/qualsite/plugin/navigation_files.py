"""The category tree for mkdocs-awesome-nav, which builds a site's
navigation from its files and ``.nav.yml`` files among them rather than
from mkdocs.yml's ``nav``: qualsite leaves ``nav`` unset for it, and gives
the tree's order and titles in a ``categories/.nav.yml`` that is read, not
published."""

from __future__ import annotations

import posixpath

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from ..render.nav import NavItem, Section
from ..render.urls import CATEGORIES_DIR

_AWESOME_NAV = ("awesome-nav", "awesome-pages")


def uses_awesome_nav(config: MkDocsConfig) -> bool:
    return any(name in config.plugins for name in _AWESOME_NAV)


def category_tree_nav_file(config: MkDocsConfig, categories: Section) -> File:
    nav = {"title": categories.title, "nav": _relative(categories.items)}
    text = yaml.safe_dump(nav, allow_unicode=True, sort_keys=False)
    return File.generated(
        config, f"{CATEGORIES_DIR}/.nav.yml", content=text, inclusion=InclusionLevel.EXCLUDED
    )


def _relative(items: list[NavItem]) -> list[object]:
    found: list[object] = []
    for item in items:
        if isinstance(item, str):
            found.append(posixpath.relpath(item, CATEGORIES_DIR))
        else:
            for title, value in item.items():
                found.append({title: _relative(value) if isinstance(value, list) else value})
    return found
