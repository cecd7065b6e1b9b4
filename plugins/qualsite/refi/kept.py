"""Texts of a project that have no place in the study, kept unpublished.

A QDA project holds more than codes and coded text: memos of the project
itself, notes and descriptions of each source and each case, source
variables, notes on links between codes, the project's description. None of
them belongs on a page by default (they are working notes, often with names
in them), and none is dropped: they go to ``codebook/.refi-notes.yml``,
which the build never reads and the site never shows, for a person to read
and, if they choose, publish in a page.
"""

from __future__ import annotations

from typing import Any

from .project import Project
from .report import Report


def kept_notes(
    project: Project,
    notes: dict[str, str],
    sources: dict[str, str],
    variable_names: dict[str, str],
    report: Report,
    participants: dict[str, str],
) -> dict[str, Any]:
    """The project's unplaced texts, as ``.refi-notes.yml`` holds them
    (``sources``: a source's GUID -> S1, S2...; ``participants``: a case's
    GUID -> P1, P2...)."""
    kept: dict[str, Any] = {}
    whole: dict[str, Any] = {}
    if project.description:
        whole["description"] = project.description
        report.kept["project description"] += 1
    memos = [text for guid, text in notes.items() if guid not in project.referenced_notes]
    if memos:
        whole["memos"] = memos
        report.kept["memos of the project itself"] += len(memos)
    if whole:
        kept["project"] = whole
    per_source = []
    for source in project.sources:
        entry: dict[str, Any] = {"source": sources[source.guid]}
        if source.description:
            entry["description"] = source.description
            report.kept["source descriptions"] += 1
        source_notes = [notes[g] for g in source.note_guids if g in notes]
        if source_notes:
            entry["notes"] = source_notes
            report.kept["notes on sources"] += len(source_notes)
        if source.values:
            entry["variables"] = {
                variable_names.get(guid, "variable"): value for guid, value in source.values.items()
            }
            report.kept["source variables"] += len(source.values)
        if len(entry) > 1:
            per_source.append(entry)
    if per_source:
        kept["sources"] = per_source
    per_case = []
    for case in project.cases:
        participant = participants.get(case.guid)
        if participant is None:
            continue  # a case that made no participant is counted as skipped
        entry = {"participant": participant}
        if case.description:
            entry["description"] = case.description
            report.kept["case descriptions"] += 1
        case_notes = [notes[g] for g in case.note_guids if g in notes]
        if case_notes:
            entry["notes"] = case_notes
            report.kept["notes on cases"] += len(case_notes)
        if len(entry) > 1:
            per_case.append(entry)
    if per_case:
        kept["cases"] = per_case
    link_notes = [
        {"link": link.name or "a link between codes", "notes": texts}
        for link in project.links
        if (texts := [notes[g] for g in link.note_guids if g in notes])
    ]
    if link_notes:
        kept["links"] = link_notes
        report.kept["notes on links between codes"] += sum(len(e["notes"]) for e in link_notes)
    return kept


def placed_notes(project: Project, participants: dict[str, str]) -> set[str]:
    """The notes the import puts somewhere: on a category, an excerpt, or in
    ``.refi-notes.yml``. Any other note (one on a graph, or on an audio
    source's selection) is counted as skipped, never dropped in silence."""
    placed = {guid for guid in project.notes if guid not in project.referenced_notes}
    for code in project.codes:
        placed.update(code.note_guids)
    for source in project.sources:
        placed.update(source.note_guids)
        for selection in source.selections:
            placed.update(selection.note_guids)
    for case in project.cases:
        if case.guid in participants:
            placed.update(case.note_guids)
    for link in project.links:
        placed.update(link.note_guids)
    return placed
