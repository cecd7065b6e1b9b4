"""The generated pages' Markdown as files, for plugins that read a page's
source file (mkdocs-rss-plugin, Material's optimize on the figure's PNG).

MkDocs lets a generated file have no source on disk, and several plugins
stop on such a file. Each build writes qualsite's pages and downloads into
a folder of its own, outside ``docs_dir`` and the site folder
(``<cache>/pages/<pid>-<random>/categories/trust.md``), and removes it when
the build ends, whether it succeeded or not. The folder holds only what the
build publishes, and only while it runs: a withdrawn participant's text is
never in it, and nothing is left behind for a later commit or copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..site import SiteSettings


def sources_folder(settings: SiteSettings) -> Path | None:
    """The folder that holds this study's builds' page sources, or None for
    the system's temporary folder: with the cache turned off, or a cache
    inside docs_dir (which ``mkdocs serve`` watches, and MkDocs would list)
    or the site folder."""
    if settings.figure_cache is None:
        return None
    folder = (settings.figure_cache / "pages").resolve()
    for inside in (settings.docs_dir, settings.site_dir):
        if inside is not None and folder.is_relative_to(inside.resolve()):
            return None
    return folder


class PageSources:
    """One build's page sources, in a folder of its own (two builds of one
    study may run at once, in two processes); removed by :meth:`remove`."""

    def __init__(self, parent: Path | None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
            _remove_abandoned(parent)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))

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


def _remove_abandoned(parent: Path) -> None:
    """The folders of builds whose process has ended without removing them
    (killed, or the machine stopped): their pages go with them."""
    for folder in parent.iterdir():
        pid = folder.name.partition("-")[0]
        if folder.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
