"""The codebook as CSV, and as a REFI-QDA codebook (.qdc) that NVivo,
ATLAS.ti, MAXQDA and QualCoder can import."""

from __future__ import annotations

import csv
import io
import uuid
from xml.etree import ElementTree as ET

from .. import __version__
from ..i18n import _, pgettext
from ..render.tables import spreadsheet_safe
from ..study.model import Category, Study

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: GUIDs made for categories that did not come from a QDA tool: the same
#: category id always gets the same GUID, so re-exports stay comparable.
_GUIDS = uuid.UUID("0f6b2f8e-6d9a-4c6f-9d4e-3a1b5c7d9e20")


def guid_of(category: Category) -> str:
    if category.guid:
        return category.guid.strip("{}").upper()
    return str(uuid.uuid5(_GUIDS, category.id)).upper()


def codebook_csv(study: Study) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    labels = study.meta.added_labels
    memo_label = f"[{labels['memos']}] " if labels.get("memos") else ""
    writer.writerow([spreadsheet_safe(heading) for heading in _headings(labels.get("counts"))])
    for category in study.categories:
        excerpts = study.subtree_excerpts(category)
        row = [
            category.id,
            category.name,
            category.parent_id or "",
            category.level or "",
            # Translators: the codebook CSV's "core" column, for the core category.
            pgettext("core category column", "yes") if category.core else "",
            " ".join((category.definition or "").split()),
            "\n\n".join(memo_label + " ".join(m.text.split()) for m in category.memos),
            str(len(excerpts)),
            str(len(Study.participant_ids(excerpts))),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def labelled(text: str, label: str) -> str:
    """``text`` followed by the study's label for what the site adds to it
    (added_labels in study.yml), in brackets."""
    # Translators: a count or a column heading, then the study's own label
    # for the counts the site works out, in brackets: "12 excerpts (computed)".
    return _("%(text)s (%(label)s)") % {"text": text, "label": label}


def _headings(counts_label: str | None) -> list[str]:
    """The CSV's column headings, in the site's language, in lower case as
    a data file's; the counts' say the study's label for them
    (added_labels), if it has one."""
    counts = [
        # Translators: a column heading of the codebook's CSV file: how many
        # excerpts are coded to the category and its subcategories.
        pgettext("codebook CSV column", "excerpts"),
        # Translators: a column heading of the codebook's CSV file: how many
        # participants those excerpts came from.
        pgettext("codebook CSV column", "participants"),
    ]
    return [
        # Translators: a column heading of the codebook's CSV file: the
        # category's id (as in the site's addresses).
        pgettext("codebook CSV column", "id"),
        # Translators: a column heading of the codebook's CSV file: the category's name.
        pgettext("codebook CSV column", "name"),
        # Translators: a column heading of the codebook's CSV file: the id of
        # the category's parent category.
        pgettext("codebook CSV column", "parent"),
        # Translators: a column heading of the codebook's CSV file: the
        # category's level in the study's analysis ("theme", "phase").
        pgettext("codebook CSV column", "level"),
        # Translators: a column heading of the codebook's CSV file: whether
        # the category is a core category.
        pgettext("codebook CSV column", "core"),
        # Translators: a column heading of the codebook's CSV file.
        pgettext("codebook CSV column", "definition"),
        # Translators: a column heading of the codebook's CSV file: the
        # category's memos.
        pgettext("codebook CSV column", "memos"),
        *(labelled(heading, counts_label) if counts_label else heading for heading in counts),
    ]


def codebook_qdc(study: Study) -> bytes:
    # Plain tag names and an explicit xmlns attribute: the standard's default
    # namespace, without touching ElementTree's process-wide prefix registry
    # (the figure's SVG relies on it).
    root = ET.Element(
        "CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": f"qualsite {__version__}"}
    )
    codes = ET.SubElement(root, "Codes")

    def add(parent: ET.Element, category: Category) -> None:
        attributes = {"guid": guid_of(category), "name": category.name, "isCodable": "true"}
        if category.color:
            attributes["color"] = category.color
        code = ET.SubElement(parent, "Code", attributes)
        if category.definition:
            description = ET.SubElement(code, "Description")
            description.text = " ".join(category.definition.split())
        for child in study.children(category):
            add(code, child)

    for top in study.top_categories:
        add(codes, top)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return bytes(data) + b"\n"
