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

from ..errors import Location, Problem
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


def withdrawn_named(study: Study, published: Study) -> list[Problem]:
    """Each text of the audit trail and the checklist that names a withdrawn
    participant, by their id or their label: the researchers' own notes are
    published, and a withdrawal takes the participant out of the whole site,
    not only their words. The message names the participant's field, never
    the participant."""
    kept = {p.id for p in published.participants}
    names: dict[str, int] = {}
    for participant in study.participants:
        if participant.id in kept:
            continue
        for name in (participant.id, participant.label):
            folded = phrase(name)
            if folded:
                names.setdefault(folded, len(names))
    if not names:
        return []
    find = Phrases(names)
    problems = []
    for what, where, text in rigour_texts(study):
        if find.find(text):
            problems.append(
                Problem(
                    where,
                    f"{what} names a participant who has withdrawn (by their id or label); "
                    "a withdrawal takes them out of the whole site: reword it without them",
                )
            )
    return problems


def rigour_texts(study: Study) -> list[tuple[str, Location, str]]:
    """The researchers' texts of the audit trail and the checklist, each
    with what it is and where it is written."""
    texts: list[tuple[str, Location, str]] = []
    for decision in study.decisions:
        for name in ("decided", "why", "by", "stage"):
            value = getattr(decision, name)
            if value:
                texts.append((f"a decision's '{name}'", decision.origin.at(name), value))
    for retired in study.retired:
        for name in ("name", "reason"):
            value = getattr(retired, name)
            if value:
                texts.append((f"a retired category's {name}", retired.origin.at(name), value))
    if study.checklist is not None:
        for entry in study.checklist.entries:
            for name in ("answer", "not_applicable", "heading"):
                value = getattr(entry, name)
                if value:
                    what = f"checklist item {entry.number}'s '{name}'"
                    texts.append((what, entry.origin.at(name), value))
    return texts
