"""The study as validated, immutable objects.

Everything downstream (pages, tables, the figure, exports) reads a
:class:`Study`; nothing downstream reads YAML. Each object keeps its
:class:`~qualsite.fields.Origin` so that later checks (embeds, the
confidentiality guard) can still point at the file and line to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from ..fields import Origin
from ..i18n import _


class ExcerptKind(str, Enum):
    VERBATIM = "verbatim"
    PARAPHRASE = "paraphrase"
    COMPOSITE = "composite"


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None = None
    orcid: str | None = None
    given: str | None = None
    family: str | None = None
    organisation: bool = False


class PublicationType(str, Enum):
    ARTICLE = "article"
    THESIS = "thesis"
    REPORT = "report"
    BOOK = "book"


@dataclass(frozen=True, slots=True)
class Publication:
    """Where the study itself is published: what its readers are asked to
    cite for its findings, apart from the site that presents it."""

    type: PublicationType
    title: str  # as written under publication, or else the study's title
    authors: tuple[Author, ...]  # as written under publication, or else the study's
    origin: Origin
    year: int | None = None  # None: references say "n.d." (no date)
    journal: str | None = None  # an article's
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # "first-last", or an article number
    number: str | None = None  # a report's
    publisher: str | None = None  # a book's
    institution: str | None = None  # a thesis's university, a report's organisation
    thesis_type: str | None = None  # "Doctoral thesis" when not given
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class StudyMeta:
    title: str
    authors: tuple[Author, ...]
    origin: Origin
    subtitle: str | None = None
    year: int | None = None
    version: str | None = None
    methodology: str | None = None
    ethics: str | None = None
    abstract: str | None = None
    citation: str | None = None
    doi: str | None = None
    url: str | None = None
    licence: str | None = None
    #: The visible label of each excerpt kind, replacing the defaults.
    excerpt_labels: Mapping[str, str] = field(default_factory=dict)
    #: Visible labels for what the site adds to the study ("memos", "counts").
    added_labels: Mapping[str, str] = field(default_factory=dict)
    date: str | None = None  # the release date of this version, YYYY-MM-DD
    #: Who made the site, when not the study's authors (for citing the site).
    site_authors: tuple[Author, ...] = ()
    #: A draft may publish texts not yet reviewed for anonymisation, and every
    #: page says that it is a draft.
    draft: bool = False
    #: How readers reach the study's team (an email or web address), which
    #: the Accessibility page gives for problems and other formats.
    contact: str | None = None
    #: The study's own publication, cited apart from the site.
    publication: Publication | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    label: str
    origin: Origin
    attributes: Mapping[str, str] = field(default_factory=dict)
    withdrawn: bool = False
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    """An analytic memo, published on its category's page."""

    text: str
    #: False for a memo not yet reviewed for anonymisation (an imported code note).
    reviewed: bool = True
    #: When it was written (YYYY-MM-DD): a dated memo is part of the audit trail.
    date: str | None = None

    def __str__(self) -> str:
        # Template overrides written when memos were plain text print
        # ``{{ memo | paragraphs }}``; they keep working.
        return self.text


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    origin: Origin
    parent_id: str | None = None
    level: str | None = None
    definition: str | None = None
    memos: tuple[Memo, ...] = ()
    order: int | None = None
    core: bool = False
    color: str | None = None
    guid: str | None = None
    #: The ids it had in earlier versions of the codebook (qualsite history).
    renamed_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceLocator:
    """Where an excerpt sits in the data: an interview and a range in it."""

    interview: str | None = None
    lines: str | None = None
    time: str | None = None
    chars: str | None = None

    def describe(self) -> str:
        """Where the excerpt is in its source, in the site's language:
        "Interview S2, lines 120–134"."""
        parts: list[str] = []
        if self.interview:
            # Translators: where an excerpt comes from: the interview's id.
            parts.append(_("Interview %(interview)s") % {"interview": self.interview})
        if self.lines:
            parts.append(_("lines %(lines)s") % {"lines": _en_dash(self.lines)})
        if self.time:
            parts.append(_en_dash(self.time))
        if self.chars:
            parts.append(_("characters %(chars)s") % {"chars": _en_dash(self.chars)})
        return ", ".join(parts)


def _en_dash(text: str) -> str:
    return "–".join(part.strip() for part in text.replace("–", "-").split("-"))


@dataclass(frozen=True, slots=True)
class Excerpt:
    id: str
    participant_id: str
    text: str
    category_ids: tuple[str, ...]
    origin: Origin
    kind: ExcerptKind = ExcerptKind.VERBATIM
    source: SourceLocator | None = None
    publish: bool = True
    #: Categories whose table row this excerpt illustrates (a subset of category_ids).
    illustrates: tuple[str, ...] = ()
    #: Kinds of personal-data pattern a person has checked and allowed here.
    allow: tuple[str, ...] = ()
    #: False for an excerpt not yet reviewed for anonymisation (imported).
    reviewed: bool = True
    #: The researcher's notes; kept in the codebook, never published.
    memos: tuple[str, ...] = ()
    guid: str | None = None

    @property
    def anchor(self) -> str:
        """The HTML id of the excerpt on every page that shows it."""
        return f"excerpt-{self.id}"


class ColumnKind(str, Enum):
    PARENT = "parent"
    CATEGORY = "category"
    DEFINITION = "definition"
    EXCERPT = "excerpt"
    PARTICIPANTS = "participants"
    EXCERPTS = "excerpts"


@dataclass(frozen=True, slots=True)
class Column:
    kind: ColumnKind
    heading: str | None = None  # None: a heading chosen from the rows' levels


@dataclass(frozen=True, slots=True)
class Table:
    """A numbered table of categories; ``rows`` are category ids in order."""

    number: int
    title: str
    rows: tuple[str, ...]
    columns: tuple[Column, ...]
    origin: Origin
    caption: str | None = None

    @property
    def anchor(self) -> str:
        return f"table-{self.number}"


class Direction(str, Enum):
    TOP_TO_BOTTOM = "TB"
    LEFT_TO_RIGHT = "LR"
    BOTTOM_TO_TOP = "BT"
    RIGHT_TO_LEFT = "RL"


class EdgeStyle(str, Enum):
    SOLID = "solid"
    DASHED = "dashed"
    DOTTED = "dotted"


@dataclass(frozen=True, slots=True)
class ModelGroup:
    """A cluster of the figure, drawn as a box around its members."""

    id: str
    origin: Origin
    category_id: str | None = None
    label: str | None = None
    parent_id: str | None = None
    #: Draw every node inside the group in one row across the flow.
    row: bool = False


@dataclass(frozen=True, slots=True)
class ModelNode:
    """A box of the figure: a category, or a free concept such as "Resilience"."""

    id: str
    origin: Origin
    category_id: str | None = None
    label: str | None = None
    group_id: str | None = None


@dataclass(frozen=True, slots=True)
class ModelEdge:
    source: str  # a node or group id
    target: str
    origin: Origin
    label: str | None = None
    style: EdgeStyle = EdgeStyle.SOLID


@dataclass(frozen=True, slots=True)
class Model:
    """The study's theoretical model, drawn as its figure."""

    number: int
    title: str
    origin: Origin
    groups: tuple[ModelGroup, ...] = ()
    nodes: tuple[ModelNode, ...] = ()
    edges: tuple[ModelEdge, ...] = ()
    caption: str | None = None
    direction: Direction = Direction.TOP_TO_BOTTOM
    core: str | None = None  # the id of the node or group drawn with emphasis

    @property
    def anchor(self) -> str:
        return f"figure-{self.number}"


@dataclass(frozen=True, slots=True)
class RetiredCategory:
    """A category of an earlier version of the codebook that is no longer
    one: merged into another, or split into several (``retired:`` in the
    categories file). Only qualsite history and the audit trail read it."""

    id: str
    origin: Origin
    name: str | None = None
    merged_into: str | None = None
    split_into: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """An analytic decision (``decisions.yml``), for the audit trail."""

    date: str  # YYYY-MM-DD
    decided: str
    origin: Origin
    #: Its place on the Audit trail page: "decision-<date>", and "-2", "-3"
    #: for a second and third decision of the same day, in file order.
    anchor: str
    why: str | None = None
    by: str | None = None
    stage: str | None = None
    category_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """Where the study reports one item of its reporting standard: exactly
    one of a page (and a heading on it), a category, a table, the figure, a
    short answer, or why the item does not apply."""

    number: int
    origin: Origin
    page: str | None = None  # a Markdown file in docs_dir, with "/"
    heading: str | None = None
    category_id: str | None = None
    table: int | None = None
    figure: int | None = None
    answer: str | None = None
    not_applicable: str | None = None


@dataclass(frozen=True, slots=True)
class Checklist:
    """The study's reporting checklist (``checklist.yml``)."""

    standard: str  # the standard's key, as qualsite.checklists knows it
    entries: tuple[ChecklistEntry, ...]  # in item order, each item at most once
    origin: Origin

    def entry(self, number: int) -> ChecklistEntry | None:
        return next((e for e in self.entries if e.number == number), None)


@dataclass(frozen=True, eq=False)
class Study:
    """A whole study. Categories are in tree order (parents before children,
    siblings by ``order`` then file order); excerpts are in participant order,
    then in the order they were written."""

    root: Path
    meta: StudyMeta
    categories: tuple[Category, ...]
    participants: tuple[Participant, ...]
    excerpts: tuple[Excerpt, ...]
    tables: tuple[Table, ...] = ()
    model: Model | None = None
    retired: tuple[RetiredCategory, ...] = ()
    #: Newest first (by date; the same day's in file order).
    decisions: tuple[Decision, ...] = ()
    checklist: Checklist | None = None

    # -- categories -----------------------------------------------------

    @cached_property
    def categories_by_id(self) -> Mapping[str, Category]:
        return MappingProxyType({c.id: c for c in self.categories})

    def category(self, category_id: str) -> Category:
        return self.categories_by_id[category_id]

    @cached_property
    def _children(self) -> Mapping[str | None, tuple[Category, ...]]:
        children: dict[str | None, list[Category]] = {}
        for category in self.categories:
            children.setdefault(category.parent_id, []).append(category)
        return MappingProxyType({k: tuple(v) for k, v in children.items()})

    @property
    def top_categories(self) -> tuple[Category, ...]:
        return self._children.get(None, ())

    def children(self, category: Category) -> tuple[Category, ...]:
        return self._children.get(category.id, ())

    def parent(self, category: Category) -> Category | None:
        return self.categories_by_id[category.parent_id] if category.parent_id else None

    def ancestors(self, category: Category) -> tuple[Category, ...]:
        """From the top of the tree down to the category's parent."""
        chain: list[Category] = []
        parent = self.parent(category)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent)
        return tuple(reversed(chain))

    def siblings(self, category: Category) -> tuple[Category, ...]:
        """The other categories with the same parent, in order."""
        return tuple(c for c in self._children.get(category.parent_id, ()) if c is not category)

    def descendants(self, category: Category) -> tuple[Category, ...]:
        found: list[Category] = []
        stack = list(reversed(self.children(category)))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.children(current)))
        return tuple(found)

    def decisions_about(self, category: Category) -> tuple[Decision, ...]:
        """The decisions that touched ``category``, newest first."""
        return tuple(d for d in self.decisions if category.id in d.category_ids)

    @property
    def core_category(self) -> Category | None:
        return next((c for c in self.categories if c.core), None)

    @cached_property
    def leaf_categories(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if not self.children(c))

    # -- participants ---------------------------------------------------

    @cached_property
    def participants_by_id(self) -> Mapping[str, Participant]:
        return MappingProxyType({p.id: p for p in self.participants})

    def participant(self, participant_id: str) -> Participant:
        return self.participants_by_id[participant_id]

    # -- excerpts -------------------------------------------------------

    @cached_property
    def excerpts_by_id(self) -> Mapping[str, Excerpt]:
        return MappingProxyType({e.id: e for e in self.excerpts})

    @cached_property
    def _coded(self) -> Mapping[str, tuple[Excerpt, ...]]:
        coded: dict[str, list[Excerpt]] = {}
        for excerpt in self.excerpts:
            for category_id in excerpt.category_ids:
                coded.setdefault(category_id, []).append(excerpt)
        return MappingProxyType({k: tuple(v) for k, v in coded.items()})

    def excerpts_coded_to(self, category: Category) -> tuple[Excerpt, ...]:
        """Excerpts coded to this category itself, not to its descendants."""
        return self._coded.get(category.id, ())

    @cached_property
    def _position(self) -> Mapping[str, int]:
        return MappingProxyType({e.id: i for i, e in enumerate(self.excerpts)})

    def subtree_excerpts(self, category: Category) -> tuple[Excerpt, ...]:
        """Excerpts coded to the category or any descendant, each once, in study order."""
        # Asked for by the counts, the pages, the tables and every export:
        # gathered and sorted once per category.
        known = self._subtrees.get(category.id)
        if known is not None:
            return known
        descendants = self.descendants(category)
        if not descendants:
            return self.excerpts_coded_to(category)
        found: dict[str, Excerpt] = {}
        for member in (category, *descendants):
            for excerpt in self._coded.get(member.id, ()):
                found[excerpt.id] = excerpt
        gathered = tuple(sorted(found.values(), key=lambda e: self._position[e.id]))
        self._subtrees[category.id] = gathered
        return gathered

    @cached_property
    def _subtrees(self) -> dict[str, tuple[Excerpt, ...]]:
        return {}

    @cached_property
    def _by_participant(self) -> Mapping[str, tuple[Excerpt, ...]]:
        grouped: dict[str, list[Excerpt]] = {}
        for excerpt in self.excerpts:
            grouped.setdefault(excerpt.participant_id, []).append(excerpt)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    def excerpts_of(self, participant: Participant) -> tuple[Excerpt, ...]:
        return self._by_participant.get(participant.id, ())

    @staticmethod
    def participant_ids(excerpts: Iterable[Excerpt]) -> frozenset[str]:
        return frozenset(e.participant_id for e in excerpts)

    # -- what may be published --------------------------------------------

    def published(self) -> Study:
        """The study without withdrawn participants and unpublished excerpts.

        Every output is made from this view, so anything removed here is
        absent from pages, tables, counts, downloads and the search index.
        """
        participants = tuple(p for p in self.participants if not p.withdrawn)
        kept = {p.id for p in participants}
        excerpts = tuple(e for e in self.excerpts if e.publish and e.participant_id in kept)
        if len(participants) == len(self.participants) and len(excerpts) == len(self.excerpts):
            return self
        return replace(self, participants=participants, excerpts=excerpts)
