"""From a REFI-QDA project to qualsite's codebook files.

Choices that protect participants: participants get pseudonymous ids and
labels (P1, P2...; never a case's or a source's name, which often hold real
names), sources are called S1, S2... in locators, and every excerpt is marked
as not yet reviewed for anonymisation. Ids are derived deterministically, so
re-importing the same file gives the same ids. Whatever cannot be imported is
counted in the report, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..study.format import GUID
from ..study.integrity import RESERVED_CATEGORY_IDS
from .archive import Archive
from .project import Code, Project, Selection, TextSource, clean

#: Excerpts longer than this (the format's limit) are skipped and counted.
MAX_EXCERPT_CHARACTERS = 20_000


@dataclass
class Report:
    """What an import did: counts, what it skipped and why."""

    origin: str
    codes: int = 0
    cases: int = 0
    participants: int = 0
    text_sources: int = 0
    selections: int = 0
    excerpts: int = 0
    attributes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)  # message -> times

    def warn(self, message: str) -> None:
        self.warnings[message] += 1


@dataclass
class Converted:
    """The study's files as data, ready to be written as YAML."""

    study: dict[str, Any]
    participants: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    excerpts: dict[str, list[dict[str, Any]]]  # participant id -> excerpts
    model: dict[str, Any] | None
    sets: list[dict[str, Any]]
    report: Report


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "code"


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken or candidate in RESERVED_CATEGORY_IDS:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _guid(value: str) -> str | None:
    """The GUID as written, when it is one (it is kept for traceability only)."""
    return value if value and GUID.regex.fullmatch(value) else None


@dataclass
class _Codes:
    """Category ids by code, and the code a CodeRef's GUID means (the first
    code with that GUID, when a faulty file repeats one)."""

    ids: dict[int, str]
    by_guid: dict[str, int]

    def id_for(self, guid: str) -> str | None:
        index = self.by_guid.get(guid)
        return self.ids[index] if index is not None else None


def convert(
    project: Project,
    archive: Archive,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Converted:
    report = Report(origin=project.origin or "an unnamed tool")
    codes = _code_ids(project.codes, report)
    report.codes = len(project.codes)
    notes = _notes(project, archive, report)
    categories = [_category(code, codes, notes) for code in project.codes]
    participants, owner = _participants(project, report)
    excerpts = _excerpts(project, archive, codes, notes, participants, owner, report, progress)
    report.participants = len(participants)
    for kind, count in sorted(project.skipped_selections.items()):
        report.skipped[f"selections on {kind} sources"] += count
    model = _draft_model(project, codes, report)
    study: dict[str, Any] = {
        "title": project.name or "Imported study",
        "authors": [{"name": "Your name"}],
    }
    if project.description:
        study["abstract"] = project.description
    sources = {s.guid: f"S{n}" for n, s in enumerate(project.sources, start=1)}
    sets = []
    for item in project.sets:
        entry: dict[str, Any] = {
            "name": item.name,
            "categories": [i for g in item.code_guids if (i := codes.id_for(g))],
        }
        if item.source_guids:
            entry["sources"] = [sources[g] for g in item.source_guids if g in sources]
        if item.notes:
            entry["notes"] = item.notes
        sets.append(entry)
    return Converted(study, participants, categories, excerpts, model, sets, report)


def _code_ids(codes: list[Code], report: Report) -> _Codes:
    taken: set[str] = set()
    ids: dict[int, str] = {}
    by_guid: dict[str, int] = {}
    for code in codes:  # document order: the same file always gives the same ids
        ids[code.index] = _unique(slugify(code.name), taken)
        if not code.guid:
            report.warn("a code has no GUID; no coding can point at it")
        elif code.guid in by_guid:
            report.warn("two codes share a GUID; codings that point at it were given to the first")
        else:
            by_guid[code.guid] = code.index
    return _Codes(ids, by_guid)


def _notes(project: Project, archive: Archive, report: Report) -> dict[str, str]:
    """Each note's text, written in the project or kept in a file of the archive."""
    texts: dict[str, str] = {}
    for guid, note in project.notes.items():
        text = note.text
        if text is None and note.path:
            name = note.path.removeprefix("internal://")
            data = archive.read_source(name) if "://" not in name else None
            if data is not None:
                try:
                    text = clean(data.decode("utf-8").removeprefix("\ufeff"))
                except UnicodeDecodeError:
                    text = None
        if text:
            texts[guid] = text
        else:
            report.skipped["notes without readable text"] += 1
    return texts


def _category(code: Code, codes: _Codes, notes: dict[str, str]) -> dict[str, Any]:
    category: dict[str, Any] = {"id": codes.ids[code.index], "name": code.name}
    if code.parent_index is not None:
        category["parent"] = codes.ids[code.parent_index]
    if code.description:
        category["definition"] = code.description
    memos = [notes[g] for g in code.note_guids if g in notes]
    if memos:
        # Memos are published on the category's page; a code's notes are
        # the researcher's working notes, so a person reads them first.
        category["memo"] = [{"text": memo, "reviewed": False} for memo in memos]
    if code.color and re.fullmatch(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?", code.color):
        category["color"] = code.color.lower()
    if _guid(code.guid):
        category["guid"] = code.guid
    return category


def _variable_names(project: Project) -> dict[str, str]:
    """Variable names, each distinct: an empty name becomes "variable", and a
    repeated one is numbered, so that no value overwrites another."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for guid, name in project.variables.items():
        base = name or "variable"
        candidate, number = base, 2
        while candidate in used:
            candidate = f"{base} ({number})"
            number += 1
        used.add(candidate)
        names[guid] = candidate
    return names


@dataclass
class _Owners:
    """Who each source's and each selection's excerpts belong to."""

    by_source: dict[str, str] = field(default_factory=dict)
    by_selection: dict[str, str] = field(default_factory=dict)


def _participants(project: Project, report: Report) -> tuple[list[dict[str, Any]], _Owners]:
    """Participants from cases: a case owns the sources and selections it
    refers to. Sources that no case claims get a participant each, later."""
    variable_names = _variable_names(project)
    participants: list[dict[str, Any]] = []
    owner = _Owners()
    report.cases = len(project.cases)
    for case in project.cases:
        if not case.source_guids and not case.selection_guids:
            report.skipped["cases that refer to no source or selection"] += 1
            continue
        participant_id = f"P{len(participants) + 1}"
        attributes = {variable_names.get(g, "variable"): v for g, v in case.values.items()}
        participants.append(_participant(participant_id, case.guid, attributes, report))
        for source in case.source_guids:
            if source in owner.by_source:
                report.warn("a text source belongs to more than one case; the first case has it")
            else:
                owner.by_source[source] = participant_id
        for selection in case.selection_guids:
            if selection in owner.by_selection:
                report.warn("a selection belongs to more than one case; the first case has it")
            else:
                owner.by_selection[selection] = participant_id
    return participants, owner


def _participant(
    participant_id: str, guid: str, attributes: dict[str, str], report: Report
) -> dict[str, Any]:
    number = int(participant_id[1:])
    participant: dict[str, Any] = {"id": participant_id, "label": f"Participant {number}"}
    if attributes:
        participant["attributes"] = attributes
        report.attributes += len(attributes)
    if _guid(guid):
        participant["guid"] = guid
    return participant


def _source_text(source: TextSource, archive: Archive, report: Report, label: str) -> str | None:
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
    data = archive.read_source(name)
    if data is None:
        report.warn(f"{label}: its text file is missing from the archive; skipped")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.warn(f"{label}: its text file is not UTF-8; skipped")
        return None
    # Positions count code points from the first character of the text;
    # a byte-order mark is an encoding detail, not a character of it.
    return text.removeprefix("\ufeff")


def _excerpts(
    project: Project,
    archive: Archive,
    codes: _Codes,
    notes: dict[str, str],
    participants: list[dict[str, Any]],
    owner: _Owners,
    report: Report,
    progress: Callable[[int, int], None] | None,
) -> dict[str, list[dict[str, Any]]]:
    excerpts: dict[str, list[dict[str, Any]]] = {}
    taken: set[str] = set()
    total = sum(len(s.selections) for s in project.sources)
    done = 0
    report.text_sources = len(project.sources)
    for number, source in enumerate(project.sources, start=1):
        label = f"source S{number}"
        if source.whole_codings:
            report.skipped["codings of a whole source (no text to cut)"] += source.whole_codings
        text = _source_text(source, archive, report, label) if source.selections else None
        for selection in source.selections:
            done += 1
            report.selections += 1
            if progress is not None:
                progress(done, total)
            if text is None:
                report.skipped["selections in unreadable sources"] += 1
                continue
            excerpt = _excerpt(selection, text, number, codes, notes, report, label)
            if excerpt is None:
                continue
            participant = owner.by_selection.get(selection.guid) or owner.by_source.get(source.guid)
            if participant is None:
                # No case claims it: the source becomes a participant of its own.
                participant = f"P{len(participants) + 1}"
                participants.append(_participant(participant, source.guid, {}, report))
                owner.by_source[source.guid] = participant
                if project.cases:
                    report.warn(
                        f"{label}: no case claims some of its selections; they were given "
                        f"to {participant}"
                    )
            excerpt["id"] = _unique_excerpt_id(selection.guid, taken)
            excerpts.setdefault(participant, []).append(excerpt)
            report.excerpts += 1
    return excerpts


def _excerpt(
    selection: Selection,
    text: str,
    source_number: int,
    codes: _Codes,
    notes: dict[str, str],
    report: Report,
    label: str,
) -> dict[str, Any] | None:
    try:
        start, end = int(selection.start), int(selection.end)
    except ValueError:
        report.warn(f"{label}: a selection has positions that are not numbers; skipped")
        report.skipped["selections with bad positions"] += 1
        return None
    if start == end and 0 <= start <= len(text):
        report.skipped["empty selections"] += 1
        return None
    if not 0 <= start < end <= len(text):
        report.warn(
            f"{label}: a selection ({start}-{end}) lies outside its text (0-{len(text)}); skipped"
        )
        report.skipped["selections outside their text"] += 1
        return None
    categories = []
    for guid in selection.code_guids:
        category = codes.id_for(guid)
        if category is None:
            report.warn(f"{label}: a coding points at no code; that coding was ignored")
        elif category not in categories:
            categories.append(category)
    if not categories:
        report.skipped["selections without a (known) code"] += 1
        return None
    # The positions are counted in the text as it is; only what is kept is tidied.
    cut = clean(text[start:end].replace("\r\n", "\n").replace("\r", "\n"))
    if not cut:
        report.skipped["selections of blank text"] += 1
        return None
    if len(cut) > MAX_EXCERPT_CHARACTERS:
        report.skipped[f"selections longer than {MAX_EXCERPT_CHARACTERS:,} characters"] += 1
        return None
    excerpt: dict[str, Any] = {
        "id": "",
        "categories": categories,
        "source": {"interview": f"S{source_number}", "chars": f"{start}-{end}"},
        "reviewed": False,
        "text": cut,
    }
    memos = [notes[g] for g in selection.note_guids if g in notes]
    if memos:
        excerpt["memo"] = memos if len(memos) > 1 else memos[0]
    if _guid(selection.guid):
        excerpt["guid"] = selection.guid
    return excerpt


def _unique_excerpt_id(guid: str, taken: set[str]) -> str:
    plain = re.sub(r"[^0-9a-z]", "", guid.lower()) or "selection"
    for length in (8, 12, 16, len(plain)):
        candidate = f"x-{plain[:length]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    return _unique(f"x-{plain}", taken)


def _draft_model(project: Project, codes: _Codes, report: Report) -> dict[str, Any] | None:
    """Links between codes become the arrows of a draft model (model.yml):
    one-way as an arrow, two-way as two, associative (no direction) dotted."""
    edges: list[dict[str, Any]] = []
    for link in project.links:
        source = codes.id_for(link.origin or "")
        target = codes.id_for(link.target or "")
        if source is None or target is None:
            report.skipped["links that do not join two codes"] += 1
            continue
        edge: dict[str, Any] = {"from": source, "to": target}
        if link.name:
            edge["label"] = link.name
        if link.direction == "Associative":
            edge["style"] = "dotted"
        edges.append(edge)
        if link.direction == "Bidirectional" and source != target:
            edges.append({**edge, "from": target, "to": source})
    if not edges:
        return None
    shown: list[str] = []
    for edge in edges:
        for end in (edge["from"], edge["to"]):
            if end not in shown:
                shown.append(end)
    return {
        "title": "Draft model: links between codes",
        "caption": (
            f"Imported from {report.origin}; dotted arrows were associative links. "
            "Arrange it into groups and check every arrow."
        ),
        "nodes": [{"category": category} for category in shown],
        "edges": edges,
    }
