"""The downloads (Word, LaTeX, CSV, REFI-QDA), made on the machine's other
core while MkDocs renders the pages.

The exports need nothing of MkDocs' rendering, and MkDocs writes them only
after every page is rendered: the gate's worker (:mod:`..guard.worker`)
makes them from the same codebook in the meantime
(:func:`qualsite.site.exports_job`), into a temporary folder that the
site's Files point at, and checks them there. If it cannot (the codebook
changed since the build read it, or the job failed), the build makes them
itself before MkDocs writes anything, as it would without a worker.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..exports import make_exports
from ..guard.worker import BuildWorkers, WrittenFiles
from ..site import DeferredExports, PreparedSite, SiteSettings

#: How the plugin makes a generated file: its configuration, the file's
#: path in the site, and the file it is read from.
MakeFile = Callable[[MkDocsConfig, str, Path], File]


class ExportsElsewhere:
    """One build's exports, left to the worker: the folder it writes them
    in, made before the build reads the study (the worker is given the job
    as soon as the study is checked, :func:`qualsite.site.prepare_site`)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="qualsite-exports-")
        self._paths: tuple[str, ...] = ()
        self._job = 0
        self._files: dict[str, File] = {}

    @property
    def folder(self) -> Path:
        return Path(self._folder.name)

    def adopt(self, deferred: DeferredExports) -> None:
        """The exports the build left to the worker, and its job's number."""
        self._paths, self._job = deferred.paths, deferred.job

    def add_files(self, files: Files, config: MkDocsConfig, generated: MakeFile) -> None:
        """Add the exports to the site, as the files the worker will write
        (each made by ``generated``: config, path in the site, source)."""
        for path in self._paths:
            source = self.folder / path
            file = generated(config, path, source)
            files.append(file)
            self._files[path] = file

    def collect(self, worker: BuildWorkers, site: PreparedSite, settings: SiteSettings) -> None:
        """Before MkDocs writes the site: the worker's exports, or, if it
        made none, the build's own (raises WorkerFailed if the worker is gone)."""
        made = worker.job_result(self._job)
        if isinstance(made, WrittenFiles) and sorted(p for p, _ in made.files) == sorted(
            self._paths
        ):
            return
        for export in make_exports(site.renderer, settings.paper):
            self._files[export.path].content_bytes = export.content

    def remove(self) -> None:
        """Remove the temporary folder (once MkDocs has copied the files)."""
        self._folder.cleanup()
