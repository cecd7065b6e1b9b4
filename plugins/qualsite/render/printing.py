"""The Print page: the whole report on one page, in reading order (the
navigation's), for paper and for `qualsite pdf`.

Each part is rendered as HTML at its own place in the site (so that its
links and images resolve as they do on its page), then the parts are put
together here:

- every id stays unique: the ids of the user's pages take their section's
  prefix, the figure and each table are printed once, in their own section
  (an embed of them elsewhere becomes a reference), and excerpts carry no
  anchor (one coded to two categories is printed under both);
- a link to a page that is printed leads to its section on this page, a link
  to a page that is not (a participant's) becomes plain text, and a link to a
  file (a download, an image) is re-pointed from this page's place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..dates import build_date
from ..i18n import _, ngettext
from ..study.model import Category, Excerpt, Study
from .citation import footer
from .embeds import Embed, EmbedTargets, expand_embeds
from .html_links import (
    ADDRESS_ATTRIBUTES,
    ID_ATTRIBUTES,
    SRCSET_ATTRIBUTES,
    Tag,
    relative_to,
    repeated_ids,
    resolve,
    rewrite_srcset,
    rewrite_tags,
)
from .matrix_pages import CO_OCCURRENCE_ANCHOR, PARTICIPANT_MATRIX_ANCHOR
from .pages import GeneratedPage, SiteRenderer
from .text import html, markdown_inline, split_front_matter
from .urls import (
    AUDIT_PAGE,
    CATEGORIES_DIR,
    CHECKLIST_PAGE,
    CO_OCCURRENCE_PAGE,
    HISTORY_PAGE,
    MODEL_PAGE,
    PARTICIPANT_MATRIX_PAGE,
    PRINT_PAGE,
    TABLES_PAGE,
    PageLinks,
    category_src,
)

#: Up to this many excerpts in the study, the Print page shows them all
#: (unless the ``print_excerpts`` option says otherwise).
PRINT_EVERY_EXCERPT_UP_TO = 500
CITE_PAGE = "cite.md"  # as render.citation has it; repeated to keep imports one-way
#: The generated sections, and the page each one stands for.
SECTION_PAGES = {
    "model": MODEL_PAGE,
    "tables": TABLES_PAGE,
    "cite": CITE_PAGE,
    "checklist": CHECKLIST_PAGE,
    "audit": AUDIT_PAGE,
    "history": HISTORY_PAGE,
}


@dataclass(frozen=True, slots=True)
class PrintPart:
    """One stretch of the report: a page of the user's, or a generated section."""

    kind: str  # "content", "model", "tables", "categories" or "cite"
    src: str = ""  # for "content": the page's source path


@dataclass(frozen=True, slots=True)
class RenderedPart:
    """A part as HTML, rendered at ``src`` (for a generated section, at the
    Print page's place); ``title`` is the page's, for a page without an h1."""

    part: PrintPart
    src: str
    html: str
    title: str


def category_anchor(category: Category) -> str:
    return f"print-category-{category.id}"


def section_id(part: PrintPart) -> str:
    """The id of a part's section. The user's pages are ``print-page-…`` and
    their ids take that prefix, apart from every id qualsite makes itself
    (``print-category-…``, ``figure-…``, ``table-…``)."""
    if part.kind != "content":
        return f"print-{part.kind}"
    stem = re.sub(r"\.md$", "", part.src)
    return "print-page-" + (re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower() or "page")


def print_header(renderer: SiteRenderer) -> GeneratedPage:
    """The top of the Print page, from ``print.md.j2``: the report's title,
    authors and edition (version and date: a printout carries no footer),
    and a note for screen readers."""
    return renderer._render(
        "print.md.j2",
        PRINT_PAGE,
        # Translators: the title of the page that holds the whole report, to print.
        _("Print"),
        edition=footer(renderer.study.meta, build_date()),
    )


def section_markdown(renderer: SiteRenderer, kind: str) -> str:
    """A generated section's Markdown, at the Print page's place."""
    study = renderer.study
    if kind == "model" and study.model is not None:
        return f"# {markdown_inline(study.model.title)}\n\n" + renderer.figure_html(PRINT_PAGE)
    if kind == "tables":
        tables = [renderer.table_html(t.number, PRINT_PAGE) for t in study.tables]
        return f"# {markdown_inline(_('Tables'))}\n\n" + "\n\n".join(tables)
    if kind == "categories":
        return f"# {markdown_inline(_('Categories'))}\n\n" + _categories(renderer)
    if kind == "matrices" and renderer.matrices is not None:
        matrices = renderer.matrices.print_markdown(PRINT_PAGE)
        return f"# {markdown_inline(_('Matrices'))}\n\n" + matrices
    if kind == "cite":
        return _without_front_matter(renderer.cite_page().markdown)
    if kind == "checklist" and study.checklist is not None:
        return _without_front_matter(renderer.checklist_page(at=PRINT_PAGE).markdown)
    if kind == "audit":
        return _without_front_matter(renderer.audit_page(at=PRINT_PAGE).markdown)
    if kind == "history" and renderer.history is not None:
        return _without_front_matter(renderer.history_page(at=PRINT_PAGE).markdown)
    return ""


def content_markdown(
    renderer: SiteRenderer,
    markdown: str,
    *,
    src: str,
    shown_path: str,
    first_line: int,
    kinds: frozenset[str],
) -> str:
    """A page of the user's for the Print page: its embeds expanded as on its
    own page, except those printed elsewhere on the Print page."""
    study = renderer.study

    def render(embed: Embed) -> str:
        argument = embed.argument or ""
        if embed.kind == "figure" and "model" in kinds and study.model is not None:
            printed = _("Figure %(number)d is printed in its own section.")
            return _reference(printed % {"number": study.model.number})
        if embed.kind == "table" and "tables" in kinds:
            number = int(argument) if argument else study.tables[0].number
            printed = _("Table %(number)d is printed with the tables.")
            return _reference(printed % {"number": number})
        if embed.kind == "excerpt":
            return renderer.print_excerpt_html(study.excerpts_by_id[argument], src)
        return renderer.embed(embed, src)

    targets = EmbedTargets(
        frozenset(study.categories_by_id),
        frozenset(study.excerpts_by_id),
        frozenset(t.number for t in study.tables),
        frozenset({study.model.number} if study.model else ()),
    )
    return expand_embeds(
        markdown, shown_path=shown_path, first_line=first_line, render=render, targets=targets
    )


def _reference(text: str) -> str:
    return f'<p class="qs-print-reference"><em>{html(text)}</em></p>'


def _without_front_matter(markdown: str) -> str:
    return split_front_matter(markdown)[1]


def prints_every_excerpt(renderer: SiteRenderer) -> bool:
    """Whether the Print page shows every excerpt, or (a big study's: a
    report of thousands of pages helps no one) those chosen to illustrate
    each category."""
    if renderer.print_excerpts == "auto":
        return len(renderer.study.excerpts) <= PRINT_EVERY_EXCERPT_UP_TO
    return renderer.print_excerpts == "all"


def _printed_excerpts(study: Study, category: Category, every: bool) -> tuple[Excerpt, ...]:
    own = study.excerpts_coded_to(category)
    if every:
        return own
    chosen = tuple(e for e in own if category.id in e.illustrates)
    return chosen or own[:1]


def _categories(renderer: SiteRenderer) -> str:
    links = PageLinks(renderer.urls, PRINT_PAGE)
    macros = renderer.environment.get_template("macros.html.j2").module
    study = renderer.study
    every = prints_every_excerpt(renderer)
    blocks = []
    if not every:
        count = len(study.excerpts)
        # Translators: field: the name of the codebook's field "illustrates",
        # which stays as it is.
        selection = ngettext(
            "For each category, this report shows the excerpts chosen to illustrate it "
            "(marked %(field)s, or else its first); all %(num)d excerpt is on the site.",
            "For each category, this report shows the excerpts chosen to illustrate it "
            "(marked %(field)s, or else its first); all %(num)d excerpts are on the site.",
            count,
        )
        filled = html(selection) % {"field": Markup("<code>illustrates</code>"), "num": count}
        blocks.append(f'<p class="qs-print-selection">{filled}</p>')
    for category in study.categories:
        printed = _printed_excerpts(study, category, every)
        views = [renderer.excerpt_view(e, links, category) for e in printed]
        left_out = len(study.excerpts_coded_to(category)) - len(printed)
        depth = len(study.ancestors(category))
        block = macros.print_category(  # type: ignore[attr-defined]
            category, depth, renderer.counts(category), views, left_out, renderer.memo_label
        )
        blocks.append(str(block))
    return "\n\n".join(blocks)


# -- putting the parts together -----------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintSection:
    anchor: str  # the section's id
    prefix: str  # what the ids of the part took ("" for qualsite's own sections)
    titled: bool  # whether the section was given an h1: its page had none


@dataclass(frozen=True, slots=True)
class PrintedPage:
    html: str
    sections: tuple[PrintSection, ...]  # one per part, in order
    ids: frozenset[str]


#: The parts whose ids take their section's prefix: the user's pages, and
#: the generated pages whose headings are any words (a checklist's domains,
#: an audit trail's months), which another section may share.
_PREFIXED = frozenset({"content", "checklist", "audit", "history"})


class RepeatedIdError(ValueError):
    """Two elements of the Print page would share an id."""


def assemble(
    renderer: SiteRenderer,
    header_html: str,
    parts: Sequence[RenderedPart],
    page_urls: frozenset[str],
) -> PrintedPage:
    """The Print page's HTML: its header, then each part in its section.

    ``page_urls`` are the URLs of all the site's pages (as MkDocs writes
    them), so that a link to a page that is not printed can lose its link.
    """
    print_url = _page_url(renderer, PRINT_PAGE)
    prefixes: dict[str, str] = {}  # page URL -> prefix of its ids here
    anchors: dict[str, str] = {}  # page URL -> id of its section here
    taken: set[str] = set()
    named: list[tuple[str, str]] = []  # (anchor, prefix) of each part
    for rendered in parts:
        anchor = _unique(section_id(rendered.part), taken)
        taken.add(anchor)
        # "--": a heading's slug never holds two hyphens in a row, so no
        # prefixed id can be another section's id.
        prefix = f"{anchor}--" if rendered.part.kind in _PREFIXED else ""
        named.append((anchor, prefix))
        if rendered.part.kind == "categories":
            for category in renderer.study.categories:
                for number in range(1, renderer.paging.pages(category)[0].count + 1):
                    url = _page_url(renderer, category_src(category, number))
                    anchors[url] = category_anchor(category)
            anchors[_page_url(renderer, f"{CATEGORIES_DIR}/index.md")] = anchor
        if rendered.part.kind == "matrices":  # each matrix page leads to its table
            anchors[_page_url(renderer, PARTICIPANT_MATRIX_PAGE)] = PARTICIPANT_MATRIX_ANCHOR
            anchors[_page_url(renderer, CO_OCCURRENCE_PAGE)] = CO_OCCURRENCE_ANCHOR
        own = rendered.src if rendered.part.kind == "content" else ""
        own = own or SECTION_PAGES.get(rendered.part.kind, "")
        if own:
            anchors[_page_url(renderer, own)] = anchor
            prefixes[_page_url(renderer, own)] = prefix

    bodies = [
        _with_prefixed_ids(r.html, prefix) for r, (_, prefix) in zip(parts, named, strict=True)
    ]
    present = set(_ids(header_html)).union(*(_ids(b) for b in bodies))

    def moved(value: str, page_url: str) -> str:
        """A file's address (an image's), from the Print page's place."""
        address = resolve(value, page_url)
        return value if address is None else relative_to(address, print_url)

    def target(
        tag: Tag, in_svg: bool, page_url: str, prefix: str = ""
    ) -> tuple[dict[str, str | None], bool]:
        changes: dict[str, str | None] = {}
        unlink = False
        for name in SRCSET_ATTRIBUTES & tag.attributes.keys():
            changes[name] = rewrite_srcset(tag.attributes[name], lambda v: moved(v, page_url))
        for name in ADDRESS_ATTRIBUTES & tag.attributes.keys():
            address = resolve(tag.attributes[name], page_url)
            if address is None:
                continue  # a link to the web, or a rooted path: left as it is
            if address.path == print_url:
                # A link within a generated section (a heading's permalink),
                # to the id as the section's prefix made it.
                fragment = address.fragment
                if fragment and prefix + fragment in present:
                    fragment = prefix + fragment
                changes[name] = f"#{fragment}" if fragment else "#"
            elif address.path in anchors:
                wanted = prefixes.get(address.path, "") + address.fragment
                fragment = wanted if address.fragment and wanted in present else ""
                changes[name] = "#" + (fragment or anchors[address.path])
            elif address.path in page_urls and tag.name == "a":
                unlink = True  # a page that is not printed (a participant's)
            else:
                changes[name] = relative_to(address, print_url)
        return changes, unlink

    blocks = [rewrite_tags(header_html, lambda t, s: target(t, s, print_url))]
    sections: list[PrintSection] = []
    for rendered, body, (anchor, prefix) in zip(parts, bodies, named, strict=True):
        at = _page_url(renderer, rendered.src)
        body = rewrite_tags(body, lambda t, s, at=at, p=prefix: target(t, s, at, p))  # type: ignore[misc]
        # A page titled only in its front matter still starts a section.
        titled = rendered.part.kind == "content" and not re.search(r"<h1[\s>]", body)
        if titled:  # the toc leads to the section itself
            body = f"<h1>{escape(rendered.title)}</h1>\n{body}"
        body = _one_level_down(body)
        sections.append(PrintSection(anchor, prefix, titled))
        blocks.append(
            f'<section class="qs-print-section qs-print-section--{rendered.part.kind}" '
            f'id="{anchor}">\n{body}\n</section>'
        )
    html = "\n".join(blocks)
    repeated = repeated_ids(html)
    if repeated:
        raise RepeatedIdError(repeated[0])
    return PrintedPage(html, tuple(sections), frozenset(_ids(html)))


#: A heading's tag, opening or closing, of the levels that can go one down.
_HEADING_TAG = re.compile(r"<(/?)h([1-5])(?=[\s/>])", re.IGNORECASE)


def _one_level_down(markup: str) -> str:
    """Each heading of a section one level down: the page's one h1 is the
    report's title (the title block), each section's title an h2. An h6
    stays an h6, as HTML has no seventh level."""
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", markup)


def _page_url(renderer: SiteRenderer, src: str) -> str:
    url = renderer.urls.url(src)
    return "" if url == "./" else url


def _unique(anchor: str, taken: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    return candidate


def _ids(markup: str) -> list[str]:
    found: list[str] = []

    def collect(tag: Tag, in_svg: bool) -> tuple[dict[str, str | None], bool]:
        if "id" in tag.attributes:
            found.append(tag.attributes["id"])
        return {}, False

    rewrite_tags(markup, collect)
    return found


def _with_prefixed_ids(markup: str, prefix: str) -> str:
    """The ids of a user's page, and the attributes that name them, with
    ``prefix`` (links to them are re-pointed with every other link)."""
    if not prefix:
        return markup

    def add(tag: Tag, in_svg: bool) -> tuple[dict[str, str | None], bool]:
        changes: dict[str, str | None] = {}
        for name in ID_ATTRIBUTES & tag.attributes.keys():
            changes[name] = " ".join(prefix + i for i in tag.attributes[name].split())
        # A group of radio buttons (content tabs) is named; two pages' groups
        # joined on one page would become one.
        if tag.name in ("input", "a") and "name" in tag.attributes:
            changes["name"] = prefix + tag.attributes["name"]
        return changes, False

    return rewrite_tags(markup, add)
