"""How the codebook changed between two versions: categories added,
removed, renamed, moved, merged and split, definitions rewritten, and the
excerpts each category gained and lost.

Only the published view is ever compared, and the newest version's
withdrawals rule every version: a participant who withdrew in the newest
version has withdrawn from the study's whole history, so their excerpts count
in no version, and an excerpt the newest version keeps back (``publish:
false``) counts in none either. What is compared holds counts, ids and
names of categories, and definitions; never an excerpt's text or id, nor a
participant's id or label.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ..study.model import Category, Excerpt, RetiredCategory, Study

if TYPE_CHECKING:
    from .versions import Version


class Evidence(str, Enum):
    """How a merge or a split is known."""

    #: Written in the codebook: ``retired:`` in categories.yml, or ``renamed_from``.
    RECORDED = "recorded"
    #: Read from where the category's excerpts went.
    INFERRED = "inferred"


@dataclass(frozen=True, slots=True)
class CategoryRef:
    """A category as one version had it."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class AddedCategory:
    category: CategoryRef
    parent: CategoryRef | None  # None: at the top of the tree
    excerpts: int  # counted excerpts coded to it in the new version


@dataclass(frozen=True, slots=True)
class RemovedCategory:
    """A category gone, with nothing to say where (else it is merged or split)."""

    category: CategoryRef  # as the old version had it
    parent: CategoryRef | None
    excerpts: int  # counted excerpts coded to it in the old version


@dataclass(frozen=True, slots=True)
class RenamedCategory:
    """A new name (same id), or a new id whose ``renamed_from`` lists the old one."""

    old: CategoryRef
    new: CategoryRef

    @property
    def id_changed(self) -> bool:
        return self.old.id != self.new.id


@dataclass(frozen=True, slots=True)
class MovedCategory:
    category: CategoryRef  # as the new version has it
    old_parent: CategoryRef | None  # as the old version had it; None: the top
    new_parent: CategoryRef | None


@dataclass(frozen=True, slots=True)
class MergedCategory:
    category: CategoryRef  # the old category, gone
    into: CategoryRef  # as the new version has it
    evidence: Evidence
    excerpts: int  # counted excerpts coded to the old category
    reason: str | None = None  # ``reason`` of its ``retired:`` entry


@dataclass(frozen=True, slots=True)
class SplitCategory:
    category: CategoryRef  # the old category, gone
    into: tuple[CategoryRef, ...]  # in the new version's tree order
    evidence: Evidence
    excerpts: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class DefinitionChange:
    category: CategoryRef  # as the new version has it
    old: str | None  # None: it had no definition
    new: str | None


@dataclass(frozen=True, slots=True)
class Recoding:
    """The counted excerpts coded to a category in both versions (the category
    itself, not its sub-categories), where they differ."""

    category: CategoryRef  # as the new version has it
    before: int
    after: int
    gained: int  # coded to it now, not before (recoded, or new to the study)
    lost: int  # coded to it before, not now


@dataclass(frozen=True, slots=True)
class CodebookChanges:
    """Every change from one version to the next, each kind in the new
    version's tree order, then by id."""

    added: tuple[AddedCategory, ...]
    removed: tuple[RemovedCategory, ...]
    renamed: tuple[RenamedCategory, ...]
    moved: tuple[MovedCategory, ...]
    merged: tuple[MergedCategory, ...]
    split: tuple[SplitCategory, ...]
    definitions: tuple[DefinitionChange, ...]
    recoded: tuple[Recoding, ...]
    #: Counted excerpts in the whole study, before and after; those only after
    #: (new to the study) and only before (gone from it).
    excerpts_before: int
    excerpts_after: int
    excerpts_added: int
    excerpts_removed: int

    @property
    def unchanged(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.moved
            or self.merged
            or self.split
            or self.definitions
            or self.recoded
            or self.excerpts_added
            or self.excerpts_removed
        )


@dataclass(frozen=True, slots=True)
class Withdrawals:
    """Which excerpts may count in any version compared: those of a
    participant present and not withdrawn in the newest version (every one
    of them, when there are several newest: a tag and the working tree), and
    not kept back there."""

    #: Participants whose excerpts may count (never shown anywhere).
    participants: frozenset[str]
    #: Excerpts that count in no version (never shown anywhere).
    excerpts: frozenset[str]

    @classmethod
    def of(cls, *newest: Study) -> Withdrawals:
        if not newest:
            raise ValueError("withdrawals are taken from at least one version")
        participants: frozenset[str] | None = None
        kept_back: set[str] = set()
        for study in newest:
            published = study.published()
            present = frozenset(p.id for p in published.participants)
            participants = present if participants is None else participants & present
            shown = {e.id for e in published.excerpts}
            kept_back.update(e.id for e in study.excerpts if e.id not in shown)
        assert participants is not None
        return cls(participants, frozenset(kept_back))

    def counts(self, excerpt: Excerpt) -> bool:
        return excerpt.participant_id in self.participants and excerpt.id not in self.excerpts


def compare(old: Study, new: Study, *, withdrawals: Withdrawals | None = None) -> CodebookChanges:
    """How the codebook changed from ``old`` to ``new``, counting only the
    excerpts ``withdrawals`` allows (by default, those ``new`` publishes: pass
    the newest version's when ``new`` is not the newest)."""
    rule = withdrawals if withdrawals is not None else Withdrawals.of(new)
    return _Comparison(old, new, rule).changes()


def history_across(
    versions: Sequence[Version], *, withdrawals: Withdrawals | None = None
) -> list[tuple[Version, Version, CodebookChanges]]:
    """Each version compared with the next, every pair counting only what the
    last version (or ``withdrawals``) allows."""
    if len(versions) < 2:
        return []
    rule = withdrawals if withdrawals is not None else Withdrawals.of(versions[-1].study)
    return [
        (before, after, compare(before.study, after.study, withdrawals=rule))
        for before, after in itertools.pairwise(versions)
    ]


class _Coding:
    """One version's counted excerpts: who is coded where."""

    def __init__(self, study: Study, rule: Withdrawals) -> None:
        self.excerpts: dict[str, frozenset[str]] = {}  # excerpt id -> category ids
        coded: dict[str, set[str]] = {}
        for excerpt in study.published().excerpts:
            if rule.counts(excerpt):
                self.excerpts[excerpt.id] = frozenset(excerpt.category_ids)
                for category_id in excerpt.category_ids:
                    coded.setdefault(category_id, set()).add(excerpt.id)
        self.coded: Mapping[str, frozenset[str]] = {k: frozenset(v) for k, v in coded.items()}

    def of(self, category_id: str) -> frozenset[str]:
        return self.coded.get(category_id, frozenset())


class _Comparison:
    def __init__(self, old: Study, new: Study, rule: Withdrawals) -> None:
        self.old, self.new = old, new
        self.before, self.after = _Coding(old, rule), _Coding(new, rule)
        self.position = {c.id: i for i, c in enumerate(new.categories)}
        self.merged: list[MergedCategory] = []
        self.split: list[SplitCategory] = []
        self.removed: list[RemovedCategory] = []
        #: Old id -> new id, for every category in both versions.
        self.match: dict[str, str] = {
            c.id: c.id for c in new.categories if c.id in old.categories_by_id
        }
        self._follow_renamed_from()
        self.matched = set(self.match.values())
        self._place_the_gone()

    # -- which old category is which new one --------------------------------

    def _follow_renamed_from(self) -> None:
        """``renamed_from``: one new category claiming a gone id took it over
        (renamed); one already in both versions absorbed it (merged); two or
        more share it (split). Recorded either way."""
        claims: dict[str, list[Category]] = {}
        for category in self.new.categories:
            for old_id in category.renamed_from:
                gone = (
                    old_id in self.old.categories_by_id and old_id not in self.new.categories_by_id
                )
                if gone and category not in claims.get(old_id, []):
                    claims.setdefault(old_id, []).append(category)
        taken = set(self.match.values())
        for old_category in self.old.categories:
            claimers = claims.get(old_category.id)
            if not claimers:
                continue
            excerpts = len(self.before.of(old_category.id))
            if len(claimers) > 1:
                into = tuple(self._ref(c) for c in claimers)
                self.split.append(
                    SplitCategory(self._ref(old_category), into, Evidence.RECORDED, excerpts)
                )
            elif claimers[0].id in taken:
                self.merged.append(
                    MergedCategory(
                        self._ref(old_category),
                        self._ref(claimers[0]),
                        Evidence.RECORDED,
                        excerpts,
                    )
                )
            else:
                self.match[old_category.id] = claimers[0].id
                taken.add(claimers[0].id)

    def _place_the_gone(self) -> None:
        """Say where each old category with no match went: merged or split
        as ``retired:`` records, or as its excerpts show; else removed."""
        handled = {m.category.id for m in self.merged} | {s.category.id for s in self.split}
        retired = self._retired()
        for category in self.old.categories:
            if category.id in self.match or category.id in handled:
                continue
            excerpts = self.before.of(category.id)
            entry = retired.get(category.id)
            reason = entry.reason if entry is not None else None
            if entry is not None and entry.merged_into in self.new.categories_by_id:
                assert entry.merged_into is not None
                into = self._ref(self.new.category(entry.merged_into))
                self.merged.append(
                    MergedCategory(
                        self._ref(category), into, Evidence.RECORDED, len(excerpts), reason
                    )
                )
                continue
            targets = (
                [c for c in entry.split_into if c in self.new.categories_by_id] if entry else []
            )
            if targets:
                self.split.append(
                    SplitCategory(
                        self._ref(category),
                        self._refs(targets),
                        Evidence.RECORDED,
                        len(excerpts),
                        reason,
                    )
                )
                continue
            if not self._infer(category, excerpts):
                parent = self.old.parent(category)
                self.removed.append(
                    RemovedCategory(
                        self._ref(category),
                        self._ref(parent) if parent is not None else None,
                        len(excerpts),
                    )
                )

    def _retired(self) -> Mapping[str, RetiredCategory]:
        """``retired:`` entries of the new version (the first word on an id)."""
        found: dict[str, RetiredCategory] = {}
        for entry in self.new.retired:
            found.setdefault(entry.id, entry)
        return found

    def _infer(self, category: Category, excerpts: frozenset[str]) -> bool:
        """Merged or split as the excerpts show: every counted excerpt of the
        gone category that is still in the study is now coded to one category
        that was there before and did not hold them all (merged), or to some
        of two or more categories new in this version (split)."""
        still = [e for e in sorted(excerpts) if e in self.after.excerpts]
        if not still:
            return False
        now = [self.after.excerpts[e] for e in still]
        common = frozenset.intersection(*now) & self.matched
        old_id_of = {new_id: old_id for old_id, new_id in self.match.items()}
        gaining = [c for c in common if not set(still) <= self.before.of(old_id_of[c])]
        if len(gaining) == 1:
            into = self._ref(self.new.category(gaining[0]))
            self.merged.append(
                MergedCategory(self._ref(category), into, Evidence.INFERRED, len(excerpts))
            )
            return True
        added = {c.id for c in self.new.categories if c.id not in self.matched}
        reached = [codes & added for codes in now]
        targets = frozenset().union(*reached)
        if len(targets) >= 2 and all(reached):
            self.split.append(
                SplitCategory(
                    self._ref(category), self._refs(targets), Evidence.INFERRED, len(excerpts)
                )
            )
            return True
        return False

    # -- the changes ------------------------------------------------------------

    def changes(self) -> CodebookChanges:
        old, new = self.old, self.new
        renamed: list[RenamedCategory] = []
        moved: list[MovedCategory] = []
        definitions: list[DefinitionChange] = []
        recoded: list[Recoding] = []
        pairs = sorted(self.match.items(), key=lambda pair: self.position[pair[1]])
        for old_id, new_id in pairs:
            before, after = old.category(old_id), new.category(new_id)
            if old_id != new_id or _words(before.name) != _words(after.name):
                renamed.append(RenamedCategory(self._ref(before), self._ref(after)))
            # Where the old parent is now; a parent gone is no parent it can still have.
            was_under = before.parent_id
            under_now = self.match.get(was_under, _GONE) if was_under is not None else None
            if under_now != after.parent_id:
                old_parent = old.parent(before)
                new_parent = new.parent(after)
                moved.append(
                    MovedCategory(
                        self._ref(after),
                        self._ref(old_parent) if old_parent is not None else None,
                        self._ref(new_parent) if new_parent is not None else None,
                    )
                )
            if _words(before.definition) != _words(after.definition):
                definitions.append(
                    DefinitionChange(
                        self._ref(after), _text(before.definition), _text(after.definition)
                    )
                )
            had, has = self.before.of(old_id), self.after.of(new_id)
            if had != has:
                recoded.append(
                    Recoding(self._ref(after), len(had), len(has), len(has - had), len(had - has))
                )
        added = [
            AddedCategory(
                self._ref(c),
                self._ref(parent) if (parent := new.parent(c)) is not None else None,
                len(self.after.of(c.id)),
            )
            for c in new.categories
            if c.id not in self.matched
        ]
        last = len(self.position)
        before_ids, after_ids = set(self.before.excerpts), set(self.after.excerpts)
        return CodebookChanges(
            added=tuple(added),
            removed=tuple(sorted(self.removed, key=lambda r: r.category.id)),
            renamed=tuple(renamed),
            moved=tuple(moved),
            merged=tuple(
                sorted(
                    self.merged, key=lambda m: (self.position.get(m.into.id, last), m.category.id)
                )
            ),
            split=tuple(
                sorted(
                    self.split,
                    key=lambda s: (
                        min((self.position.get(c.id, last) for c in s.into), default=last),
                        s.category.id,
                    ),
                )
            ),
            definitions=tuple(definitions),
            recoded=tuple(recoded),
            excerpts_before=len(before_ids),
            excerpts_after=len(after_ids),
            excerpts_added=len(after_ids - before_ids),
            excerpts_removed=len(before_ids - after_ids),
        )

    def _ref(self, category: Category) -> CategoryRef:
        return CategoryRef(category.id, category.name)

    def _refs(self, ids: Iterable[str]) -> tuple[CategoryRef, ...]:
        ordered = sorted(ids, key=lambda c: (self.position[c], c))
        return tuple(self._ref(self.new.category(c)) for c in ordered)


#: Not a category id (ids are lowercase letters, digits, - and _).
_GONE = "\0gone"


def _words(text: str | None) -> str | None:
    """Text as a reader sees it: YAML's folded and literal blocks, re-wrapped
    lines and trailing spaces make no change."""
    return " ".join(text.split()) if text is not None and text.strip() else None


def _text(text: str | None) -> str | None:
    return text.strip() if text is not None and text.strip() else None


def history_texts(changes: CodebookChanges) -> list[tuple[str, str]]:
    """Every text of ``changes`` that a page of it shows, with what it is:
    the categories' names, the definitions and the reasons."""
    texts: list[tuple[str, str]] = []

    def named(ref: CategoryRef | None) -> None:
        if ref is not None:
            texts.append((f"the name of category '{ref.id}'", ref.name))

    for added in changes.added:
        named(added.category)
        named(added.parent)
    for removed in changes.removed:
        named(removed.category)
        named(removed.parent)
    for renamed in changes.renamed:
        named(renamed.old)
        named(renamed.new)
    for moved in changes.moved:
        named(moved.category)
        named(moved.old_parent)
        named(moved.new_parent)
    for merged in changes.merged:
        named(merged.category)
        named(merged.into)
        if merged.reason:
            texts.append((f"the reason category '{merged.category.id}' was merged", merged.reason))
    for split in changes.split:
        named(split.category)
        for into in split.into:
            named(into)
        if split.reason:
            texts.append((f"the reason category '{split.category.id}' was split", split.reason))
    for changed in changes.definitions:
        named(changed.category)
        for text in (changed.old, changed.new):
            if text:
                texts.append((f"a definition of category '{changed.category.id}'", text))
    for recoding in changes.recoded:
        named(recoding.category)
    return texts
