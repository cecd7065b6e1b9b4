"""From coded text selections to excerpts: the words that were coded.

Each source's positions are read the way the exporting tool counts them, and
checked against the source's text (:mod:`.positions`); an excerpt that
still starts or ends inside a word is imported, and named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .archive import Archive, ImportError_
from .positions import (
    Choice,
    Counting,
    Positions,
    Selected,
    choose,
    cut,
    inside_word,
    tool_counting,
)
from .project import Project, Selection, TextSource, clean, valid_guid
from .report import Report, SourceReport

#: Excerpts longer than this (the format's limit) are skipped and counted.
MAX_EXCERPT_CHARACTERS = 20_000


@dataclass
class Owners:
    """Who each source's and each selection's excerpts belong to."""

    by_source: dict[str, str] = field(default_factory=dict)
    by_selection: dict[str, str] = field(default_factory=dict)
    by_case: dict[str, str] = field(default_factory=dict)  # a case's GUID -> its participant


@dataclass
class ExcerptContext:
    """What cutting excerpts needs from the rest of the conversion."""

    category_of: Callable[[str], str | None]  # a code's GUID -> its category id
    notes: dict[str, str]  # a note's GUID -> its text
    participants: list[dict[str, Any]]
    owner: Owners
    new_participant: Callable[[str, str], dict[str, Any]]  # (id, guid) -> participant


def cut_excerpts(
    project: Project,
    archive: Archive,
    context: ExcerptContext,
    report: Report,
    progress: Callable[[int, int], None] | None,
) -> dict[str, list[dict[str, Any]]]:
    excerpts: dict[str, list[dict[str, Any]]] = {}
    taken: set[str] = set()
    total = sum(len(s.selections) for s in project.sources)
    done = 0
    expected = tool_counting(project.origin)
    report.text_sources = len(project.sources)
    for number, source in enumerate(project.sources, start=1):
        label = f"S{number}"
        report.skip("codings of a whole source (no text to cut)", source.whole_codings)
        text = source_text(source, archive, report, label) if source.selections else None
        report.selections += len(source.selections)
        done += len(source.selections)
        if progress is not None:
            progress(done, total)
        if not source.selections:
            report.sources.append(SourceReport(label, Choice(expected, expected, 0, 0, 0)))
            continue
        if text is None:
            report.skip("selections in unreadable sources", len(source.selections))
            continue
        cutter = _Cutter(text, source, expected, report, label)
        for selection in source.selections:
            cut_words = cutter.excerpt(selection, number, context)
            if cut_words is None:
                continue
            excerpt, notes = cut_words
            participant = _owner(selection, source, context, report, label, bool(project.cases))
            excerpt_id = _unique_excerpt_id(selection.guid, taken)
            for note in notes:
                getattr(cutter.source_report, note).append(excerpt_id)
            excerpts.setdefault(participant, []).append({"id": excerpt_id, **excerpt})
            report.excerpts += 1
        report.sources.append(cutter.source_report)
    return excerpts


class _Cutter:
    """Cuts one source's selections, read with the counting that fits it."""

    def __init__(
        self, text: str, source: TextSource, expected: Counting, report: Report, label: str
    ) -> None:
        self.text = text
        self.report = report
        self.label = label
        self.positions = Positions(text)
        self.numbers = {id(s): _numbers(s) for s in source.selections}
        evidence = [
            Selected(*numbers, selection.name)
            for selection in source.selections
            if (numbers := self.numbers[id(selection)]) is not None
        ]
        self.choice = choose(self.positions, evidence, expected)
        self.source_report = SourceReport(label, self.choice)

    def excerpt(
        self, selection: Selection, source_number: int, context: ExcerptContext
    ) -> tuple[dict[str, Any], list[str]] | None:
        """The excerpt of a selection, and what the report must say of it
        (the names of SourceReport's lists it belongs in); None when the
        selection makes no excerpt (counted)."""
        numbers = self.numbers[id(selection)]
        if numbers is None:
            self.report.warn(
                f"{self.label}: a selection has positions that are not whole numbers; skipped"
            )
            self.report.skip("selections with bad positions")
            return None
        start, end = numbers
        if start == end:
            self.report.skip("empty selections")
            return None
        span = cut(self.positions, Selected(start, end), self.choice.counting)
        if span is None:
            where = "ends before it starts" if end < start else "lies outside its text"
            self.report.warn(
                f"{self.label}: a selection (from {start} to {end}) {where}, counted in "
                f"{self.choice.counting.description}; skipped"
            )
            self.report.skip("selections outside their text")
            return None
        categories = self._categories(selection, context)
        if not categories:
            self.report.skip("selections without a (known) code")
            return None
        first, last = span
        # The positions are counted in the text as it is; only what is kept is tidied.
        words = clean(self.text[first:last].replace("\r\n", "\n").replace("\r", "\n"))
        if not words:
            self.report.skip("selections of blank text")
            return None
        if len(words) > MAX_EXCERPT_CHARACTERS:
            self.report.skip(f"selections longer than {MAX_EXCERPT_CHARACTERS:,} characters")
            return None
        notes = []
        if inside_word(self.text, first) or inside_word(self.text, last):
            notes.append("inside_words")
        runner_up = self.choice.runner_up
        if runner_up is not None and cut(self.positions, Selected(start, end), runner_up) != span:
            notes.append("uncertain")
        excerpt: dict[str, Any] = {
            "categories": categories,
            "source": {"interview": f"S{source_number}", "chars": f"{start}-{end}"},
            "reviewed": False,
            "text": words,
        }
        memos = [context.notes[g] for g in selection.note_guids if g in context.notes]
        if selection.description:  # a comment on the selection: a memo of the excerpt
            memos.append(selection.description)
        if memos:
            excerpt["memo"] = memos if len(memos) > 1 else memos[0]
        if valid_guid(selection.guid):
            excerpt["guid"] = selection.guid
        return excerpt, notes

    def _categories(self, selection: Selection, context: ExcerptContext) -> list[str]:
        categories: list[str] = []
        for guid in selection.code_guids:
            category = context.category_of(guid)
            if category is None:
                self.report.warn(
                    f"{self.label}: a coding points at no code; that coding was ignored"
                )
            elif category not in categories:
                categories.append(category)
        return categories


def _numbers(selection: Selection) -> tuple[int, int] | None:
    try:
        return int(selection.start), int(selection.end)
    except ValueError:
        return None


def _owner(
    selection: Selection,
    source: TextSource,
    context: ExcerptContext,
    report: Report,
    label: str,
    has_cases: bool,
) -> str:
    owner = context.owner
    participant = owner.by_selection.get(selection.guid) or owner.by_source.get(source.guid)
    if participant is None:
        # No case claims it: the source becomes a participant of its own.
        participant = f"P{len(context.participants) + 1}"
        context.participants.append(context.new_participant(participant, source.guid))
        owner.by_source[source.guid] = participant
        if has_cases:
            report.warn(
                f"{label}: no case claims some of its selections; they were given to {participant}"
            )
    return participant


def source_text(source: TextSource, archive: Archive, report: Report, label: str) -> str | None:
    """A source's plain text, as its positions count it; None (reported)
    when it cannot be read."""
    if source.inline_text is not None:
        return source.inline_text
    path = source.plain_text_path or ""
    if path.startswith("internal://"):
        name = path[len("internal://") :]
    elif "://" in path or not path:
        report.warn(
            f"{label}: its text is an external file ({path.split('://')[0] or 'no path'}), "
            "which the import cannot read; its selections were skipped"
        )
        return None
    else:
        name = path  # some tools (qc) write the bare name of the file in sources/
    try:
        data = archive.read_source(name)
    except ImportError_:
        report.warn(
            f"{label}: its text file in the archive is damaged; its selections were skipped"
        )
        return None
    if data is None:
        report.warn(f"{label}: its text file is missing from the archive; skipped")
        return None
    # The standard asks for UTF-8, but a text saved by Windows tools may be
    # UTF-16 with a byte-order mark; the mark says so unambiguously.
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        report.warn(f"{label}: its text file is not UTF-8 (nor UTF-16 with a mark); skipped")
        return None
    # Positions count from the first character of the text; a byte-order
    # mark is an encoding detail, not a character of it.
    return text.removeprefix("\ufeff")


def _unique_excerpt_id(guid: str, taken: set[str]) -> str:
    plain = re.sub(r"[^0-9a-z]", "", guid.lower()) or "selection"
    for length in (8, 12, 16, len(plain)):
        candidate = f"x-{plain[:length]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    number = 2
    while f"x-{plain}-{number}" in taken:
        number += 1
    taken.add(f"x-{plain}-{number}")
    return f"x-{plain}-{number}"
