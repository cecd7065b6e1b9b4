"""The study: its data model, its file format and the loader that validates it.

Nothing in this package knows about MkDocs.
"""

from .loader import load_study
from .model import Author, Category, Excerpt, ExcerptKind, Participant, SourceLocator, Study

__all__ = [
    "Author",
    "Category",
    "Excerpt",
    "ExcerptKind",
    "Participant",
    "SourceLocator",
    "Study",
    "load_study",
]
