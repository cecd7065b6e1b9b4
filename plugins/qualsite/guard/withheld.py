"""What a study holds back, so that the last gate can see it if it is
published by another road.

Withdrawn participants' excerpts, unpublished excerpts and excerpt memos
are left out of everything qualsite makes; but a snippet that includes a
codebook file, or a copy of one under another name, would put them in a
page all the same. The gate looks for their words: for each held-back text,
its first eight words (or all of them, if it has four to seven), folded like
a deny-list entry. Shorter texts are too common to look for, and a text that
is also published (the same words coded twice) is not looked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Location
from ..study.model import Study
from .denylist import Phrases, phrase

#: The words of a held-back text the gate looks for.
WINDOW = 8
#: Fewer words than this are too likely to be published elsewhere by chance.
FEWEST_WORDS = 4


@dataclass(frozen=True)
class Withheld:
    phrases: Phrases
    #: Where each phrase's text is, by the phrase's number.
    locations: tuple[Location, ...]

    def location(self, number: int) -> Location:
        return self.locations[number]


def withheld(study: Study, published: Study) -> Withheld | None:
    """The held-back texts of ``study`` (which still has them all), or
    None when nothing is held back."""
    published_ids = {excerpt.id for excerpt in published.excerpts}
    shown = {phrase(excerpt.text) for excerpt in published.excerpts}
    texts: list[tuple[str, Location]] = []
    for excerpt in study.excerpts:
        if excerpt.id not in published_ids:
            texts.append((excerpt.text, excerpt.origin.at("text")))
        for index, memo in enumerate(excerpt.memos):
            where = excerpt.origin.at("memo", index if len(excerpt.memos) > 1 else None)
            texts.append((memo, where))
    entries: dict[str, int] = {}
    locations: list[Location] = []
    for text, where in texts:
        folded = phrase(text)
        words = folded.split(" ")
        if len(words) < FEWEST_WORDS or folded in shown:
            continue
        entry = " ".join(words[:WINDOW])
        if entry not in entries:
            entries[entry] = len(locations)
            locations.append(where)
    if not entries:
        return None
    return Withheld(Phrases(entries), tuple(locations))
