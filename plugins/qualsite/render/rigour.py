"""What the reporting checklist and the audit trail pages show.

The checklist names pages of the site by their files in ``docs_dir`` and
headings by their words; here each becomes a place a link can point at (its
page's title, the heading's anchor), and a name that does not exist becomes
an error at the checklist's line. The views are what the templates
``checklist.md.j2`` and ``audit-trail.md.j2`` lay out.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown

from ..checklists import ChecklistRow, ChecklistStatus, Standard, StandardItem, standard
from ..content import ContentFile
from ..errors import Problem, display_path
from ..i18n import _, long_date, month_year
from ..study.model import Checklist, ChecklistEntry, Decision, Memo, Study
from .text import split_front_matter
from .urls import MODEL_PAGE, TABLES_PAGE, PageLinks, SiteUrls, category_src

# -- the places the checklist names ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where the site reports an item: how the place reads (``parts``: the
    page, and the heading on it), and the page (and the anchor on it) a
    link leads to."""

    parts: tuple[str, ...]
    src: str
    anchor: str | None = None

    @property
    def text(self) -> str:
        """As the site shows it: the parts between breadcrumb arrows."""
        return f" {_SEPARATOR} ".join(self.parts)

    @property
    def plain_text(self) -> str:
        """As a document shows it, in characters every LaTeX font has:
        "Method - Design"."""
        return " - ".join(self.parts)


#: Between a page's title and a heading on it, as in breadcrumbs.
_SEPARATOR = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # as a reader sees it
    anchor: str
    level: int


def page_headings(markdown: str, *, attr_list: bool = False) -> list[Heading]:
    """The page's headings, each with the anchor MkDocs gives it, as
    Python-Markdown's table of contents finds them: ATX and setext headings,
    not those in code or HTML comments, a heading's ``{#id}`` when the site
    has ``attr_list``, and "_1", "_2" for a repeated anchor."""
    extensions = ["toc", "fenced_code", "tables", *(["attr_list"] if attr_list else [])]
    parser = Markdown(extensions=extensions)
    parser.convert(split_front_matter(markdown)[1])
    headings: list[Heading] = []
    # The toc extension (loaded above) adds toc_tokens to the parser it runs in.
    stack = list(reversed(parser.toc_tokens))  # type: ignore[attr-defined]
    while stack:
        token = stack.pop()
        text = " ".join(html.unescape(str(token["name"])).split())
        headings.append(Heading(text, str(token["id"]), int(token["level"])))
        stack.extend(reversed(token["children"]))
    return headings


def page_title(markdown: str, src: str, *, attr_list: bool = False) -> str:
    """The page's title as MkDocs gives it: its front matter's ``title``,
    else its first level-1 heading, else its file name."""
    meta, _body = split_front_matter(markdown)
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    for heading in page_headings(markdown, attr_list=attr_list):
        if heading.level == 1:
            return heading.text
    stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").capitalize() or src


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def locate_checklist(
    study: Study,
    content: Sequence[ContentFile],
    *,
    attr_list: bool = False,
    versions: Mapping[str, Path] | None = None,
) -> tuple[dict[int, Place], list[Problem]]:
    """Each reported item's place; a page or heading that does not exist is
    a problem at the item's line (``attr_list``: the site's Markdown gives a
    heading the ``{#id}`` written after it; ``versions``: the file a page is
    published from instead, its translation when the site is built once per
    language)."""
    places: dict[int, Place] = {}
    problems: list[Problem] = []
    if study.checklist is None:
        return places, problems
    files = {f.src_uri: f for f in content}
    for entry in study.checklist.entries:
        if entry.page is not None:
            place = _page_place(entry, files, problems, attr_list=attr_list)
            translation = (versions or {}).get(posixpath.normpath(entry.page))
            if place is not None and translation is not None:
                place = _translated_place(entry, place, translation, problems, attr_list=attr_list)
        else:
            place = _study_place(study, entry)
        if place is not None:
            places[entry.number] = place
    return places, problems


def _page_place(
    entry: ChecklistEntry,
    files: Mapping[str, ContentFile],
    problems: list[Problem],
    *,
    attr_list: bool,
) -> Place | None:
    assert entry.page is not None
    page = files.get(posixpath.normpath(entry.page))
    if page is not None and not page.is_page:
        problems.append(
            Problem(
                entry.origin.at("page"),
                f"checklist item {entry.number}: '{entry.page}' is not a page of the site but "
                "a file it publishes as it is; name the Markdown page that reports the item",
            )
        )
        return None
    if page is None:
        listed = ", ".join(sorted(f for f in files if files[f].is_page)[:8]) or "none"
        problems.append(
            Problem(
                entry.origin.at("page"),
                f"checklist item {entry.number}: there is no page '{entry.page}' in the site "
                f"(write its file's path inside the docs folder; its pages: {listed})",
            )
        )
        return None
    read = _read_page(entry, page.path, problems, attr_list=attr_list)
    if read is None:
        return None
    title, headings = read
    if entry.heading is None:
        return Place((title,), entry.page)
    found = _heading_with_words(headings, entry.heading)
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
    return Place((title, found.text), entry.page, found.anchor)


def _read_page(
    entry: ChecklistEntry, path: Path, problems: list[Problem], *, attr_list: bool
) -> tuple[str, list[Heading]] | None:
    """The page at ``path`` read for the item: its title, and its headings
    if the item names one (else none); None if it cannot be read."""
    assert entry.page is not None
    try:
        markdown = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(
            Problem(entry.origin.at("page"), f"cannot read {display_path(path)}: {error}")
        )
        return None
    title = page_title(markdown, entry.page, attr_list=attr_list)
    if entry.heading is None:
        return title, []
    return title, page_headings(markdown, attr_list=attr_list)


def _heading_with_words(headings: Sequence[Heading], words: str) -> Heading | None:
    return next((h for h in headings if _same_words(h.text, words)), None)


def _translated_place(
    entry: ChecklistEntry,
    original: Place,
    translation: Path,
    problems: list[Problem],
    *,
    attr_list: bool,
) -> Place | None:
    """The item's place on the page's translation, which this build
    publishes at the page's address: the heading with the checklist's words,
    or the translated heading given the original's id (``{#id}``)."""
    assert entry.page is not None
    read = _read_page(entry, translation, problems, attr_list=attr_list)
    if read is None:
        return None
    title, headings = read
    if entry.heading is None:
        return Place((title,), entry.page)
    found = _heading_with_words(headings, entry.heading) or next(
        (h for h in headings if h.anchor == original.anchor), None
    )
    if found is None:
        known = "; ".join(f"'{h.text}' (#{h.anchor})" for h in headings[:8]) or "it has none"
        problems.append(
            Problem(
                entry.origin.at("heading"),
                f"checklist item {entry.number}: {display_path(translation)}, the translation "
                f"of {entry.page}, has no heading '{entry.heading}' and none with its id "
                f"'#{original.anchor}' (its headings: {known}); give the translated heading "
                f"that id, as in '## Translated words {{#{original.anchor}}}' (with attr_list "
                "in markdown_extensions)",
            )
        )
        return None
    return Place((title, found.text), entry.page, found.anchor)


def _study_place(study: Study, entry: ChecklistEntry) -> Place | None:
    if entry.category_id is not None:
        category = study.categories_by_id.get(entry.category_id)
        if category is None:
            return None
        # Translators: where a checklist item is reported: a category's page.
        return Place((_("Category: %(name)s") % {"name": category.name},), category_src(category))
    if entry.table is not None:
        table = next((t for t in study.tables if t.number == entry.table), None)
        if table is None:
            return None
        named = {"number": table.number, "title": table.title}
        return Place((_("Table %(number)d. %(title)s") % named,), TABLES_PAGE, table.anchor)
    if entry.figure is not None and study.model is not None:
        named = {"number": study.model.number, "title": study.model.title}
        return Place((_("Figure %(number)d. %(title)s") % named,), MODEL_PAGE)
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
            where = f"{view.place.plain_text}, {root}{'' if url == './' else url}{anchor}"
        else:
            # Translators: in the Word and LaTeX checklists, where an item is
            # reported when the site has no address: a section of the Print page.
            where = _("Print page: %(section)s") % {"section": view.place.plain_text}
        rows.append(ChecklistRow(view.item, view.status, where))
    return found, rows


# -- the audit trail -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A decision, or a dated memo on a category, on the Audit trail page."""

    date: str
    decision: Decision | None = None
    memo: Memo | None = None
    #: Each category's name and its page's link (None: a retired category,
    #: which has no page).
    categories: tuple[tuple[str, str | None], ...] = ()

    @property
    def shown_date(self) -> str:
        return long_date(self.date)


@dataclass(frozen=True, slots=True)
class AuditMonth:
    name: str  # "March 2024"
    entries: tuple[AuditEntry, ...]


def audit_entries(study: Study, links: PageLinks) -> list[AuditEntry]:
    """The decisions and the dated memos, newest first (a day's decisions
    before its memos, each in the order written)."""
    retired = {r.id: r.name or r.id for r in study.retired}

    def named(category_id: str) -> tuple[str, str | None]:
        category = study.categories_by_id.get(category_id)
        if category is None:
            return retired.get(category_id, category_id), None
        return category.name, links.category(category)

    entries = [
        AuditEntry(d.date, decision=d, categories=tuple(named(c) for c in d.category_ids))
        for d in study.decisions
    ]
    for category in study.categories:
        for memo in category.memos:
            if memo.date:
                entries.append(
                    AuditEntry(
                        memo.date,
                        memo=memo,
                        categories=((category.name, links.category(category)),),
                    )
                )
    # Stable: decisions (already newest first) stay ahead of a day's memos.
    return sorted(entries, key=lambda e: e.date, reverse=True)


def audit_months(entries: Sequence[AuditEntry]) -> tuple[AuditMonth, ...]:
    months: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        months.setdefault(entry.date[:7], []).append(entry)
    return tuple(
        AuditMonth(_heading(month_year(f"{month}-01")), tuple(items))
        for month, items in months.items()
    )


def _heading(words: str) -> str:
    # A month is written in lower case in running text in Dutch, French or
    # Spanish ("juli 2021"); a heading starts with a capital in each.
    return words[:1].upper() + words[1:]


def has_audit_trail(study: Study) -> bool:
    return bool(study.decisions) or any(m.date for c in study.categories for m in c.memos)
