"""Each excerpt's HTML as a page shows it, and each matrix cell's section
of excerpts, kept from one build to the next under ``mkdocs serve``.

Drawing the excerpts is most of the time a build spends making its pages'
Markdown (10,000 excerpts: about 0.4 s of a rebuild's 0.6 s, each excerpt
drawn once for each page that shows it), and the matrices' pages of
excerpts list them all again. A save changes few of them, so a rebuild
draws again only the excerpts and cells whose HTML can differ, and takes
the others' from the build before.

The HTML of an excerpt is made by the ``excerpt`` macro of
``macros.html.j2`` from its view alone (a macro imported without the page's
context sees nothing else), with the filters and translations of the build;
a cell's by the ``cell_section`` macro of ``matrices.html.j2`` (and the
``excerpt_item`` macro it calls) from the section and its kind. Each is
kept under a key of everything its macros read (:func:`excerpt_key`,
:func:`cell_key`; a test reads the macros' source and holds the two
together), in a context of the template's source and the site's language
and catalogues: a build with another context keeps nothing of the last.
Only qualsite's own templates are drawn this way; a study's override is
drawn afresh every time, since what it reads is unknown.

Why this cannot publish what a researcher has just held back: nothing is
taken from here but under a key made from this build's published study,
and the key holds every word the macros print. A withdrawn participant's
excerpts or one marked ``publish: false`` have no view and are in no
cell, so they are never asked for; an excerpt whose words, label or links
changed has another key. Only the last build's entries are kept (in
memory, never written), and the output gate reads what is published.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from markupsafe import Markup

from .. import i18n
from ..memo import BuildMemo
from .templates import builtin_templates_dir

if TYPE_CHECKING:
    import jinja2

    from .matrix_pages import ExcerptItem, SectionView
    from .pages import ExcerptView

#: The template that holds the excerpt macro.
MACROS = "macros.html.j2"
#: The template that holds the matrices' cell macros.
CELL_MACROS = "matrices.html.j2"

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


#: What the ``cell_section`` macro, and the ``excerpt_item`` macro it calls,
#: read of a cell's section and its items (``item``; ``x`` is an item's
#: excerpt, ``ref`` each category it is also coded to): each is in
#: :func:`cell_key`.
READ_BY_THE_CELL_MACROS = frozenset(
    {
        "section.anchor",
        "section.row.name",
        "section.heading",
        "section.heading_url",
        "section.items",
        "item.excerpt",
        "item.excerpt.kind.value",
        "item.participant_label",
        "item.kind_label",
        "item.source",
        "item.coded_to",
        "item.in_context",
        "item.preview",
        "x.kind.value",
        "x.text",
        "ref.url",
        "ref.category.name",
    }
)


def _item_key(item: ExcerptItem) -> tuple[Hashable, ...]:
    return (
        item.excerpt.kind.value,
        item.excerpt.text,
        item.participant_label,
        item.kind_label,
        item.source,
        tuple((ref.url, ref.category.name) for ref in item.coded_to),
        item.in_context,
        item.preview,
    )


def cell_key(section: SectionView, kind: str) -> tuple[Hashable, ...]:
    """Everything the cell macros read of ``section`` (READ_BY_THE_CELL_MACROS)."""
    return (
        kind,
        section.anchor,
        section.row.name,
        section.heading,
        section.heading_url,
        tuple(_item_key(item) for item in section.items),
    )


M = TypeVar("M", bound=BuildMemo[Any, Markup])


def started(memo: M | None, environment: jinja2.Environment, template: str) -> M | None:
    """``memo``, started for a build whose ``template`` (which holds the
    macros it keeps the HTML of) is qualsite's own; else None."""
    if memo is None:
        return None
    loader = environment.loader
    assert loader is not None
    source, filename, _ = loader.get_source(environment, template)
    if (
        filename is None
        or Path(filename).resolve() != (builtin_templates_dir() / template).resolve()
    ):
        return None
    language = i18n.active()
    memo.start((source, language.code, language.fingerprint))
    return memo


class ExcerptMemo(BuildMemo[tuple[Hashable, ...], Markup]):
    """The excerpts' HTML of the last build that drew any, under one context."""

    def html(self, view: ExcerptView, draw: Callable[[ExcerptView], Markup]) -> Markup:
        """The excerpt's HTML: as drawn before for the same key, or ``draw(view)``."""
        return self.get(excerpt_key(view), lambda: draw(view))


class CellMemo(BuildMemo[tuple[Hashable, ...], Markup]):
    """The matrices' cells' HTML of the last build that drew any."""

    def html(
        self, section: SectionView, kind: str, draw: Callable[[SectionView, str], Markup]
    ) -> Markup:
        """The cell's section: as drawn before for the same key, or ``draw(section, kind)``."""
        return self.get(cell_key(section, kind), lambda: draw(section, kind))


#: The memos of ``mkdocs serve``'s builds in this process (a build that is no
#: preview keeps nothing: no build follows it to use what it kept).
PREVIEW_MEMO = ExcerptMemo()
PREVIEW_CELLS = CellMemo()
