"""A site that works from ``file://`` on a machine with no network.

Material's own offline plugin does the same, except that it loads the
iframe-worker shim (which lets search run without a server) from a CDN;
qualsite serves a copy of it from the site itself instead.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..render.urls import ASSETS_DIR

SHIM = Path(__file__).resolve().parent.parent / "vendor" / "iframe-worker" / "shim.js"
#: Its path in the site; Material's offline plugin, if also enabled, sees
#: "iframe-worker" among the polyfills and adds no CDN copy.
SHIM_PATH = f"{ASSETS_DIR}/iframe-worker/shim.js"


def prepare_offline(config: MkDocsConfig) -> None:
    # A folder URL ("categories/peer-support/") does not open index.html
    # from the file system; page URLs must name their files.
    config.use_directory_urls = False
    polyfills = config.extra.get("polyfills") or []
    if SHIM_PATH not in polyfills:
        polyfills.append(SHIM_PATH)
    config.extra["polyfills"] = polyfills


def inline_search_index(site_dir: Path) -> None:
    """Material's search reads ``search_index.js`` (a script, which loads from
    ``file://``) when it cannot fetch ``search_index.json``."""
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        data = index.read_text(encoding="utf-8")
        (site_dir / "search" / "search_index.js").write_text(
            f"var __index = {data}", encoding="utf-8"
        )
