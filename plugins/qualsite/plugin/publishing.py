"""The last step of a build: the site MkDocs wrote is read by the output
gate before anyone can publish it, and removed when it must not be.

A site that would publish an identifier, a strict build that warned, or a
build that failed after MkDocs began writing leaves nothing behind (what
MkDocs itself would clean: the folder's dot-entries, such as a gh-pages
checkout's ``.git``, stay).
"""

from __future__ import annotations

import time
from collections.abc import Collection, MutableMapping, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.utils import clean_directory

from ..errors import Problem
from ..guard.gate import (
    CleanUnits,
    GatePolicy,
    GateReport,
    describe,
    gate_paths,
    merge_reports,
    site_files,
    written_digest,
)
from ..guard.worker import WORKER_OFF, BuildWorkers, WorkerFailed

log = get_plugin_logger(__name__)


def check_written_site(
    site_dir: Path,
    policy: GatePolicy,
    *,
    user_files: Collection[str],
    strict: bool,
    warnings: Sequence[Problem],
    worker: BuildWorkers | None = None,
    timings: MutableMapping[str, float] | None = None,
    units: CleanUnits | None = None,
) -> GateReport:
    """Gate the written site; on a finding, or a warning in a strict build,
    remove it and raise PluginError.

    ``worker`` has checked some files already (the pages, as they were
    handed to MkDocs to write): those are not read again if they are
    still byte for byte what it checked. ``units``: what the last build's
    gate in this process found clean (under qualsite serve)."""
    try:
        if worker is None:
            report = gate_paths(site_dir, site_files(site_dir), policy, units)
        else:
            report = _gate_with(worker, site_dir, policy, timings, units)
    except WorkerFailed as error:
        withdraw(site_dir)
        raise PluginError(
            f"qualsite's last check could not finish: {error}, so not every file of the site "
            "was read; nothing was published. Please report this as a qualsite bug "
            f"({WORKER_OFF} builds in one process)."
        ) from None
    except Exception as error:
        # A fault in the gate must not leave an unchecked site behind.
        withdraw(site_dir)
        # The error's own words may quote what it was reading: not repeated.
        raise PluginError(
            f"qualsite's last check could not read the site ({type(error).__name__}); "
            "nothing was published. Please report this as a qualsite bug."
        ) from None
    if report.findings:
        withdraw(site_dir)
        raise PluginError(describe(report))
    if strict and warnings:
        # MkDocs stops a strict build for warnings only once it has written
        # the site; a site built without a deny-list, or with unreviewed
        # text, must not be left behind for someone to upload.
        withdraw(site_dir)
        count = len(warnings)
        raise PluginError(
            f"{count} warning{'s' if count != 1 else ''} from qualsite (above) in a strict "
            "build; nothing was published"
        )
    # qualsite's own figures are drawn from labels the gate has read in the
    # SVG (and in the PDF); an image of the user's is theirs to check.
    unread = [path for path in report.opaque if path.split("!/")[0] in user_files]
    if unread:
        shown = ", ".join(unread[:5]) + (" ..." if len(unread) > 5 else "")
        log.info(
            f"{len(unread)} file(s) of docs_dir hold nothing qualsite can read as text (images, "
            f"sound, video), so only their names were checked; check what they show by hand: "
            f"{shown}"
        )
    return report


#: A file this big that no one handed to the worker (the search index) is
#: handed over at the end, to be read while this process reads the rest.
HAND_OVER_BYTES = 256 * 2**10


def _gate_with(
    worker: BuildWorkers,
    site_dir: Path,
    policy: GatePolicy,
    timings: MutableMapping[str, float] | None,
    units: CleanUnits | None,
) -> GateReport:
    """The site gated by the worker and this process together: the worker's
    findings, and this process's on every other file.

    If a file the worker checked is no longer what it checked (a plugin
    changed it after it was handed over) or is gone, everything is read
    again here: a unit of text the worker found clean on a page is not
    checked again on the next, so its report holds only for the files as
    it read them, all of them."""
    try:
        worker.flush()  # the last page
        paths = site_files(site_dir)
        handed = worker.handed_over
        # Under qualsite serve this process reads the rest itself, keeping
        # what it found clean for the next build (the next search index is
        # this one but for a few entries: 0.25 s less on each save, 0.25 s
        # more on the first build); otherwise a big file is read on the
        # other core meanwhile.
        hand_over = units is None
        for path in paths:
            if not hand_over or path in handed or path in policy.vendor:
                continue
            file = site_dir / path
            if not file.is_symlink() and file.stat().st_size >= HAND_OVER_BYTES:
                # Under qualsite serve, a file unchanged since the last build
                # checked it is left to this process, which does not read it again.
                before = policy.checked.get(path)
                if before is None or before != written_digest(file):
                    worker.check_written(path, file)
        handed = worker.handed_over
        own = gate_paths(site_dir, [p for p in paths if p not in handed], policy, units)
        written = {
            path: written_digest(site_dir / path)
            for path in paths
            if path in handed and not (site_dir / path).is_symlink()
        }
        waited = time.perf_counter()
        checked = worker.finish()
        waited = time.perf_counter() - waited
    finally:
        worker.stop()
    if timings is not None:
        # How long this process waited for the worker, how long the worker
        # was busy, its start, and its peak memory (not in this process's).
        timings["gate_wait"] = waited
        timings["gate_worker"] = checked.seconds
        timings["gate_worker_startup"] = checked.startup
        timings["gate_worker_peak_mib"] = checked.peak_kib / 1024
    if written != checked.digests:
        if timings is not None:
            timings["gate_again"] = 1.0
        return gate_paths(site_dir, paths, policy, units)
    return merge_reports([checked.report, own])


def withdraw(site_dir: Path) -> None:
    """Remove what a build wrote, as MkDocs cleans a site folder."""
    if site_dir.is_dir():
        clean_directory(str(site_dir))


def theme_files(files: Files, config: MkDocsConfig) -> dict[str, Path]:
    """The theme's own static files (scripts, styles, icons), by output path.

    They come from the installed theme package, so nothing of the study can
    be in them; the gate skips them if they are still byte for byte the
    package's. Files of the theme's ``custom_dir`` are the user's, not
    the theme's, and are checked like any other.
    """
    custom = config.theme.custom_dir
    own = Path(custom).resolve() if custom else None
    theme_dirs = [Path(d).resolve() for d in config.theme.dirs]
    theme_dirs = [d for d in theme_dirs if d != own]
    found: dict[str, Path] = {}
    for file in files:
        if file.abs_src_path is None or file.generated_by is not None:
            continue
        source = Path(file.abs_src_path).resolve()
        if own is not None and own in source.parents:
            continue
        if any(folder in source.parents for folder in theme_dirs):
            found[file.dest_uri] = source
    return found
