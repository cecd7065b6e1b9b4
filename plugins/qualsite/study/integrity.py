"""Checks across records: unique ids, references that resolve, a tree without cycles.

These run on everything that loaded, even when some records were dropped for
other mistakes, so one run reports as much as it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from ..errors import Problems, did_you_mean
from ..fields import Origin
from .diagram import build_model
from .model import Category, Excerpt, Participant, RetiredCategory, Study
from .raw import RawStudy
from .rigour import build_checklist, build_decisions, check_retired
from .tables import CategoryIndex, build_tables

#: Category ids that would collide with a generated page.
RESERVED_CATEGORY_IDS = frozenset({"index"})
#: Participant ids, lower-cased as in their page names, that would collide.
RESERVED_PARTICIPANT_IDS = frozenset({"index"})


class _HasId(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def origin(self) -> Origin: ...


def check_integrity(raw: RawStudy, codebook: Path, problems: Problems) -> Study | None:
    """Record every cross-record problem; return the Study when it can be built."""
    _check_unique(raw.participants, "participant", problems)
    _check_unique(raw.categories, "category", problems)
    _check_unique(raw.excerpts, "excerpt", problems)
    for participant in raw.participants:
        if participant.id.lower() in RESERVED_PARTICIPANT_IDS:
            problems.error(
                participant.origin.at("id"),
                f"the participant id '{participant.id}' is reserved for the participants "
                "overview page; choose another",
            )
    for category in raw.categories:
        if category.id in RESERVED_CATEGORY_IDS:
            problems.error(
                category.origin.at("id"),
                f"the category id '{category.id}' is reserved for the overview page; "
                "choose another",
            )
    categories = _check_tree(raw.categories, raw.category_ids_seen, problems)
    _check_core(raw.categories, problems)
    participant_order = _check_excerpt_references(raw, problems)
    tree = CategoryIndex(categories, raw.category_ids_seen, "categories" in raw.unreadable)
    tables = build_tables(raw.tables, tree, problems)
    model = build_model(raw.model, tree, problems) if raw.model is not None else None
    check_retired(raw.retired, raw.categories, tree, problems)
    decisions = build_decisions(raw.decisions, tree, problems, raw.retired)
    checklist = (
        build_checklist(raw.checklist, tree, tables, model, problems)
        if raw.checklist is not None
        else None
    )
    if raw.meta is None or problems.errors:
        return None
    excerpts = sorted(
        raw.excerpts, key=lambda e: participant_order[e.participant_id]
    )  # stable: within a participant, the order written
    return Study(
        root=codebook,
        meta=raw.meta,
        categories=tuple(categories),
        participants=tuple(raw.participants),
        excerpts=tuple(excerpts),
        tables=tuple(tables),
        model=model,
        retired=tuple(raw.retired),
        decisions=tuple(decisions),
        checklist=checklist,
    )


def _check_unique(records: Sequence[_HasId], what: str, problems: Problems) -> None:
    # Ids that differ only in case would become the same file on a
    # case-insensitive disk (macOS, Windows), so they count as the same id.
    first: dict[str, _HasId] = {}
    for record in records:
        key = record.id.casefold()
        if key in first:
            earlier = first[key]
            same = "" if earlier.id == record.id else f" ('{earlier.id}' differs only in case)"
            problems.error(
                record.origin.at("id"),
                f"duplicate {what} id '{record.id}'{same}; it is already used at "
                f"{earlier.origin.location}",
            )
        else:
            first[key] = record


def _check_tree(
    categories: Sequence[Category], ids_seen: set[str], problems: Problems
) -> list[Category]:
    """Check parents and cycles; return the categories in tree order."""
    by_id: dict[str, Category] = {}
    for category in categories:
        by_id.setdefault(category.id, category)
    for category in categories:
        parent = category.parent_id
        if parent is None or parent in by_id or parent in ids_seen:
            continue
        problems.error(
            category.origin.at("parent"),
            f"unknown parent category '{parent}'{did_you_mean(parent, by_id)}",
        )
    _report_cycles(by_id, problems)
    if not problems.errors:
        _check_depth(categories, problems)
    return _tree_order(categories)


def _report_cycles(by_id: dict[str, Category], problems: Problems) -> None:
    settled: set[str] = set()  # ids known to reach the top of the tree, or reported
    for start in by_id.values():
        path: list[str] = []
        on_path: set[str] = set()
        current: Category | None = start
        while current is not None and current.id not in settled:
            if current.id in on_path:
                cycle = path[path.index(current.id) :]
                first = min((by_id[i] for i in cycle), key=lambda c: c.origin.location)
                shown = " → ".join([*cycle, cycle[0]])
                problems.error(
                    first.origin.at("parent"),
                    f"categories form a cycle ({shown}); give one of them another parent",
                )
                break
            path.append(current.id)
            on_path.add(current.id)
            current = by_id.get(current.parent_id) if current.parent_id else None
        settled.update(path)


#: How deep the category tree may go (pages and navigation draw it recursively;
#: real codebooks stay within a handful of levels).
MAX_CATEGORY_DEPTH = 50


def _check_depth(categories: Sequence[Category], problems: Problems) -> None:
    parent_of = {c.id: c.parent_id for c in categories}
    for category in categories:
        depth, current = 1, category.parent_id
        while current is not None and depth <= MAX_CATEGORY_DEPTH:
            depth += 1
            current = parent_of.get(current)
        if depth > MAX_CATEGORY_DEPTH:
            problems.error(
                category.origin.at("parent"),
                f"the category tree is more than {MAX_CATEGORY_DEPTH} levels deep here; "
                "qualsite cannot draw such a tree",
            )
            return  # one report is enough: every deeper category says the same


def _tree_order(categories: Sequence[Category]) -> list[Category]:
    """Parents before children; siblings by ``order``, then by position in the files."""
    position = {id(c): i for i, c in enumerate(categories)}
    children: dict[str | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def sort_key(category: Category) -> tuple[int, int, int]:
        has_order = 0 if category.order is not None else 1
        return (has_order, category.order or 0, position[id(category)])

    ordered: list[Category] = []
    emitted: set[str] = set()
    stack = sorted(children.get(None, []), key=sort_key, reverse=True)
    while stack:
        category = stack.pop()
        if category.id in emitted:
            continue  # a duplicate id, already reported
        emitted.add(category.id)
        ordered.append(category)
        stack.extend(sorted(children.get(category.id, []), key=sort_key, reverse=True))
    return ordered


def _check_core(categories: Iterable[Category], problems: Problems) -> None:
    cores = [c for c in categories if c.core]
    for extra in cores[1:]:
        problems.error(
            extra.origin.at("core"),
            f"a second core category ('{extra.id}'); '{cores[0].id}' at "
            f"{cores[0].origin.location} is already the core category",
        )


def _check_excerpt_references(raw: RawStudy, problems: Problems) -> dict[str, int]:
    """Check each excerpt's participant and categories; return participant order."""
    participant_order = {p.id: i for i, p in enumerate(raw.participants)}
    known_participants = participant_order.keys() | raw.participant_ids_seen
    category_ids = {c.id for c in raw.categories}
    known_categories = category_ids | raw.category_ids_seen
    retired = {r.id: r for r in raw.retired}
    for excerpt in [*raw.excerpts, *raw.dropped_excerpts]:
        _check_excerpt(
            excerpt,
            known_participants,
            category_ids,
            known_categories,
            retired,
            problems,
            check_participants="participants" not in raw.unreadable,
            check_categories="categories" not in raw.unreadable,
        )
    # Participants that failed validation sort last; their excerpts are
    # never published, since the build stops on the error.
    for participant_id in raw.participant_ids_seen:
        participant_order.setdefault(participant_id, len(participant_order))
    return participant_order


def _check_excerpt(
    excerpt: Excerpt,
    known_participants: Iterable[str],
    category_ids: set[str],
    known_categories: set[str],
    retired: Mapping[str, RetiredCategory],
    problems: Problems,
    *,
    check_participants: bool,
    check_categories: bool,
) -> None:
    known_participants = set(known_participants)
    if (
        check_participants
        and excerpt.participant_id
        and excerpt.participant_id not in known_participants
    ):
        problems.error(
            excerpt.origin.at("participant"),
            f"unknown participant '{excerpt.participant_id}'"
            f"{did_you_mean(excerpt.participant_id, known_participants)}; "
            "add it to participants.yml",
        )
    listed: set[str] = set()
    for index, category_id in enumerate(excerpt.category_ids):
        where = excerpt.origin.at("categories", index)
        if category_id in listed:
            problems.error(where, f"category '{category_id}' is listed twice for this excerpt")
        listed.add(category_id)
        if check_categories and category_id not in known_categories:
            problems.error(where, unknown_category(category_id, category_ids, retired))
    for index, category_id in enumerate(excerpt.illustrates):
        if category_id not in listed:
            problems.error(
                excerpt.origin.at("illustrates", index),
                f"illustrates: '{category_id}' is not among the excerpt's categories; "
                "an excerpt can only illustrate a category it is coded to",
            )


def unknown_category(
    category_id: str, category_ids: Iterable[str], retired: Mapping[str, RetiredCategory]
) -> str:
    """The message for a reference to a category the tree does not have:
    where a retired one went, or else the closest id."""
    gone = retired.get(category_id)
    if gone is not None and gone.merged_into:
        return (
            f"category '{category_id}' was merged into '{gone.merged_into}' "
            f"({gone.origin.location}); write '{gone.merged_into}' instead"
        )
    if gone is not None and gone.split_into:
        into = ", ".join(f"'{c}'" for c in gone.split_into)
        return (
            f"category '{category_id}' was split into {into} ({gone.origin.location}); "
            "write the one that fits"
        )
    return f"unknown category '{category_id}'{did_you_mean(category_id, category_ids)}"


__all__ = ["RESERVED_CATEGORY_IDS", "RESERVED_PARTICIPANT_IDS", "Participant", "check_integrity"]
