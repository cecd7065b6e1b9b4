"""The names of the months in the languages qualsite writes (English,
German, French, Spanish, Dutch), for the date patterns and the dates the
gate approves: a German site's "3. Mai 1961" is a full date as "3 May 1961"
is, whether a participant wrote it or qualsite did (an audit trail's day).

Taken from the Unicode CLDR through Babel, as qualsite's own dates are
written: full and abbreviated names, in a date and standing alone; and the
short forms people write that CLDR does not give.
"""

from __future__ import annotations

import re

from babel import Locale

#: Each language's locales (British English writes September "Sept").
LANGUAGES = {"en": ("en", "en_GB"), "de": ("de",), "fr": ("fr",), "es": ("es",), "nl": ("nl",)}

#: Short forms in common use that CLDR leaves out.
_USUAL = {"fr": {"fév": 2, "fev": 2}}


def month_numbers(language: str) -> dict[str, int]:
    """A language's month names, lower case, each with its month (1 to 12)."""
    numbers: dict[str, int] = {}
    for tag in LANGUAGES[language]:
        months = Locale.parse(tag).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    # "janv." and "Jan.": the pattern reads the full stop itself.
                    numbers.setdefault(name.casefold().rstrip("."), number)
    numbers.update(_USUAL.get(language, {}))
    return numbers


def months_pattern(language: str) -> str:
    """A language's month names as a regular expression's alternatives,
    the longest first (so that "marzo" is read whole, not as "mar")."""
    names = month_numbers(language)
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


#: Every language's month names, for reading the day a date names.
MONTH_NUMBERS: dict[str, int] = {
    name: number for language in LANGUAGES for name, number in month_numbers(language).items()
}
