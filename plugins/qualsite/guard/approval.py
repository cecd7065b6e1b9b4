"""Personal data that a study publishes by design, and how the last gate
recognises it in the finished site.

What the patterns find in the researchers' own texts (pages, the study's
description, ``mkdocs.yml``, template overrides, allowed excerpts) is
approved: a contact address, a DOI that looks like a phone number, the
release date. The gate lets an approved match through wherever it meets it.
A date is approved by the day it names, whatever its form, so that a page's
``2024-03-12`` also approves the "March 12, 2024" a theme prints for it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

from ..study.model import Study
from .months import MONTH_NUMBERS
from .normalise import fold_for_patterns

_NUMBERS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")  # letters, in any alphabet ("märz")


def approval_keys(found: str) -> set[str]:
    """The keys under which a match is approved: the days a date can name
    (3/4/2024 is the 3rd of April or the 4th of March), else its text."""
    days = _days(found)
    if days:
        return {f"date:{day.isoformat()}" for day in days}
    return {exact_key(found)}


def exact_key(found: str) -> str:
    """A match as its text alone, whatever it names (for an approval that
    holds in one file only: :attr:`.gate.GatePolicy.scoped`)."""
    return " ".join(fold_for_patterns(found).split()).casefold()


def approved(found: str, keys: Collection[str]) -> bool:
    return any(key in keys for key in approval_keys(found))


def build_date_keys(when: datetime, release: str | None) -> set[str]:
    """The dates a build prints of itself (the footer, CITATION.cff, the
    sitemap, a theme's "last update"): the release date and the build date,
    and the next day, for a build that runs past midnight."""
    days = {when.date(), (when + timedelta(days=1)).date()}
    keys = {f"date:{day.isoformat()}" for day in days}
    if release:
        keys |= approval_keys(release)
    return keys


def audit_dates(study: Study) -> set[str]:
    """The days the audit trail names (YYYY-MM-DD): its decisions' and its
    dated memos'. A date field is read as a day of the calendar, never as
    personal data: the audit trail is the researchers' record of their work."""
    days = {decision.date for decision in study.decisions}
    days |= {memo.date for category in study.categories for memo in category.memos if memo.date}
    return days


def _days(text: str) -> set[date]:
    lowered = fold_for_patterns(text).casefold()
    numbers = [int(n) for n in _NUMBERS.findall(lowered)]
    months = [MONTH_NUMBERS[w] for w in _WORD.findall(lowered) if w in MONTH_NUMBERS]
    candidates: list[tuple[int, int, int]] = []
    if months and len(numbers) == 2:  # 12 March 1985, March 12th, 1985
        day, year = numbers
        candidates.append((year, months[0], day))
    elif len(numbers) == 3 and not months:
        first, second, third = numbers
        if first > 31:  # 1985-03-12
            candidates.append((first, second, third))
        else:  # 12/03/1985 or 03/12/1985, and 12.3.85
            candidates += [(third, second, first), (third, first, second)]
    found: set[date] = set()
    for year, month, day in candidates:
        for full_year in (year,) if year >= 100 else (1900 + year, 2000 + year):
            try:
                found.add(date(full_year, month, day))
            except ValueError:
                continue
    return found
