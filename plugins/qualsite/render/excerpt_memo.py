"""Each excerpt's HTML as a page shows it, kept from one build to the next
under ``mkdocs serve``.

Drawing the excerpts is most of the time a build spends making its pages'
Markdown (10,000 excerpts: about 0.4 s of a rebuild's 0.6 s, each excerpt
drawn once for each page that shows it). A save changes few of them, so a
rebuild draws again only the excerpts whose HTML can differ, and takes the
others' from the build before.

The HTML of an excerpt is made by the ``excerpt`` macro of
``macros.html.j2`` from its view alone (a macro imported without the page's
context sees nothing else), with the filters and translations of the build.
It is kept under a key of everything the macro reads of the view
(:func:`excerpt_key`; a test holds the two together), in a context of the
macro's source and the site's language and catalogues: a build with another
context keeps nothing of the last. Only qualsite's own macro is drawn this
way; a study's override of ``macros.html.j2`` is drawn afresh every time,
since what it reads is unknown.

Why this cannot publish what a researcher has just held back: nothing is
taken from here but under a key made from the view of the excerpt on this
build's published study, and the key holds every word the macro prints.
A withdrawn participant's excerpts or one marked ``publish: false`` have
no view, so they are never asked for; an excerpt whose words, label or
links changed has another key. Only the last build's entries are kept
(in memory, never written), and the output gate reads what is published.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..memo import BuildMemo

if TYPE_CHECKING:
    from .pages import ExcerptView

#: The template that holds the excerpt macro.
MACROS = "macros.html.j2"

#: What the excerpt macro reads of its view, as a test reads it from the
#: macro's source (``x`` is the view's excerpt; ``ref`` each of the
#: categories it is also coded to): each of these is in :func:`excerpt_key`.
READ_BY_THE_MACRO = frozenset(
    {
        "view.excerpt",
        "view.participant_label",
        "view.participant_url",
        "view.kind_label",
        "view.source",
        "view.coded_to",
        "view.coded_to_label",
        "view.permalink",
        "x.kind.value",
        "x.anchor",
        "x.text",
        "ref.url",
        "ref.category.name",
    }
)


def excerpt_key(view: ExcerptView) -> tuple[Hashable, ...]:
    """Everything the excerpt macro reads of ``view`` (READ_BY_THE_MACRO)."""
    excerpt = view.excerpt
    return (
        excerpt.kind.value,
        excerpt.anchor,
        excerpt.text,
        view.participant_label,
        view.participant_url,
        view.kind_label,
        view.source,
        view.coded_to_label,
        tuple((ref.url, ref.category.name) for ref in view.coded_to),
        view.permalink,
    )


class ExcerptMemo(BuildMemo[tuple[Hashable, ...], Markup]):
    """The excerpts' HTML of the last build that drew any, under one context."""

    def html(self, view: ExcerptView, draw: Callable[[ExcerptView], Markup]) -> Markup:
        """The excerpt's HTML: as drawn before for the same key, or ``draw(view)``."""
        return self.get(excerpt_key(view), lambda: draw(view))


#: The memo of ``mkdocs serve``'s builds in this process (a build that is no
#: preview keeps nothing: no build follows it to use what it kept).
PREVIEW_MEMO = ExcerptMemo()
