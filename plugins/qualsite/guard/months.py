"""The names of the months in the languages qualsite writes (English,
German, French, Spanish, Dutch), for the date patterns and the dates the
gate approves: a German site's "3. Mai 1961" is a full date as "3 May 1961"
is, whether a participant wrote it or qualsite did (an audit trail's day).

Taken from the Unicode CLDR through Babel, as qualsite's own dates are
written: full and abbreviated names, in a date and standing alone.
"""

from __future__ import annotations

import re

from babel import Locale

#: The languages whose month names are read: qualsite's shipped catalogues
#: (British English, whose September is "Sept", besides the default).
LANGUAGES = ("en", "en_GB", "de", "fr", "es", "nl")


def _month_numbers(languages: tuple[str, ...] = LANGUAGES) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for tag in languages:
        months = Locale.parse(tag).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    # "janv." and "Jan.": the pattern reads the full stop itself.
                    numbers.setdefault(name.casefold().rstrip("."), number)
    return numbers


#: Each month's names, lower case, by its number (1 to 12).
MONTH_NUMBERS: dict[str, int] = _month_numbers()


def _alternatives(names: dict[str, int]) -> str:
    # The longest first, so that "marzo" is read whole, not as "mar".
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


#: The names as a regular expression's alternatives.
MONTHS_PATTERN = _alternatives(MONTH_NUMBERS)

#: The English names only: only English writes the month before the day
#: ("March 12, 1985"), and a pattern that may start at any word is tried at
#: every word of every page (all the languages' names: a slower gate).
ENGLISH_MONTHS_PATTERN = _alternatives(_month_numbers(("en", "en_GB")))
