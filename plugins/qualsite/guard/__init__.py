"""The confidentiality guard, in two places.

Before anything is rendered, :func:`guard` checks every field of the
published study, ``mkdocs.yml``, the files of ``docs_dir`` and the template
overrides, so that a finding names its file and line. After the site is
rendered, :mod:`.gate` checks everything that would be published, whatever
road it came by. Either finding publishes nothing. Withdrawn participants and
unpublished excerpts never get here: the guard, like every output, sees only
the published study.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import chain
from pathlib import Path

from ..content import ContentFile
from ..errors import Location, Problems, QualsiteError, display_path
from ..study.model import ExcerptKind, Study
from .approval import audit_dates, build_date_keys
from .denylist import DenyList, load_deny_list
from .patterns import PATTERN_NAMES, find_patterns
from .scan import (
    ScanResult,
    author_conflicts,
    config_texts,
    content_texts,
    scan,
    study_texts,
    template_texts,
)
from .scan_memo import ScanMemo

#: The environment variable that names the deny-list (it wins over mkdocs.yml).
DENY_LIST_VARIABLE = "QUALSITE_DENY_LIST"

NO_DENY_LIST = (
    "no deny-list was given, so real names, places and services were not checked; "
    "name one in mkdocs.yml (deny_list) or in QUALSITE_DENY_LIST (see the README)"
)


def deny_list_from_environment() -> Path | None:
    """The file QUALSITE_DENY_LIST names; an empty variable is an error (set
    but empty, it would otherwise silently check nothing)."""
    value = os.environ.get(DENY_LIST_VARIABLE)
    if value is None:
        return None
    if not value.strip():
        raise QualsiteError(
            f"{DENY_LIST_VARIABLE} is set but empty, so no name would be checked; set it "
            "to the deny-list file's path, or unset it to use mkdocs.yml's deny_list"
        )
    return Path(value.strip()).expanduser()


def open_deny_list(
    path: Path | None,
    problems: Problems,
    *,
    strict: bool,
    required: bool = False,
    waiver: str | None = None,
    docs_dir: Path | None = None,
    project_dir: Path | None = None,
    where: Location | None = None,
) -> DenyList | None:
    """The deny-list, failing closed: one that was named but cannot be used
    is an error; none at all is a warning in a strict build, and an error
    when the study requires one. A study with no real identifier to deny (an
    example of invented text) says why in ``deny_list_waiver`` instead; a
    deny-list given all the same (by CI, say) is used."""
    place = where or Location("mkdocs.yml")
    if waiver is not None and not waiver.strip():
        problems.error(place, "deny_list_waiver is empty; write why this study has no deny-list")
    if path is None:
        if required:
            because = "deny_list_required is set"
            if waiver:
                because += ", so deny_list_waiver cannot stand in for a deny-list"
            problems.error(place, f"{NO_DENY_LIST} ({because})")
        elif strict and not waiver:
            problems.warning(
                place,
                NO_DENY_LIST + "; a study with no real identifier to deny (an example of "
                "invented text) says why in the plugin's deny_list_waiver option",
            )
        return None
    _check_where_the_deny_list_lives(path, problems, docs_dir, project_dir)
    return load_deny_list(path, problems)


def check_waiver(study: Study, problems: Problems, *, where: Path | None) -> None:
    """A waiver says that the study's text is invented; verbatim excerpts
    (participants' words) say otherwise, and then a deny-list is needed."""
    verbatim = sum(1 for excerpt in study.excerpts if excerpt.kind is ExcerptKind.VERBATIM)
    if verbatim:
        problems.warning(
            Location(display_path(where) if where else "mkdocs.yml"),
            f"deny_list_waiver says this study has no real identifier to deny, but {verbatim} "
            f"of its excerpts {'is' if verbatim == 1 else 'are'} verbatim, a participant's "
            "words; name a deny-list (deny_list or QUALSITE_DENY_LIST) and remove the waiver",
        )


def guard(
    study: Study,
    content: Sequence[ContentFile],
    problems: Problems,
    *,
    deny: DenyList | None,
    strict: bool,
    config_file: Path | None = None,
    template_folders: Iterable[Path] = (),
    when: datetime | None = None,
    memo: ScanMemo | None = None,
) -> ScanResult:
    """Check the published study and every file the site is made from;
    record what is found, and return what the output gate should know
    (``memo``: what each text held in the last build, under serve)."""
    texts = chain(
        study_texts(study),
        content_texts(content),
        config_texts(config_file),
        template_texts(template_folders),
    )
    result = scan(texts, deny, problems, strict=strict, memo=memo)
    if deny is not None:
        author_conflicts(study, deny, problems)
    if when is not None:
        result.approved |= build_date_keys(when, study.meta.date)
    # The audit trail prints the days of its decisions and memos, by design.
    result.approved |= {f"date:{day}" for day in audit_dates(study)}
    return result


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


__all__ = [
    "DENY_LIST_VARIABLE",
    "PATTERN_NAMES",
    "DenyList",
    "ScanResult",
    "check_waiver",
    "deny_list_from_environment",
    "find_patterns",
    "guard",
    "open_deny_list",
]
