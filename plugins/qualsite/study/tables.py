"""Numbered tables: which categories are their rows, checked against the tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import Problems, did_you_mean
from ..fields import RecordValue
from .model import Category, Column, ColumnKind, Table

DEFAULT_COLUMNS = (
    Column(ColumnKind.PARENT),
    Column(ColumnKind.CATEGORY),
    Column(ColumnKind.EXCERPT),
    Column(ColumnKind.PARTICIPANTS),
)


@dataclass
class CategoryIndex:
    """The category tree as far as it could be read, for checking references.

    ``seen`` also holds ids of categories dropped for another mistake, and
    ``unreadable`` is set when the categories file could not be read at all;
    neither should produce a second, misleading "unknown category" error.
    """

    categories: Sequence[Category]
    seen: set[str] = field(default_factory=set)
    unreadable: bool = False

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.categories}
        self.children: dict[str, list[Category]] = {}
        for category in self.categories:
            if category.parent_id:
                self.children.setdefault(category.parent_id, []).append(category)

    def known(self, category_id: str) -> bool:
        return category_id in self.by_id or category_id in self.seen or self.unreadable

    def unknown_message(self, category_id: str) -> str:
        return f"unknown category '{category_id}'{did_you_mean(category_id, self.by_id)}"

    def leaves_below(self, category_id: str) -> list[str]:
        """The lowest-level categories under ``category_id``, in tree order."""
        leaves: list[str] = []
        stack = [category_id]
        while stack:
            current = stack.pop()
            children = self.children.get(current, [])
            if not children and current != category_id:
                leaves.append(current)
            stack.extend(reversed([c.id for c in children]))
        return leaves or [category_id]


def build_tables(
    records: Sequence[RecordValue], tree: CategoryIndex, problems: Problems
) -> list[Table]:
    """Tables in number order; each duplicate number or unknown category is a problem."""
    tables: list[Table] = []
    first_by_number: dict[int, RecordValue] = {}
    for record in records:
        number = record.get("number")
        if number is not None:
            if number in first_by_number:
                problems.error(
                    record.origin.at("number"),
                    f"duplicate table number {number}; Table {number} is already defined at "
                    f"{first_by_number[number].origin.location}",
                )
                _build_table(record, tree, problems)  # for its other mistakes
                continue
            first_by_number[number] = record
        table = _build_table(record, tree, problems)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.number)


def _build_table(record: RecordValue, tree: CategoryIndex, problems: Problems) -> Table | None:
    subtree: str | None = record.get("subtree")
    listed: list[str] | None = record.get("categories")
    if (subtree is None) == (listed is None) and record.complete:
        problems.error(
            record.origin.location,
            "a table needs either 'subtree' (a category whose lowest-level categories are "
            "the rows) or 'categories' (the rows), not both or neither",
        )
        return None
    rows: list[str] = []
    if subtree is not None:
        if not tree.known(subtree):
            problems.error(record.origin.at("subtree"), tree.unknown_message(subtree))
        elif subtree in tree.by_id:
            rows = tree.leaves_below(subtree)
    for index, category_id in enumerate(listed or []):
        if not tree.known(category_id):
            problems.error(record.origin.at("categories", index), tree.unknown_message(category_id))
        elif category_id in rows:
            problems.error(
                record.origin.at("categories", index),
                f"category '{category_id}' is listed twice in this table",
            )
        else:
            rows.append(category_id)
    if not record.complete:
        return None
    return Table(
        number=record.get("number"),
        title=record.get("title"),
        rows=tuple(r for r in rows if r in tree.by_id),
        columns=_columns(record),
        origin=record.origin,
        caption=record.get("caption"),
    )


def _columns(record: RecordValue) -> tuple[Column, ...]:
    if "columns" not in record.values:
        return DEFAULT_COLUMNS
    columns: list[Column] = []
    for item in record.get("columns"):
        if isinstance(item, str):
            columns.append(Column(ColumnKind(item)))
        elif item.complete:
            columns.append(Column(ColumnKind(item.get("kind")), item.get("heading")))
    return tuple(columns)
