"""From a REFI-QDA project to qualsite's codebook files.

Choices that protect participants: participants get pseudonymous ids and
labels (P1, P2...; never a case's or a source's name, which often hold real
names), sources are called S1, S2... in locators, and every excerpt is marked
as not yet reviewed for anonymisation. Ids are derived deterministically, so
re-importing the same file gives the same ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..study.format import CATEGORY_ID
from ..study.integrity import RESERVED_CATEGORY_IDS
from .archive import Archive
from .project import Code, Project, Selection, TextSource

#: Excerpts longer than this (the format's limit) are skipped and counted.
MAX_EXCERPT_CHARACTERS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    attributes: int = 0


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


def convert(
    project: Project,
    archive: Archive,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Converted:
    report = Report(origin=project.origin or "an unnamed tool")
    code_ids = _code_ids(project.codes)
    report.codes = len(project.codes)
    categories = [_category(code, code_ids, project) for code in project.codes]
    participants, participant_of = _participants(project, report)
    excerpts = _excerpts(project, archive, code_ids, participant_of, report, progress)
    for kind, count in sorted(project.skipped_selections.items()):
        report.skipped[f"selections on {kind} sources"] += count
    model = _draft_model(project, code_ids, report)
    study: dict[str, Any] = {
        "title": project.name or "Imported study",
        "authors": [{"name": "Your name"}],
    }
    if project.description:
        study["abstract"] = project.description
    sets = [
        {"name": s.name, "categories": [code_ids[g] for g in s.code_guids if g in code_ids]}
        for s in project.sets
    ]
    return Converted(study, participants, categories, excerpts, model, sets, report)


def _code_ids(codes: list[Code]) -> dict[str, str]:
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for code in codes:  # document order: the same file always gives the same ids
        ids[code.guid] = _unique(slugify(code.name), taken)
    assert all(CATEGORY_ID.regex.fullmatch(i) for i in ids.values())
    return ids


def _category(code: Code, code_ids: dict[str, str], project: Project) -> dict[str, Any]:
    category: dict[str, Any] = {"id": code_ids[code.guid], "name": code.name}
    if code.parent_guid is not None:
        category["parent"] = code_ids[code.parent_guid]
    if code.description:
        category["definition"] = code.description
    memos = [project.notes[g] for g in code.note_guids if g in project.notes]
    if memos:
        category["memo"] = memos if len(memos) > 1 else memos[0]
    if code.color and re.fullmatch(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?", code.color):
        category["color"] = code.color.lower()
    category["guid"] = code.guid
    return category


def _participants(
    project: Project, report: Report
) -> tuple[list[dict[str, Any]], dict[tuple[str, str | None], str]]:
    """Participants, and for each (source, selection) the participant it belongs to.

    With cases, a case is a participant and owns the sources (or selections)
    it refers to; without, each text source is one participant, in order.
    """
    participants: list[dict[str, Any]] = []
    owner: dict[tuple[str, str | None], str] = {}
    report.cases = len(project.cases)
    used = [c for c in project.cases if c.source_guids or c.selection_guids] or project.cases
    for number, case in enumerate(used, start=1):
        participant_id = f"P{number}"
        attributes = {
            project.variables.get(guid, "variable"): value for guid, value in case.values.items()
        }
        participants.append(_participant(participant_id, number, case.guid, attributes, report))
        for source_guid in case.source_guids:
            if (source_guid, None) in owner:
                report.warnings.append(
                    f"a text source belongs to more than one case; its selections were given "
                    f"to {owner[(source_guid, None)]}"
                )
                continue
            owner[(source_guid, None)] = participant_id
        for selection in case.selection_guids:
            owner.setdefault(("", selection), participant_id)
    # Sources no case claims: one participant each, as without cases.
    number = len(participants)
    for source in project.sources:
        claimed = (source.guid, None) in owner or any(
            ("", s.guid) in owner for s in source.selections
        )
        if claimed or not source.selections:
            continue
        number += 1
        participant_id = f"P{number}"
        attributes = {project.variables.get(g, "variable"): v for g, v in source.values.items()}
        participants.append(_participant(participant_id, number, source.guid, attributes, report))
        owner[(source.guid, None)] = participant_id
        if project.cases:
            report.warnings.append(
                f"a text source belongs to no case; its selections were given to {participant_id}"
            )
    report.participants = len(participants)
    return participants, owner


def _participant(
    participant_id: str, number: int, guid: str, attributes: dict[str, str], report: Report
) -> dict[str, Any]:
    participant: dict[str, Any] = {"id": participant_id, "label": f"Participant {number}"}
    if attributes:
        participant["attributes"] = attributes
        report.attributes += len(attributes)
    participant["guid"] = guid
    return participant


def _source_text(source: TextSource, archive: Archive, report: Report, label: str) -> str | None:
    if source.inline_text is not None:
        return source.inline_text
    path = source.plain_text_path or ""
    if path.startswith("internal://"):
        name = path[len("internal://") :]
    elif "://" in path or not path:
        report.warnings.append(
            f"{label}: its text is an external file ({path.split('://')[0] or 'no path'}), which "
            "the import cannot read; its selections were skipped"
        )
        return None
    else:
        name = path  # some tools (qc) write the bare name of the file in sources/
    data = archive.read_source(name)
    if data is None:
        report.warnings.append(f"{label}: its text file is missing from the archive; skipped")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.warnings.append(f"{label}: its text file is not UTF-8; skipped")
        return None
    # Positions count code points from the first character of the text;
    # a byte-order mark is an encoding detail, not a character of it.
    return text.removeprefix("\ufeff")


def _excerpts(
    project: Project,
    archive: Archive,
    code_ids: dict[str, str],
    participant_of: dict[tuple[str, str | None], str],
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
        text = _source_text(source, archive, report, label) if source.selections else None
        for selection in source.selections:
            done += 1
            report.selections += 1
            if progress is not None:
                progress(done, total)
            if text is None:
                report.skipped["selections in unreadable sources"] += 1
                continue
            excerpt = _excerpt(selection, text, number, code_ids, project, report, label)
            if excerpt is None:
                continue
            owner = participant_of.get(("", selection.guid)) or participant_of.get(
                (source.guid, None)
            )
            if owner is None:
                report.skipped["selections with no participant"] += 1
                continue
            excerpt["id"] = _unique_excerpt_id(selection.guid, taken)
            excerpts.setdefault(owner, []).append(excerpt)
            report.excerpts += 1
    return excerpts


def _excerpt(
    selection: Selection,
    text: str,
    source_number: int,
    code_ids: dict[str, str],
    project: Project,
    report: Report,
    label: str,
) -> dict[str, Any] | None:
    try:
        start, end = int(selection.start), int(selection.end)
    except ValueError:
        report.warnings.append(f"{label}: a selection has positions that are not numbers; skipped")
        report.skipped["selections with bad positions"] += 1
        return None
    if not 0 <= start < end <= len(text):
        report.warnings.append(
            f"{label}: a selection ({start}-{end}) lies outside its text (0-{len(text)}); skipped"
        )
        report.skipped["selections outside their text"] += 1
        return None
    categories = []
    for guid in selection.code_guids:
        if guid not in code_ids:
            report.warnings.append(f"{label}: a coding points at no code ({guid}); ignored")
            continue
        if code_ids[guid] not in categories:
            categories.append(code_ids[guid])
    if not categories:
        report.skipped["selections without a (known) code"] += 1
        return None
    # The positions are counted in the text as it is; only what is kept is tidied.
    cut = _CONTROL.sub(" ", text[start:end].replace("\r\n", "\n").replace("\r", "\n")).strip()
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
    memos = [project.notes[g] for g in selection.note_guids if g in project.notes]
    if memos:
        excerpt["memo"] = memos if len(memos) > 1 else memos[0]
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


def _draft_model(
    project: Project, code_ids: dict[str, str], report: Report
) -> dict[str, Any] | None:
    """Links between codes become the arrows of a draft model (model.yml)."""
    edges = []
    for link in project.links:
        if link.origin in code_ids and link.target in code_ids:
            edge: dict[str, Any] = {"from": code_ids[link.origin], "to": code_ids[link.target]}
            if link.name:
                edge["label"] = link.name
            edges.append(edge)
        else:
            report.skipped["links that do not join two codes"] += 1
    if not edges:
        return None
    shown: list[str] = []
    for edge in edges:
        for end in (edge["from"], edge["to"]):
            if end not in shown:
                shown.append(end)
    return {
        "title": "Draft model: links between codes",
        "caption": f"Imported from {report.origin}; arrange it into groups and check every arrow.",
        "nodes": [{"category": category} for category in shown],
        "edges": edges,
    }
