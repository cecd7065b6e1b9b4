"""The model that the figure draws: groups, nodes and edges, checked against
the category tree and against each other."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..errors import Location, Problems, closest, did_you_mean
from ..fields import RecordValue
from .model import Direction, EdgeStyle, Model, ModelEdge, ModelGroup, ModelNode
from .tables import CategoryIndex


def build_model(record: RecordValue, tree: CategoryIndex, problems: Problems) -> Model | None:
    """The model, or None after recording every problem in it."""
    before = len(problems.errors)
    taken: dict[str, Location] = {}  # node and group ids share one namespace
    groups = [g for item in record.get("groups", []) if (g := _group(item, tree, taken, problems))]
    nodes = [n for item in record.get("nodes", []) if (n := _node(item, tree, taken, problems))]
    group_ids = {g.id for g in groups}
    # Ids of groups and nodes dropped for another mistake still count as
    # declared, so that references to them do not add misleading errors.
    declared_groups = _declared(record.get("groups", []), tree)
    declared = declared_groups | _declared(record.get("nodes", []), tree)
    _check_group_parents(groups, problems)
    for node in nodes:
        if node.group_id is not None and node.group_id not in group_ids | declared_groups:
            problems.error(
                node.origin.at("group"),
                f"unknown group '{node.group_id}'{did_you_mean(node.group_id, group_ids)}",
            )
    if "nodes" in record.values and not record.get("nodes"):
        problems.error(record.origin.at("nodes"), "the model has no nodes; add at least one")
    empty = group_ids - _populated_groups(groups, _groups_meant(record, group_ids))
    within = _containment(groups, nodes)
    ends = _Ends(taken.keys(), declared, tree)
    edges = [
        e for item in record.get("edges", []) if (e := _edge(item, ends, empty, within, problems))
    ]
    core = _core(record, ends, groups, nodes, tree, problems)
    if not record.complete or len(problems.errors) > before:
        return None
    _warn_about_repeated_labels(groups, nodes, tree, problems)
    return Model(
        number=record.get("number", 1),
        title=record.get("title"),
        origin=record.origin,
        groups=tuple(groups),
        nodes=tuple(nodes),
        edges=tuple(edges),
        caption=record.get("caption"),
        direction=Direction(record.get("direction", Direction.TOP_TO_BOTTOM.value)),
        core=core,
    )


def _claim(item_id: str, item: RecordValue, taken: dict[str, Location], problems: Problems) -> bool:
    if item_id in taken:
        problems.error(
            item.origin.at("id") if "id" in item.values else item.origin.location,
            f"duplicate model id '{item_id}'; it is already used at {taken[item_id]}",
        )
        return False
    taken[item_id] = item.origin.location
    return True


def _shown(
    item: RecordValue, what: str, tree: CategoryIndex, problems: Problems
) -> tuple[str | None, str | None, str | None] | None:
    """(id, category, label) of a group or node, or None after a problem."""
    category: str | None = item.get("category")
    label: str | None = item.get("label")
    item_id: str | None = item.get("id", category)
    if category is not None and not tree.known(category):
        problems.error(item.origin.at("category"), tree.unknown_message(category))
        return None
    if category is None and label is None:
        if item.complete:
            problems.error(
                item.origin.location,
                f"a {what} needs a 'category' (to show a category) or a 'label' (for a concept)",
            )
        return None
    if item_id is None:
        problems.error(item.origin.location, f"a {what} with a label only needs an 'id'")
        return None
    return item_id, category, label


def _group(
    item: RecordValue, tree: CategoryIndex, taken: dict[str, Location], problems: Problems
) -> ModelGroup | None:
    shown = _shown(item, "group", tree, problems)
    if shown is None or not item.complete or not _claim(shown[0] or "", item, taken, problems):
        return None
    group_id, category, label = shown
    assert group_id is not None
    return ModelGroup(
        group_id, item.origin, category, label, item.get("parent"), item.get("row", False)
    )


def _node(
    item: RecordValue, tree: CategoryIndex, taken: dict[str, Location], problems: Problems
) -> ModelNode | None:
    shown = _shown(item, "node", tree, problems)
    if shown is None or not item.complete or not _claim(shown[0] or "", item, taken, problems):
        return None
    node_id, category, label = shown
    assert node_id is not None
    return ModelNode(node_id, item.origin, category, label, item.get("group"))


def _check_group_parents(groups: Sequence[ModelGroup], problems: Problems) -> None:
    by_id = {g.id: g for g in groups}
    for group in groups:
        if group.parent_id is not None and group.parent_id not in by_id:
            problems.error(
                group.origin.at("parent"),
                f"unknown group '{group.parent_id}'{did_you_mean(group.parent_id, by_id)}",
            )
    for group in groups:
        seen = [group.id]
        parent = by_id.get(group.parent_id) if group.parent_id else None
        while parent is not None:
            if parent.id in seen:
                if parent.id == group.id:
                    shown = " → ".join([*seen, group.id])
                    problems.error(
                        group.origin.at("parent"),
                        f"groups sit inside each other in a cycle ({shown})",
                    )
                break
            seen.append(parent.id)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None


def _declared(items: Sequence[RecordValue], tree: CategoryIndex) -> set[str]:
    """The ids of groups or nodes as written, valid or not; for one that
    shows a misspelt category, the id it was meant to have too (an arrow to
    'peer-support' is no mistake when the node says 'peer-suport')."""
    declared: set[str] = set()
    for item in items:
        category: str | None = item.get("category")
        item_id: str | None = item.get("id", category)
        if item_id:
            declared.add(item_id)
        if "id" not in item.values and category is not None and not tree.known(category):
            meant = closest(category, tree.by_id)
            if meant is not None:
                declared.add(meant)
    return declared


def _groups_meant(record: RecordValue, group_ids: set[str]) -> list[str]:
    """The group each node of the model sits in, as meant: a misspelt group
    counts as the group it was probably meant to be, and a node dropped for
    another mistake still fills its group (so that neither makes a second
    error, "holds no node", about the group)."""
    meant: list[str] = []
    for item in record.get("nodes", []):
        group: str | None = item.get("group")
        if group is not None and group not in group_ids:
            group = closest(group, group_ids)
        if group is not None:
            meant.append(group)
    return meant


def _populated_groups(groups: Sequence[ModelGroup], nodes_in: Sequence[str]) -> set[str]:
    """Groups holding at least one node, directly or in a group inside them."""
    parent_of = {g.id: g.parent_id for g in groups}
    populated: set[str] = set()
    for group_id in nodes_in:
        current: str | None = group_id
        while current is not None and current not in populated:
            populated.add(current)
            current = parent_of.get(current)
    return populated


def _containment(groups: Sequence[ModelGroup], nodes: Sequence[ModelNode]) -> dict[str, set[str]]:
    """For each group, the ids of every group and node inside it, at any depth."""
    parent_of: dict[str, str | None] = {g.id: g.parent_id for g in groups}
    parent_of.update({n.id: n.group_id for n in nodes})
    inside: dict[str, set[str]] = {g.id: set() for g in groups}
    for item_id in parent_of:
        seen: set[str] = set()
        parent = parent_of.get(item_id)
        while parent is not None and parent in inside and parent not in seen:
            seen.add(parent)
            inside[parent].add(item_id)
            parent = parent_of.get(parent)
    return inside


@dataclass(frozen=True, slots=True)
class _Ends:
    """What an arrow, or the model's core, may name."""

    valid: Collection[str]  # ids of the groups and nodes that will be drawn
    declared: set[str]  # ids written for groups and nodes, dropped or not
    tree: CategoryIndex

    def missing(self, target: str) -> str | None:
        """None when ``target`` names a group or node; else what to add to
        the message that it names none (a suggestion, or the way to draw it)."""
        if target in self.valid or target in self.declared:
            return None
        suggestion = did_you_mean(target, self.valid)
        if not suggestion and target in self.tree.by_id:
            return (
                f"; '{target}' is a category, but the model has no node or group for it: "
                f"add one, {{category: {target}}}, under 'nodes' or 'groups'"
            )
        return suggestion


def _edge(
    item: RecordValue,
    ends_known: _Ends,
    empty_groups: set[str],
    within: dict[str, set[str]],
    problems: Problems,
) -> ModelEdge | None:
    ends: list[str] = []
    for end in ("from", "to"):
        target: str | None = item.get(end)
        if target is None:
            continue
        missing = ends_known.missing(target)
        if missing is not None:
            problems.error(
                item.origin.at(end),
                f"{end}: the edge points to a missing node or group '{target}'{missing}",
            )
        elif target in empty_groups:
            problems.error(
                item.origin.at(end),
                f"{end}: group '{target}' holds no node, so an arrow cannot be drawn to it",
            )
        ends.append(target)
    if not item.complete or len(ends) != 2:
        return None
    source, target = ends
    for outer, inner in ((source, target), (target, source)):
        if (inner == outer and outer in within) or inner in within.get(outer, set()):
            problems.error(
                item.origin.location,
                f"the edge joins group '{outer}' to "
                + ("itself" if inner == outer else f"'{inner}', which sits inside it")
                + "; an arrow can only join things side by side",
            )
            return None
    return ModelEdge(
        source=ends[0],
        target=ends[1],
        origin=item.origin,
        label=item.get("label"),
        style=EdgeStyle(item.get("style", EdgeStyle.SOLID.value)),
    )


def _core(
    record: RecordValue,
    ends: _Ends,
    groups: Sequence[ModelGroup],
    nodes: Sequence[ModelNode],
    tree: CategoryIndex,
    problems: Problems,
) -> str | None:
    core: str | None = record.get("core")
    if core is not None:
        missing = ends.missing(core)
        if missing is not None:
            problems.error(record.origin.at("core"), f"core: no node or group '{core}'{missing}")
            return None
        return core if core in ends.valid else None
    # By default, emphasise whatever shows the study's core category.
    core_categories = {c.id for c in tree.categories if c.core}
    shows_core = [g.id for g in groups if g.category_id in core_categories]
    shows_core += [n.id for n in nodes if n.category_id in core_categories]
    return shows_core[0] if shows_core else None


def _warn_about_repeated_labels(
    groups: Sequence[ModelGroup],
    nodes: Sequence[ModelNode],
    tree: CategoryIndex,
    problems: Problems,
) -> None:
    """A box whose label only adds words to the label of a group around it
    ("Individual dimension" inside "Individual") makes the reader read the
    same words twice, in a figure that is short of room on a phone.

    A warning, not an error: the study's own names may do it on purpose.
    """
    by_id = {g.id: g for g in groups}
    boxes: list[ModelGroup | ModelNode] = [*groups, *nodes]
    for item in boxes:
        words = _words(_shown_label(item, tree))
        outer_id = item.parent_id if isinstance(item, ModelGroup) else item.group_id
        visited: set[str] = set()
        while outer_id is not None and outer_id in by_id and outer_id not in visited:
            visited.add(outer_id)
            outer = by_id[outer_id]
            outer_label = _shown_label(outer, tree)
            outer_words = _words(outer_label)
            if words and outer_words and outer_words <= words:
                what = "group" if isinstance(item, ModelGroup) else "node"
                problems.warning(
                    item.origin.at("label" if item.label is not None else "category"),
                    f"the {what} '{item.id}' (\"{_shown_label(item, tree)}\") repeats the "
                    f'words of the group around it ("{outer_label}"); give the {what} a '
                    "shorter 'label' for the figure (its category keeps its name), or leave "
                    "the group out",
                )
                break
            outer_id = outer.parent_id


def _shown_label(item: ModelGroup | ModelNode, tree: CategoryIndex) -> str:
    """The words the figure draws in the box (see render.figure)."""
    if item.label is not None:
        return item.label
    category = tree.by_id.get(item.category_id or "")
    return category.name if category is not None else ""


def _words(label: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", label.casefold()))
