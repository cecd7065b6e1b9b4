"""How the codebook changed, as plain text for the terminal: a heading per
kind of change, one line per change, in the new version's tree order.

Only what :class:`~qualsite.history.compare.CodebookChanges` holds is
written, so the report, like the comparison, names categories and counts
excerpts, and never quotes an excerpt or names a participant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..counting import counted
from .compare import (
    AddedCategory,
    CategoryRef,
    CodebookChanges,
    DefinitionChange,
    Evidence,
    MergedCategory,
    MovedCategory,
    Recoding,
    RemovedCategory,
    RenamedCategory,
    SplitCategory,
)

if TYPE_CHECKING:
    from .versions import Version

_Change = TypeVar("_Change")


def describe_history(pairs: Sequence[tuple[Version, Version, CodebookChanges]]) -> str:
    """Every pair's report, oldest first, a blank line between them."""
    return "\n\n".join(
        describe_changes(changes, old=_named(old), new=_named(new)) for old, new, changes in pairs
    )


def describe_changes(changes: CodebookChanges, *, old: str, new: str) -> str:
    """The report of one comparison, from version ``old`` to ``new`` (labels)."""
    heading = f"From {old} to {new}"
    if changes.unchanged:
        return f"{heading}: no changes ({counted(changes.excerpts_after, 'excerpt')})"
    lines = [f"{heading}: {_totals(changes)}"]
    lines += _section("Added", changes.added, _added)
    lines += _section("Removed", changes.removed, _removed)
    lines += _section("Renamed", changes.renamed, _renamed)
    lines += _section("Moved", changes.moved, _moved)
    lines += _section("Merged", changes.merged, _merged)
    lines += _section("Split", changes.split, _split)
    lines += _section("Definition changed", changes.definitions, _definition)
    lines += _section("Excerpts gained and lost", changes.recoded, _recoding)
    return "\n".join(lines)


def _named(version: Version) -> str:
    return f"{version.label} ({version.date})" if version.date else version.label


def _totals(changes: CodebookChanges) -> str:
    totals = f"{counted(changes.excerpts_before, 'excerpt')} before, {changes.excerpts_after} after"
    if changes.excerpts_added or changes.excerpts_removed:
        totals += f" ({changes.excerpts_added} new, {changes.excerpts_removed} gone)"
    return totals


def _section(title: str, changes: Sequence[_Change], line: Callable[[_Change], str]) -> list[str]:
    if not changes:
        return []
    return ["", f"{title} ({len(changes)})", *(f"  {line(change)}" for change in changes)]


def _ref(category: CategoryRef) -> str:
    return f'{category.id} "{category.name}"'


def _place(parent: CategoryRef | None) -> str:
    return f"under {_ref(parent)}" if parent is not None else "at the top of the tree"


def _added(change: AddedCategory) -> str:
    return (
        f"{_ref(change.category)}, {_place(change.parent)}: {counted(change.excerpts, 'excerpt')}"
    )


def _removed(change: RemovedCategory) -> str:
    return (
        f"{_ref(change.category)}, was {_place(change.parent)}: "
        f"had {counted(change.excerpts, 'excerpt')}"
    )


def _renamed(change: RenamedCategory) -> str:
    if change.id_changed:
        return f"{_ref(change.old)} -> {_ref(change.new)} (renamed_from)"
    return f'{change.new.id}: "{change.old.name}" -> "{change.new.name}"'


def _moved(change: MovedCategory) -> str:
    return (
        f"{_ref(change.category)}: from {_place(change.old_parent)} to {_place(change.new_parent)}"
    )


def _merged(change: MergedCategory) -> str:
    return (
        f"{_ref(change.category)} into {_ref(change.into)} "
        f"({_evidence(change.evidence, change.excerpts)}){_reason(change.reason)}"
    )


def _split(change: SplitCategory) -> str:
    into = ", ".join(_ref(c) for c in change.into)
    return (
        f"{_ref(change.category)} into {into} "
        f"({_evidence(change.evidence, change.excerpts)}){_reason(change.reason)}"
    )


def _evidence(how: Evidence, excerpts: int) -> str:
    if how is Evidence.INFERRED:
        return f"inferred from where its {counted(excerpts, 'excerpt')} went"
    return f"recorded; {counted(excerpts, 'excerpt')}"


def _reason(reason: str | None) -> str:
    return f": {' '.join(reason.split())}" if reason and reason.strip() else ""


def _definition(change: DefinitionChange) -> str:
    return f"{_ref(change.category)}: was {_quoted(change.old)}; now {_quoted(change.new)}"


def _quoted(text: str | None) -> str:
    return f'"{" ".join(text.split())}"' if text is not None else "none"


def _recoding(change: Recoding) -> str:
    return (
        f"{_ref(change.category)}: {change.before} -> {change.after} "
        f"(gained {change.gained}, lost {change.lost})"
    )
