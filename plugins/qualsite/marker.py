"""How a built site shows that qualsite's plugin made it.

A study's ``mkdocs.yml`` can be built by tools that do not run MkDocs
plugins (MkDocs 2.0 removes them; Zensical ignores the ones it does not
know): they write a site of the study's own pages and nothing else, with no
category page and nothing checked for confidentiality, and say nothing.
The plugin therefore writes a small file into every site it builds, and
``qualsite build`` refuses a site without it.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .render.urls import ASSETS_DIR

#: The marker, by its path in the site.
BUILT_WITH = f"{ASSETS_DIR}/built-with.json"


def built_with_marker() -> bytes:
    """The marker's content: what made the site (no date: builds of the
    same study are the same bytes)."""
    return (json.dumps({"generator": "qualsite", "version": __version__}) + "\n").encode()


def made_by_qualsite(site: Path) -> bool:
    """Whether the site in ``site`` was built with the plugin running."""
    try:
        marker = json.loads((site / BUILT_WITH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("generator") == "qualsite"
