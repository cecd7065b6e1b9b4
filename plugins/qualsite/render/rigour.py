"""What the reporting checklist and the audit trail pages show.

The checklist names pages of the site by their files in ``docs_dir`` and
headings by their words; here each becomes a place a link can point at (its
page's title, the heading's anchor), and a name that does not exist becomes
an error at the checklist's line. The views are what the templates
``checklist.md.j2`` and ``audit-trail.md.j2`` lay out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown.extensions.toc import slugify as _markdown_slugify  # type: ignore[import-untyped]

from ..checklists import ChecklistRow, ChecklistStatus, Standard, StandardItem, standard
from ..content import ContentFile
from ..dates import long_date, month_name
from ..errors import Problem, display_path
from ..study.model import Category, Checklist, ChecklistEntry, Decision, Memo, Study
from .urls import MODEL_PAGE, TABLES_PAGE, PageLinks, SiteUrls, category_src


def slugify(text: str, separator: str) -> str:
    """An anchor made from a heading's words, as Python-Markdown's table of
    contents makes it by default (MkDocs' anchors, unless ``toc: slugify``
    says otherwise)."""
    return str(_markdown_slugify(text, separator))


# -- the places the checklist names ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where the site reports an item: how the place reads, and the page
    (and the anchor on it) a link leads to."""

    text: str
    src: str
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # as a reader sees it
    anchor: str
    level: int


#: Between a page's title and a heading on it, as in breadcrumbs.
_SEPARATOR = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ATTRIBUTES = re.compile(r"[ \t]*\{:?([^}]*)\}[ \t]*$")
_EXPLICIT_ID = re.compile(r"(?:^|\s)#([\w.:-]+)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]|<[^>]+>")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


def page_headings(markdown: str) -> list[Heading]:
    """The page's ATX headings (``## Recruitment``) outside code fences, each
    with the anchor Python-Markdown's table of contents gives it: the
    ``{#id}`` written after it, or else its words made into a slug. Anchors
    repeated on a page get "_1", "_2", as the table of contents does."""
    headings: list[Heading] = []
    fence: str | None = None
    taken: dict[str, int] = {}
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        found = _ATX.match(line)
        if not found:
            continue
        words = found.group(2)
        explicit = None
        attributes = _ATTRIBUTES.search(words)
        if attributes:
            named = _EXPLICIT_ID.search(attributes.group(1))
            explicit = named.group(1) if named else None
            words = words[: attributes.start()]
        text = " ".join(html.unescape(_MARKUP.sub("", _LINK.sub(r"\1", words))).split())
        anchor = explicit or slugify(text, "-")
        if anchor in taken:
            taken[anchor] += 1
            anchor = f"{anchor}_{taken[anchor]}"
        else:
            taken[anchor] = 0
        headings.append(Heading(text, anchor, len(found.group(1))))
    return headings


def page_title(markdown: str, src: str) -> str:
    """The page's title as MkDocs gives it: its front matter's ``title``,
    else its first level-1 heading, else its file name."""
    front = _FRONT_MATTER.match(markdown)
    if front:
        titled = _FRONT_TITLE.search(front.group(1))
        if titled:
            return titled.group(1).strip("'\"")
    for heading in page_headings(markdown):
        if heading.level == 1:
            return heading.text
    stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").capitalize() or src


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def locate_checklist(
    study: Study, content: Sequence[ContentFile]
) -> tuple[dict[int, Place], list[Problem]]:
    """Each reported item's place; a page or heading that does not exist is
    a problem at the item's line."""
    places: dict[int, Place] = {}
    problems: list[Problem] = []
    if study.checklist is None:
        return places, problems
    pages = {f.src_uri: f for f in content if f.is_page}
    for entry in study.checklist.entries:
        if entry.page is not None:
            place = _page_place(entry, pages, problems)
        else:
            place = _study_place(study, entry)
        if place is not None:
            places[entry.number] = place
    return places, problems


def _page_place(
    entry: ChecklistEntry, pages: Mapping[str, ContentFile], problems: list[Problem]
) -> Place | None:
    assert entry.page is not None
    page = pages.get(entry.page)
    if page is None:
        listed = ", ".join(sorted(pages)[:8]) or "none"
        problems.append(
            Problem(
                entry.origin.at("page"),
                f"checklist item {entry.number}: there is no page '{entry.page}' in the site "
                f"(write its file's path inside the docs folder; its pages: {listed})",
            )
        )
        return None
    try:
        markdown = page.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(
            Problem(entry.origin.at("page"), f"cannot read {display_path(page.path)}: {error}")
        )
        return None
    title = page_title(markdown, entry.page)
    if entry.heading is None:
        return Place(title, entry.page)
    headings = page_headings(markdown)
    found = next((h for h in headings if _same_words(h.text, entry.heading)), None)
    if found is None:
        known = "; ".join(f"'{h.text}'" for h in headings[:8]) or "it has none"
        problems.append(
            Problem(
                entry.origin.at("heading"),
                f"checklist item {entry.number}: {display_path(page.path)} has no heading "
                f"'{entry.heading}' (its headings: {known}); write the heading's words as "
                "they are on the page",
            )
        )
        return None
    return Place(f"{title} {_SEPARATOR} {found.text}", entry.page, found.anchor)


def _study_place(study: Study, entry: ChecklistEntry) -> Place | None:
    if entry.category_id is not None:
        category = study.categories_by_id.get(entry.category_id)
        if category is None:
            return None
        return Place(f"Category: {category.name}", category_src(category))
    if entry.table is not None:
        table = next((t for t in study.tables if t.number == entry.table), None)
        if table is None:
            return None
        return Place(f"Table {table.number}. {table.title}", TABLES_PAGE, table.anchor)
    if entry.figure is not None and study.model is not None:
        return Place(f"Figure {study.model.number}. {study.model.title}", MODEL_PAGE)
    return None  # a short answer, or not applicable: no place


# -- the checklist page and its exports --------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistItemView:
    item: StandardItem
    status: ChecklistStatus
    place: Place | None = None
    url: str | None = None
    answer: str | None = None
    reason: str | None = None  # why it does not apply


@dataclass(frozen=True, slots=True)
class DomainView:
    name: str
    anchor: str
    items: tuple[ChecklistItemView, ...]


@dataclass(frozen=True, slots=True)
class ChecklistView:
    standard: Standard
    domains: tuple[DomainView, ...]
    reported: int
    not_applicable: int
    not_addressed: int


def checklist_items(
    checklist: Checklist, places: Mapping[int, Place], links: PageLinks | None
) -> tuple[Standard, list[ChecklistItemView]]:
    """Every item of the standard, in its order, with the study's answer."""
    found = standard(checklist.standard)
    assert found is not None  # checked when the study was loaded
    views = []
    for item in found.items:
        entry = checklist.entry(item.number)
        place = places.get(item.number)
        if entry is None or (place is None and entry.answer is None and not entry.not_applicable):
            views.append(ChecklistItemView(item, ChecklistStatus.NOT_ADDRESSED))
        elif entry.not_applicable:
            views.append(
                ChecklistItemView(item, ChecklistStatus.NOT_APPLICABLE, reason=entry.not_applicable)
            )
        elif entry.answer is not None:
            views.append(ChecklistItemView(item, ChecklistStatus.REPORTED, answer=entry.answer))
        else:
            assert place is not None
            url = links.page(place.src, place.anchor) if links is not None else None
            views.append(ChecklistItemView(item, ChecklistStatus.REPORTED, place=place, url=url))
    return found, views


def checklist_view(
    checklist: Checklist, places: Mapping[int, Place], links: PageLinks
) -> ChecklistView:
    found, items = checklist_items(checklist, places, links)
    domains = tuple(
        DomainView(
            name,
            "checklist-" + slugify(name, "-"),
            tuple(v for v in items if v.item.domain == name),
        )
        for name in found.domains
    )
    return ChecklistView(
        found,
        domains,
        reported=sum(v.status is ChecklistStatus.REPORTED for v in items),
        not_applicable=sum(v.status is ChecklistStatus.NOT_APPLICABLE for v in items),
        not_addressed=sum(v.status is ChecklistStatus.NOT_ADDRESSED for v in items),
    )


def checklist_rows(
    checklist: Checklist, places: Mapping[int, Place], urls: SiteUrls, site_url: str | None
) -> tuple[Standard, list[ChecklistRow]]:
    """The rows of the Word and LaTeX checklists: each place with its page's
    web address when the site has one (``site_url``), else by its section
    of the Print page, which a printed or PDF copy of the site has."""
    found, items = checklist_items(checklist, places, None)
    root = site_url.rstrip("/") + "/" if site_url else None
    rows = []
    for view in items:
        if view.place is None:
            where = view.answer or view.reason or ""
        elif root is not None:
            url = urls.url(view.place.src)
            anchor = f"#{view.place.anchor}" if view.place.anchor else ""
            where = f"{view.place.text}, {root}{'' if url == './' else url}{anchor}"
        else:
            where = f"Print page: {view.place.text}"
        rows.append(ChecklistRow(view.item, view.status, where))
    return found, rows


# -- the audit trail -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A decision, or a dated memo on a category, on the Audit trail page."""

    date: str
    decision: Decision | None = None
    memo: Memo | None = None
    memo_category: Category | None = None
    categories: tuple[tuple[Category, str], ...] = ()  # each with its page's link

    @property
    def shown_date(self) -> str:
        return long_date(self.date)


@dataclass(frozen=True, slots=True)
class AuditMonth:
    name: str  # "March 2024"
    anchor: str
    entries: tuple[AuditEntry, ...]


def audit_entries(study: Study, links: PageLinks) -> list[AuditEntry]:
    """The decisions and the dated memos, newest first (a day's decisions
    before its memos, each in the order written)."""
    entries = [
        AuditEntry(
            d.date,
            decision=d,
            categories=tuple(
                (study.category(c), links.category(study.category(c))) for c in d.category_ids
            ),
        )
        for d in study.decisions
    ]
    for category in study.categories:
        for memo in category.memos:
            if memo.date:
                entries.append(
                    AuditEntry(
                        memo.date,
                        memo=memo,
                        memo_category=category,
                        categories=((category, links.category(category)),),
                    )
                )
    # Stable: decisions (already newest first) stay ahead of a day's memos.
    return sorted(entries, key=lambda e: e.date, reverse=True)


def audit_months(entries: Sequence[AuditEntry]) -> tuple[AuditMonth, ...]:
    months: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        months.setdefault(entry.date[:7], []).append(entry)
    return tuple(
        AuditMonth(month_name(f"{month}-01"), f"audit-{month}", tuple(items))
        for month, items in months.items()
    )


def has_audit_trail(study: Study) -> bool:
    return bool(study.decisions) or any(m.date for c in study.categories for m in c.memos)
