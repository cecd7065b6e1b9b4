"""Patterns of personal data that an anonymised excerpt should not contain:
e-mail addresses, phone numbers, UK postcodes, NHS numbers, full dates (which
may be dates of birth) and web addresses.

A finding is an error in strict mode and a warning otherwise; an excerpt can
allow a kind of finding once a person has checked it (``allow: [url]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


@dataclass(frozen=True, slots=True)
class PatternKind:
    name: str  # as written in `allow:`
    description: str  # "a phone number"
    regex: re.Pattern[str]
    accept: Callable[[str], bool] = lambda _: True
    # Cheap tests that let most texts skip the regex: a text with fewer
    # digits than one of these needs, or without ``needs`` in it, holds none.
    min_digits: int = 0
    needs: re.Pattern[str] | None = None


def _nhs_number_checks(found: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 to 2 on the first nine
    digits; 11 minus the remainder is the tenth digit (11 counts as 0, and a
    result of 10 never occurs in a real number)."""
    digits = [int(c) for c in found if c.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


PATTERN_KINDS: tuple[PatternKind, ...] = (
    PatternKind(
        "email",
        "an e-mail address",
        re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
        needs=re.compile("@"),
    ),
    PatternKind(
        "url",
        "a web address",
        re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE),
        needs=re.compile(r"://|www\.", re.IGNORECASE),
    ),
    PatternKind(
        "phone",
        "a phone number",
        re.compile(
            # UK: 0 or +44 and 9-10 more digits; elsewhere: + and 7-14 digits.
            r"(?<![\w+])(?:(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:\)?[\s-]?\d){8,9}"
            r"|\+\d{1,3}(?:[\s-]?\d){6,13})(?!\d)"
        ),
        min_digits=7,
    ),
    PatternKind(
        "nhs-number",
        "an NHS number",
        re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])"),
        _nhs_number_checks,
        min_digits=10,
    ),
    PatternKind(
        "postcode",
        "a UK postcode",
        re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE),
        min_digits=1,  # GIR 0AA
    ),
    PatternKind(
        "date",
        "a full date (it may be a date of birth)",
        re.compile(
            r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}"
            rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})\b",
            re.IGNORECASE,
        ),
        min_digits=4,  # 1.2.85
    ),
)

PATTERN_NAMES = tuple(kind.name for kind in PATTERN_KINDS)

#: What every pattern needs somewhere in the text: a digit, an "@", or the
#: start of a web address. Most excerpts have none, and are passed at once.
_ANY_PATTERN_NEEDS = re.compile(r"[\d@]|://|www\.", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class PatternMatch:
    kind: PatternKind
    offset: int


def find_patterns(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[PatternMatch]:
    """Each kind of personal data found in ``text``, once per place.

    A span already claimed by an earlier kind is not reported again (a valid
    NHS number is not also "a phone number").
    """
    if not _ANY_PATTERN_NEEDS.search(text):
        return
    digits = len(_DIGIT.findall(text))
    claimed: list[tuple[int, int]] = []
    for kind in PATTERN_KINDS:
        if digits < kind.min_digits or (kind.needs is not None and not kind.needs.search(text)):
            continue
        for match in kind.regex.finditer(text):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in claimed):
                continue
            if not kind.accept(match.group(0)):
                continue
            claimed.append(span)
            if kind.name not in allowed:
                yield PatternMatch(kind, span[0])
