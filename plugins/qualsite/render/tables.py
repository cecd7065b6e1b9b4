"""Numbered tables as a reader sees them (HTML views) and downloads them (CSV).

Rows that share a parent form one ``<tbody>`` whose parent cell spans them,
as in a published report; the CSV repeats the parent on every row, so that
each line of the file stands alone in a spreadsheet.

Each row, and each group of rows under a parent, has an id of its own, so
that a category's page can link to the rows that cite it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from ..i18n import N_, _
from ..study.model import Category, Column, ColumnKind, Excerpt, ExcerptKind, Study, Table
from .paging import ExcerptPaging
from .urls import TABLES_PAGE, PageLinks

TABLES_DIR = "tables"

# Messages, translated where a table is drawn (a study's tables.yml may
# give a column its own heading, which is not).
_DEFAULT_HEADINGS = {
    ColumnKind.DEFINITION: N_("Definition"),
    ColumnKind.EXCERPT: N_("Illustrative excerpt"),
    ColumnKind.PARTICIPANTS: N_("Participants"),
    ColumnKind.EXCERPTS: N_("Excerpts"),
}
#: An excerpt's short label beside it in a table cell ("P3, paraphrase"):
#: messages, see :func:`short_kind_label`.
SHORT_KIND_LABELS = {
    ExcerptKind.VERBATIM: "",
    # Translators: short label of an excerpt that is a paraphrase, after the
    # participant's label in a table cell ("P3, paraphrase").
    ExcerptKind.PARAPHRASE: N_("paraphrase"),
    # Translators: short label of an excerpt that combines several accounts,
    # after the participant's label in a table cell ("P3, composite").
    ExcerptKind.COMPOSITE: N_("composite"),
}


def short_kind_label(kind: ExcerptKind) -> str:
    """An excerpt's short label in the site's language ("" for a
    participant's own words, which have none)."""
    label = SHORT_KIND_LABELS[kind]
    return _(label) if label else ""


def csv_path(table: Table) -> str:
    return f"{TABLES_DIR}/table-{table.number}.csv"


def row_anchor(table: Table, category: Category) -> str:
    """The id of the row of ``category`` in ``table`` (a table lists a
    category once). It starts with the table's own id, so the check for ids
    that a page holds twice covers it too."""
    return f"{table.anchor}-row-{category.id}"


def group_anchor(table: Table, parent: Category) -> str:
    """The id of the rows grouped under ``parent``: "-group-", not "-row-",
    since a table may list a category both as a row and as a parent."""
    return f"{table.anchor}-group-{parent.id}"


def illustrative_excerpts(study: Study, category: Category) -> tuple[Excerpt, ...]:
    """The excerpts a table shows for a category.

    Those marked ``illustrates`` for it, when any is published; otherwise the
    first excerpt coded to the category itself, or else the first below it
    (study order), so that the choice never changes between builds.
    """
    chosen = tuple(e for e in study.excerpts_coded_to(category) if category.id in e.illustrates)
    if chosen:
        return chosen
    fallback = study.excerpts_coded_to(category) or study.subtree_excerpts(category)
    return fallback[:1]


@dataclass(frozen=True, slots=True)
class ExcerptCell:
    excerpt: Excerpt
    participant_label: str
    url: str
    kind_label: str


@dataclass(frozen=True, slots=True)
class Cell:
    kind: ColumnKind
    text: str
    url: str | None = None
    excerpts: tuple[ExcerptCell, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """One row: a category, and its cells in column order."""

    category: Category
    anchor: str
    cells: tuple[Cell, ...]

    def __iter__(self) -> Iterator[Cell]:
        # A study's own macros.html.j2, written when a row was its cells,
        # still loops over them.
        return iter(self.cells)


@dataclass(frozen=True, slots=True)
class RowGroup:
    """Consecutive rows with the same parent: one ``<tbody>``."""

    parent: Category | None
    parent_url: str | None
    rows: tuple[Row, ...]
    anchor: str | None = None  # the group's id, when it has a parent


@dataclass(frozen=True, slots=True)
class RowCitation:
    """A place in a table that names a category: its own row, or (for a
    parent category) the group of rows under it; ``url`` leads there on the
    Tables page."""

    table: Table
    anchor: str
    whole_group: bool
    url: str


@dataclass(frozen=True, slots=True)
class TableView:
    table: Table
    headings: tuple[str, ...]
    kinds: tuple[ColumnKind, ...]
    groups: tuple[RowGroup, ...]
    csv_url: str
    kind_notes: tuple[tuple[str, str], ...]  # (short label, full label) used in the table
    #: The label of the counts the table shows (added_labels.counts), if any.
    count_label: str = ""

    def counts_column(self, index: int) -> bool:
        return self.kinds[index] in COUNT_COLUMNS

    @property
    def has_count_columns(self) -> bool:
        return any(kind in COUNT_COLUMNS for kind in self.kinds)

    @property
    def has_parent_column(self) -> bool:
        return ColumnKind.PARENT in self.kinds


#: Columns that count: labelled as the site's own when the study says so.
COUNT_COLUMNS = frozenset({ColumnKind.PARTICIPANTS, ColumnKind.EXCERPTS})


class TableRenderer:
    def __init__(
        self,
        study: Study,
        kind_labels: dict[ExcerptKind, str],
        paging: ExcerptPaging,
        count_label: str = "",
    ) -> None:
        self.study = study
        self.kind_labels = kind_labels
        self.paging = paging
        self.total_participants = len(study.participants)
        self.count_label = count_label

    def headings(self, table: Table) -> tuple[str, ...]:
        rows = [self.study.category(r) for r in table.rows]
        return tuple(self._heading(column, rows) for column in table.columns)

    def labelled_headings(self, table: Table) -> tuple[str, ...]:
        """The headings, a count column's with the count label in brackets
        (for the downloads, where a note beside the table would be lost)."""
        return tuple(
            f"{heading} ({self.count_label})"
            if self.count_label and column.kind in COUNT_COLUMNS
            else heading
            for heading, column in zip(self.headings(table), table.columns, strict=True)
        )

    def _heading(self, column: Column, rows: Sequence[Category]) -> str:
        if column.heading:
            return column.heading
        if column.kind is ColumnKind.CATEGORY:
            # Translators: a table's column of categories (when its rows do not
            # share a level, such as "Theme", that would name it instead).
            return _common_level([r.level for r in rows], _("Category"))
        if column.kind is ColumnKind.PARENT:
            parents = [self.study.parent(r) for r in rows]
            # Translators: a table's column of the categories its rows are grouped
            # under (when those do not share a level, such as "Theme").
            return _common_level([p.level if p else None for p in parents], _("Group"))
        return _(_DEFAULT_HEADINGS[column.kind])

    def cells(self, table: Table, category: Category, links: PageLinks) -> tuple[Cell, ...]:
        return tuple(self._cell(column.kind, category, links) for column in table.columns)

    def _cell(self, kind: ColumnKind, category: Category, links: PageLinks) -> Cell:
        if kind is ColumnKind.CATEGORY:
            return Cell(kind, category.name, links.category(category))
        if kind is ColumnKind.PARENT:
            parent = self.study.parent(category)
            if parent is None:
                return Cell(kind, "")
            return Cell(kind, parent.name, links.category(parent))
        if kind is ColumnKind.DEFINITION:
            return Cell(kind, " ".join((category.definition or "").split()))
        excerpts = self.study.subtree_excerpts(category)
        if kind is ColumnKind.PARTICIPANTS:
            people = len(Study.participant_ids(excerpts))
            # Translators: a table cell, how many of the study's participants
            # a category's excerpts come from ("3 of 12").
            of_all = _("%(some)d of %(all)d") % {"some": people, "all": self.total_participants}
            return Cell(kind, of_all)
        if kind is ColumnKind.EXCERPTS:
            return Cell(kind, str(len(excerpts)))
        chosen = illustrative_excerpts(self.study, category)
        cells = tuple(
            ExcerptCell(
                excerpt=e,
                participant_label=self.study.participant(e.participant_id).label,
                url=self.paging.link(links, self._page_of(e, category), e),
                kind_label=short_kind_label(e.kind),
            )
            for e in chosen
        )
        return Cell(kind, "\n\n".join(_excerpt_text(c) for c in cells), excerpts=cells)

    def _page_of(self, excerpt: Excerpt, row: Category) -> Category:
        """The category page that shows the excerpt: the row's own page when
        the excerpt is coded to it, or else the first of its categories."""
        if row.id in excerpt.category_ids:
            return row
        return self.study.category(excerpt.category_ids[0])

    def view(self, table: Table, links: PageLinks) -> TableView:
        rows = [self.study.category(r) for r in table.rows]
        groups = []
        anchored: set[str] = set()  # parents whose group has its id already
        for parent_id, members in groupby(rows, key=lambda c: c.parent_id):
            parent = self.study.category(parent_id) if parent_id else None
            # Rows of one parent listed apart form two groups; the first
            # holds the id (ids are unique on a page).
            first_of_parent = parent is not None and parent.id not in anchored
            if parent is not None:
                anchored.add(parent.id)
            groups.append(
                RowGroup(
                    parent,
                    links.category(parent) if parent else None,
                    tuple(
                        Row(row, row_anchor(table, row), self.cells(table, row, links))
                        for row in members
                    ),
                    group_anchor(table, parent) if parent and first_of_parent else None,
                )
            )
        used_kinds = sorted(
            {
                excerpt.excerpt.kind
                for group in groups
                for row in group.rows
                for cell in row.cells
                for excerpt in cell.excerpts
                if excerpt.excerpt.kind is not ExcerptKind.VERBATIM
            },
            key=lambda k: k.value,
        )
        return TableView(
            table=table,
            headings=self.headings(table),
            count_label=self.count_label,
            kinds=tuple(c.kind for c in table.columns),
            groups=tuple(groups),
            csv_url=links.page(csv_path(table)),
            kind_notes=tuple((short_kind_label(k), self.kind_labels[k]) for k in used_kinds),
        )

    def csv(self, table: Table, links: PageLinks) -> bytes:
        """The table as CSV: UTF-8 with a byte-order mark (so that Excel reads
        it as UTF-8), a header row, then one line per table row."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([spreadsheet_safe(h) for h in self.labelled_headings(table)])
        for row in table.rows:
            cells = self.cells(table, self.study.category(row), links)
            writer.writerow([spreadsheet_safe(c.text) for c in cells])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rows_citing(study: Study, category: Category, links: PageLinks) -> tuple[RowCitation, ...]:
    """Where the tables name ``category``: its own row in each table that
    lists it, and, in a table with a parent column, the group of rows under
    it (a dimension's page leads to its categories' rows). In table order."""
    found: list[RowCitation] = []
    for table in study.tables:
        places = []
        if category.id in table.rows:
            places.append((row_anchor(table, category), False))
        heads_a_group = any(study.category(row).parent_id == category.id for row in table.rows)
        if heads_a_group and any(c.kind is ColumnKind.PARENT for c in table.columns):
            places.append((group_anchor(table, category), True))
        found.extend(
            RowCitation(table, anchor, whole_group, links.page(TABLES_PAGE, anchor))
            for anchor, whole_group in places
        )
    return tuple(found)


def _excerpt_text(cell: ExcerptCell) -> str:
    kind = f", {cell.kind_label}" if cell.kind_label else ""
    return f"{' '.join(cell.excerpt.text.split())} ({cell.participant_label}{kind})"


def _common_level(levels: Sequence[str | None], fallback: str) -> str:
    distinct = {level for level in levels if level}
    if len(distinct) == 1:
        level = distinct.pop()
        return level[:1].upper() + level[1:]
    return fallback


# A cell that starts with one of these is run as a formula by spreadsheet
# programs (CSV injection); a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
