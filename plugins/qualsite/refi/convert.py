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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..study.integrity import RESERVED_CATEGORY_IDS
from .archive import Archive, ImportError_
from .excerpts import ExcerptContext, Owners, cut_excerpts
from .kept import kept_notes, placed_notes
from .project import Code, Project, clean, valid_guid
from .report import Report


@dataclass
class Converted:
    """The study's files as data, ready to be written as YAML."""

    study: dict[str, Any]
    participants: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    excerpts: dict[str, list[dict[str, Any]]]  # participant id -> excerpts
    model: dict[str, Any] | None
    sets: list[dict[str, Any]]
    #: Texts of the project with no place in the study (project memos,
    #: sources' notes, descriptions and variables): kept, unpublished.
    kept: dict[str, Any]
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
    context = ExcerptContext(
        codes.id_for,
        notes,
        participants,
        owner,
        lambda participant_id, guid: _participant(participant_id, guid, {}, report),
    )
    excerpts = cut_excerpts(project, archive, context, report, progress)
    report.participants = len(participants)
    for kind, count in sorted(project.skipped_selections.items()):
        report.skip(f"selections on {kind} sources", count)
    model = _draft_model(project, codes, report)
    # Not the project's name: it would become the site's title, its
    # citation, the Print page and the search index, and a project is often
    # named after the service or the people it studies. A person sets it.
    study: dict[str, Any] = {
        "title": IMPORTED_TITLE,
        "authors": [{"name": "Your name"}],
    }
    sources = {s.guid: f"S{n}" for n, s in enumerate(project.sources, start=1)}
    sets = _sets(project, codes, sources, report)
    kept = kept_notes(project, notes, sources, _variable_names(project), report, owner.by_case)
    placed = placed_notes(project, owner.by_case)
    unplaced = sum(1 for guid in notes if guid not in placed)
    report.skip("notes on things the import does not read (graphs, non-text sources)", unplaced)
    report.skip(
        "graphs (a tool's drawings of its codes; draw the model in model.yml)", project.graphs
    )
    if project.users:
        report.checks.append(
            f"{project.users} user(s) are named in the project (the researchers); their names "
            "are not imported, but check the memos for them"
        )
    return Converted(study, participants, categories, excerpts, model, sets, kept, report)


#: The title an imported study has until a person gives it one.
IMPORTED_TITLE = "Imported study (give it its title in codebook/study.yml)"


def _sets(
    project: Project, codes: _Codes, sources: dict[str, str], report: Report
) -> list[dict[str, Any]]:
    sets = []
    for number, item in enumerate(project.sets, start=1):
        entry: dict[str, Any] = {
            "name": item.name,
            "categories": [i for g in item.code_guids if (i := codes.id_for(g))],
        }
        if item.source_guids:
            entry["sources"] = [sources[g] for g in item.source_guids if g in sources]
        if item.notes:
            entry["notes"] = item.notes
        sets.append(entry)
        if _named_like_a_person(item.name):
            report.checks.append(
                f"set {number} of codebook/.refi-sets.yml is named like a person; check that "
                "its name identifies no one before you publish anything made from it"
            )
    return sets


def _named_like_a_person(name: str) -> bool:
    """Two or three capitalised words and nothing else, in any alphabet:
    "Jane Oakwood", "Kovács Anna", "Siobhán O'Neill"."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(_name_like(word) for word in words)


def _name_like(word: str) -> bool:
    letters = word.replace("'", "").replace("\u2019", "").replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and word[0].isupper() and word.istitle()


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
            try:
                data = archive.read_source(name) if "://" not in name else None
            except ImportError_:  # a damaged entry: the note is counted as unreadable
                data = None
            if data is not None:
                try:
                    text = clean(data.decode("utf-8").removeprefix("\ufeff"))
                except UnicodeDecodeError:
                    text = None
        if text:
            texts[guid] = text
        else:
            report.skip("notes without readable text")
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
    if valid_guid(code.guid):
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


def _participants(project: Project, report: Report) -> tuple[list[dict[str, Any]], Owners]:
    """Participants from cases: a case owns the sources and selections it
    refers to. Sources that no case claims get a participant each, later."""
    variable_names = _variable_names(project)
    participants: list[dict[str, Any]] = []
    owner = Owners()
    report.cases = len(project.cases)
    for case in project.cases:
        if not case.source_guids and not case.selection_guids:
            report.skipped["cases that refer to no source or selection"] += 1
            continue
        participant_id = f"P{len(participants) + 1}"
        attributes = {variable_names.get(g, "variable"): v for g, v in case.values.items()}
        participants.append(_participant(participant_id, case.guid, attributes, report))
        owner.by_case[case.guid] = participant_id
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
    if valid_guid(guid):
        participant["guid"] = guid
    return participant


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
