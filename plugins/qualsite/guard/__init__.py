"""The confidentiality guard: runs before anything is written (in ``qualsite
check`` and before every build) and stops a site that could identify a
participant. Withdrawn participants and unpublished excerpts never get here:
the guard, like every output, sees only the published study."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from pathlib import Path

from ..content import ContentFile
from ..errors import Location, Problems, display_path
from ..study.model import Study
from .denylist import DenyList, load_deny_list
from .patterns import PATTERN_NAMES, find_patterns
from .scan import page_texts, scan, study_texts

#: The environment variable that names the deny-list (it wins over mkdocs.yml).
DENY_LIST_VARIABLE = "QUALSITE_DENY_LIST"


def guard(
    study: Study,
    content: Sequence[ContentFile],
    problems: Problems,
    *,
    deny_list: Path | None,
    strict: bool,
    docs_dir: Path | None = None,
    project_dir: Path | None = None,
) -> DenyList | None:
    """Check the published study and the pages; record what is found."""
    deny = None
    if deny_list is not None:
        _check_where_the_deny_list_lives(deny_list, problems, docs_dir, project_dir)
        deny = load_deny_list(deny_list, problems)
    scan(chain(study_texts(study), page_texts(content)), deny, problems, strict=strict)
    return deny


def _check_where_the_deny_list_lives(
    path: Path, problems: Problems, docs_dir: Path | None, project_dir: Path | None
) -> None:
    resolved = path.resolve()
    if docs_dir is not None and resolved.is_relative_to(docs_dir.resolve()):
        problems.error(
            Location(display_path(path)),
            "the deny-list is inside the pages folder (docs_dir), so it would be published; "
            "move it outside the study's folder",
        )
    elif project_dir is not None and resolved.is_relative_to(project_dir.resolve()):
        problems.warning(
            Location(display_path(path)),
            "the deny-list is inside the study's folder, where it may be committed or shared "
            "with the study; keep it outside (see the README)",
        )


__all__ = ["DENY_LIST_VARIABLE", "PATTERN_NAMES", "DenyList", "find_patterns", "guard"]
