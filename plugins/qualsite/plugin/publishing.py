"""The last step of a build: the site MkDocs wrote is read by the output
gate before anyone can publish it, and removed when it must not be.

A site that would publish an identifier, a strict build that warned, or a
build that failed after MkDocs began writing leaves nothing behind (what
MkDocs itself would clean: the folder's dot-entries, such as a gh-pages
checkout's ``.git``, stay).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.utils import clean_directory

from ..errors import Problem
from ..guard.gate import GatePolicy, GateReport, describe, gate_folder

log = get_plugin_logger(__name__)


def check_written_site(
    site_dir: Path,
    policy: GatePolicy,
    *,
    user_files: Collection[str],
    strict: bool,
    warnings: Sequence[Problem],
) -> GateReport:
    """Gate the written site; on a finding, or a warning in a strict build,
    remove it and raise PluginError."""
    try:
        report = gate_folder(site_dir, policy)
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
    # SVG; an image or PDF of the user's is theirs to check.
    unread = [path for path in report.opaque if path.split("!/")[0] in user_files]
    if unread:
        shown = ", ".join(unread[:5]) + (" ..." if len(unread) > 5 else "")
        log.info(
            f"{len(unread)} file(s) of docs_dir hold nothing qualsite can read as text (images, "
            f"PDFs), so only their names were checked; check what they show by hand: {shown}"
        )
    return report


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
