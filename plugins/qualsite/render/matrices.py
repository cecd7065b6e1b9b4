"""The data behind the findings, counted: which participants speak to which
category, and which categories are coded together.

Both matrices are computed here from the published study, so withdrawn
participants and unpublished excerpts are never counted or named, and from
nothing else: pages, CSV downloads and the Print page all read these
objects (:mod:`qualsite.render.matrix_pages` lays them out).

**What a count covers.** An excerpt counts for the categories it is coded
to *itself*, not for their parents: each row of the participant matrix is
the category's own excerpts, and a parent has a row of its own for the
excerpts coded to it directly. Counting a parent's whole subtree instead
would count most excerpts once per level of the tree (a parent would
"co-occur" with each of its children), and a cell's link would have to
gather its subtree's excerpts into one more copy per level: on a study of
50,000 excerpts in three levels, three more copies of every excerpt.

**Size.** Both are made in one pass over the excerpts (the co-occurrences
of an excerpt coded to *k* categories are its *k(k-1)/2* pairs), so a
study twice as big takes twice as long.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..i18n import _
from ..study.model import Category, Excerpt, Participant, Study
from .tables import spreadsheet_safe

#: A co-occurrence grid with more categories than this has more cells than a
#: reader can take in (and a page can hold): the page lists pairs instead.
GRID_UP_TO = 30
#: In a list of pairs, the page shows this many (those that share the most
#: excerpts); the CSV download always holds every pair.
PAIRS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One category's row of the participant matrix."""

    category: Category
    depth: int  # 0 for a top-level category: how far to indent it
    #: Excerpts coded to the category itself, by participant, in the
    #: columns' order (an empty tuple where the participant has none).
    cells: tuple[tuple[Excerpt, ...], ...]
    has_children: bool

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(len(cell) for cell in self.cells)

    @property
    def coded_directly(self) -> bool:
        return any(self.cells)

    @property
    def only_through_children(self) -> bool:
        """A parent coded only through its sub-categories: its row says so
        rather than showing a row of zeros that looks like "nobody"."""
        return self.has_children and not self.coded_directly


@dataclass(frozen=True, slots=True)
class ParticipantMatrix:
    participants: tuple[Participant, ...]  # the columns: the published participants
    rows: tuple[MatrixRow, ...]  # every category, in tree order


def participant_matrix(study: Study) -> ParticipantMatrix:
    """Counts of the published study's excerpts by category and participant."""
    column = {p.id: index for index, p in enumerate(study.participants)}
    cells: dict[str, list[list[Excerpt]]] = {}
    for excerpt in study.excerpts:  # study order: each cell's excerpts in study order
        place = column[excerpt.participant_id]
        for category_id in dict.fromkeys(excerpt.category_ids):
            row = cells.get(category_id)
            if row is None:
                row = cells[category_id] = [[] for _ in study.participants]
            row[place].append(excerpt)
    empty = tuple(() for _ in study.participants)
    depths = _depths(study)
    rows = tuple(
        MatrixRow(
            category,
            depths[category.id],
            tuple(tuple(cell) for cell in cells[category.id]) if category.id in cells else empty,
            bool(study.children(category)),
        )
        for category in study.categories
    )
    return ParticipantMatrix(study.participants, rows)


def _depths(study: Study) -> Mapping[str, int]:
    depths: dict[str, int] = {}
    for category in study.categories:  # tree order: a parent comes before its children
        depths[category.id] = depths[category.parent_id] + 1 if category.parent_id else 0
    return depths


@dataclass(frozen=True, slots=True)
class Pair:
    """Two categories and the published excerpts coded to both; ``first``
    comes before ``second`` in tree order."""

    first: Category
    second: Category
    excerpts: tuple[Excerpt, ...]

    @property
    def count(self) -> int:
        return len(self.excerpts)


@dataclass(frozen=True, eq=False)  # no slots: it caches what it works out
class CoOccurrence:
    """Every pair of categories that share at least one published excerpt."""

    categories: tuple[Category, ...]  # every category in a pair, in tree order
    pairs: tuple[Pair, ...]  # in tree order of the first, then of the second

    @cached_property
    def _by_ids(self) -> Mapping[tuple[str, str], Pair]:
        return {(p.first.id, p.second.id): p for p in self.pairs}

    def pair(self, one: Category, other: Category) -> Pair | None:
        """The pair of two categories, in either order (None: nothing shared)."""
        return self._by_ids.get((one.id, other.id)) or self._by_ids.get((other.id, one.id))

    @property
    def as_grid(self) -> bool:
        """Whether the page shows a grid (few categories) or a list of pairs."""
        return len(self.categories) <= GRID_UP_TO

    @cached_property
    def shown(self) -> tuple[Pair, ...]:
        """The pairs the page shows: all of them in a grid; in a list, the
        :data:`PAIRS_SHOWN` that share the most excerpts (ties in tree order)."""
        if self.as_grid:
            return self.pairs
        ranked = sorted(enumerate(self.pairs), key=lambda item: (-item[1].count, item[0]))
        return tuple(pair for _, pair in ranked[:PAIRS_SHOWN])


def co_occurrence(study: Study) -> CoOccurrence:
    """The published excerpts each pair of categories shares."""
    position = {c.id: index for index, c in enumerate(study.categories)}
    shared: dict[tuple[int, int], list[Excerpt]] = {}
    for excerpt in study.excerpts:
        coded = sorted({position[c] for c in excerpt.category_ids})
        for index, first in enumerate(coded):
            for second in coded[index + 1 :]:
                shared.setdefault((first, second), []).append(excerpt)
    categories = study.categories
    pairs = tuple(
        Pair(categories[first], categories[second], tuple(excerpts))
        for (first, second), excerpts in sorted(shared.items())
    )
    involved = sorted({i for key in shared for i in key})
    return CoOccurrence(tuple(categories[i] for i in involved), pairs)


# -- downloads ----------------------------------------------------------------------


def _labelled(heading: str, count_label: str) -> str:
    # As the tables' and the codebook's downloads do: a CSV has no note
    # beside it, so a count column's heading carries the label itself.
    return f"{heading} ({count_label})" if count_label else heading


def participant_matrix_csv(matrix: ParticipantMatrix, count_label: str = "") -> bytes:
    """One line per category (tree order), one column per participant; a
    cell is the number of the participant's published excerpts coded to the
    category itself."""
    # Translators: the CSV downloads' column headings, "Category id" and
    # "Parent id" being the codebook's ids of a category and of its parent.
    headings = [_("Category id"), _("Category"), _("Parent id"), _("Level")]
    headings += [_labelled(p.label, count_label) for p in matrix.participants]
    lines: list[Sequence[object]] = [headings]
    for row in matrix.rows:
        category = row.category
        lines.append(
            [
                category.id,
                category.name,
                category.parent_id or "",
                category.level or "",
                *row.counts,
            ]
        )
    return _csv(lines)


def co_occurrence_csv(matrix: CoOccurrence, count_label: str = "") -> bytes:
    """Every pair of categories that share a published excerpt, once each
    (the first before the second in tree order), with how many they share:
    a long table, which a spreadsheet or R pivots into a grid."""
    lines: list[Sequence[object]] = [
        [
            _("Category id"),
            _("Category"),
            # Translators: a CSV column: the id of the category coded together
            # with the row's category (the next column holds its name).
            _("Coded together with (id)"),
            _("Coded together with"),
            # Translators: a CSV column: how many excerpts both categories are coded to.
            _labelled(_("Shared excerpts"), count_label),
        ]
    ]
    for pair in matrix.pairs:
        lines.append([pair.first.id, pair.first.name, pair.second.id, pair.second.name, pair.count])
    return _csv(lines)


def _csv(lines: Iterable[Sequence[object]]) -> bytes:
    # UTF-8 with a byte-order mark (Excel then reads it as UTF-8), as every
    # CSV of the site is; a cell that would start a formula is made text.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in lines:
        writer.writerow(
            [str(cell) if isinstance(cell, int) else spreadsheet_safe(str(cell)) for cell in line]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = [
    "GRID_UP_TO",
    "PAIRS_SHOWN",
    "CoOccurrence",
    "MatrixRow",
    "Pair",
    "ParticipantMatrix",
    "co_occurrence",
    "co_occurrence_csv",
    "participant_matrix",
    "participant_matrix_csv",
]
