"""A codebook as read, before the integrity checks make a Study of it.

Its own module so that the loader (which fills it) and the integrity checks
(which read it) do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import RecordValue
from .model import Category, Excerpt, Participant, RetiredCategory, StudyMeta


@dataclass
class RawStudy:
    """Records as read, before the integrity checks turn them into a Study.

    ``*_ids_seen`` hold the ids of records that were dropped for another
    mistake, so that references to them do not produce a second, misleading
    "unknown id" error.
    """

    meta: StudyMeta | None = None
    participants: list[Participant] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    #: Excerpts dropped for a mistake: kept only so that their references to
    #: participants and categories are checked in the same run.
    dropped_excerpts: list[Excerpt] = field(default_factory=list)
    participant_ids_seen: set[str] = field(default_factory=set)
    category_ids_seen: set[str] = field(default_factory=set)
    #: Tables and model as read; built once the categories are known.
    tables: list[RecordValue] = field(default_factory=list)
    model: RecordValue | None = None
    #: Categories of earlier versions (``retired:`` in the categories file).
    retired: list[RetiredCategory] = field(default_factory=list)
    #: Decisions and the checklist as read; checked once the tree is known.
    decisions: list[RecordValue] = field(default_factory=list)
    checklist: RecordValue | None = None
    #: Kinds with a file that could not be read at all: references to their
    #: ids cannot be checked, and reporting each as unknown would bury the
    #: one real problem.
    unreadable: set[str] = field(default_factory=set)
    #: The files of each kind that exist and could not be read (not YAML,
    #: empty, or without their list), as shown in messages: the report says
    #: which checks were left out until they can be read.
    failed_files: dict[str, list[str]] = field(default_factory=dict)
    #: Characters of text that anchors and aliases repeat, in all the files.
    alias_characters: int = 0
