"""The "How the codebook changed" page: each tagged version of the codebook
compared with the next, and the last with this one (the plugin's
``codebook_history`` option; :mod:`qualsite.history` does the comparing).

Only counts, category names, definitions and reasons are shown, from the
published view under this version's withdrawals: a participant withdrawn
now is in no count of any version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..history import CodebookChanges, Version
from ..history.compare import CategoryRef
from ..i18n import N_, _
from ..study.model import Study
from .urls import PageLinks, category_src

#: The working tree, as the page calls it (translated where it is shown).
# Translators: the codebook as this site publishes it, compared with its
# tagged versions on the "How the codebook changed" page: "From v1 to this version".
THIS_VERSION = N_("this version")


@dataclass(frozen=True, slots=True)
class VersionStep:
    """One comparison on the page: from ``old`` to ``new`` (as shown)."""

    old: str
    new: str
    changes: CodebookChanges


class CategoryLinker:
    """A category of any version, linked to its page when this version has
    it (a category since removed, merged or split has none)."""

    def __init__(self, study: Study, links: PageLinks) -> None:
        self.study = study
        self.links = links

    def __call__(self, ref: CategoryRef) -> str | None:
        category = self.study.categories_by_id.get(ref.id)
        return self.links.page(category_src(category)) if category is not None else None


def version_name(version: Version, this_version: str | None) -> str:
    if version.commit is None:
        if this_version:
            # Translators: the codebook as this site publishes it, with the
            # site's version from study.yml: "this version (2.0)".
            return _("this version (%(version)s)") % {"version": this_version}
        return _(THIS_VERSION)
    return f"{version.label} ({version.date})" if version.date else version.label


def history_steps(
    pairs: Sequence[tuple[Version, Version, CodebookChanges]], this_version: str | None
) -> list[VersionStep]:
    """Newest first, as the audit trail reads."""
    steps = [
        VersionStep(
            version_name(old, this_version),
            version_name(new, this_version),
            changes,
        )
        for old, new, changes in pairs
    ]
    return list(reversed(steps))
