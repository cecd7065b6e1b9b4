"""Plugins that build a qualsite site but make something wrong of its
pages, said before they do."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

#: Plugins that build, but make something wrong of qualsite's pages.
WARNED = {
    "print-site": (
        "mkdocs-print-site's page repeats ids and breaks the excerpts' links of "
        "qualsite's pages; qualsite's own Print page (print/) prints the whole study, "
        "with its links: remove print-site, or exclude qualsite's pages from it"
    ),
}


def warnings(config: MkDocsConfig) -> list[str]:
    return [f"plugins: {name}: {why}" for name, why in WARNED.items() if name in config.plugins]
