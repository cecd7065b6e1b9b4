"""The study's own publication (``publication:`` in study.yml), checked by type.

The file format (:data:`qualsite.study.format.PUBLICATION`) reads each field;
what a type needs or does not take (an article's journal, a thesis's
university) depends on another field's value, so it is checked here, each
problem at the line of the field it is about.
"""

from __future__ import annotations

from ..errors import Problems
from ..fields import RecordValue
from .format import PUBLICATION_TYPE_FIELDS
from .model import Author, Publication, PublicationType

#: The fields every type of publication takes.
_COMMON = ("type", "title", "authors", "year", "doi", "url")

_NEEDS = {
    "journal": "its journal (journal: ...)",
    "institution": "its institution (institution: ...)",
    "publisher": "its publisher (publisher: ...)",
}


def check_publication(record: RecordValue, problems: Problems) -> bool:
    """Whether the fields written fit the publication's type; records each
    field its type does not take, and what it lacks. (A type that could not
    be read was reported by the format.)"""
    kind = record.get("type")
    if kind is None:
        return False
    needed, optional = PUBLICATION_TYPE_FIELDS[kind]
    taken = (*_COMMON, *needed, *optional)
    article = "an" if kind[0] in "aeiou" else "a"
    fine = True
    for name in record.origin.field_lines:
        if "[" not in name and name not in taken:
            fine = False
            problems.error(
                record.origin.at(name),
                f"publication: {article} {kind} has no {name}; {article} {kind} takes "
                + ", ".join(taken)
                + " (or change its type)",
            )
    for name in needed:
        if name not in record.origin.field_lines:
            fine = False
            problems.error(
                record.origin.location,
                f"publication: {article} {kind} needs {_NEEDS[name]} to be cited",
            )
    return fine


def read_publication(
    record: RecordValue,
    *,
    study_title: str,
    study_authors: tuple[Author, ...],
    authors: tuple[Author, ...],
) -> Publication:
    """The publication written in ``record`` (checked by
    :func:`check_publication`); ``authors`` are its own, when it gives them."""
    return Publication(
        type=PublicationType(record.get("type")),
        title=record.get("title", study_title),
        authors=authors or study_authors,
        origin=record.origin,
        year=record.get("year"),
        journal=record.get("journal"),
        volume=record.get("volume"),
        issue=record.get("issue"),
        pages=record.get("pages"),
        number=record.get("number"),
        publisher=record.get("publisher"),
        institution=record.get("institution"),
        thesis_type=record.get("thesis_type"),
        doi=record.get("doi"),
        url=record.get("url"),
    )
