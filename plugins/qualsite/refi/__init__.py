"""REFI-QDA import: from an NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette
export (.qdpx project or .qdc codebook) to a qualsite study.

The study is written to a temporary folder first, loaded back with the same
loader a build uses and checked by the confidentiality guard; only then, and
only if nothing would be overwritten (or --force was given), is it written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, Problems, StudyError, display_path
from ..guard import DENY_LIST_VARIABLE, guard
from ..study import load_study
from ..study.schema import write_schemas
from .archive import ImportError_, open_archive
from .convert import Report, convert
from .project import read_project
from .validate import check_conformance
from .write import plan_files, previous_import, write_files

__all__ = ["ImportError_", "ImportResult", "import_file"]


@dataclass
class ImportResult:
    report: Report
    files: list[Path]  # written, or (with --dry-run) that would be written
    findings: list[Problem] = field(default_factory=list)  # the guard's, on the result
    dry_run: bool = False
    removed: list[Path] = field(default_factory=list)  # stale files of an earlier import


def import_file(
    source: Path,
    into: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    schemas: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    archive = open_archive(source)
    try:
        shown = display_path(source)
        if strict:
            check_conformance(archive.root, archive.kind, schemas, shown)
        project = read_project(archive.root, archive.kind, shown)
        if archive.kind == "codebook" and not project.name:
            project.name = "Imported codebook"
        converted = convert(project, archive, progress=progress)
    finally:
        archive.close()

    files = plan_files(converted, into)
    stale = _stale_excerpt_files(into, files)
    hand_written = [p for p in stale if not previous_import(p)]
    if hand_written and not dry_run:
        # Never deleted, even with --force: they were not written by an import.
        raise ImportError_(
            f"{display_path(hand_written[0])} is an excerpt file that this import would not "
            "replace and that no earlier import wrote; move it out of the codebook first, "
            "or import into another folder"
        )
    existing = [p for p in files if p.exists()]
    if existing and not force and not dry_run:
        listed = ", ".join(display_path(p) for p in sorted(existing)[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise ImportError_(
            f"the import would overwrite {listed}{more}; use --force to replace them, "
            "or import into another folder"
        )
    findings = _verify(files, into)
    if dry_run:
        return ImportResult(converted.report, sorted(files), findings, dry_run=True)
    removed = [p for p in stale if previous_import(p)] if force else []
    for path in removed:
        path.unlink()
    written = write_files(files)
    write_schemas(into / "codebook" / ".schemas")
    return ImportResult(converted.report, written, findings, removed=removed)


def _stale_excerpt_files(into: Path, files: dict[Path, str]) -> list[Path]:
    """Excerpt files already in the codebook that this import does not write:
    left in place, they would mix an older import into the new one."""
    folder = into / "codebook" / "excerpts"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.yml") if p not in files)


def _verify(files: dict[Path, str], into: Path) -> list[Problem]:
    """Load the imported study from a temporary copy, as a build would, and
    run the guard on it; findings are reported at their place under ``into``."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        mirror = {root / path.relative_to(into): text for path, text in files.items()}
        write_files(mirror)
        problems = Problems()
        try:
            study = load_study(root / "codebook", problems)
        except StudyError as error:
            # The importer wrote something its own loader refuses: a bug.
            raise RuntimeError(f"qualsite import produced an invalid study:\n{error}") from error
        deny = os.environ.get(DENY_LIST_VARIABLE)
        guard(
            study.published(),
            (),
            problems,
            deny_list=Path(deny).expanduser() if deny else None,
            strict=False,
        )
        prefix = display_path(root)
        shown_into = display_path(into)
        findings = [
            Problem(
                Location(p.location.path.replace(prefix, shown_into, 1), p.location.line),
                p.message,
                p.severity,
            )
            for p in problems
        ]
        shutil.rmtree(root / "codebook", ignore_errors=True)
    return findings
