"""REFI-QDA import: from an NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette
export (.qdpx project or .qdc codebook) to a qualsite study.

Nothing is written until the study, as the folder will hold it, has been
loaded back with the loader a build uses and run through the confidentiality
guard. Files a person wrote are never replaced; with --force, files an
earlier import wrote are. --dry-run does every check and writes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, Problems, StudyError, display_path
from ..study import load_study
from ..study.schema import write_schemas
from .archive import ImportError_, open_archive
from .convert import convert
from .project import read_project
from .report import Report
from .validate import check_conformance
from .verdict import Verdict, verdict
from .write import (
    REPORT_FILE,
    import_report,
    plan_files,
    previous_import,
    reviewed_count,
    write_files,
)

__all__ = ["ImportError_", "ImportResult", "import_file"]

#: Files of the codebook an import writes; one left from an earlier import
#: that this import does not write again is stale.
_IMPORT_WRITES = ("model.yml", ".refi-sets.yml", ".refi-notes.yml", "IMPORT.md")


@dataclass
class ImportResult:
    report: Report
    files: list[Path]  # written, or (with --dry-run) that would be written
    #: What ``qualsite check`` will say of the study the import leaves.
    verdict: Verdict = field(default_factory=lambda: Verdict(False, []))
    dry_run: bool = False
    removed: list[Path] = field(default_factory=list)  # stale files of an earlier import
    reviewed_replaced: int = 0  # excerpts marked reviewed in the files replaced


def import_file(
    source: Path,
    into: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    schemas: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    judge: Callable[[Path], Verdict] = verdict,
) -> ImportResult:
    """Import ``source`` into the study folder ``into``.

    ``judge`` works out what ``qualsite check`` will say of a folder: the
    core's reads mkdocs.yml's plain options itself; the command line passes
    one that loads it with MkDocs, exactly as ``qualsite check`` does.
    """
    if into.exists() and not into.is_dir():
        raise ImportError_(
            f"{display_path(into)} is a file; --into names the folder of the study to make "
            "(a new or empty one, or one an earlier import made)"
        )
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
    existing = sorted(p for p in files if p.exists())
    hand_written = [p for p in existing if not previous_import(p)]
    if hand_written:
        # Never replaced, even with --force: a person wrote them.
        raise ImportError_(
            f"{_listed(hand_written)} {'was' if len(hand_written) == 1 else 'were'} not written "
            "by an import, and the import would replace "
            f"{'it' if len(hand_written) == 1 else 'them'}; move "
            f"{'it' if len(hand_written) == 1 else 'them'} away, or import into another folder"
        )
    if existing and not force:
        raise ImportError_(
            f"the import would replace {_listed(existing)}, written by an earlier import; "
            "use --force to replace them"
        )
    stale = _stale_files(into, files)
    stale_hand_written = [p for p in stale if not previous_import(p)]
    if stale_hand_written and stale_hand_written[0].parent.name == "excerpts":
        raise ImportError_(
            f"{display_path(stale_hand_written[0])} is an excerpt file that this import would not "
            "replace and that no earlier import wrote; move it out of the codebook first, "
            "or import into another folder"
        )
    removed = [p for p in stale if previous_import(p)]
    found = _verify(files, removed, into, judge)
    files[into / "codebook" / REPORT_FILE] = import_report(
        converted.report, found, display_path(into)
    )
    reviewed = sum(reviewed_count(p) for p in [*existing, *removed])
    if dry_run:
        return ImportResult(
            converted.report, sorted(files), found, True, removed, reviewed_replaced=reviewed
        )
    for path in removed:
        path.unlink()
    written = write_files(files)
    write_schemas(into / "codebook" / ".schemas")
    return ImportResult(converted.report, written, found, False, removed, reviewed)


def _listed(paths: list[Path]) -> str:
    shown = ", ".join(display_path(p) for p in paths[:5])
    return shown + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")


def _stale_files(into: Path, files: dict[Path, str]) -> list[Path]:
    """Files already in the codebook that this import does not write: left
    there, an earlier import's excerpts or model would mix into the new one."""
    codebook = into / "codebook"
    found = [codebook / name for name in _IMPORT_WRITES if (codebook / name).is_file()]
    if (codebook / "excerpts").is_dir():
        found += sorted((codebook / "excerpts").rglob("*.yml"))
    return [p for p in found if p not in files]


#: What a study folder may hold that its check never reads: left out of the
#: copy the verdict is worked out on.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "site", ".site-*", ".cache", "dist", "__pycache__", "node_modules"
)


def _verify(
    files: dict[Path, str], removed: list[Path], into: Path, judge: Callable[[Path], Verdict]
) -> Verdict:
    """Load the study as the folder will hold it (in a temporary copy), as a
    build would, and work out what ``qualsite check`` will say of it;
    problems are reported at their place under ``into``.

    The copy is made beside ``into``, and holds everything a check can read
    (mkdocs.yml, its docs_dir, templates, a deny-list kept in the folder), so
    that paths relative to mkdocs.yml, "../private/deny-list.txt" among
    them, lead where they will lead in the study itself.
    """
    beside = into.resolve().parent
    # (A study folder yet to be made has no mkdocs.yml of its own to read
    # paths from: then any temporary folder will do.)
    nearby = beside if beside.is_dir() else None
    with tempfile.TemporaryDirectory(prefix=".qualsite-import-", dir=nearby) as temporary:
        root = Path(temporary)  # a sibling of the study's folder
        if into.is_dir():
            shutil.copytree(into, root, ignore=_NOT_COPIED, symlinks=True, dirs_exist_ok=True)
        for path in removed:
            (root / path.relative_to(into)).unlink(missing_ok=True)
        write_files({root / path.relative_to(into): text for path, text in files.items()})
        try:
            load_study(root / "codebook", Problems())
        except StudyError as error:
            shown = str(error).replace(display_path(root), display_path(into))
            raise ImportError_(
                "the imported study would not load, so nothing was written:\n"
                f"{shown}\n(if the problems are in files the import wrote, please report them "
                "as a qualsite bug, with the tool that exported the file)"
            ) from None
        found = judge(root)
        prefix, shown_into = display_path(root), display_path(into)
        problems = [
            Problem(
                Location(p.location.path.replace(prefix, shown_into, 1), p.location.line),
                p.message.replace(prefix, shown_into),
                p.severity,
            )
            for p in found.problems
        ]
        return Verdict(found.strict, problems)
