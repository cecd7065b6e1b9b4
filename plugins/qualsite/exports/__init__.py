"""Exports: the study's tables, codebook and excerpts as files that other
programs read. Every export is made from the published study, after the
confidentiality guard, exactly as the site is; the site links to each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .codebook import codebook_csv, codebook_qdc
from .documents import codebook_docx, excerpts_docx, tables_docx
from .latex import tables_latex

if TYPE_CHECKING:
    from ..render.pages import SiteRenderer

DOWNLOADS_DIR = "downloads"


@dataclass(frozen=True, slots=True)
class Export:
    name: str  # for `qualsite export --format`
    filename: str  # under downloads/ in the site
    label: str  # the link's text on the site
    make: Callable[[SiteRenderer], bytes]
    needs_tables: bool = False

    @property
    def path(self) -> str:
        return f"{DOWNLOADS_DIR}/{self.filename}"


def _tables_docx(renderer: SiteRenderer) -> bytes:
    return tables_docx(renderer.study, renderer.tables)


def _tables_latex(renderer: SiteRenderer) -> bytes:
    return tables_latex(renderer.study, renderer.tables).encode("utf-8")


def _codebook_csv(renderer: SiteRenderer) -> bytes:
    return codebook_csv(renderer.study)


def _codebook_docx(renderer: SiteRenderer) -> bytes:
    return codebook_docx(renderer.study)


def _codebook_qdc(renderer: SiteRenderer) -> bytes:
    return codebook_qdc(renderer.study)


def _excerpts_docx(renderer: SiteRenderer) -> bytes:
    return excerpts_docx(renderer.study, renderer.kind_label)


EXPORTS: tuple[Export, ...] = (
    Export("tables-docx", "tables.docx", "Word", _tables_docx, needs_tables=True),
    Export("tables-latex", "tables.tex", "LaTeX", _tables_latex, needs_tables=True),
    Export("codebook-csv", "codebook.csv", "CSV", _codebook_csv),
    Export("codebook-docx", "codebook.docx", "Word", _codebook_docx),
    Export("codebook-qdc", "codebook.qdc", "REFI-QDA (.qdc)", _codebook_qdc),
    Export(
        "excerpts-docx",
        "excerpts-by-category.docx",
        "Excerpts by category (Word)",
        _excerpts_docx,
    ),
)


def exports_for(renderer: SiteRenderer) -> list[Export]:
    """The exports this study has (no tables, no table exports)."""
    return [e for e in EXPORTS if renderer.study.tables or not e.needs_tables]


__all__ = ["DOWNLOADS_DIR", "EXPORTS", "Export", "exports_for"]
