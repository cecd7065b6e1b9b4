"""Text as a reader sees it, for matching: the same name in every disguise
folds to the same string.

A name can reach a page looking whole while its characters differ: composed
or decomposed accents (``Zoë``, ``Zoe`` + U+0308), a soft hyphen or a
zero-width space inside it, fullwidth or mathematical letters, a Cyrillic
U+043E (Cyrillic o) for a Latin ``o``, or a right-to-left override that shows ``doowkaO``
as ``Oakwood``. :func:`fold_for_names` maps all of these to one form, on the
deny-list's side and on the text's side alike, so that they match.

:func:`fold_for_patterns` is gentler: compatibility forms (fullwidth at sign U+FF20,
no-break spaces) and invisible characters only, so that personal-data
patterns still see digits, case and punctuation.

Both keep every line break where it was (nothing here adds or removes a
``\\n``), so a match's line in the folded text is its line in the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt): drawn
# as nothing, so they can sit inside a name unseen. Most are also in general
# category Cf, which is dropped as a whole below; these are the others
# (Hangul fillers, variation selectors, the combining grapheme joiner...).
_IGNORABLE_RANGES = (
    # Control characters (but tab and line breaks): a browser draws none.
    (0x0000, 0x0008),
    (0x000B, 0x000C),
    (0x000E, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)

# Where marks and format characters live: the first two planes and the
# tags/variation-selector plane (planes 2 and 3 hold ideographs only).
_SCANNED_PLANES = (range(0x0000, 0x20000), range(0xE0000, 0xE1000))

#: Right-to-left override and the character that ends it.
RLO, PDF = "\u202e", "\u202c"
# An override lasts to its end or to the end of the block (markup's
# barriers hold U+001F), over line breaks: in a page, a line break is a space.
_OVERRIDDEN = re.compile(f"{RLO}([^{PDF}\\x1f]*)")


@cache
def _invisible() -> frozenset[int]:
    """Code points that show nothing of their own: format characters,
    default-ignorables and (for names) combining marks are separate."""
    found = {cp for start, end in _IGNORABLE_RANGES for cp in range(start, end + 1)}
    for plane in _SCANNED_PLANES:
        found.update(cp for cp in plane if unicodedata.category(chr(cp)) == "Cf")
    return frozenset(found)


@cache
def _marks() -> frozenset[int]:
    """Non-spacing and enclosing marks: accents, which NFKD has split off."""
    return frozenset(
        cp
        for plane in _SCANNED_PLANES
        for cp in plane
        if unicodedata.category(chr(cp)) in ("Mn", "Me")
    )


@cache
def _look_alikes() -> Mapping[int, str]:
    """Letters of other scripts drawn like a Latin letter (Cyrillic U+0430,
    Greek U+03BF...), mapped to that letter, from Unicode's confusables data
    as the confusable-homoglyphs package ships it."""
    # Loaded here and let go once the map is made: the whole table (16 MiB
    # as Python objects) is far bigger than the few thousand letters kept.
    # (Importing its ``confusables`` module would keep it for good.)
    from confusable_homoglyphs.utils import load

    table: dict[str, list[dict[str, str]]] = load("confusables.json")
    mapping: dict[int, str] = {}
    for character, homoglyphs in table.items():
        if len(character) != 1 or character.isascii():
            continue
        if unicodedata.category(character)[0] != "L":
            continue
        latin = [
            h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()
        ]
        if latin:
            mapping[ord(character)] = latin[0].lower()
    return mapping


@cache
def _name_table() -> Mapping[int, str | None]:
    table: dict[int, str | None] = dict.fromkeys(_invisible() | _marks())
    table.update(_look_alikes())
    return table


@cache
def _pattern_table() -> Mapping[int, str | None]:
    return dict.fromkeys(_invisible())


# A page is mostly ASCII, which folds by case alone; only its runs of other
# characters (a curly quote, an accented name, a sentence of Greek) are
# decomposed and looked up, and a run seen before (the same quote mark on
# every line) is not worked out again.
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=1 << 14)
def _fold_run(run: str) -> str:
    # Look-alikes are mapped before case-folding and after: a capital such
    # as Cyrillic Ve (U+0412) looks like "B", while its small letter does not look
    # like "b"; and some letters look Latin only in their small form.
    table = _name_table()
    return unicodedata.normalize("NFKD", run).translate(table).casefold().translate(table)


def _fold_match(match: re.Match[str]) -> str:
    return _fold_run(match.group())


@lru_cache(maxsize=1 << 12)
def _pattern_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run).translate(_pattern_table())


def _pattern_match(match: re.Match[str]) -> str:
    return _pattern_run(match.group())


def fold_for_names(text: str) -> str:
    """Compatibility-decomposed, without accents or invisible characters,
    look-alike letters made Latin, and case-folded."""
    if not text.isascii():
        text = _NOT_ASCII.sub(_fold_match, text)
    return _without_controls(text).casefold()


_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(text: str) -> str:
    return _ASCII_CONTROL.sub("", text) if _ASCII_CONTROL.search(text) else text


def fold_for_patterns(text: str) -> str:
    """Compatibility-composed (the fullwidth U+FF20 is ``@``, a no-break space a space),
    without invisible characters; case and accents are kept."""
    if text.isascii():
        return _without_controls(text)
    if not unicodedata.is_normalized("NFC", text):
        # An accent typed as its own character after a plain letter
        # ("Ma\u0308rz", as macOS and PDFs give it) is outside the runs of
        # non-ASCII characters composed below: compose the whole text first.
        text = unicodedata.normalize("NFC", text)
    return _without_controls(_NOT_ASCII.sub(_pattern_match, text))


def reading_orders(text: str) -> Iterator[str]:
    """The text, and then, if it uses right-to-left overrides, the text as
    they display it: each overridden run reversed."""
    yield text
    if RLO in text:
        yield _OVERRIDDEN.sub(lambda m: RLO + m.group(1)[::-1], text)


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """:func:`fold_for_names` of ``text``, and for each folded character the
    index of the original character it came from (for short texts such as
    messages, whose matches must be cut out of the original)."""
    folded: list[str] = []
    positions: list[int] = []
    for index, character in enumerate(text):
        piece = fold_for_names(character)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def warm_up() -> None:
    """Build the tables now (about a tenth of a second), not during a build's
    first page."""
    _name_table()
    _pattern_table()


__all__ = [
    "fold_for_names",
    "fold_for_patterns",
    "folded_with_positions",
    "reading_orders",
    "warm_up",
]
