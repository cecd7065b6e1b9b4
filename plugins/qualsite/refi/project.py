"""A REFI-QDA project or codebook, read into plain dataclasses.

Only what qualsite imports is kept: codes, cases with their variables, text
sources and their coded selections, notes, links and sets. Elements are
matched by local name, so the namespace's version (``1.0``, ``0:4``...) does
not matter, but the namespace itself must be REFI-QDA's. Every string taken
from the file is cleaned of control characters here, once, so that nothing
later (YAML, HTML, a file header) can be broken by one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from .archive import ImportError_

PROJECT_NAMESPACE = "urn:QDA-XML:project:"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:"

#: How deep codes may nest. Real codebooks stay within a handful of levels;
#: the site's templates and navigation are drawn recursively.
MAX_CODE_DEPTH = 50

#: Source elements whose selections are not text (skipped, and counted).
NON_TEXT_SOURCES = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}

# C0 controls but tab and line breaks, DEL, and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str | None, *, one_line: bool = False) -> str | None:
    """Text from the file without control characters (and, for names, on one line)."""
    if text is None:
        return None
    cleaned = _CONTROL.sub(" ", text)
    if one_line:
        cleaned = " ".join(cleaned.split())
    return cleaned.strip() or None


@dataclass
class Code:
    index: int  # position in the file: codes are told apart by it, not by GUID
    guid: str
    name: str
    parent_index: int | None
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
    #: The tool's name for it: some write the selected text there.
    name: str | None = None
    #: A comment on it (MAXQDA writes one as a Description).
    description: str | None = None


@dataclass
class TextSource:
    guid: str
    plain_text_path: str | None
    inline_text: str | None
    selections: list[Selection]
    values: dict[str, str]  # variable guid -> value (source-level variables)
    whole_codings: int = 0  # codings of the whole source (no excerpt to cut)
    description: str | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass
class Case:
    guid: str
    source_guids: list[str]
    selection_guids: list[str]
    values: dict[str, str]  # variable guid -> value
    description: str | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass
class Link:
    name: str | None
    origin: str | None
    target: str | None
    direction: str  # OneWay, Bidirectional or Associative
    note_guids: list[str] = field(default_factory=list)


@dataclass
class CodeSet:
    name: str
    code_guids: list[str]
    source_guids: list[str]
    notes: int


@dataclass
class Note:
    text: str | None
    path: str | None  # a note may keep its text in a file of the archive


@dataclass
class Project:
    name: str | None
    origin: str | None
    description: str | None
    codes: list[Code]
    variables: dict[str, str] = field(default_factory=dict)  # guid -> name
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    sets: list[CodeSet] = field(default_factory=list)
    #: Selections on sources qualsite cannot cut text from, by kind of source.
    skipped_selections: Counter[str] = field(default_factory=Counter)
    #: Users named in the project (the researchers; their names are not imported).
    users: int = 0
    #: Graphs (a tool's visual maps of codes): not imported, counted.
    graphs: int = 0
    #: Notes some element of the project refers to (the others are memos of
    #: the project itself).
    referenced_notes: set[str] = field(default_factory=set)


def local(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def namespace(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def valid_guid(value: str) -> str | None:
    """The GUID, when it is one (it is kept in the study for traceability)."""
    return value if value and _GUID.fullmatch(value) else None


def guid_of(element: Element, attribute: str = "guid") -> str:
    """A GUID attribute as one spelling: tools write GUIDs in upper or lower
    case, with or without braces, and a CodeRef may spell its code's GUID
    otherwise than the code does."""
    return (element.get(attribute) or "").strip().strip("{}").lower()


def text_of(element: Element | None) -> str | None:
    return clean(element.text) if element is not None else None


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
        name=clean(root.get("name"), one_line=True),
        origin=clean(root.get("origin"), one_line=True),
        description=text_of(child(root, "Description")),
        codes=[],
    )
    codebook = root if kind == "codebook" else child(root, "CodeBook")
    codes = child(codebook, "Codes") if codebook is not None else None
    if codes is not None:
        project.codes = _read_codes(codes, shown)
    project.sets = _read_sets(root)
    if kind == "codebook":
        return project
    variables = child(root, "Variables")
    for variable in children(variables, "Variable") if variables is not None else []:
        project.variables[guid_of(variable)] = clean(variable.get("name"), one_line=True) or ""
    cases = child(root, "Cases")
    for case in children(cases, "Case") if cases is not None else []:
        project.cases.append(
            Case(
                guid=guid_of(case),
                source_guids=[guid_of(r, "targetGUID") for r in children(case, "SourceRef")],
                selection_guids=[guid_of(r, "targetGUID") for r in children(case, "SelectionRef")],
                values=_values(case),
                description=text_of(child(case, "Description")),
                note_guids=[guid_of(r, "targetGUID") for r in children(case, "NoteRef")],
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
    graphs = child(root, "Graphs")
    project.graphs = len(children(graphs, "Graph")) if graphs is not None else 0
    users = child(root, "Users")
    project.users = len(children(users, "User")) if users is not None else 0
    project.referenced_notes = {
        guid_of(element, "targetGUID") for element in root.iter() if local(element) == "NoteRef"
    }
    notes = child(root, "Notes")
    for note in children(notes, "Note") if notes is not None else []:
        content = child(note, "PlainTextContent")
        project.notes[guid_of(note)] = Note(
            text=clean(content.text) if content is not None else None,
            path=note.get("plainTextPath"),
        )
    links = child(root, "Links")
    for link in children(links, "Link") if links is not None else []:
        project.links.append(
            Link(
                clean(link.get("name"), one_line=True),
                guid_of(link, "originGUID") or None,
                guid_of(link, "targetGUID") or None,
                link.get("direction") or "OneWay",
                [guid_of(r, "targetGUID") for r in children(link, "NoteRef")],
            )
        )
    return project


def _read_codes(codes: Element, shown: str) -> list[Code]:
    """Every code in document order, walked without recursion (a file may
    nest codes thousands deep)."""
    found: list[Code] = []
    stack: list[tuple[Element, int | None, int]] = [
        (c, None, 1) for c in reversed(children(codes, "Code"))
    ]
    while stack:
        element, parent, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise ImportError_(
                f"{shown}: codes are nested more than {MAX_CODE_DEPTH} levels deep; "
                "qualsite cannot draw such a tree"
            )
        index = len(found)
        found.append(
            Code(
                index=index,
                guid=guid_of(element),
                name=clean(element.get("name"), one_line=True) or "Unnamed code",
                parent_index=parent,
                description=text_of(child(element, "Description")),
                color=element.get("color"),
                note_guids=[guid_of(r, "targetGUID") for r in children(element, "NoteRef")],
            )
        )
        stack.extend((c, index, depth + 1) for c in reversed(children(element, "Code")))
    return found


def _read_text_source(source: Element) -> TextSource:
    selections = []
    for selection in children(source, "PlainTextSelection"):
        codings = children(selection, "Coding")
        selections.append(
            Selection(
                guid=guid_of(selection),
                start=selection.get("startPosition", ""),
                end=selection.get("endPosition", ""),
                code_guids=[
                    guid_of(ref, "targetGUID")
                    for coding in codings
                    for ref in children(coding, "CodeRef")
                ],
                note_guids=[guid_of(r, "targetGUID") for r in children(selection, "NoteRef")]
                + [guid_of(r, "targetGUID") for c in codings for r in children(c, "NoteRef")],
                name=clean(selection.get("name")),
                description=text_of(child(selection, "Description")),
            )
        )
    inline = child(source, "PlainTextContent")
    return TextSource(
        guid=guid_of(source),
        plain_text_path=source.get("plainTextPath"),
        # Not cleaned: positions count every character of the text as written.
        inline_text=inline.text if inline is not None else None,
        selections=selections,
        values=_values(source),
        whole_codings=len(children(source, "Coding")),
        description=text_of(child(source, "Description")),
        note_guids=[guid_of(r, "targetGUID") for r in children(source, "NoteRef")],
    )


def _values(element: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in children(element, "VariableValue"):
        reference = child(value, "VariableRef")
        content = [e for e in value if local(e).endswith("Value")]
        if reference is not None and content:
            text = clean(content[0].text, one_line=True)
            if text is not None:
                values[guid_of(reference, "targetGUID")] = text
    return values


def _read_sets(root: Element) -> list[CodeSet]:
    found = []
    sets = child(root, "Sets")
    for item in children(sets, "Set") if sets is not None else []:
        found.append(
            CodeSet(
                name=clean(item.get("name"), one_line=True) or "Set",
                # The codebook schema writes guid=, the project schema targetGUID=.
                code_guids=[
                    guid_of(r, "targetGUID") or guid_of(r) for r in children(item, "MemberCode")
                ],
                source_guids=[guid_of(r, "targetGUID") for r in children(item, "MemberSource")],
                notes=len(children(item, "MemberNote")),
            )
        )
    return found
