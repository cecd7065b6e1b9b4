"""The records that show a study's rigour, checked against the tree: the
analytic decisions (``decisions.yml``), the reporting checklist
(``checklist.yml``) and the categories of earlier versions (``retired:``).

Pages named by the checklist are checked where the site's pages are known
(:func:`qualsite.site.prepare_site`); everything else is checked here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..checklists import STANDARD_KEYS, standard
from ..errors import Problems
from ..fields import RecordValue
from .model import Category, Checklist, ChecklistEntry, Decision, Model, RetiredCategory, Table
from .tables import CategoryIndex

#: The fields of a checklist item that say where it is reported; exactly one
#: of them is written ("heading" goes with "page").
PLACES = ("page", "category", "table", "figure", "answer", "not_applicable")
#: The longest value a message repeats as written.
SHORT = 40


def check_retired(
    retired: Sequence[RetiredCategory],
    categories: Sequence[Category],
    tree: CategoryIndex,
    problems: Problems,
) -> None:
    """A retired id is no category of this version, and names where it went."""
    current = {c.id: c for c in categories}
    first: dict[str, RetiredCategory] = {}
    for entry in retired:
        if entry.id in first:
            problems.error(
                entry.origin.at("id"),
                f"category '{entry.id}' is retired twice; the first is at "
                f"{first[entry.id].origin.location}",
            )
            continue
        first[entry.id] = entry
        if entry.id in current:
            problems.error(
                entry.origin.at("id"),
                f"category '{entry.id}' is retired but is still a category "
                f"({current[entry.id].origin.location}); remove it from one list",
            )
        if entry.merged_into and entry.split_into:
            problems.error(
                entry.origin.location,
                f"retired category '{entry.id}' has both 'merged_into' and 'split_into'; "
                "it was either merged into one category or split into several",
            )
        targets: list[tuple[str, int | None, str]] = []
        if entry.merged_into:
            targets.append(("merged_into", None, entry.merged_into))
        targets += [("split_into", i, c) for i, c in enumerate(entry.split_into)]
        for name, index, target in targets:
            if not tree.known(target):
                where = entry.origin.at(name, index) if index is not None else entry.origin.at(name)
                problems.error(where, tree.unknown_message(target))
    for category in categories:
        for index, old in enumerate(category.renamed_from):
            if old in current and old != category.id:
                problems.error(
                    category.origin.at("renamed_from", index),
                    f"renamed_from: '{old}' is still a category of this version "
                    f"({current[old].origin.location}); a category renamed no longer has "
                    "its old id",
                )


def build_decisions(
    records: Sequence[RecordValue],
    tree: CategoryIndex,
    problems: Problems,
    retired: Sequence[RetiredCategory] = (),
) -> list[Decision]:
    """The decisions, newest first (the same day's in the order written),
    each with its anchor on the Audit trail page. A decision may name a
    retired category (the merge it records), shown without a link."""
    decisions: list[Decision] = []
    per_day: dict[str, int] = {}
    gone = {r.id for r in retired}
    for record in records:
        for index, category_id in enumerate(record.get("categories", ())):
            if not tree.known(category_id) and category_id not in gone:
                problems.error(
                    record.origin.at("categories", index), tree.unknown_message(category_id)
                )
        if not record.complete:
            continue
        day = record.get("date")
        per_day[day] = per_day.get(day, 0) + 1
        count = per_day[day]
        decisions.append(
            Decision(
                date=day,
                decided=record.get("decided"),
                origin=record.origin,
                anchor=f"decision-{day}" + (f"-{count}" if count > 1 else ""),
                why=record.get("why"),
                by=record.get("by"),
                stage=record.get("stage"),
                category_ids=tuple(
                    c for c in record.get("categories", ()) if c in tree.by_id or c in gone
                ),
            )
        )
    # Stable: a day's decisions keep the order they were written in.
    return sorted(decisions, key=lambda d: d.date, reverse=True)


def build_checklist(
    record: RecordValue,
    tree: CategoryIndex,
    tables: Sequence[Table],
    model: Model | None,
    problems: Problems,
) -> Checklist | None:
    """The checklist, its items in the standard's order; None when the
    standard is unknown (each item is still checked for what it names)."""
    written = record.get("standard")
    found = standard(written) if written is not None else None
    if written is not None and found is None:
        # A long value is not repeated: messages stay readable whatever was written.
        named = f" '{written}'" if len(written) <= SHORT else ""
        problems.error(
            record.origin.at("standard"),
            f"unknown reporting standard{named}; qualsite knows "
            f"{' and '.join(STANDARD_KEYS)}: write one of them",
        )
    table_numbers = {t.number for t in tables}
    entries: dict[int, ChecklistEntry] = {}
    for item in record.get("items", ()):
        entry = _entry(item, tree, table_numbers, model, problems)
        if entry is None:
            continue
        if found is not None and found.item(entry.number) is None:
            problems.error(
                item.origin.at("item"),
                f"{found.key} has no item {entry.number}: its items are numbered 1 to "
                f"{len(found.items)}",
            )
            continue
        if entry.number in entries:
            problems.error(
                item.origin.at("item"),
                f"item {entry.number} is listed twice; the first is at "
                f"{entries[entry.number].origin.location}",
            )
            continue
        entries[entry.number] = entry
    if found is None or not record.complete:
        return None
    return Checklist(
        standard=found.key,
        entries=tuple(entries[n] for n in sorted(entries)),
        origin=record.origin,
    )


def _entry(
    item: RecordValue,
    tree: CategoryIndex,
    table_numbers: set[int],
    model: Model | None,
    problems: Problems,
) -> ChecklistEntry | None:
    places = [name for name in PLACES if name in item.values]
    number = item.get("item")
    if len(places) != 1:
        what = "none" if not places else " and ".join(f"'{p}'" for p in places)
        problems.error(
            item.origin.location,
            f"checklist item {number if number is not None else ''} says where it is "
            f"reported with {what}; write exactly one of "
            + ", ".join(f"'{p}'" for p in PLACES)
            + " (an item not yet reported is left out of the list)",
        )
        return None
    if "heading" in item.values and "page" not in item.values:
        problems.error(
            item.origin.at("heading"),
            "'heading' names a heading on a page: write the page too ('page: method.md')",
        )
        return None
    category_id = item.get("category")
    if category_id is not None and not tree.known(category_id):
        problems.error(item.origin.at("category"), tree.unknown_message(category_id))
        return None
    table = item.get("table")
    if table is not None and table not in table_numbers:
        known = ", ".join(str(n) for n in sorted(table_numbers)) or "none"
        problems.error(
            item.origin.at("table"),
            f"there is no Table {table} in tables.yml (its tables: {known})",
        )
        return None
    figure = item.get("figure")
    if figure is not None and (model is None or model.number != figure):
        has = f"Figure {model.number}" if model is not None else "no figure (no model.yml)"
        problems.error(
            item.origin.at("figure"), f"there is no Figure {figure}: the study has {has}"
        )
        return None
    if not item.complete:
        return None
    page = item.get("page")
    return ChecklistEntry(
        number=number,
        origin=item.origin,
        page=page.strip().lstrip("/").replace("\\", "/") if page is not None else None,
        heading=item.get("heading"),
        category_id=category_id,
        table=table,
        figure=figure,
        answer=item.get("answer"),
        not_applicable=item.get("not_applicable"),
    )
