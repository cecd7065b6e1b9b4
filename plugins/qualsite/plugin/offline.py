"""A site that works from ``file://`` on a machine with no network.

Material's own offline plugin does the same, except that it loads the
iframe-worker shim (which lets search run without a server) from a CDN;
qualsite serves a copy of it from the site itself instead.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..render.urls import ASSETS_DIR

SHIM_DIR = Path(__file__).resolve().parent.parent / "vendor" / "iframe-worker"
#: The shim and its licence notice (MIT asks that the notice go with every copy),
#: by their paths in the site. Material's offline plugin, if also enabled, sees
#: "iframe-worker" among the polyfills and adds no CDN copy.
SHIM_FILES = {
    f"{ASSETS_DIR}/iframe-worker/shim.js": SHIM_DIR / "shim.js",
    f"{ASSETS_DIR}/iframe-worker/LICENSE.txt": SHIM_DIR / "LICENSE",
}
SHIM_PATH = f"{ASSETS_DIR}/iframe-worker/shim.js"


def prepare_offline(config: MkDocsConfig) -> None:
    """Set ``config`` up for ``file://``."""
    # A folder URL ("categories/peer-support/") does not open index.html
    # from the file system; page URLs must name their files.
    config.use_directory_urls = False
    # Material's default fonts come from Google; the system's fonts read as well.
    config.theme["font"] = False
    polyfills = config.extra.get("polyfills") or []
    if SHIM_PATH not in polyfills:
        polyfills.append(SHIM_PATH)
    config.extra["polyfills"] = polyfills


def needs_network(config: MkDocsConfig) -> list[str]:
    """What in ``mkdocs.yml`` would load from the web (each an error for a
    bundle, which promises to work without a network; a PDF may use them)."""
    return [*_from_the_web(config), *_mermaid(config)]


def _from_the_web(config: MkDocsConfig) -> list[str]:
    problems = []
    for setting in ("extra_javascript", "extra_css"):
        for entry in getattr(config, setting):
            address = str(getattr(entry, "path", entry))
            if address.startswith(("http://", "https://", "//")):
                problems.append(
                    f"mkdocs.yml: {setting} loads {address} from the web, which an offline copy "
                    "cannot reach: save the file into the docs folder and list its path instead"
                )
    return problems


def _mermaid(config: MkDocsConfig) -> list[str]:
    fences = (config.mdx_configs.get("pymdownx.superfences") or {}).get("custom_fences") or []
    scripts = " ".join(str(getattr(e, "path", e)) for e in config.extra_javascript)
    if any(f.get("name") == "mermaid" for f in fences) and "mermaid" not in scripts:
        return [
            "mkdocs.yml: the theme draws Mermaid diagrams with a script from unpkg.com, which "
            "an offline copy cannot reach: save mermaid.min.js into the docs folder and list "
            "it under extra_javascript, or remove the mermaid fence"
        ]
    return []


def inline_search_index(site_dir: Path) -> None:
    """Material's search reads ``search_index.js`` (a script, which loads from
    ``file://``) when it cannot fetch ``search_index.json``."""
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        data = index.read_text(encoding="utf-8")
        (site_dir / "search" / "search_index.js").write_text(
            f"var __index = {data}", encoding="utf-8"
        )
