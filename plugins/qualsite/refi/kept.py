"""Texts of a project that have no place in the study, kept unpublished.

A QDA project holds more than codes and coded text: memos of the project
itself, notes and descriptions of each source, source variables, the
project's description. None of them belongs on a page by default (they are
working notes, often with names in them), and none is dropped: they go to
``codebook/.refi-notes.yml``, which the build never reads and the site never
shows, for a person to read and, if they choose, publish in a page.
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
) -> dict[str, Any]:
    """The project's unplaced texts, as ``.refi-notes.yml`` holds them."""
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
    return kept
