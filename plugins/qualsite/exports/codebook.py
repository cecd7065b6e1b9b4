"""The codebook as CSV, and as a REFI-QDA codebook (.qdc) that NVivo,
ATLAS.ti, MAXQDA and QualCoder can import."""

from __future__ import annotations

import csv
import io
import uuid
from xml.etree import ElementTree as ET

from .. import __version__
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
    counted = f" ({labels['counts']})" if labels.get("counts") else ""
    memo_label = f"[{labels['memos']}] " if labels.get("memos") else ""
    writer.writerow(
        [
            "id",
            "name",
            "parent",
            "level",
            "core",
            "definition",
            "memos",
            f"excerpts{counted}",
            f"participants{counted}",
        ]
    )
    for category in study.categories:
        excerpts = study.subtree_excerpts(category)
        row = [
            category.id,
            category.name,
            category.parent_id or "",
            category.level or "",
            "yes" if category.core else "",
            " ".join((category.definition or "").split()),
            "\n\n".join(memo_label + " ".join(m.text.split()) for m in category.memos),
            str(len(excerpts)),
            str(len(Study.participant_ids(excerpts))),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
