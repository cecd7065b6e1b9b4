"""``qualsite history``: how the codebook changed from one version to another.

A version is a folder or a git revision (:mod:`.versions`); two versions are
compared in their published view, under the newest version's withdrawals
(:mod:`.compare`); the changes are told as text (:mod:`.report`), and hold
what a site page "How the codebook changed" needs.
"""

from __future__ import annotations

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
    Withdrawals,
    compare,
    history_across,
    history_texts,
)
from .report import describe_changes, describe_history
from .versions import (
    WORKING_TREE,
    Version,
    codebook_folder,
    read_folder,
    read_revision,
    read_tagged_versions,
    read_version,
    tagged_versions,
)

__all__ = [
    "WORKING_TREE",
    "AddedCategory",
    "CategoryRef",
    "CodebookChanges",
    "DefinitionChange",
    "Evidence",
    "MergedCategory",
    "MovedCategory",
    "Recoding",
    "RemovedCategory",
    "RenamedCategory",
    "SplitCategory",
    "Version",
    "Withdrawals",
    "codebook_folder",
    "compare",
    "describe_changes",
    "describe_history",
    "history_across",
    "history_texts",
    "read_folder",
    "read_revision",
    "read_tagged_versions",
    "read_version",
    "tagged_versions",
]
