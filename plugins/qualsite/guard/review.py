"""Texts a person has not yet read for anonymisation.

``qualsite import`` marks every excerpt and every memo it writes
``reviewed: false``: they come straight from a QDA project, where names are
common. They stop a strict build (the one that publishes), and warn in any
other, until a person has read them and set ``reviewed: true``, or the study
says it is a draft (``draft: true`` in study.yml), in which case every page
says so and nothing stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Location, Problems
from ..study.model import Study


@dataclass(frozen=True, slots=True)
class Unreviewed:
    what: str  # "excerpt" or "memo"
    location: Location


def unreviewed(study: Study) -> Iterator[Unreviewed]:
    for category in study.categories:
        for index, memo in enumerate(category.memos):
            if not memo.reviewed:
                where = category.origin.at("memo", index if len(category.memos) > 1 else None)
                yield Unreviewed("memo", where)
    for excerpt in study.excerpts:
        if not excerpt.reviewed:
            yield Unreviewed("excerpt", excerpt.origin.at("reviewed"))


def unreviewed_count(study: Study) -> int:
    return sum(1 for _ in unreviewed(study))


def check_review(study: Study, problems: Problems, *, strict: bool) -> None:
    """One problem per file (an import writes hundreds of excerpts a file),
    at the first unreviewed text of it: an error in a strict build, a
    warning otherwise, nothing in a draft."""
    if study.meta.draft:
        return
    by_file: dict[str, list[Unreviewed]] = {}
    for item in unreviewed(study):
        by_file.setdefault(item.location.path, []).append(item)
    for items in by_file.values():
        excerpts = sum(1 for i in items if i.what == "excerpt")
        memos = len(items) - excerpts
        counted = " and ".join(
            f"{n} {what}{'s' if n != 1 else ''}"
            for n, what in ((excerpts, "excerpt"), (memos, "memo"))
            if n
        )
        verb = "is" if len(items) == 1 else "are"
        message = (
            f"{counted} in this file {verb} not yet reviewed for anonymisation "
            "(reviewed: false): read each one, redact what could identify anyone and set "
            "reviewed: true; to preview the site before then, set draft: true in study.yml "
            "(every page then says it is a draft)"
        )
        first = min(items, key=lambda i: i.location.line).location
        if strict:
            problems.error(first, message)
        else:
            problems.warning(first, message)
