"""Notices shown on every page of a site, and in its downloads."""

from __future__ import annotations

from markupsafe import Markup

from ..guard.review import unreviewed_count
from ..study.model import Study
from .text import html


def draft_text(study: Study, what: str = "site") -> str | None:
    """What a draft (``draft: true`` in study.yml) says of itself after
    "Draft.", on every page and in the Word and LaTeX downloads."""
    if not study.meta.draft:
        return None
    count = unreviewed_count(study)
    pending = (
        f" {count} of its texts {'is' if count == 1 else 'are'} not yet reviewed for anonymisation."
        if count
        else ""
    )
    return f"This {what} is a draft, not yet published.{pending}"


def draft_notice(study: Study) -> Markup | None:
    """The draft banner of every page."""
    text = draft_text(study)
    if text is None:
        return None
    return Markup(f'<div class="qs-draft" role="note"><strong>Draft.</strong> {html(text)}</div>\n')
