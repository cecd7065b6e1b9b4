"""Plugins qualsite does not work with yet, said before they fail in their
own words (a traceback, or pages silently left out)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

#: Plugins that cannot build a qualsite site: why, and what to do instead.
REFUSED = {
    "i18n": (
        "mkdocs-static-i18n builds each language by building the site again from "
        "docs_dir, where qualsite's pages are not (they are made from the codebook), and "
        "stops or leaves them out. For a site in another language set the theme's "
        "language (qualsite translates its pages, see the README's Languages); for two "
        "languages, build two sites from two configuration files"
    ),
}

#: Plugins that build, but make something wrong of qualsite's pages.
WARNED = {
    "print-site": (
        "mkdocs-print-site's page repeats ids and breaks the excerpts' links of "
        "qualsite's pages; qualsite's own Print page (print/) prints the whole study, "
        "with its links: remove print-site, or exclude qualsite's pages from it"
    ),
}


def refusal(config: MkDocsConfig) -> str | None:
    for name, why in REFUSED.items():
        if name in config.plugins:
            return f"plugins: {name}: qualsite does not work with it yet: {why}"
    return None


def warnings(config: MkDocsConfig) -> list[str]:
    return [f"plugins: {name}: {why}" for name, why in WARNED.items() if name in config.plugins]
