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

from .months import months_pattern

# Each language's names in its own way of writing a date: a full stop after
# the day is German, "1er" French, "de" Spanish (a full stop after a number
# ends an English sentence: "maybe 4. March 2019 I left" is no date).
_EN = months_pattern("en")
_DE = months_pattern("de")
_FR = months_pattern("fr")
_ES = months_pattern("es")
_NL = months_pattern("nl")


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


def _phone_digits_fit(found: str) -> bool:
    """A UK number is 0 and 9 or 10 more digits; an international one is +,
    a country code and 7 to 14 digits in all (E.164 allows 15). Groups
    split by dots have two digits or more ("0.25 0.5 0.75" is no number)."""
    if "." in found and any(len(group) < 2 for group in re.findall(r"\d+", found)):
        return False
    digits = sum(c.isdigit() for c in found)
    if found.startswith("+"):
        return 8 <= digits <= 15
    return found.lstrip("(").startswith("0") and 10 <= digits <= 11


_YEAR_FIRST = re.compile(r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}")


def _date_can_be(found: str) -> bool:
    """A date written year first (1985-03-12) only with a month and a day
    that can be: "2019-20-21" is more likely a range of something else."""
    if not _YEAR_FIRST.fullmatch(found):
        return True
    _, month, day = (int(part) for part in re.split(r"[/.-]", found))
    return 1 <= month <= 12 and 1 <= day <= 31


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
        re.compile(
            r"\b(?:https?://|www\.)[^\s<>\"']+"
            # A bare domain with a path ("x.org/jane"): the path makes it an address.
            r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"']*",
            re.IGNORECASE,
        ),
        needs=re.compile(r"://|www\.|\.[a-z]{2,}/", re.IGNORECASE),
    ),
    PatternKind(
        "phone",
        "a phone number",
        # Digits in groups split by a space, hyphen, dot or brackets, as
        # people write them: 01603 456789, 07700.900.123, +1 (555) 123-4567,
        # +44 (0)20 7946 0958. How many digits it takes is checked after.
        re.compile(r"(?<![\w+.])(?:\+|\(?)\d(?:[\s.()-]{0,2}\d){6,14}(?![\w])"),
        _phone_digits_fit,
        min_digits=7,
    ),
    PatternKind(
        "nhs-number",
        "an NHS number",
        re.compile(r"(?<![\d+.])\d{3}[\s.-]{0,2}\d{3}[\s.-]{0,2}\d{4}(?![\d])"),
        _nhs_number_checks,
        min_digits=10,
    ),
    PatternKind(
        "postcode",
        "a UK postcode",
        # SW1A 1AA, SW1A1AA, SW1A  1AA, EC1A-1BB. An area of one letter is
        # one of the eight that exist (so "P1 1st" is no postcode), and an
        # ordinal in small letters is not an inward code ("W1 2nd"; but
        # "B33 8TH" is a postcode).
        re.compile(
            r"\b(?:[A-Z]{2}\d[A-Z\d]?|[BEGLMNSW]\d[A-Z\d]?|GIR)[\s-]{0,2}"
            r"\d(?!(?-i:st|nd|rd|th)\b)[A-Z]{2}\b",
            re.IGNORECASE,
        ),
        min_digits=1,  # GIR 0AA
    ),
    PatternKind(
        "date",
        "a full date (it may be a date of birth)",
        re.compile(
            r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
            r"|(?:1[89]|20)\d{2}([/.-])\d{1,2}\1\d{1,2}"  # 1985-03-12
            # 12 March 1985, 12th of March, 1985
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN})\.?,?\s+(?:19|20)\d{{2}}"
            rf"|\d{{1,2}}\.?\s*(?:{_DE})\.?\s+(?:19|20)\d{{2}}"  # 12. März 1985
            rf"|\d{{1,2}}(?:er)?\s+(?:{_FR})\.?\s+(?:19|20)\d{{2}}"  # 1er mars 1985
            # 12 de marzo de 1985, 1º de mayo del 1985, 12 mar. 1985
            rf"|\d{{1,2}}[º°]?\s+(?:de\s+)?(?:{_ES})\.?\s+(?:del?\s+)?(?:19|20)\d{{2}}"
            rf"|\d{{1,2}}\s+(?:{_NL})\.?\s+(?:19|20)\d{{2}}"  # 12 maart 1985
            # March 12, 1985: only English writes the month first (and a
            # pattern that may start at any word is tried at every word).
            rf"|(?:{_EN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})\b",
            re.IGNORECASE,
        ),
        _date_can_be,
        min_digits=4,  # 1.2.85
    ),
)

PATTERN_NAMES = tuple(kind.name for kind in PATTERN_KINDS)

#: What every pattern needs somewhere in the text: a digit, an "@", or the
#: start of a web address. Most excerpts have none, and are passed at once.
_ANY_PATTERN_NEEDS = re.compile(r"[\d@]|://|www\.|\.[a-z]{2,}/", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_MOST_DIGITS_NEEDED = max(kind.min_digits for kind in PATTERN_KINDS)


def _digits_up_to(text: str, most: int) -> int:
    """How many digits the text holds, counting no further than ``most`` (a
    page holds thousands, and only whether it holds enough matters)."""
    count = 0
    for _ in _DIGIT.finditer(text):
        count += 1
        if count >= most:
            break
    return count


@dataclass(frozen=True, slots=True)
class PatternMatch:
    kind: PatternKind
    offset: int
    text: str  # what was found (never shown: it is compared, or redacted)


def find_patterns(
    text: str, allowed: frozenset[str] = frozenset(), *, kinds: frozenset[str] | None = None
) -> Iterator[PatternMatch]:
    """Each kind of personal data found in ``text``, once per place (of the
    ``kinds`` named, or of every kind).

    A span already claimed by an earlier kind is not reported again (a valid
    NHS number is not also "a phone number"). The text should be folded
    with :func:`~qualsite.guard.normalise.fold_for_patterns` first, so that
    a fullwidth at sign (U+FF20) or a zero-width space inside a number changes nothing.
    """
    if not _ANY_PATTERN_NEEDS.search(text):
        return
    digits = _digits_up_to(text, _MOST_DIGITS_NEEDED)
    claimed: list[tuple[int, int]] = []
    for kind in PATTERN_KINDS:
        if kinds is not None and kind.name not in kinds:
            continue
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
                yield PatternMatch(kind, span[0], match.group(0))
