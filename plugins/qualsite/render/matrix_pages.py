"""The matrices' pages: the participant by category matrix, the category
co-occurrence matrix, the pages their cells link to, and their CSVs.

A cell's link leads to exactly the excerpts it counts: a section of its own
on a page of excerpts. The sections follow the matrix (by category in tree
order, then by participant, or by the other category) and fill pages of up
to ``excerpts_per_page`` excerpts, a section never split
(``matrices/participant-excerpts/1.md``, ``2.md``, ...). Each page of a
site carries the whole navigation, so the number of pages, more than their
size, is what a big study's build pays for: packed this way, the pages of
excerpts are as few as the excerpts allow (one, in a small study).

A participant matrix of more cells than :data:`CELLS_PER_PAGE` (a big
study's 342 categories by 100 participants is 34,200 cells, over 2 MB of
HTML) is split into a page for each top-level category's rows.

Nothing here knows :class:`~qualsite.render.pages.SiteRenderer`, which
lists these pages among its own (so that this module never imports it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import jinja2
from markupsafe import Markup

from ..i18n import N_, _
from ..study.model import Category, Excerpt, ExcerptKind, Participant, Study
from .excerpt_memo import CELL_MACROS, CellMemo, started
from .matrices import (
    CoOccurrence,
    MatrixRow,
    ParticipantMatrix,
    co_occurrence,
    co_occurrence_csv,
    participant_matrix,
    participant_matrix_csv,
)
from .paging import ExcerptPaging
from .tables import short_kind_label
from .text import markdown_inline
from .urls import (
    CO_OCCURRENCE_PAGE,
    MATRICES_DIR,
    PARTICIPANT_MATRIX_PAGE,
    PageLinks,
    SiteUrls,
)

# The pages' titles: messages, translated where a page is made (the
# pages' addresses never change with the language).
PARTICIPANT_MATRIX_TITLE = N_("Participants by category")
CO_OCCURRENCE_TITLE = N_("Categories coded together")
PARTICIPANT_EXCERPTS_TITLE = N_("Excerpts by category and participant")
CO_OCCURRENCE_EXCERPTS_TITLE = N_("Excerpts of categories coded together")
PARTICIPANT_MATRIX_CSV = f"{MATRICES_DIR}/participants-by-category.csv"
CO_OCCURRENCE_CSV = f"{MATRICES_DIR}/co-occurrence.csv"
#: The ids of the two tables, on their pages and on the Print page.
PARTICIPANT_MATRIX_ANCHOR = "matrix-participants"
CO_OCCURRENCE_ANCHOR = "matrix-co-occurrence"
#: A participant matrix of more cells is split, a page per top-level
#: category (about 300 KB of HTML for 5,000 cells, most of them links).
CELLS_PER_PAGE = 5000
#: Up to this many excerpts in the study, the pages of a matrix's cells show
#: each excerpt in full; beyond, each as a line (its first words, linking to
#: it in full on its category's page). A big study's excerpts in full would
#: be a second copy of every category page: at 10,000 excerpts, 12 MB more to
#: build, which took longer than the rest of the site.
FULL_TEXT_UP_TO = 2000
#: How many of an excerpt's words its line shows.
PREVIEW_WORDS = 24
#: A page holds this many times ``excerpts_per_page`` excerpts as lines.
LINES_PER_EXCERPT = 5
#: Paper holds a matrix of up to this many participants (A4, small type);
#: a wider one is left to the site and its CSV.
PRINTED_PARTICIPANTS_UP_TO = 16


@dataclass(frozen=True, slots=True)
class MatrixPage:
    """A page of the matrices: where it goes and its Markdown."""

    src_path: str
    title: str
    markdown: str
    in_nav: bool = True


@dataclass(frozen=True, slots=True)
class CategoryLink:
    category: Category
    url: str


@dataclass(frozen=True, slots=True)
class CountCell:
    count: int
    url: str | None  # None for 0: nothing to read


@dataclass(frozen=True, slots=True)
class ParticipantColumn:
    participant: Participant
    url: str | None  # the participant's page, when the study has them


@dataclass(frozen=True, slots=True)
class ParticipantRowView:
    category: CategoryLink
    depth: int
    cells: tuple[CountCell, ...]
    only_through_children: bool


@dataclass(frozen=True, slots=True)
class ParticipantMatrixView:
    anchor: str
    title: str
    columns: tuple[ParticipantColumn, ...]
    rows: tuple[ParticipantRowView, ...]
    csv_url: str
    count_label: str
    #: False on the Print page when the matrix is too wide for paper.
    shown: bool = True


@dataclass(frozen=True, slots=True)
class MatrixPart:
    """A page of a participant matrix split by top-level category."""

    category: Category
    url: str
    rows: int


@dataclass(frozen=True, slots=True)
class GridRowView:
    number: int  # rows and columns are numbered alike, from 1
    category: CategoryLink
    cells: tuple[CountCell | None, ...]  # None: the category with itself


@dataclass(frozen=True, slots=True)
class PairView:
    first: CategoryLink
    second: CategoryLink
    cell: CountCell


@dataclass(frozen=True, slots=True)
class CoOccurrenceView:
    anchor: str
    grid: tuple[GridRowView, ...]  # empty when the page lists pairs
    pairs: tuple[PairView, ...]  # empty when the page shows a grid
    pairs_in_all: int
    csv_url: str
    count_label: str


@dataclass(frozen=True, slots=True)
class ExcerptItem:
    """An excerpt as a cell's section lists it: no anchor of its own (it
    may be listed in two sections of a page), and a link to where it stands
    in the codebook."""

    excerpt: Excerpt
    participant_label: str
    kind_label: str
    source: str
    in_context: str  # the excerpt on its category's page
    coded_to: tuple[CategoryLink, ...]
    #: The excerpt's first words, when the page lists it as a line ("" in full).
    preview: str = ""


@dataclass(frozen=True, slots=True)
class SectionView:
    """The excerpts one cell counts, under a heading that names its row (a
    reader arrives at the section itself, from the cell's number) and its
    column."""

    anchor: str
    row: Category  # named, not linked: each excerpt links to its category's page
    heading: str
    heading_url: str | None
    items: tuple[ExcerptItem, ...]


@dataclass(frozen=True, slots=True)
class SectionPager:
    number: int  # from 1
    pages: tuple[str, ...]  # a link to each page, from 1
    previous: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class _Section:
    """A non-empty cell: the row's category, what its heading names (a
    participant or the other category) and the excerpts it counts."""

    anchor: str
    category: Category
    names: Participant | Category
    excerpts: tuple[Excerpt, ...]


def participant_anchor(category: Category, participant: Participant) -> str:
    # Neither kind of id holds "--", so no two cells share an anchor; a
    # participant's in lower case, as their page is named.
    return f"{category.id}--{participant.id.lower()}"


def pair_anchor(first: Category, second: Category) -> str:
    return f"{first.id}--{second.id}"


def spread(sizes: Sequence[int], per_page: int) -> list[list[int]]:
    """Sections (by their sizes, in order) put on pages of ``per_page``
    excerpts, a section never split: one bigger than a page has a page of its
    own. Returns the sections' indexes on each page."""
    pages: list[list[int]] = [[]]
    held = 0
    for index, size in enumerate(sizes):
        if pages[-1] and held + size > per_page:
            pages.append([])
            held = 0
        pages[-1].append(index)
        held += size
    return pages


class _SectionPages:
    """Sections spread over the pages of one folder."""

    def __init__(self, folder: str, sections: Sequence[_Section], per_page: int) -> None:
        spread_out = spread([len(s.excerpts) for s in sections], per_page) if sections else []
        self.srcs = tuple(f"{MATRICES_DIR}/{folder}/{n + 1}.md" for n in range(len(spread_out)))
        self.pages = tuple(tuple(sections[i] for i in page) for page in spread_out)
        self.page_of = {
            sections[i].anchor: number for number, page in enumerate(spread_out) for i in page
        }

    def url(self, links: PageLinks, anchor: str) -> str:
        return links.page(self.srcs[self.page_of[anchor]], anchor)


class MatrixPages:
    """The matrices of one published study, as pages and downloads."""

    def __init__(
        self,
        study: Study,
        *,
        urls: SiteUrls,
        environment: jinja2.Environment,
        paging: ExcerptPaging,
        kind_labels: Mapping[ExcerptKind, str],
        count_label: str = "",
        participant_pages: bool = False,
        cell_memo: CellMemo | None = None,
    ) -> None:
        self.study = study
        self.urls = urls
        self.environment = environment
        self.paging = paging
        self.kind_labels = kind_labels
        self.count_label = count_label
        self.participant_pages = participant_pages
        self.full_text = len(study.excerpts) <= FULL_TEXT_UP_TO
        self._cell_macro: Callable[[SectionView, str], Markup] | None = None
        self._cell_memo = started(cell_memo, environment, CELL_MACROS)
        # What the pages of excerpts call to draw a cell's section (the
        # macro, or its HTML kept from the last build under mkdocs serve).
        environment.globals["draw_cell_section"] = self.draw_cell_section

    def draw_cell_section(self, section: SectionView, kind: str) -> Markup:
        """A cell's section of excerpts (the ``cell_section`` macro)."""
        macro = self._cell_macro
        if macro is None:
            module = self.environment.get_template(CELL_MACROS).module
            macro = self._cell_macro = module.cell_section  # type: ignore[attr-defined]
        if self._cell_memo is None:
            return macro(section, kind)
        return self._cell_memo.html(section, kind, macro)

    @cached_property
    def participants(self) -> ParticipantMatrix:
        return participant_matrix(self.study)

    @cached_property
    def co_occurrence(self) -> CoOccurrence:
        return co_occurrence(self.study)

    # -- where each cell's excerpts are -----------------------------------------

    @property
    def _per_page(self) -> int:
        lines = 1 if self.full_text else LINES_PER_EXCERPT
        return self.paging.per_page * lines

    @cached_property
    def _participant_sections(self) -> _SectionPages:
        matrix = self.participants
        sections = [
            _Section(participant_anchor(row.category, participant), row.category, participant, cell)
            for row in matrix.rows
            for participant, cell in zip(matrix.participants, row.cells, strict=True)
            if cell
        ]
        return _SectionPages("participant-excerpts", sections, self._per_page)

    @cached_property
    def _pair_sections(self) -> _SectionPages:
        position = {c.id: index for index, c in enumerate(self.study.categories)}
        shown = sorted(
            self.co_occurrence.shown,
            key=lambda p: (position[p.first.id], position[p.second.id]),
        )
        sections = [
            _Section(pair_anchor(p.first, p.second), p.first, p.second, p.excerpts) for p in shown
        ]
        return _SectionPages("co-occurrence-excerpts", sections, self._per_page)

    # -- views --------------------------------------------------------------------

    def _category_link(self, links: PageLinks, category: Category) -> CategoryLink:
        return CategoryLink(category, links.category(category))

    @cached_property
    def _parts(self) -> tuple[tuple[Category, tuple[MatrixRow, ...]], ...]:
        """Each top-level category and its rows, when the matrix is split
        (else nothing)."""
        matrix = self.participants
        if len(matrix.rows) * max(1, len(matrix.participants)) <= CELLS_PER_PAGE:
            return ()
        parts: list[tuple[Category, list[MatrixRow]]] = []
        for row in matrix.rows:  # tree order: a top-level category, then its subtree
            if row.depth == 0:
                parts.append((row.category, []))
            parts[-1][1].append(row)
        return tuple((top, tuple(rows)) for top, rows in parts)

    @staticmethod
    def part_src(category: Category) -> str:
        # A category's id holds no "/" and is never "index" (reserved).
        return f"{MATRICES_DIR}/participants/{category.id}.md"

    def participant_view(
        self,
        links: PageLinks,
        *,
        rows: Sequence[MatrixRow] | None = None,
        title: str | None = None,
        on_paper: bool = False,
    ) -> ParticipantMatrixView:
        """The participant matrix as ``links``' page shows it (``title``: its
        caption's, by default the matrix's title in the site's language)."""
        title = _(PARTICIPANT_MATRIX_TITLE) if title is None else title
        matrix = self.participants
        shown = not on_paper or len(matrix.participants) <= PRINTED_PARTICIPANTS_UP_TO
        if not shown:
            rows = ()  # what paper does not show is not worked out (nor its cells' pages)
        sections = self._participant_sections if rows != () else None
        columns = tuple(
            ParticipantColumn(p, links.participant(p) if self.participant_pages else None)
            for p in matrix.participants
        )
        views = tuple(
            ParticipantRowView(
                self._category_link(links, row.category),
                row.depth,
                tuple(
                    CountCell(
                        len(cell),
                        sections.url(links, participant_anchor(row.category, participant))
                        if cell and sections is not None
                        else None,
                    )
                    for participant, cell in zip(matrix.participants, row.cells, strict=True)
                ),
                row.only_through_children,
            )
            for row in (matrix.rows if rows is None else rows)
        )
        return ParticipantMatrixView(
            anchor=PARTICIPANT_MATRIX_ANCHOR,
            title=title,
            columns=columns,
            rows=views,
            csv_url=links.page(PARTICIPANT_MATRIX_CSV),
            count_label=self.count_label,
            shown=shown,
        )

    def co_occurrence_view(self, links: PageLinks) -> CoOccurrenceView:
        matrix = self.co_occurrence
        sections = self._pair_sections
        grid: tuple[GridRowView, ...] = ()
        pairs: tuple[PairView, ...] = ()
        if matrix.as_grid:

            def cell(one: Category, other: Category) -> CountCell | None:
                if one is other:
                    return None
                pair = matrix.pair(one, other)
                if pair is None:
                    return CountCell(0, None)
                return CountCell(
                    pair.count, sections.url(links, pair_anchor(pair.first, pair.second))
                )

            grid = tuple(
                GridRowView(
                    number,
                    self._category_link(links, category),
                    tuple(cell(category, other) for other in matrix.categories),
                )
                for number, category in enumerate(matrix.categories, start=1)
            )
        else:
            pairs = tuple(
                PairView(
                    self._category_link(links, p.first),
                    self._category_link(links, p.second),
                    CountCell(p.count, sections.url(links, pair_anchor(p.first, p.second))),
                )
                for p in matrix.shown
            )
        return CoOccurrenceView(
            anchor=CO_OCCURRENCE_ANCHOR,
            grid=grid,
            pairs=pairs,
            pairs_in_all=len(matrix.pairs),
            csv_url=links.page(CO_OCCURRENCE_CSV),
            count_label=self.count_label,
        )

    def _item(self, links: PageLinks, excerpt: Excerpt, shown_in: Category) -> ExcerptItem:
        if not self.full_text:
            words = excerpt.text.split()
            preview = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
            return ExcerptItem(
                excerpt=excerpt,
                participant_label=self.study.participant(excerpt.participant_id).label,
                kind_label=short_kind_label(excerpt.kind),
                source="",
                in_context=self.paging.link(links, shown_in, excerpt),
                coded_to=(),
                preview=preview,
            )
        return ExcerptItem(
            excerpt=excerpt,
            participant_label=self.study.participant(excerpt.participant_id).label,
            kind_label=self.kind_labels[excerpt.kind],
            source=excerpt.source.describe() if excerpt.source else "",
            in_context=self.paging.link(links, shown_in, excerpt),
            coded_to=tuple(
                CategoryLink(other, self.paging.link(links, other, excerpt))
                for category_id in excerpt.category_ids
                if category_id != shown_in.id
                for other in (self.study.category(category_id),)
            ),
        )

    def _section_view(self, links: PageLinks, section: _Section) -> SectionView:
        names = section.names
        if isinstance(names, Participant):
            heading = names.label
            url = links.participant(names) if self.participant_pages else None
        else:
            heading, url = names.name, links.category(names)
        items = tuple(self._item(links, e, section.category) for e in section.excerpts)
        return SectionView(section.anchor, section.category, heading, url, items)

    # -- pages --------------------------------------------------------------------

    def pages(self) -> list[MatrixPage]:
        return [*self.each_page("all")]

    def count_pages(self) -> list[MatrixPage]:
        return [*self.each_page("counts")]

    def excerpt_pages(self) -> list[MatrixPage]:
        return [*self.each_page("excerpts")]

    def each_page(self, which: str = "all") -> Iterator[MatrixPage]:
        """The pages one at a time, each drawn when it is asked for: "all",
        or only the "counts" (the participants by category and its parts,
        the categories coded together) or the "excerpts" (the pages of the
        excerpts behind the matrices' numbers)."""
        if which in ("all", "counts"):
            yield self._participant_matrix_page()
            for top, rows in self._parts:
                yield self._part_page(top, rows)
            yield self._co_occurrence_page()
        if which in ("all", "excerpts"):
            yield from self._section_pages(
                self._participant_sections,
                kind="participants",
                title=_(PARTICIPANT_EXCERPTS_TITLE),
                matrix_src=PARTICIPANT_MATRIX_PAGE,
                matrix_title=_(PARTICIPANT_MATRIX_TITLE),
            )
            yield from self._section_pages(
                self._pair_sections,
                kind="co-occurrence",
                title=_(CO_OCCURRENCE_EXCERPTS_TITLE),
                matrix_src=CO_OCCURRENCE_PAGE,
                matrix_title=_(CO_OCCURRENCE_TITLE),
            )

    def files(self) -> list[tuple[str, bytes]]:
        return [
            (PARTICIPANT_MATRIX_CSV, participant_matrix_csv(self.participants, self.count_label)),
            (CO_OCCURRENCE_CSV, co_occurrence_csv(self.co_occurrence, self.count_label)),
        ]

    def _render(
        self, template: str, src: str, title: str, in_nav: bool = True, **context: object
    ) -> MatrixPage:
        links = PageLinks(self.urls, src)
        markdown = self.environment.get_template(template).render(
            study=self.study, links=links, title=title, count_label=self.count_label, **context
        )
        return MatrixPage(src, title, markdown, in_nav)

    def _participant_matrix_page(self) -> MatrixPage:
        links = PageLinks(self.urls, PARTICIPANT_MATRIX_PAGE)
        parts = tuple(
            MatrixPart(top, links.page(self.part_src(top)), len(rows)) for top, rows in self._parts
        )
        return self._render(
            "matrix_participants.md.j2",
            PARTICIPANT_MATRIX_PAGE,
            _(PARTICIPANT_MATRIX_TITLE),
            matrix=None if parts else self.participant_view(links),
            parts=parts,
            csv_url=links.page(PARTICIPANT_MATRIX_CSV),
            index_url=None,
            co_occurrence_url=links.page(CO_OCCURRENCE_PAGE),
        )

    def _part_page(self, top: Category, rows: Sequence[MatrixRow]) -> MatrixPage:
        src = self.part_src(top)
        links = PageLinks(self.urls, src)
        # Translators: the title of a page of the participant matrix that shows
        # one top-level category's rows ("Participants by category: Trust").
        title = _("Participants by category: %(category)s") % {"category": top.name}
        return self._render(
            "matrix_participants.md.j2",
            src,
            title,
            in_nav=False,
            matrix=self.participant_view(links, rows=rows, title=title),
            parts=(),
            csv_url=links.page(PARTICIPANT_MATRIX_CSV),
            index_url=links.page(PARTICIPANT_MATRIX_PAGE),
            co_occurrence_url=links.page(CO_OCCURRENCE_PAGE),
        )

    def _co_occurrence_page(self) -> MatrixPage:
        links = PageLinks(self.urls, CO_OCCURRENCE_PAGE)
        return self._render(
            "matrix_co_occurrence.md.j2",
            CO_OCCURRENCE_PAGE,
            _(CO_OCCURRENCE_TITLE),
            matrix=self.co_occurrence_view(links),
            participants_url=links.page(PARTICIPANT_MATRIX_PAGE),
        )

    def _section_pages(
        self,
        spread_out: _SectionPages,
        *,
        kind: str,
        title: str,
        matrix_src: str,
        matrix_title: str,
    ) -> Iterator[MatrixPage]:
        count = len(spread_out.srcs)
        for number, (src, sections) in enumerate(
            zip(spread_out.srcs, spread_out.pages, strict=True)
        ):
            links = PageLinks(self.urls, src)
            pager = (
                SectionPager(
                    number + 1,
                    tuple(links.page(s) for s in spread_out.srcs),
                    links.page(spread_out.srcs[number - 1]) if number > 0 else None,
                    links.page(spread_out.srcs[number + 1]) if number + 1 < count else None,
                )
                if count > 1
                else None
            )
            yield self._render(
                "matrix_excerpts.md.j2",
                src,
                (
                    # Translators: the title of one of several pages of excerpts
                    # ("Excerpts by category and participant, page 2 of 3").
                    _("%(title)s, page %(number)d of %(count)d")
                    % {"title": title, "number": number + 1, "count": count}
                    if count > 1
                    else title
                ),
                in_nav=False,
                kind=kind,
                sections=tuple(self._section_view(links, s) for s in sections),
                pager=pager,
                matrix_url=links.page(matrix_src),
                matrix_title=matrix_title,
                full_text=self.full_text,
            )

    # -- the Print page -----------------------------------------------------------

    def print_markdown(self, page_src: str) -> str:
        """Both matrices under their headings, as the Print page shows them
        (at ``page_src``): the pages of their cells are not printed, so there
        the numbers are plain text."""
        links = PageLinks(self.urls, page_src)
        macros = self.environment.get_template("matrices.html.j2").module
        participants = macros.participant_matrix(  # type: ignore[attr-defined]
            self.participant_view(links, on_paper=True)
        )
        participants_title, together_title = _(PARTICIPANT_MATRIX_TITLE), _(CO_OCCURRENCE_TITLE)
        together = macros.co_occurrence_matrix(  # type: ignore[attr-defined]
            self.co_occurrence_view(links), together_title
        )
        return (
            f"## {markdown_inline(participants_title)}\n\n{participants}\n\n"
            f"## {markdown_inline(together_title)}\n\n{together}\n"
        )


__all__ = [
    "CO_OCCURRENCE_CSV",
    "CO_OCCURRENCE_TITLE",
    "PARTICIPANT_MATRIX_CSV",
    "PARTICIPANT_MATRIX_TITLE",
    "MatrixPage",
    "MatrixPages",
    "pair_anchor",
    "participant_anchor",
    "spread",
]
