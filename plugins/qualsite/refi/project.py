"""A REFI-QDA project or codebook, read into plain dataclasses.

Only what qualsite imports is kept: codes, cases with their variables, text
sources and their coded selections, notes, links and sets. Elements are
matched by local name, so the namespace's version (``1.0``, ``0:4``...) does
not matter, but the namespace itself must be REFI-QDA's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from .archive import ImportError_

PROJECT_NAMESPACE = "urn:QDA-XML:project:"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:"

#: Source elements whose selections are not text (skipped, and counted).
NON_TEXT_SOURCES = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


@dataclass
class Code:
    guid: str
    name: str
    parent_guid: str | None
    description: str | None
    color: str | None
    note_guids: list[str] = field(default_factory=list)


@dataclass
class Selection:
    guid: str
    start: str  # as written; checked when the text is cut
    end: str
    code_guids: list[str]
    note_guids: list[str]


@dataclass
class TextSource:
    guid: str
    plain_text_path: str | None
    inline_text: str | None
    selections: list[Selection]
    values: dict[str, str]  # variable guid -> value (source-level variables)


@dataclass
class Case:
    guid: str
    source_guids: list[str]
    selection_guids: list[str]
    values: dict[str, str]  # variable guid -> value


@dataclass
class Link:
    name: str | None
    origin: str | None
    target: str | None


@dataclass
class CodeSet:
    name: str
    code_guids: list[str]


@dataclass
class Project:
    name: str | None
    origin: str | None
    description: str | None
    codes: list[Code]
    variables: dict[str, str] = field(default_factory=dict)  # guid -> name
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # guid -> text
    links: list[Link] = field(default_factory=list)
    sets: list[CodeSet] = field(default_factory=list)
    #: Selections on sources qualsite cannot cut text from, by kind of source.
    skipped_selections: Counter[str] = field(default_factory=Counter)


def local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def namespace(element: Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def text_of(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def read_project(root: Element, kind: str, shown: str) -> Project:
    expected = (
        ("Project", PROJECT_NAMESPACE) if kind == "project" else ("CodeBook", CODEBOOK_NAMESPACE)
    )
    if local(root) != expected[0] or not namespace(root).startswith(expected[1]):
        found = f"{{{namespace(root)}}}{local(root)}" if namespace(root) else local(root)
        raise ImportError_(
            f"{shown}: the root element is {found}; a REFI-QDA "
            f"{'project' if kind == 'project' else 'codebook'} has {expected[0]} in the "
            f"namespace {expected[1]}1.0"
        )
    project = Project(
        name=root.get("name"),
        origin=root.get("origin"),
        description=text_of(child(root, "Description")),
        codes=[],
    )
    codebook = root if kind == "codebook" else child(root, "CodeBook")
    codes = child(codebook, "Codes") if codebook is not None else None
    if codes is not None:
        for code in children(codes, "Code"):
            _read_code(code, None, project.codes)
    if kind == "codebook":
        project.sets = _read_sets(root)
        return project
    variables = child(root, "Variables")
    for variable in children(variables, "Variable") if variables is not None else []:
        if variable.get("guid"):
            project.variables[variable.get("guid", "")] = variable.get("name") or "variable"
    cases = child(root, "Cases")
    for case in children(cases, "Case") if cases is not None else []:
        project.cases.append(
            Case(
                guid=case.get("guid", ""),
                source_guids=[r.get("targetGUID", "") for r in children(case, "SourceRef")],
                selection_guids=[r.get("targetGUID", "") for r in children(case, "SelectionRef")],
                values=_values(case),
            )
        )
    sources = child(root, "Sources")
    for source in list(sources) if sources is not None else []:
        if local(source) == "TextSource":
            project.sources.append(_read_text_source(source))
        else:
            kind_name = NON_TEXT_SOURCES.get(local(source), local(source))
            selections = [e for e in source.iter() if local(e).endswith("Selection")]
            project.skipped_selections[kind_name] += len(selections)
    notes = child(root, "Notes")
    for note in children(notes, "Note") if notes is not None else []:
        content = text_of(child(note, "PlainTextContent"))
        if note.get("guid") and content:
            project.notes[note.get("guid", "")] = content
    links = child(root, "Links")
    for link in children(links, "Link") if links is not None else []:
        project.links.append(Link(link.get("name"), link.get("originGUID"), link.get("targetGUID")))
    project.sets = _read_sets(root)
    return project


def _read_code(element: Element, parent: str | None, into: list[Code]) -> None:
    guid = element.get("guid", "")
    into.append(
        Code(
            guid=guid,
            name=(element.get("name") or "").strip() or "Unnamed code",
            parent_guid=parent,
            description=text_of(child(element, "Description")),
            color=element.get("color"),
            note_guids=[r.get("targetGUID", "") for r in children(element, "NoteRef")],
        )
    )
    for nested in children(element, "Code"):
        _read_code(nested, guid, into)


def _read_text_source(source: Element) -> TextSource:
    selections = []
    for selection in children(source, "PlainTextSelection"):
        codings = children(selection, "Coding")
        selections.append(
            Selection(
                guid=selection.get("guid", ""),
                start=selection.get("startPosition", ""),
                end=selection.get("endPosition", ""),
                code_guids=[
                    ref.get("targetGUID", "")
                    for coding in codings
                    for ref in children(coding, "CodeRef")
                ],
                note_guids=[r.get("targetGUID", "") for r in children(selection, "NoteRef")]
                + [r.get("targetGUID", "") for c in codings for r in children(c, "NoteRef")],
            )
        )
    inline = child(source, "PlainTextContent")
    return TextSource(
        guid=source.get("guid", ""),
        plain_text_path=source.get("plainTextPath"),
        inline_text=inline.text if inline is not None else None,
        selections=selections,
        values=_values(source),
    )


def _values(element: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in children(element, "VariableValue"):
        reference = child(value, "VariableRef")
        content = [e for e in value if local(e).endswith("Value")]
        if reference is not None and content and content[0].text is not None:
            values[reference.get("targetGUID", "")] = content[0].text.strip()
    return values


def _read_sets(root: Element) -> list[CodeSet]:
    found = []
    sets = child(root, "Sets")
    for item in children(sets, "Set") if sets is not None else []:
        members = [r.get("targetGUID") or r.get("guid") or "" for r in children(item, "MemberCode")]
        found.append(CodeSet(item.get("name") or "Set", members))
    return found
