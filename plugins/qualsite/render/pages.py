"""Generated pages: the categories overview, a page per category, and
(opt-in) participant pages, drawn from a published study by the templates.

Decisions about content (what is counted, which excerpts show where, how they
are grouped) are made here in Python, where they are tested; templates only
lay out the views they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import __version__
from ..checklists import ChecklistRow, Standard
from ..dates import build_date
from ..history import CodebookChanges, Version
from ..i18n import N_, _, long_date, ngettext
from ..study.model import Category, Excerpt, ExcerptKind, Model, Participant, Study
from . import text
from .accessibility import contact_link
from .citation import CITATION_FILE, CITE_PAGE, apa, bibtex, citation_cff
from .embeds import Embed
from .excerpt_memo import MACROS, CellMemo, ExcerptMemo, started
from .figure import PNG_DPI, FigureFiles, download_name, model_dot, render_figure, with_date
from .figure_page import (
    FigurePlace,
    FigurePlaces,
    Part,
    Relation,
    has_concepts,
    inline_svg,
    tables_showing,
    text_alternative,
    with_links,
)
from .history_page import CategoryLinker, history_steps
from .matrix_pages import MatrixPages
from .paging import DEFAULT_PER_PAGE, ExcerptPaging, PageOfExcerpts
from .reference import publication_apa, publication_bibtex
from .rigour import (
    Place,
    audit_entries,
    audit_months,
    checklist_rows,
    checklist_view,
    has_audit_trail,
)
from .tables import TableRenderer, csv_path, rows_citing
from .urls import (
    ACCESSIBILITY_PAGE,
    AUDIT_PAGE,
    CATEGORIES_INDEX,
    CHECKLIST_PAGE,
    HISTORY_PAGE,
    MODEL_PAGE,
    PARTICIPANTS_INDEX,
    TABLES_PAGE,
    PageLinks,
    SiteUrls,
    category_src,
    participant_src,
)

#: The figure's downloads, by suffix: a format's standard name, or a
#: message (translated where the link is made, see :func:`figure_download_label`).
FIGURE_DOWNLOADS = (
    ("SVG", "svg"),
    ("PDF", "pdf"),
    # Translators: the figure's download as a PNG image, at its resolution.
    (N_("PNG, %(dpi)d dpi"), "png"),
    # Translators: the figure's download as Graphviz DOT, the text it is drawn from.
    (N_("DOT source"), "dot"),
)


def figure_download_label(label: str) -> str:
    """A link's text from :data:`FIGURE_DOWNLOADS`, in the site's language."""
    if label in ("SVG", "PDF"):  # the formats' names, the same in every language
        return label
    translated = _(label)
    return translated % {"dpi": PNG_DPI} if "%(dpi)" in label else translated


#: The labels of excerpts that are not a participant's own words (messages,
#: translated when a renderer is made; a study's ``excerpt_labels`` replace them).
DEFAULT_KIND_LABELS: Mapping[ExcerptKind, str] = {
    ExcerptKind.VERBATIM: "",
    ExcerptKind.PARAPHRASE: N_("Paraphrase, not a participant's words"),
    ExcerptKind.COMPOSITE: N_("Composite of several accounts, not one participant's words"),
}


def default_kind_labels() -> dict[ExcerptKind, str]:
    """:data:`DEFAULT_KIND_LABELS` in the site's language (a verbatim
    excerpt's stays empty: it has no label)."""
    return {kind: _(label) if label else "" for kind, label in DEFAULT_KIND_LABELS.items()}


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page qualsite adds to the site: where it goes and its Markdown."""

    src_path: str
    title: str
    #: Empty once written to ``source``.
    markdown: str
    #: False for a further page of a category's excerpts: reached from the
    #: category's page, not listed in the navigation.
    in_nav: bool = True
    #: The file its Markdown was written to as soon as it was made, for a
    #: build that does not hold every page's Markdown at once (None: held).
    source: Path | None = None


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """A file qualsite adds to the site as it is (downloads)."""

    path: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Download:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class OfferedFile:
    """A download the pages link to (made by :mod:`qualsite.exports`, which
    builds on this renderer, so that the renderer only needs its name)."""

    label: str  # the link's text
    path: str  # in the site
    #: The page that links to it: "tables", "categories" or "checklist".
    shown_on: str


@dataclass(frozen=True, slots=True)
class FigureView:
    model: Model
    svg: Markup
    parts: tuple[Part, ...]
    relations: tuple[Relation, ...]
    downloads: tuple[Download, ...]
    #: A box is a concept, not a category: the key says such boxes link nowhere.
    has_concepts: bool = False
    #: The figure as an image for the site's lightbox (mkdocs-glightbox), which
    #: zooms images, not the inline figure (None: the site has none).
    lightbox_url: str | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    excerpts: int
    participants: int
    of_participants: int
    #: The study's label for counts the site adds (added_labels.counts), if any.
    label: str = ""

    def describe(self) -> str:
        # "1 excerpt from 1 of 1 participant": the last noun goes with the
        # number it follows, the study's count of participants.
        excerpts = ngettext("%(num)d excerpt", "%(num)d excerpts", self.excerpts) % {
            "num": self.excerpts
        }
        # Translators: how many of the study's participants a category's
        # excerpts come from, "3 of 12 participants"; num is the study's
        # count of participants, some how many of them.
        participants = ngettext(
            "%(some)d of %(num)d participant",
            "%(some)d of %(num)d participants",
            self.of_participants,
        ) % {"some": self.participants, "num": self.of_participants}
        # Translators: a category's counts, "12 excerpts from 3 of 12 participants".
        return _("%(excerpts)s from %(participants)s") % {
            "excerpts": excerpts,
            "participants": participants,
        }


@dataclass(frozen=True, slots=True)
class CategoryRef:
    category: Category
    url: str


@dataclass(frozen=True, slots=True)
class ExcerptView:
    """One excerpt as a page shows it."""

    excerpt: Excerpt
    participant_label: str
    participant_url: str | None
    kind_label: str
    source: str
    coded_to_label: str
    coded_to: tuple[CategoryRef, ...]
    permalink: str


@dataclass(frozen=True, slots=True)
class ExcerptGroup:
    """A sub-category on its parent's page: its excerpts, or (when they do
    not all fit on the page) none and a link to its own page."""

    category: Category
    url: str
    excerpts: tuple[ExcerptView, ...]
    counts: Counts


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a category's excerpts stands among the others."""

    page: PageOfExcerpts
    previous: str | None
    next: str | None
    pages: tuple[str, ...]  # a link to each page, from 1


@dataclass(frozen=True, slots=True)
class TreeNode:
    category: Category
    url: str
    counts: Counts
    children: tuple[TreeNode, ...]


class SiteRenderer:
    """Renders the pages and embeddable parts of one published study."""

    def __init__(
        self,
        study: Study,
        *,
        urls: SiteUrls,
        environment: jinja2.Environment,
        participant_pages: bool = False,
        figure_cache: Path | None = None,
        excerpts_per_page: int = DEFAULT_PER_PAGE,
        print_excerpts: str = "auto",
        offered: Sequence[OfferedFile] = (),
        site_name: str | None = None,
        matrices: bool = True,
        checklist_places: Mapping[int, Place] | None = None,
        site_url: str | None = None,
        lightbox: bool = False,
        excerpt_memo: ExcerptMemo | None = None,
        cell_memo: CellMemo | None = None,
    ) -> None:
        self.study = study
        #: The site has a lightbox (mkdocs-glightbox) that may zoom the figure.
        self.lightbox = lightbox
        #: Where the site reports each item of the checklist that names a place.
        self.checklist_places = dict(checklist_places or {})
        #: The site's address (mkdocs.yml's site_url), for the checklist's exports.
        self.site_url = site_url
        #: The codebook's tagged versions compared (None: no such page).
        self.history: Sequence[tuple[Version, Version, CodebookChanges]] | None = None
        self.offered = tuple(offered)
        #: The site's own name (mkdocs.yml's site_name), under which it is cited.
        self.site_name = site_name or study.meta.title
        self.urls = urls
        self.environment = environment
        self.participant_pages = participant_pages
        self.figure_cache = figure_cache
        self.kind_labels = {
            **default_kind_labels(),
            **{ExcerptKind(k): v for k, v in study.meta.excerpt_labels.items()},
        }
        self.paging = ExcerptPaging(study, excerpts_per_page)
        self.print_excerpts = print_excerpts  # "auto", "all" or "illustrative"
        # What the site adds to the study's data, labelled wherever it is shown.
        self.memo_label = study.meta.added_labels.get("memos", "")
        self.count_label = study.meta.added_labels.get("counts", "")
        self.decision_label = study.meta.added_labels.get("decisions", "")
        self.tables = TableRenderer(study, self.kind_labels, self.paging, self.count_label)
        #: The participant by category and co-occurrence matrices (None: turned off).
        self.matrices = (
            MatrixPages(
                study,
                urls=urls,
                environment=environment,
                paging=self.paging,
                kind_labels=self.kind_labels,
                count_label=self.count_label,
                participant_pages=participant_pages,
                cell_memo=cell_memo,
            )
            if matrices
            else None
        )
        self._excerpt_macro: Callable[[ExcerptView], Markup] | None = None
        self._excerpt_memo = started(excerpt_memo, environment, MACROS)
        # What the templates call to draw an excerpt (the macro, or its
        # HTML kept from the last build under mkdocs serve).
        environment.globals["draw_excerpt"] = self.draw_excerpt

    def draw_excerpt(self, view: ExcerptView) -> Markup:
        """An excerpt as a page shows it (the ``excerpt`` macro)."""
        macro = self._excerpt_macro
        if macro is None:
            macro = self._excerpt_macro = self.environment.get_template(MACROS).module.excerpt  # type: ignore[attr-defined]
        if self._excerpt_memo is None:
            return macro(view)
        return self._excerpt_memo.html(view, macro)

    # -- facts shared by every page -----------------------------------------

    @cached_property
    def _counts(self) -> Mapping[str, Counts]:
        total = len(self.study.participants)
        result: dict[str, Counts] = {}
        for category in self.study.categories:
            excerpts = self.study.subtree_excerpts(category)
            people = len(Study.participant_ids(excerpts))
            result[category.id] = Counts(len(excerpts), people, total, self.count_label)
        return result

    def counts(self, category: Category) -> Counts:
        return self._counts[category.id]

    def kind_label(self, excerpt: Excerpt) -> str:
        return self.kind_labels[excerpt.kind]

    # -- views --------------------------------------------------------------

    def excerpt_view(
        self, excerpt: Excerpt, links: PageLinks, shown_in: Category | None
    ) -> ExcerptView:
        """The excerpt as shown on ``links``' page, in the context of ``shown_in``.

        Its other categories link to the same excerpt on their pages, so a
        reader can follow one piece of data through the codebook.
        """
        participant = self.study.participant(excerpt.participant_id)
        directly_here = shown_in is not None and shown_in.id in excerpt.category_ids
        others = tuple(
            CategoryRef(category, self.paging.link(links, category, excerpt))
            for category_id in excerpt.category_ids
            if shown_in is None or category_id != shown_in.id
            for category in (self.study.category(category_id),)
        )
        return ExcerptView(
            excerpt=excerpt,
            participant_label=participant.label,
            participant_url=links.participant(participant) if self.participant_pages else None,
            kind_label=self.kind_label(excerpt),
            source=excerpt.source.describe() if excerpt.source else "",
            coded_to_label=_coded_to_label(directly_here),
            coded_to=others,
            permalink=f"#{excerpt.anchor}",
        )

    def tree(
        self, links: PageLinks, roots: Sequence[Category] | None = None
    ) -> tuple[TreeNode, ...]:
        def node(category: Category) -> TreeNode:
            return TreeNode(
                category,
                links.category(category),
                self.counts(category),
                tuple(node(child) for child in self.study.children(category)),
            )

        return tuple(node(c) for c in (self.study.top_categories if roots is None else roots))

    # -- pages --------------------------------------------------------------

    def pages(
        self,
        matrix_pages: Callable[[], Sequence[GeneratedPage]] | None = None,
        keep: Callable[[GeneratedPage], GeneratedPage] | None = None,
    ) -> list[GeneratedPage]:
        """Every page (``matrix_pages``: where the matrices' pages come
        from, when not from :meth:`matrix_pages`), each passed to ``keep``
        as soon as it is made, and kept as it returns it (written to a file,
        say: a big study's pages are tens of megabytes of Markdown)."""
        return [keep(page) if keep else page for page in self._each_page(matrix_pages)]

    def _each_page(
        self, matrix_pages: Callable[[], Sequence[GeneratedPage]] | None
    ) -> Iterator[GeneratedPage]:
        yield self.overview_page()
        for category in self.study.categories:
            yield from self.category_pages(category)
        if self.study.model is not None:
            yield self.model_page(self.study.model)
        if self.study.tables:
            yield self.tables_page()
        if self.matrices is not None:
            yield from (matrix_pages() if matrix_pages is not None else self.matrix_pages())
        if self.study.checklist is not None:
            yield self.checklist_page()
        if has_audit_trail(self.study):
            yield self.audit_page()
        if self.history is not None:
            yield self.history_page()
        yield self.cite_page()
        yield self.accessibility_page()
        if self.participant_pages:
            yield self.participants_overview_page()
            for participant in self.study.participants:
                yield self.participant_page(participant)

    def matrix_pages(self, which: str = "all") -> list[GeneratedPage]:
        """The matrices' pages: "all", or only the "counts" (the matrices)
        or the "excerpts" (the pages of the excerpts behind their numbers)."""
        return [*self.each_matrix_page(which)]

    def each_matrix_page(self, which: str = "all") -> Iterator[GeneratedPage]:
        """:meth:`matrix_pages` one at a time, each drawn when asked for."""
        if self.matrices is None:
            return
        for page in self.matrices.each_page(which):
            yield GeneratedPage(page.src_path, page.title, page.markdown, page.in_nav)

    def _render(
        self,
        template: str,
        src_path: str,
        title: str,
        in_nav: bool = True,
        links: PageLinks | None = None,
        **context: object,
    ) -> GeneratedPage:
        """``template`` rendered as the page ``src_path``, its links made
        from there (or by ``links``, for a section of the Print page)."""
        links = links or PageLinks(self.urls, src_path)
        markdown = self.environment.get_template(template).render(
            study=self.study,
            links=links,
            title=title,
            memo_label=self.memo_label,
            count_label=self.count_label,
            **context,
        )
        return GeneratedPage(src_path, title, markdown, in_nav)

    def downloads(self, links: PageLinks, *, shown_on: str) -> tuple[Download, ...]:
        """Links to the exports that the page ``shown_on`` offers ("tables",
        "categories", "checklist")."""
        return tuple(
            Download(offered.label, links.page(offered.path))
            for offered in self.offered
            if offered.shown_on == shown_on
        )

    def overview_page(self) -> GeneratedPage:
        links = PageLinks(self.urls, CATEGORIES_INDEX)
        return self._render(
            "categories.md.j2",
            CATEGORIES_INDEX,
            _("Categories"),
            tree=self.tree(links),
            total_participants=len(self.study.participants),
            total_excerpts=len(self.study.excerpts),
            downloads=self.downloads(links, shown_on="categories"),
        )

    def category_pages(self, category: Category) -> list[GeneratedPage]:
        """The category's page, and further pages of its excerpts when it has
        more than one page holds (see :mod:`qualsite.render.paging`)."""
        pages = self.paging.pages(category)
        srcs = self.paging.srcs(category, pages)
        first = self._category_first_page(category, pages[0], srcs)
        rest = [self._category_more_page(category, page, srcs) for page in pages[1:]]
        return [first, *rest]

    def _pager(self, page: PageOfExcerpts, srcs: Sequence[str], links: PageLinks) -> Pager | None:
        if page.count == 1:
            return None
        return Pager(
            page=page,
            previous=links.page(srcs[page.number - 2]) if page.number > 1 else None,
            next=links.page(srcs[page.number]) if page.number < page.count else None,
            pages=tuple(links.page(src) for src in srcs),
        )

    def _category_first_page(
        self, category: Category, page: PageOfExcerpts, srcs: Sequence[str]
    ) -> GeneratedPage:
        src = srcs[0]
        links = PageLinks(self.urls, src)
        direct = tuple(self.excerpt_view(e, links, category) for e in page.excerpts)
        shown = {e.id for e in page.excerpts}
        groups: list[ExcerptGroup] = []
        whole_subtree = self.paging.shows_subtree(category)
        for child in self.study.children(category):
            # Each excerpt appears once per page (its anchor must be unique),
            # in the first group that holds it.
            views = []
            if whole_subtree:
                for excerpt in self.study.subtree_excerpts(child):
                    if excerpt.id not in shown:
                        shown.add(excerpt.id)
                        views.append(self.excerpt_view(excerpt, links, category))
            groups.append(
                ExcerptGroup(child, links.category(child), tuple(views), self.counts(child))
            )
        parent = self.study.parent(category)
        return self._render(
            "category.md.j2",
            src,
            category.name,
            category=category,
            counts=self.counts(category),
            overview_url=links.page(CATEGORIES_INDEX),
            breadcrumbs=tuple(
                CategoryRef(a, links.category(a)) for a in self.study.ancestors(category)
            ),
            parent=CategoryRef(parent, links.category(parent)) if parent else None,
            children=self.tree(links, self.study.children(category)),
            siblings=tuple(
                CategoryRef(s, links.category(s)) for s in self.study.siblings(category)
            ),
            excerpts=direct,
            figure_place=self.figure_place(category, links),
            table_rows=rows_citing(self.study, category, links),
            decision_label=self.decision_label,
            decisions=[
                (decision, links.page(AUDIT_PAGE, decision.anchor))
                for decision in self.study.decisions_about(category)
            ],
            pager=self._pager(page, srcs, links),
            groups=tuple(groups),
            whole_subtree=whole_subtree,
            has_labelled_excerpts=any(
                v.kind_label for v in (*direct, *(x for g in groups for x in g.excerpts))
            ),
        )

    def _category_more_page(
        self, category: Category, page: PageOfExcerpts, srcs: Sequence[str]
    ) -> GeneratedPage:
        src = srcs[page.number - 1]
        links = PageLinks(self.urls, src)
        views = tuple(self.excerpt_view(e, links, category) for e in page.excerpts)
        return self._render(
            "category_excerpts.md.j2",
            src,
            # Translators: the title of a further page of a category's excerpts,
            # "Trust: excerpts 101 to 200".
            _("%(category)s: excerpts %(first)d to %(last)d")
            % {"category": category.name, "first": page.first, "last": page.last},
            in_nav=False,
            category=category,
            overview_url=links.page(CATEGORIES_INDEX),
            breadcrumbs=tuple(
                CategoryRef(a, links.category(a))
                for a in (*self.study.ancestors(category), category)
            ),
            excerpts=views,
            pager=self._pager(page, srcs, links),
        )

    def participants_overview_page(self) -> GeneratedPage:
        links = PageLinks(self.urls, PARTICIPANTS_INDEX)
        rows = tuple(
            (p, links.participant(p), len(self.study.excerpts_of(p)))
            for p in self.study.participants
        )
        return self._render("participants.md.j2", PARTICIPANTS_INDEX, _("Participants"), rows=rows)

    def participant_page(self, participant: Participant) -> GeneratedPage:
        src = participant_src(participant)
        links = PageLinks(self.urls, src)
        views = tuple(
            self.excerpt_view(e, links, None) for e in self.study.excerpts_of(participant)
        )
        return self._render(
            "participant.md.j2",
            src,
            participant.label,
            participant=participant,
            overview_url=links.page(PARTICIPANTS_INDEX),
            excerpts=views,
        )

    def cite_page(self) -> GeneratedPage:
        links = PageLinks(self.urls, CITE_PAGE)
        when = build_date()
        publication = self.study.meta.publication
        return self._render(
            "cite.md.j2",
            CITE_PAGE,
            _("How to cite"),
            meta=self.study.meta,
            site_name=self.site_name,
            apa=apa(self.study.meta, when, self.site_name),
            bibtex=bibtex(self.study.meta, when, self.site_name),
            study_reference=publication_apa(publication) if publication else None,
            study_bibtex=publication_bibtex(publication) if publication else None,
            cff_url=links.page(CITATION_FILE),
        )

    def checklist_page(self, at: str = CHECKLIST_PAGE) -> GeneratedPage:
        """The reporting checklist (``at``: where its links are made from,
        its own page or the Print page)."""
        assert self.study.checklist is not None
        links = PageLinks(self.urls, at)
        view = checklist_view(self.study.checklist, self.checklist_places, links)
        return self._render(
            "checklist.md.j2",
            CHECKLIST_PAGE,
            _("Reporting checklist"),
            links=links,
            checklist=view,
            downloads=self.downloads(links, shown_on="checklist"),
        )

    def checklist_rows(self) -> tuple[Standard, list[ChecklistRow]]:
        """The checklist's rows, for its Word and LaTeX exports."""
        assert self.study.checklist is not None
        return checklist_rows(self.study.checklist, self.checklist_places, self.urls, self.site_url)

    def audit_page(self, at: str = AUDIT_PAGE) -> GeneratedPage:
        """The decisions and dated memos, newest first."""
        links = PageLinks(self.urls, at)
        return self._render(
            "audit-trail.md.j2",
            AUDIT_PAGE,
            _("Audit trail"),
            links=links,
            months=audit_months(audit_entries(self.study, links)),
            decision_label=self.decision_label,
        )

    def history_page(self, at: str = HISTORY_PAGE) -> GeneratedPage:
        """How the codebook changed across its tagged versions."""
        links = PageLinks(self.urls, at)
        return self._render(
            "codebook-history.md.j2",
            HISTORY_PAGE,
            _("How the codebook changed"),
            links=links,
            steps=history_steps(self.history or (), self.study.meta.version),
            link=CategoryLinker(self.study, links),
        )

    def accessibility_page(self) -> GeneratedPage:
        """The accessibility statement, as UK public-sector sites publish one:
        what the site meets, what it does not, how it was tested, and whom
        to contact."""
        return self._render(
            "accessibility.md.j2",
            ACCESSIBILITY_PAGE,
            _("Accessibility"),
            meta=self.study.meta,
            site_name=self.site_name,
            site_url=self.site_url,
            version=__version__,
            made=long_date(build_date().date()),
            has_model=self.study.model is not None,
            contact=contact_link(self.study.meta.contact),
        )

    def tables_page(self) -> GeneratedPage:
        links = PageLinks(self.urls, TABLES_PAGE)
        views = tuple(self.tables.view(t, links) for t in self.study.tables)
        return self._render(
            "tables.md.j2",
            TABLES_PAGE,
            _("Tables"),
            tables=views,
            downloads=self.downloads(links, shown_on="tables"),
        )

    def model_page(self, model: Model) -> GeneratedPage:
        links = PageLinks(self.urls, MODEL_PAGE)
        tables = tables_showing(self.study, model, self.study.tables)
        return self._render(
            "model.md.j2",
            MODEL_PAGE,
            model.title,
            figure=self.figure_view(model, links),
            # From the figure on to the data: the categories, and the tables
            # of those the figure draws.
            categories_url=links.page(CATEGORIES_INDEX),
            tables=tuple((table, links.page(TABLES_PAGE, table.anchor)) for table in tables),
        )

    @cached_property
    def _figure_places(self) -> FigurePlaces | None:
        model = self.study.model
        return FigurePlaces(self.study, model) if model is not None else None

    def figure_place(self, category: Category, links: PageLinks) -> FigurePlace | None:
        """Where the category sits in the figure, linking to it highlighted."""
        places = self._figure_places
        return places.place(category, links) if places is not None else None

    # -- figures and tables ------------------------------------------------------

    @cached_property
    def figure_files(self) -> FigureFiles | None:
        model = self.study.model
        if model is None:
            return None
        return render_figure(model_dot(self.study, model), self.figure_cache)

    def figure_view(self, model: Model, links: PageLinks) -> FigureView:
        files = self.figure_files
        assert files is not None
        # Translators: the figure's title, "Figure 1. A model of trust".
        title = _("Figure %(number)d. %(title)s") % {"number": model.number, "title": model.title}
        parts, relations = text_alternative(self.study, model, links)
        downloads = tuple(
            Download(figure_download_label(label), links.page(download_name(model, suffix)))
            for label, suffix in FIGURE_DOWNLOADS
        )
        return FigureView(
            model=model,
            svg=inline_svg(files, self.study, model, links, title=title),
            parts=parts,
            relations=relations,
            downloads=downloads,
            has_concepts=has_concepts(model),
            lightbox_url=links.page(download_name(model, "svg")) if self.lightbox else None,
        )

    def files(self) -> list[GeneratedFile]:
        """Downloads: each table as CSV, the figure in each format and the
        citation file (the exports, Word, LaTeX and REFI-QDA, are made by
        :mod:`qualsite.exports`)."""
        found: list[GeneratedFile] = []
        cff = citation_cff(self.study.meta, build_date(), self.site_name)
        found.append(GeneratedFile(CITATION_FILE, cff.encode("utf-8")))
        for table in self.study.tables:
            path = csv_path(table)
            found.append(GeneratedFile(path, self.tables.csv(table, PageLinks(self.urls, path))))
        if self.matrices is not None:
            found.extend(GeneratedFile(path, data) for path, data in self.matrices.files())
        model, figure = self.study.model, self.figure_files
        if model is not None and figure is not None:
            links = PageLinks(self.urls, download_name(model, "svg"))
            contents = {
                "svg": with_links(figure.svg.decode("utf-8"), self.study, links).encode("utf-8"),
                "pdf": with_date(figure.pdf, build_date()),
                "png": figure.png,
                "dot": with_links(figure.dot, self.study, links).encode("utf-8"),
            }
            for _label, suffix in FIGURE_DOWNLOADS:
                found.append(GeneratedFile(download_name(model, suffix), contents[suffix]))
        return found

    # -- parts that content pages embed -----------------------------------------

    def table_html(self, number: int, page_src: str) -> str:
        links = PageLinks(self.urls, page_src)
        table = next(t for t in self.study.tables if t.number == number)
        macros = self.environment.get_template("macros.html.j2").module
        return str(macros.table(self.tables.view(table, links)))  # type: ignore[attr-defined]

    def figure_html(self, page_src: str) -> str:
        model = self.study.model
        assert model is not None
        links = PageLinks(self.urls, page_src)
        macros = self.environment.get_template("macros.html.j2").module
        return str(macros.figure(self.figure_view(model, links)))  # type: ignore[attr-defined]

    def excerpt_html(self, excerpt: Excerpt, page_src: str) -> str:
        links = PageLinks(self.urls, page_src)
        macros = self.environment.get_template("macros.html.j2").module
        return str(macros.excerpt(self.excerpt_view(excerpt, links, None)))  # type: ignore[attr-defined]

    def print_excerpt_html(self, excerpt: Excerpt, page_src: str) -> str:
        links = PageLinks(self.urls, page_src)
        macros = self.environment.get_template("macros.html.j2").module
        return str(macros.print_excerpt(self.excerpt_view(excerpt, links, None)))  # type: ignore[attr-defined]

    def tree_html(self, page_src: str) -> str:
        links = PageLinks(self.urls, page_src)
        macros = self.environment.get_template("macros.html.j2").module
        return str(macros.category_tree(self.tree(links)))  # type: ignore[attr-defined]

    def embed(self, embed: Embed, page_src: str, address_src: str | None = None) -> str:
        """What an embed on the page ``page_src`` stands for (it was checked).

        ``address_src`` is a source path whose address is the page's real
        one, when another plugin publishes the page elsewhere (a blog post at
        ``blog/2024/01/15/title/``): HTML links are relative to where the
        page is read, Markdown links to its source, which MkDocs resolves."""
        argument = embed.argument or ""
        if embed.kind == "category":
            return self.category_link_markdown(self.study.category(argument), page_src, embed.label)
        page_src = address_src or page_src
        if embed.kind == "excerpt":
            return self.excerpt_html(self.study.excerpts_by_id[argument], page_src)
        if embed.kind == "table":
            number = int(argument) if argument else self.study.tables[0].number
            return self.table_html(number, page_src)
        if embed.kind == "figure":
            return self.figure_html(page_src)
        return self.tree_html(page_src)

    def category_link_markdown(
        self, category: Category, page_src: str, label: str | None = None
    ) -> str:
        """A Markdown link, so that MkDocs itself resolves and checks it."""
        target = category_src(category)
        relative = _relative_src(target, page_src)
        return f"[{text.markdown_inline(label or category.name)}]({relative})"


def _coded_to_label(also: bool) -> str:
    """What leads the list of an excerpt's other categories: "Also coded to"
    on a page of one of its categories, else "Coded to"."""
    if also:
        # Translators: on a category's page, before the other categories the
        # excerpt is coded to (a list of links follows, after a colon).
        return _("Also coded to")
    # Translators: before the categories an excerpt is coded to, where it is
    # shown outside them (a list of links follows, after a colon).
    return _("Coded to")


def _relative_src(target_src: str, from_src: str) -> str:
    """A path between two source files, the way Markdown links between pages are written."""
    from_parts = from_src.split("/")[:-1]
    target_parts = target_src.split("/")
    common = 0
    for a, b in zip(from_parts, target_parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + target_parts[common:])


__all__ = ["GeneratedPage", "SiteRenderer"]
