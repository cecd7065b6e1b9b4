"""Why ``qualsite export`` wrote nothing in a format. ``--format all`` says
so after what it wrote, so that a study without a model is not mistaken for
a figure that failed, nor a missing figure for a study without a model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..study.model import Study


@dataclass(frozen=True, slots=True)
class StudyFiles:
    """Where a user would add what a format is made from, as they would type it."""

    codebook: str  # the codebook's folder ("codebook")
    config_file: str  # the MkDocs configuration ("mkdocs.yml")


def why_nothing(format_name: str, study: Study, *, matrices: bool, files: StudyFiles) -> str:
    """Why the published ``study`` has no file in ``format_name`` (a
    ``qualsite export --format`` name: tables-..., figure-..., matrices-...)."""
    family = format_name.split("-", 1)[0]
    if family == "tables" and not study.tables:
        return f"the study has no tables ({files.codebook}/tables.yml)"
    if family == "figure" and study.model is None:
        return f"the study has no model ({files.codebook}/model.yml)"
    if family == "checklist" and study.checklist is None:
        return f"the study has no reporting checklist ({files.codebook}/checklist.yml)"
    if family == "matrices" and not matrices:
        return f"the matrices are turned off (matrices: false in {files.config_file})"
    # The other formats are made from the categories, which every study has.
    return "the study gave no file of this kind"


def skipped_lines(format_names: Iterable[str], reason: Callable[[str], str]) -> list[str]:
    """A line for each reason, naming the formats it left out, in their order:
    "Skipped figure-svg, figure-pdf, figure-png: the study has no model (...)"."""
    by_reason: dict[str, list[str]] = {}
    for name in format_names:
        by_reason.setdefault(reason(name), []).append(name)
    return [f"Skipped {', '.join(names)}: {why}" for why, names in by_reason.items()]


__all__ = ["StudyFiles", "skipped_lines", "why_nothing"]
