"""The generated pages' Markdown as files, for plugins that read a page's
source file (mkdocs-rss-plugin, Material's optimize on the figure's PNG).

MkDocs lets a generated file have no source on disk, and several plugins
stop on such a file. Each build writes qualsite's pages and downloads into
one folder, outside ``docs_dir`` and the site folder, at stable paths
(``<cache>/pages/categories/trust.md``), and removes the folder when the
build ends, whether it succeeded or not. The folder holds only what the
build publishes, and only while it runs: a withdrawn participant's text is
never in it, and nothing is left behind for a later commit or copy.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..site import SiteSettings


def sources_folder(settings: SiteSettings) -> Path | None:
    """The folder for this study's page sources, or None for a temporary
    one: with the cache turned off, or a cache inside docs_dir (which
    ``mkdocs serve`` watches, and MkDocs would list) or the site folder."""
    if settings.figure_cache is None:
        return None
    folder = (settings.figure_cache / "pages").resolve()
    for inside in (settings.docs_dir, settings.site_dir):
        if inside is not None and folder.is_relative_to(inside.resolve()):
            return None
    return folder


class PageSources:
    """One build's page sources; emptied when made, removed by :meth:`remove`."""

    def __init__(self, folder: Path | None) -> None:
        if folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="qualsite-pages-"))
        else:
            shutil.rmtree(folder, ignore_errors=True)  # a failed build's, if any
            folder.mkdir(parents=True)
            self.folder = folder

    def write(self, src: str, content: str | bytes) -> Path:
        path = self.folder / src
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
