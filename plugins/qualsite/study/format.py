"""The codebook's file kinds and their fields, as documented in FORMAT.md.

These declarations are the single source of truth: the loader validates with
them and ``qualsite schemas`` writes the JSON Schemas from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..fields import (
    Boolean,
    CalendarDate,
    Choice,
    Field,
    Integer,
    JsonSchema,
    ListOf,
    MapOf,
    Pattern,
    Record,
    ShortOrLong,
    Text,
)
from ..guard.patterns import PATTERN_NAMES
from .model import ColumnKind, Direction, EdgeStyle, ExcerptKind, PublicationType

CATEGORY_ID = Pattern(
    r"[a-z0-9]+(?:[-_][a-z0-9]+)*",
    what="category id",
    rule="use lowercase letters and digits, with single hyphens or underscores between them",
    example="peer-support",
)
PARTICIPANT_ID = Pattern(
    r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*",
    what="participant id",
    rule="use letters and digits, with single hyphens, underscores or dots between them",
    example="P3",
)
EXCERPT_ID = Pattern(
    PARTICIPANT_ID.regex.pattern,
    what="excerpt id",
    rule="use letters and digits, with single hyphens, underscores or dots between them",
    example="p3-boundaries",
)
_NUMBER_RANGE = r"\d+(?:\s*[-–]\s*\d+)?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"

GUID = Pattern(
    r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?",
    what="GUID",
    rule="write it as the QDA tool does",
    example="34653336-3766-3235-6466-363134396437",
)
COLOR = Pattern(
    r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?",
    what="colour",
    rule="write it as # and six hexadecimal digits",
    example="#3f51b5",
)

AUTHOR = Record(
    {
        "name": Field(Text(), "the author's name", required=True),
        "given": Field(Text(), "given names, for citations (default: all but the last word)"),
        "family": Field(Text(), "family name, for citations (default: the last word)"),
        "organisation": Field(Boolean(), "true: an organisation, cited by its whole name"),
        "affiliation": Field(Text(), "the author's institution"),
        "orcid": Field(
            Pattern(
                r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]",
                what="ORCID iD",
                rule="write the 16 digits in four groups",
                example="0000-0002-1825-0097",
            ),
            "the author's ORCID iD",
        ),
    },
    title="Author",
    what="an author",
)

EXCERPT_LABELS = Record(
    {
        "verbatim": Field(Text(allow_empty=True), "label of verbatim excerpts (default: none)"),
        "paraphrase": Field(Text(), "label of paraphrased excerpts"),
        "composite": Field(Text(), "label of composite excerpts"),
    },
    title="Excerpt labels",
    what="excerpt labels",
)

ADDED_LABELS = Record(
    {
        "memos": Field(Text(), "the label of every memo (written for an example or a draft)"),
        "counts": Field(
            Text(), "the label of every count of excerpts and participants (not the study's)"
        ),
        "decisions": Field(
            Text(), "the label of the audit trail's decisions (written for an example)"
        ),
    },
    title="Added labels",
    what="labels of what the site adds to the study",
)

DOI = Pattern(
    r"10\.\d{4,9}/\S+",
    what="DOI",
    rule="write it without https://doi.org/",
    example="10.5281/zenodo.1234567",
)
WEB_ADDRESS = Pattern(
    r"https?://\S+",
    what="web address",
    rule="write the whole address, with https:// or http://",
    example="https://example.org/study",
)

PUBLICATION_TYPE = Choice([kind.value for kind in PublicationType])

#: The fields of a publication that belong to one type only, by type:
#: (the fields it needs, the further fields it takes). Every type takes
#: type, title, authors, year, doi and url.
PUBLICATION_TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "article": (("journal",), ("volume", "issue", "pages")),
    "thesis": (("institution",), ("thesis_type",)),
    "report": (("institution",), ("number",)),
    "book": (("publisher",), ()),
}

PUBLICATION = Record(
    {
        "type": Field(
            PUBLICATION_TYPE,
            "article, thesis, report or book; each takes its own fields "
            "(see `qualsite format publication`)",
            required=True,
        ),
        "title": Field(Text(), "the publication's title (default: the study's title)"),
        "authors": Field(
            ListOf(AUTHOR, min_items=1),
            "the publication's authors, in order (default: the study's authors)",
        ),
        "year": Field(
            Integer(minimum=1900),
            "the year it was published; without it, a reference says n.d. (no date)",
        ),
        "journal": Field(Text(), "an article: the journal"),
        "volume": Field(Text(), "an article: the journal's volume"),
        "issue": Field(Text(), "an article: the journal's issue"),
        "pages": Field(
            Pattern(
                r"[A-Za-z]{0,3}\d+(?:\s*[-–]\s*[A-Za-z]{0,3}\d+)?",
                what="page range",
                rule="write 'first-last', or the article's number",
                example="117-131",
            ),
            "an article: its pages, first-last, or its article number",
        ),
        "number": Field(Text(), "a report: its number"),
        "publisher": Field(Text(), "a book: the publisher"),
        "institution": Field(
            Text(), "a thesis: the university; a report: the organisation that issued it"
        ),
        "thesis_type": Field(
            Text(), "a thesis: what kind, such as Doctoral thesis (the default) or Master's thesis"
        ),
        "doi": Field(DOI, "the publication's DOI"),
        "url": Field(WEB_ADDRESS, "the publication's address"),
    },
    title="Publication",
    what="a publication",
)

STUDY_FILE = Record(
    {
        "title": Field(Text(), "the study's title", required=True),
        "subtitle": Field(Text(), "a subtitle"),
        "authors": Field(ListOf(AUTHOR, min_items=1), "the authors, in order", required=True),
        "year": Field(Integer(minimum=1900), "year of the study or of its publication"),
        "version": Field(Text(), "version of this site's content, such as 1.0"),
        "date": Field(
            CalendarDate(),
            "the release date of this version of the site (default: the build date)",
        ),
        "site_authors": Field(
            ListOf(AUTHOR, min_items=1),
            "who made this site, when not the study's authors (used to cite the site)",
        ),
        "methodology": Field(Text(), "the methodology, such as grounded theory"),
        "ethics": Field(Text(), "the ethics approval reference(s)"),
        "abstract": Field(Text(), "a short summary of the study"),
        "citation": Field(Text(), "how to cite the study, as free text"),
        "doi": Field(
            DOI,
            "the DOI of this site's content, such as its deposit's (the study's own DOI goes "
            "under publication)",
        ),
        "url": Field(
            WEB_ADDRESS,
            "the address of this site or of its deposit (the study's own goes under publication)",
        ),
        "publication": Field(
            PUBLICATION,
            "where the study itself is published, for a formatted reference (APA and BibTeX) "
            "kept apart from the citation of this site",
        ),
        "licence": Field(Text(), "the licence of the site's content, such as CC BY 4.0"),
        "contact": Field(
            Text(),
            "how readers reach the study's team, for the Accessibility page: an email "
            "address or a web address",
        ),
        "excerpt_labels": Field(
            EXCERPT_LABELS, "the label shown on each kind of excerpt, replacing the default"
        ),
        "added_labels": Field(
            ADDED_LABELS,
            "visible labels for what the site adds to the study's data: memos and counts "
            "written for an example or a draft",
        ),
        "draft": Field(
            Boolean(),
            "true: a draft, which may show texts not yet reviewed (reviewed: false) and says "
            "so on every page",
        ),
    },
    title="qualsite study",
    what="the study's description",
)

PARTICIPANT = Record(
    {
        "id": Field(PARTICIPANT_ID, "a pseudonymous id, never a name or initials", required=True),
        "label": Field(Text(), "how the participant is shown; defaults to the id"),
        "attributes": Field(MapOf(Text()), "non-identifying attributes"),
        "withdrawn": Field(
            Boolean(), "true removes this participant and their excerpts from every output"
        ),
        "guid": Field(GUID, "the case's (or source's) GUID in the QDA tool it was imported from"),
    },
    title="Participant",
    what="a participant",
)

PARTICIPANTS_FILE = Record(
    {"participants": Field(ListOf(PARTICIPANT), "the participants", required=True)},
    title="qualsite participants",
    what="a participants file",
)

MEMO = ShortOrLong(
    Text(),
    Record(
        {
            "text": Field(Text(), "the memo", required=True),
            "reviewed": Field(
                Boolean(), "false: not yet reviewed for anonymisation (set by qualsite import)"
            ),
            "date": Field(
                CalendarDate(), "when the memo was written: a dated memo is in the audit trail"
            ),
        },
        title="Memo",
        what="a memo",
    ),
)

CATEGORY = Record(
    {
        "id": Field(CATEGORY_ID, "the category's id, part of its page's address", required=True),
        "name": Field(Text(), "the category's name", required=True),
        "parent": Field(CATEGORY_ID, "the id of the parent category"),
        "level": Field(Text(), "a label for the level: phase, dimension, category, code..."),
        "definition": Field(Text(), "what the category means"),
        "memo": Field(
            ListOf(MEMO, allow_single=True),
            "an analytic memo, or a list of memos (each its text, or text and reviewed)",
        ),
        "order": Field(Integer(), "orders siblings; without it, the order of the file"),
        "core": Field(Boolean(), "true marks the core category (at most one)"),
        "color": Field(COLOR, "the code's colour in the QDA tool, such as #3f51b5"),
        "guid": Field(GUID, "the code's GUID in the QDA tool it was imported from"),
        "renamed_from": Field(
            ListOf(CATEGORY_ID, allow_single=True),
            "the id (or ids) the category had in an earlier version of the codebook",
        ),
    },
    title="Category",
    what="a category",
)

RETIRED_CATEGORY = Record(
    {
        "id": Field(CATEGORY_ID, "the id the category had", required=True),
        "name": Field(Text(), "the name it had"),
        "merged_into": Field(CATEGORY_ID, "the category it was merged into"),
        "split_into": Field(ListOf(CATEGORY_ID, min_items=2), "the categories it was split into"),
        "reason": Field(Text(), "why it was retired"),
    },
    title="Retired category",
    what="a retired category",
)

CATEGORIES_FILE = Record(
    {
        "categories": Field(ListOf(CATEGORY), "the category tree, as a list", required=True),
        "retired": Field(
            ListOf(RETIRED_CATEGORY),
            "categories of earlier versions that were merged into another or split "
            "(for qualsite history and the audit trail)",
        ),
    },
    title="qualsite categories",
    what="a categories file",
)

SOURCE = Record(
    {
        "interview": Field(Text(), "the interview's id"),
        "lines": Field(
            Pattern(_NUMBER_RANGE, what="line range", rule="write 'first-last'", example="120-134"),
            "transcript lines",
        ),
        "time": Field(
            Pattern(
                f"{_CLOCK}(?:\\s*[-–]\\s*{_CLOCK})?",
                what="time range",
                rule="write 'hh:mm:ss-hh:mm:ss'",
                example="00:41:10-00:42:05",
            ),
            "a time range in the recording",
        ),
        "chars": Field(
            Pattern(
                _NUMBER_RANGE,
                what="character range",
                rule="write 'first-last'",
                example="1200-1450",
            ),
            "a character range in the source text",
        ),
    },
    title="Source locator",
    what="a source locator",
)

KIND = Choice([kind.value for kind in ExcerptKind])

EXCERPT = Record(
    {
        "id": Field(EXCERPT_ID, "the excerpt's id; its anchor is #excerpt-<id>", required=True),
        "participant": Field(PARTICIPANT_ID, "the participant's id (or set it for the file)"),
        "text": Field(Text(max_length=20_000), "the excerpt, as plain text", required=True),
        "categories": Field(
            ListOf(CATEGORY_ID, allow_single=True, min_items=1),
            "the ids of the categories it is coded to",
            required=True,
        ),
        "kind": Field(KIND, "verbatim (default), paraphrase or composite"),
        "source": Field(SOURCE, "where the excerpt comes from"),
        "publish": Field(Boolean(), "false keeps the excerpt out of every output"),
        "illustrates": Field(
            ListOf(CATEGORY_ID, allow_single=True, min_items=1),
            "categories whose table row shows this excerpt (among those it is coded to)",
        ),
        "allow": Field(
            ListOf(Choice(PATTERN_NAMES), allow_single=True, min_items=1),
            "kinds of personal-data pattern checked by a person and allowed in this excerpt",
        ),
        "reviewed": Field(
            Boolean(), "false: not yet reviewed for anonymisation (set by qualsite import)"
        ),
        "memo": Field(
            ListOf(Text(), allow_single=True),
            "the researcher's notes on the excerpt (kept in the codebook, not published)",
        ),
        "guid": Field(GUID, "the selection's GUID in the QDA tool it was imported from"),
    },
    title="Excerpt",
    what="an excerpt",
)

EXCERPTS_FILE = Record(
    {
        "participant": Field(PARTICIPANT_ID, "the participant of every excerpt in this file"),
        "kind": Field(KIND, "the kind of every excerpt in this file"),
        "excerpts": Field(ListOf(EXCERPT), "the excerpts", required=True),
    },
    title="qualsite excerpts",
    what="an excerpts file",
)


COLUMN_KIND = Choice([kind.value for kind in ColumnKind])

COLUMN = ShortOrLong(
    COLUMN_KIND,
    Record(
        {
            "kind": Field(COLUMN_KIND, "what the column shows", required=True),
            "heading": Field(Text(), "the column's heading, replacing the default"),
        },
        title="Column",
        what="a column",
    ),
)

TABLE = Record(
    {
        "number": Field(
            Integer(minimum=1), "the table's number: Table 1, Table 2...", required=True
        ),
        "title": Field(Text(), "the table's title", required=True),
        "caption": Field(Text(), "a note shown with the title"),
        "subtree": Field(CATEGORY_ID, "rows: every lowest-level category below this one"),
        "categories": Field(
            ListOf(CATEGORY_ID, min_items=1), "rows: exactly these categories, in this order"
        ),
        "columns": Field(
            ListOf(COLUMN, min_items=1),
            "the columns, from: parent, category, definition, excerpt, participants, excerpts",
        ),
    },
    title="Table",
    what="a table",
)

TABLES_FILE = Record(
    {"tables": Field(ListOf(TABLE), "the study's numbered tables", required=True)},
    title="qualsite tables",
    what="a tables file",
)

MODEL_ID = Pattern(
    CATEGORY_ID.regex.pattern,
    what="model id",
    rule="use lowercase letters and digits, with single hyphens or underscores between them",
    example="resilience",
)

MODEL_GROUP = Record(
    {
        "id": Field(MODEL_ID, "the group's id (defaults to its category's id)"),
        "category": Field(CATEGORY_ID, "the category the group shows (its name and page)"),
        "label": Field(
            Text(),
            "the group's label, when it is not a category; for a category, a shorter label "
            "drawn in the figure (the category keeps its name everywhere else)",
        ),
        "parent": Field(MODEL_ID, "the id of the group this one sits in"),
        "row": Field(Boolean(), "true draws every node inside the group in one row"),
    },
    title="Group",
    what="a group",
)

MODEL_NODE = Record(
    {
        "id": Field(MODEL_ID, "the node's id (defaults to its category's id)"),
        "category": Field(CATEGORY_ID, "the category the node shows (its name and page)"),
        "label": Field(
            Text(),
            "the node's label, for a concept that is not a category; for a category, a shorter "
            "label drawn in the figure (the category keeps its name everywhere else)",
        ),
        "group": Field(MODEL_ID, "the id of the group the node sits in"),
    },
    title="Node",
    what="a node",
)

MODEL_EDGE = Record(
    {
        "from": Field(MODEL_ID, "the id of the node or group the arrow starts at", required=True),
        "to": Field(MODEL_ID, "the id of the node or group the arrow points to", required=True),
        "label": Field(Text(), "the relation, as written on the arrow"),
        "style": Field(Choice([s.value for s in EdgeStyle]), "solid (default), dashed or dotted"),
    },
    title="Edge",
    what="an edge",
)

MODEL_FILE = Record(
    {
        "number": Field(Integer(minimum=1), "the figure's number (default 1)"),
        "title": Field(Text(), "the figure's title", required=True),
        "caption": Field(Text(), "a note shown with the title"),
        "direction": Field(
            Choice([d.value for d in Direction]),
            "the flow of the drawing: TB (top to bottom, default), LR, BT or RL",
        ),
        "core": Field(
            MODEL_ID, "the node or group drawn with emphasis (default: the core category)"
        ),
        "groups": Field(ListOf(MODEL_GROUP), "clusters drawn as boxes around their members"),
        "nodes": Field(ListOf(MODEL_NODE), "the boxes of the figure", required=True),
        "edges": Field(ListOf(MODEL_EDGE), "the arrows between nodes and groups"),
    },
    title="qualsite model",
    what="the model",
)


DECISION = Record(
    {
        "date": Field(CalendarDate(), "the day it was decided", required=True),
        "decided": Field(Text(), "what was decided", required=True),
        "why": Field(Text(), "the reasons for it"),
        "by": Field(Text(), "who decided, in the study's own terms (not a participant)"),
        "stage": Field(Text(), "the stage of the analysis, such as 'axial coding'"),
        "categories": Field(ListOf(CATEGORY_ID, allow_single=True), "the categories it touched"),
    },
    title="Decision",
    what="a decision",
)

DECISIONS_FILE = Record(
    {"decisions": Field(ListOf(DECISION), "the analytic decisions, in any order", required=True)},
    title="qualsite decisions",
    what="a decisions file",
)

CHECKLIST_ITEM = Record(
    {
        "item": Field(Integer(minimum=1), "the item's number in the standard", required=True),
        "page": Field(Text(), "a page of the site where it is reported, as its file in docs"),
        "heading": Field(Text(), "a heading on that page, as written"),
        "category": Field(CATEGORY_ID, "a category whose page reports it"),
        "table": Field(Integer(minimum=1), "the number of a table that reports it"),
        "figure": Field(Integer(minimum=1), "the model's figure number, when it reports it"),
        "answer": Field(Text(), "a short answer, shown in the checklist itself"),
        "not_applicable": Field(Text(), "why the item does not apply to this study"),
    },
    title="Checklist item",
    what="a checklist item",
)

CHECKLIST_FILE = Record(
    {
        "standard": Field(Text(), "the reporting standard: COREQ or SRQR", required=True),
        "items": Field(
            ListOf(CHECKLIST_ITEM),
            "where the site reports each item; an item not listed is not yet addressed",
            required=True,
        ),
    },
    title="qualsite checklist",
    what="a checklist file",
)


@dataclass(frozen=True, slots=True)
class FileKind:
    """A kind of codebook file: ``<stem>.yml`` or a folder ``<stem>/`` of them."""

    stem: str
    spec: Record
    required: bool
    description: str

    def json_schema(self) -> JsonSchema:
        schema: JsonSchema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": self.description,
        }
        schema.update(self.spec.json_schema())
        return schema


FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("study", STUDY_FILE, True, "The study's description: codebook/study.yml."),
    FileKind(
        "participants",
        PARTICIPANTS_FILE,
        True,
        "Pseudonymous participants: codebook/participants.yml.",
    ),
    FileKind("categories", CATEGORIES_FILE, True, "The category tree: codebook/categories.yml."),
    FileKind("excerpts", EXCERPTS_FILE, False, "Coded excerpts: codebook/excerpts/*.yml."),
    FileKind("tables", TABLES_FILE, False, "Numbered tables of categories: codebook/tables.yml."),
    FileKind("model", MODEL_FILE, False, "The model drawn as the figure: codebook/model.yml."),
    FileKind(
        "decisions",
        DECISIONS_FILE,
        False,
        "Analytic decisions, for the audit trail: codebook/decisions.yml.",
    ),
    FileKind(
        "checklist",
        CHECKLIST_FILE,
        False,
        "The reporting checklist (COREQ or SRQR): codebook/checklist.yml.",
    ),
)

#: Kinds kept in exactly one file (never a folder of files).
SINGLE_FILE_KINDS = frozenset({"study", "model", "decisions", "checklist"})
