"""Notices shown on every page of a site, and in its downloads."""

from __future__ import annotations

from markupsafe import Markup

from ..guard.review import unreviewed_count
from ..i18n import _, ngettext
from ..study.model import Study
from .text import html


def draft_text(study: Study, what: str = "site") -> str | None:
    """What a draft (``draft: true`` in study.yml) says of itself after
    "Draft.", on every page and in the Word and LaTeX downloads (``what``:
    "site" or "document")."""
    if not study.meta.draft:
        return None
    if what == "document":
        said = _("This document is a draft, not yet published.")
    else:
        said = _("This site is a draft, not yet published.")
    count = unreviewed_count(study)
    if count:
        # Translators: after "This site is a draft, not yet published."
        pending = ngettext(
            "%(num)d of its texts is not yet reviewed for anonymisation.",
            "%(num)d of its texts are not yet reviewed for anonymisation.",
            count,
        )
        said += " " + pending % {"num": count}
    return said


def draft_notice(study: Study) -> Markup | None:
    """The draft banner of every page."""
    text = draft_text(study)
    if text is None:
        return None
    # Translators: the start of the banner on every page of a draft site.
    label = html(_("Draft."))
    banner = f'<div class="qs-draft" role="note"><strong>{label}</strong> {html(text)}</div>\n'
    return Markup(banner)


#: A note in a study's own page for readers of a site built by a tool that
#: did not run qualsite (MkDocs 2, Zensical: they build mkdocs.yml's pages
#: and ignore the plugin, so the site has none of the study's pages). The
#: plugin takes everything between the two comments out of the page, so
#: the note shows only where it is true.
WITHOUT_PLUGIN_START = "<!-- qualsite: shown only without the plugin -->"
WITHOUT_PLUGIN_END = "<!-- qualsite: end -->"

WITHOUT_PLUGIN_NOTE = f"""{WITHOUT_PLUGIN_START}
<p class="qs-without-plugin"><strong>This site was built without qualsite.</strong>
The study's own pages (its categories with their excerpts, its tables and
its figure) are made by the qualsite plugin, which the tool that built this
site did not run; nothing here was checked for confidentiality either.
Build the site with <code>qualsite build</code>, or with MkDocs 1.6 or
ProperDocs.</p>
{WITHOUT_PLUGIN_END}
"""


def without_plugin_notes_removed(markdown: str) -> str:
    """``markdown`` without its notes for sites built without qualsite."""
    while True:
        start = markdown.find(WITHOUT_PLUGIN_START)
        if start < 0:
            return markdown
        end = markdown.find(WITHOUT_PLUGIN_END, start)
        if end < 0:
            return markdown  # an unclosed note is left as written
        end += len(WITHOUT_PLUGIN_END)
        if markdown.startswith("\n", end):
            end += 1
        markdown = markdown[:start] + markdown[end:]
