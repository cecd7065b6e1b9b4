"""Word documents (through python-docx): the tables, the codebook, and the
excerpts by category, the report people know from their QDA tools.

python-docx stamps the current time in the document's properties and in its
zip entries; both are set to the build date, so the same study gives the same
file (see qualsite.dates).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import datetime

import docx
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ..dates import build_date
from ..render.tables import TableRenderer
from ..render.text import paragraph_texts
from ..render.urls import PageLinks, SiteUrls
from ..study.model import Category, ColumnKind, Excerpt, Study


def _new_document(study: Study, subject: str) -> Document:
    document = docx.Document()
    properties = document.core_properties
    properties.title = f"{study.meta.title}: {subject}"
    properties.author = ", ".join(a.name for a in study.meta.authors)
    properties.comments = "Made with qualsite"
    when = build_date().replace(tzinfo=None)
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    document.add_heading(study.meta.title, level=0)
    document.add_paragraph(subject)
    return document


def _save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue(), build_date())


def _fixed_dates(data: bytes, when: datetime) -> bytes:
    """The same archive with every entry dated ``when`` (reproducible builds)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def _repeat_as_header(row: object) -> None:
    """Mark a table row as the header Word repeats on every page."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _right_to_left(text: str) -> bool:
    """Whether text starts, by its first letter with a direction, right to left."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


def _add_paragraph(document: Document, text: str, style: str | None = None) -> Paragraph:
    """A paragraph that Word lays out right to left when its text is Arabic,
    Hebrew, Persian... (Word does not guess, as a browser does with dir=auto)."""
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    if _right_to_left(text):
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    return paragraph


def _add_caption(document: Document, number: int, title: str) -> None:
    """'Table N. Title', its number a SEQ field as Word's Insert Caption
    makes, so that cross-references and a List of Tables find it. The field
    restarts at the table's own number (\\r): a study's tables need not be
    numbered from 1."""
    caption = document.add_paragraph(style="Caption")
    caption.add_run("Table ").bold = True
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ Table \\r {number} \\* ARABIC ")
    shown = OxmlElement("w:r")
    bold = OxmlElement("w:rPr")
    bold.append(OxmlElement("w:b"))
    shown.append(bold)
    value = OxmlElement("w:t")
    value.text = str(number)
    shown.append(value)
    field.append(shown)
    caption._p.append(field)
    caption.add_run(". ").bold = True
    caption.add_run(title)


def tables_docx(study: Study, renderer: TableRenderer) -> bytes:
    """Every table as a real Word table: caption, header row, one row per category."""
    document = _new_document(study, "Tables")
    links = PageLinks(SiteUrls(), "downloads/tables.docx")
    for number, table in enumerate(study.tables):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _add_caption(document, table.number, " ".join(table.title.split()))
        for paragraph in paragraph_texts(table.caption or ""):
            _add_paragraph(document, paragraph)
        headings = renderer.headings(table)
        grid = document.add_table(rows=1, cols=len(headings))
        grid.style = "Table Grid"
        for cell, heading in zip(grid.rows[0].cells, headings, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(heading).bold = True
        _repeat_as_header(grid.rows[0])
        group_start: dict[int, object] = {}
        previous_parent: str | None = None
        for row_id in table.rows:
            category = study.category(row_id)
            cells = renderer.cells(table, category, links)
            row = grid.add_row()
            for index, (cell, value) in enumerate(zip(row.cells, cells, strict=True)):
                same_parent = (
                    category.parent_id is not None and category.parent_id == previous_parent
                )
                if value.kind is ColumnKind.PARENT and same_parent:
                    # Rows that share a parent: one merged cell, as on the page.
                    group_start[index] = group_start[index].merge(cell)  # type: ignore[attr-defined]
                    continue
                cell.text = value.text
                if _right_to_left(value.text):
                    cell.paragraphs[0]._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
                if value.kind is ColumnKind.PARENT:
                    group_start[index] = cell
            previous_parent = category.parent_id
    return _save(document)


def _counts_text(study: Study, category: Category) -> str:
    excerpts = study.subtree_excerpts(category)
    people = len(Study.participant_ids(excerpts))
    return (
        f"{len(excerpts)} excerpt{'s' if len(excerpts) != 1 else ''} from {people} of "
        f"{len(study.participants)} participants"
    )


def _category_heading(document: Document, study: Study, category: Category) -> None:
    level = min(len(study.ancestors(category)) + 1, 9)
    heading = category.name + (" (core category)" if category.core else "")
    document.add_heading(heading, level=level)


def codebook_docx(study: Study) -> bytes:
    """The category tree with definitions, memos and counts."""
    document = _new_document(study, "Codebook")
    for category in study.categories:
        _category_heading(document, study, category)
        # "NHS theme" stays as written; only its first letter is raised.
        details = [category.level[:1].upper() + category.level[1:]] if category.level else []
        details.append(_counts_text(study, category))
        document.add_paragraph(" · ".join(details)).runs[0].italic = True
        for paragraph in paragraph_texts(category.definition or ""):
            _add_paragraph(document, paragraph)
        for memo in category.memos:
            for paragraph in paragraph_texts(memo):
                _add_paragraph(document, paragraph, style="Intense Quote")
    return _save(document)


def excerpts_docx(study: Study, kind_label: Callable[[Excerpt], str]) -> bytes:
    """Every category with the excerpts coded to it, as QDA tools report them."""
    document = _new_document(study, "Excerpts by category")
    for category in study.categories:
        _category_heading(document, study, category)
        excerpts = study.excerpts_coded_to(category)
        if not excerpts:
            document.add_paragraph("No excerpt is coded to this category itself.").runs[
                0
            ].italic = True
        for excerpt in excerpts:
            for paragraph in paragraph_texts(excerpt.text):  # as on the site
                _add_paragraph(document, paragraph, style="Quote")
            source = study.participant(excerpt.participant_id).label
            label = kind_label(excerpt)
            attribution = document.add_paragraph()
            attribution.add_run(f"{source}" + (f" · {label}" if label else "")).italic = True
            if excerpt.source is not None:
                attribution.add_run(f" · {excerpt.source.describe()}")
    return _save(document)
