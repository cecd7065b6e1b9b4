"""Notices shown on every page of a site."""

from __future__ import annotations

from markupsafe import Markup

from ..guard.review import unreviewed_count
from ..study.model import Study


def draft_notice(study: Study) -> Markup | None:
    """The draft banner, for a study that says it is a draft (``draft: true``)."""
    if not study.meta.draft:
        return None
    count = unreviewed_count(study)
    pending = (
        f" {count} of its texts {'is' if count == 1 else 'are'} not yet reviewed for anonymisation."
        if count
        else ""
    )
    return Markup(
        '<div class="qs-draft" role="note"><strong>Draft.</strong> '
        f"This site is a draft, not yet published.{pending}</div>\n"
    )
