"""Exports: the study's tables, codebook and excerpts as files that other
programs read. Every export is made from the published study, after the
confidentiality guard, exactly as the site is; the site links to each one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..checklists import ChecklistRow, Standard
from ..i18n import N_, _
from ..render.pages import GeneratedFile, OfferedFile
from ..render.tables import TableRenderer
from ..study.model import Excerpt, Study
from .paper import Paper

# The makers are imported when an export is made, not with the package: a
# build that leaves its exports to another process (qualsite.site.exports_job)
# then holds neither python-docx nor lxml (13 MiB).

DOWNLOADS_DIR = "downloads"

#: The study's reporting standard and, for each of its items, where the
#: site reports it.
ChecklistRows = tuple[Standard, Sequence[ChecklistRow]]


class ExportSource(Protocol):
    """What an export is made from: the published study, its tables and the
    excerpt labels. The site's renderer is one; exports do not import it, so
    that the renderer can list the exports it links to."""

    @property
    def study(self) -> Study: ...

    @property
    def tables(self) -> TableRenderer: ...

    def kind_label(self, excerpt: Excerpt) -> str: ...

    def checklist_rows(self) -> ChecklistRows: ...


@dataclass(frozen=True, slots=True)
class Export:
    name: str  # for `qualsite export --format`
    filename: str  # under downloads/ in the site
    #: The link's text on the site: a format's name ("Word", "CSV"), or a
    #: message (N_), translated when the site is drawn.
    label: str
    make: Callable[[ExportSource, Paper], bytes]
    #: What the study must have for the export to exist: "tables", "checklist".
    needs: str | None = None

    @property
    def path(self) -> str:
        return f"{DOWNLOADS_DIR}/{self.filename}"

    @property
    def offered(self) -> OfferedFile:
        return OfferedFile(_(self.label), self.path, self.needs or "categories")


# Only the Word documents have a paper; the LaTeX is laid out on the paper of
# the document that inputs it (see .paper).


def _tables_docx(renderer: ExportSource, paper: Paper) -> bytes:
    from .documents import tables_docx

    return tables_docx(renderer.study, renderer.tables, paper)


def _tables_latex(renderer: ExportSource, paper: Paper) -> bytes:
    from .latex import tables_latex

    return tables_latex(renderer.study, renderer.tables).encode("utf-8")


def _codebook_csv(renderer: ExportSource, paper: Paper) -> bytes:
    from .codebook import codebook_csv

    return codebook_csv(renderer.study)


def _codebook_docx(renderer: ExportSource, paper: Paper) -> bytes:
    from .documents import codebook_docx

    return codebook_docx(renderer.study, paper)


def _codebook_qdc(renderer: ExportSource, paper: Paper) -> bytes:
    from .codebook import codebook_qdc

    return codebook_qdc(renderer.study)


def _excerpts_docx(renderer: ExportSource, paper: Paper) -> bytes:
    from .documents import excerpts_docx

    return excerpts_docx(renderer.study, renderer.kind_label, paper)


def _checklist_docx(renderer: ExportSource, paper: Paper) -> bytes:
    from .checklist import checklist_docx

    standard, rows = renderer.checklist_rows()
    return checklist_docx(standard, rows, renderer.study, paper)


def _checklist_latex(renderer: ExportSource, paper: Paper) -> bytes:
    from .checklist import checklist_latex

    standard, rows = renderer.checklist_rows()
    return checklist_latex(standard, rows).encode("utf-8")


EXPORTS: tuple[Export, ...] = (
    Export("tables-docx", "tables.docx", "Word", _tables_docx, needs="tables"),
    Export("tables-latex", "tables.tex", "LaTeX", _tables_latex, needs="tables"),
    Export("codebook-csv", "codebook.csv", "CSV", _codebook_csv),
    Export("codebook-docx", "codebook.docx", "Word", _codebook_docx),
    Export("codebook-qdc", "codebook.qdc", "REFI-QDA (.qdc)", _codebook_qdc),
    Export(
        "excerpts-docx",
        "excerpts-by-category.docx",
        # Translators: the link to the Word document of the excerpts of each
        # category, on the page of categories.
        N_("Excerpts by category (Word)"),
        _excerpts_docx,
    ),
    Export(
        "checklist-docx", "reporting-checklist.docx", "Word", _checklist_docx, needs="checklist"
    ),
    Export(
        "checklist-latex", "reporting-checklist.tex", "LaTeX", _checklist_latex, needs="checklist"
    ),
)


def exports_for(study: Study) -> list[Export]:
    """The exports this study has (no tables, no table exports; no
    checklist, no checklist exports)."""
    has = {"tables": bool(study.tables), "checklist": study.checklist is not None}
    return [e for e in EXPORTS if e.needs is None or has[e.needs]]


def make_exports(source: ExportSource, paper: Paper = Paper.A4) -> list[GeneratedFile]:
    """Every export of the study, as files of the site; the Word documents
    laid out on ``paper``."""
    return [GeneratedFile(e.path, e.make(source, paper)) for e in exports_for(source.study)]


__all__ = [
    "DOWNLOADS_DIR",
    "EXPORTS",
    "Export",
    "ExportSource",
    "Paper",
    "exports_for",
    "make_exports",
]
