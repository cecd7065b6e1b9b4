"""Word documents (through python-docx): the tables, the codebook, and the
excerpts by category, the report people know from their QDA tools.

python-docx stamps the current time in the document's properties and in its
zip entries; both are set to the build date, so the same study gives the same
file (see qualsite.dates).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import IO, Any
from xml.sax.saxutils import escape as xml_escape

import docx
from babel.core import get_global
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Inches, Length, Mm, Pt
from docx.text.paragraph import Paragraph

from ..dates import build_date
from ..i18n import _, active, ngettext
from ..render.notices import draft_text
from ..render.tables import TableRenderer
from ..render.text import paragraph_texts
from ..render.urls import PageLinks, SiteUrls
from ..study.model import Category, ColumnKind, Excerpt, Study
from .codebook import labelled
from .paper import Paper

#: Each paper's width and height: Word's own, to the twentieth of a point
#: (A4 is 11906 by 16838 twips, Letter 12240 by 15840).
_PAGE_SIZES: dict[Paper, tuple[Length, Length]] = {
    Paper.A4: (Mm(210), Mm(297)),
    Paper.LETTER: (Inches(8.5), Inches(11)),
}
#: Word's default margin on either paper (2.54 cm). python-docx's template
#: has Word 2003's 1.25 inches left and right: half an inch less for a table.
_MARGIN = Inches(1)

#: Word's limit on each text property of a document (python-docx raises
#: ValueError past it), in characters.
_PROPERTY_LIMIT = 255


def _fit_property(text: str, limit: int = _PROPERTY_LIMIT) -> str:
    """``text`` on one line, shortened at a word boundary with an ellipsis
    when longer than ``limit``: a long title or forty authors are shown
    whole in the document, and only its properties hold a shortened form."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # one very long word is cut inside it
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _set_paper(document: Document, paper: Paper) -> None:
    """Lay the document out on ``paper``. Done first: python-docx gives a new
    table's columns the text width of the page as it is then."""
    section = document.sections[0]
    section.page_width, section.page_height = _PAGE_SIZES[paper]
    section.left_margin = section.right_margin = _MARGIN
    section.top_margin = section.bottom_margin = _MARGIN


#: Languages whose text Word lays out with its East Asian settings, and
#: scripts it lays out as complex script (right to left, or shaped).
_EAST_ASIAN = frozenset({"zh", "ja", "ko"})
_COMPLEX_SCRIPTS = frozenset(
    {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml"}
    | {"Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Khmr", "Mymr", "Tibt", "Ethi"}
)
#: python-docx's template: Word's own defaults for East Asian and complex
#: script text where the language is neither.
_DEFAULT_BIDI = "ar-SA"
_DEFAULT_THEME_EAST_ASIAN = "ja-JP"
#: Word 2010's copy of the styles, which python-docx's template holds.
_STYLES_WITH_EFFECTS = "/word/stylesWithEffects.xml"


def _complex_script() -> bool:
    """Whether the site's language is written in a script Word lays out as
    complex script (Arabic, Hebrew, Hindi, Thai...)."""
    locale = active().locale
    script = locale.script
    if script is None:
        likely = str(get_global("likely_subtags").get(locale.language, ""))
        script = next((p for p in likely.split("_")[1:] if len(p) == 4), None)
    return script in _COMPLEX_SCRIPTS or locale.character_order == "right-to-left"


def _set_language(document: Document) -> None:
    """Tag the document's text with the site's language (python-docx's
    template says en-US): the default of every run, the theme's fonts, and
    the document's properties. Word checks spelling, hyphenates and reads
    aloud by it."""
    tag = active().tag
    east_asian = active().locale.language in _EAST_ASIAN
    bidi = tag if _complex_script() else _DEFAULT_BIDI
    _set_run_language(document.styles.element, tag, bidi)
    # The template's copy of the styles for Word 2010 says the same.
    for part in document.part.package.iter_parts():
        if part.partname == _STYLES_WITH_EFFECTS:
            styles = parse_xml(part.blob)
            _set_run_language(styles, tag, bidi)
            part._blob = serialize_part_xml(styles)
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)
        theme.set(qn("w:eastAsia"), tag if east_asian else _DEFAULT_THEME_EAST_ASIAN)
        if bidi != _DEFAULT_BIDI:
            theme.set(qn("w:bidi"), bidi)
    document.core_properties.language = tag


def _set_run_language(styles: Any, tag: str, bidi: str) -> None:
    """Every run's language by default, in a styles part."""
    language = _child(styles, "w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang")
    language.set(qn("w:val"), tag)
    # Word writes the text's own language here too when it is not an East
    # Asian one (python-docx's template: en-US for both).
    language.set(qn("w:eastAsia"), tag)
    language.set(qn("w:bidi"), bidi)


def _child(parent: Any, *path: str) -> Any:
    """The element at ``path`` under ``parent``, made where missing (the
    template has them all; python-docx has no class for docDefaults)."""
    for tag in path:
        child = parent.find(qn(tag))
        if child is None:
            child = OxmlElement(tag)
            # Where the schema puts each: docDefaults before the styles,
            # rPrDefault before pPrDefault, lang after the run's size.
            if tag == "w:lang":
                parent.append(child)
            else:
                parent.insert(0, child)
        parent = child
    return parent


def _new_document(study: Study, subject: str, paper: Paper) -> Document:
    document = docx.Document()
    _set_paper(document, paper)
    _set_language(document)
    properties = document.core_properties
    # The subject is what tells the three documents apart: the study's title
    # gives way first.
    # Translators: the title of a Word document in its properties: the
    # study's title, then which document it is ("Codebook").
    titled = _("%(title)s: %(subject)s")
    room = _PROPERTY_LIMIT - len(titled % {"title": "", "subject": subject})
    title = _fit_property(study.meta.title, room)
    properties.title = _fit_property(titled % {"title": title, "subject": subject})
    properties.author = _fit_property(", ".join(a.name for a in study.meta.authors))
    # Translators: the comment in a Word document's properties.
    properties.comments = _("Made with qualsite")
    when = build_date().replace(tzinfo=None)
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    document.add_heading(study.meta.title, level=0)
    document.add_paragraph(subject)
    draft = draft_text(study, "document")
    if draft is not None:
        notice = document.add_paragraph()
        # Translators: before the notice of a study that is not yet published.
        notice.add_run(_("Draft.") + " ").bold = True
        notice.add_run(draft)
    return document


def _save(document: Document, body: _Body | None = None) -> bytes:
    buffer = io.BytesIO()
    if body is not None:
        body.mark_place()
    document.save(buffer)
    return _rewritten(buffer.getvalue(), build_date(), body)


def _rewritten(data: bytes, when: datetime, body: _Body | None) -> bytes:
    """The same archive with every entry dated ``when`` (reproducible
    builds), and ``body``'s paragraphs in the main part."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(entry.filename)
            if body is not None and entry.filename == _MAIN_PART:
                with target.open(info, "w") as stream:
                    body.write_in_place(content, stream)
            else:
                target.writestr(info, content)
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


#: The part of a .docx that holds the document's text.
_MAIN_PART = "word/document.xml"

#: The text of the paragraph that marks where a _Body's paragraphs go.
_BODY_MARKER = "qualsite: the paragraphs of the body go here"


class _Body:
    """Paragraphs for the end of a document's body, written as XML straight
    into the saved file (see :func:`_save`) by ``fill``, which adds them in
    order (:meth:`add`) once the rest of the document is written.

    python-docx's ``add_paragraph`` looks its style up by name and searches
    the body for its end each time: quadratic over the thousands of excerpts
    of a big study (three minutes for 10,000). Even with that fixed, a tree
    of Python and libxml2 objects for each element costs 50 MB for 10,000
    excerpts, only to be written out again; and the XML itself, held until
    the end, was most of the memory the downloads of 50,000 excerpts took.
    The XML is the same.
    """

    #: Bytes of XML gathered before they go to the archive (which compresses
    #: each piece it is given: a paragraph at a time is slower).
    _CHUNK = 2**16

    def __init__(self, document: Document, fill: Callable[[_Body], None]) -> None:
        self._document = document
        self._fill = fill
        self._style_ids: dict[str, str] = {}
        self._stream: IO[bytes] | None = None
        self._pending: list[bytes] = []
        self._pending_size = 0

    def add(self, runs: Sequence[tuple[str, bool]], style: str | None = None) -> None:
        """A paragraph of ``(text, italic)`` runs; right to left when its
        text is (see _add_paragraph)."""
        backwards = _right_to_left("".join(text for text, _ in runs))
        properties = ""
        if style is not None:
            properties += f'<w:pStyle w:val="{self._style_id(style)}"/>'
        if backwards:
            properties += "<w:bidi/>"
        parts = [f"<w:p><w:pPr>{properties}</w:pPr>" if properties else "<w:p>"]
        for text, italic in runs:
            formats = ("<w:i/>" if italic else "") + ("<w:rtl/>" if backwards else "")
            parts.append(
                "<w:r>"
                + (f"<w:rPr>{formats}</w:rPr>" if formats else "")
                + f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'
            )
        parts.append("</w:p>")
        paragraph = "".join(parts).encode("utf-8")
        self._pending.append(paragraph)
        self._pending_size += len(paragraph)
        if self._pending_size >= self._CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._stream is None:
            raise RuntimeError("a paragraph added to a body before its document was written")
        self._stream.write(b"".join(self._pending))
        self._pending, self._pending_size = [], 0

    def mark_place(self) -> None:
        """End the document with the paragraph that the body replaces."""
        self._document.add_paragraph(_BODY_MARKER)

    def write_in_place(self, main_part: bytes, stream: IO[bytes]) -> None:
        """Write the main part's XML with the marker paragraph replaced by
        the body, the paragraphs going to ``stream`` as ``fill`` adds them.

        The marker is the document's last paragraph, so the last occurrence
        of its text is it, whatever a title or a category name holds.
        """
        at = main_part.rindex(_BODY_MARKER.encode("utf-8"))
        start = max(main_part.rfind(b"<w:p>", 0, at), main_part.rfind(b"<w:p ", 0, at))
        end = main_part.index(b"</w:p>", at) + len(b"</w:p>")
        stream.write(main_part[:start])
        self._stream = stream
        try:
            self._fill(self)
            self._flush()
        finally:
            self._stream = None
        stream.write(main_part[end:])

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = xml_escape(
                self._document.styles[name].style_id, {'"': "&quot;"}
            )
        return self._style_ids[name]


#: A placeholder of a message (its name).
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _add_caption(document: Document, number: int, title: str) -> None:
    """'Table N. Title', its number a SEQ field as Word's Insert Caption
    makes, so that cross-references and a List of Tables find it. The field
    restarts at the table's own number (\\r): a study's tables need not be
    numbered from 1. The label is bold, the title not. (The field's sequence
    is named "Table" in every language: a name, as Word's own captions'.)"""
    caption = document.add_paragraph(style="Caption")
    # Translators: a table's caption in the Word file, "Table 4. Title":
    # everything but the title is bold.
    message = _("Table %(number)s. %(title)s")
    for at, part in enumerate(_PLACEHOLDER.split(message)):
        if at % 2 == 0:  # the text between placeholders
            if part:
                caption.add_run(part.replace("%%", "%")).bold = True
        elif part == "number":
            caption._p.append(_number_field(number))
        elif part == "title":
            caption.add_run(title)


def _number_field(number: int) -> Any:
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
    return field


def tables_docx(study: Study, renderer: TableRenderer, paper: Paper) -> bytes:
    """Every table as a real Word table: caption, header row, one row per category."""
    # Translators: which of the Word documents this is, under the study's title.
    document = _new_document(study, _("Tables"), paper)
    links = PageLinks(SiteUrls(), "downloads/tables.docx")
    for number, table in enumerate(study.tables):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _add_caption(document, table.number, " ".join(table.title.split()))
        for paragraph in paragraph_texts(table.caption or ""):
            _add_paragraph(document, paragraph)
        headings = renderer.labelled_headings(table)
        grid = document.add_table(rows=1, cols=len(headings))
        grid.style = "Table Grid"
        for cell, heading in zip(grid.rows[0].cells, headings, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(heading).bold = True
        _repeat_as_header(grid.rows[0])
        previous_parent: str | None = None
        for row_id in table.rows:
            category = study.category(row_id)
            cells = renderer.cells(table, category, links)
            row = grid.add_row()
            for cell, value in zip(row.cells, cells, strict=True):
                same_parent = (
                    category.parent_id is not None and category.parent_id == previous_parent
                )
                if value.kind is ColumnKind.PARENT:
                    # Rows that share a parent: one merged cell, as on the page
                    # (Word's vertical merge: the first cell starts it, the
                    # ones below continue it; python-docx's merge() does the
                    # same, slowly).
                    cell._tc.vMerge = ST_Merge.CONTINUE if same_parent else ST_Merge.RESTART
                    if same_parent:
                        continue
                cell.text = value.text
                if _right_to_left(value.text):
                    cell.paragraphs[0]._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            previous_parent = category.parent_id
    return _save(document)


def _counts_text(study: Study, category: Category) -> str:
    excerpts = study.subtree_excerpts(category)
    count = len(excerpts)
    people = len(Study.participant_ids(excerpts))
    total = len(study.participants)
    counts = _("%(excerpts)s from %(participants)s") % {
        "excerpts": ngettext("%(num)d excerpt", "%(num)d excerpts", count) % {"num": count},
        # Translators: "3 of 10 participants": the participants that an
        # excerpt came from, of the study's.
        "participants": ngettext(
            "%(people)d of %(num)d participant", "%(people)d of %(num)d participants", total
        )
        % {"people": people, "num": total},
    }
    label = study.meta.added_labels.get("counts")
    return labelled(counts, label) if label else counts


def _category_heading(body: _Body, study: Study, category: Category) -> None:
    level = min(len(study.ancestors(category)) + 1, 9)
    heading = category.name
    if category.core:
        # Translators: a core category's heading in the Word documents.
        heading = _("%(category)s (core category)") % {"category": category.name}
    body.add([(heading, False)], style=f"Heading {level}")


def codebook_docx(study: Study, paper: Paper) -> bytes:
    """The category tree with definitions, memos and counts."""
    # Translators: which of the Word documents this is, under the study's title.
    document = _new_document(study, _("Codebook"), paper)

    def fill(body: _Body) -> None:
        for category in study.categories:
            _category_heading(body, study, category)
            # "NHS theme" stays as written; only its first letter is raised.
            details = [category.level[:1].upper() + category.level[1:]] if category.level else []
            details.append(_counts_text(study, category))
            body.add([(" · ".join(details), True)])
            for paragraph in paragraph_texts(category.definition or ""):
                body.add([(paragraph, False)])
            memo_label = study.meta.added_labels.get("memos")
            for memo in category.memos:
                if memo_label:
                    body.add([(memo_label, True)], style="Intense Quote")
                for paragraph in paragraph_texts(memo.text):
                    body.add([(paragraph, False)], style="Intense Quote")

    return _save(document, _Body(document, fill))


def excerpts_docx(study: Study, kind_label: Callable[[Excerpt], str], paper: Paper) -> bytes:
    """Every category with the excerpts coded to it, as QDA tools report them."""
    # Translators: which of the Word documents this is, under the study's title.
    document = _new_document(study, _("Excerpts by category"), paper)

    def fill(body: _Body) -> None:
        for category in study.categories:
            _category_heading(body, study, category)
            excerpts = study.excerpts_coded_to(category)
            if not excerpts:
                # Translators: in the Word document of excerpts by category, under
                # a category that has excerpts only in its subcategories.
                body.add([(_("No excerpt is coded to this category itself."), True)])
            for excerpt in excerpts:
                for paragraph in paragraph_texts(excerpt.text):  # as on the site
                    body.add([(paragraph, False)], style="Quote")
                source = study.participant(excerpt.participant_id).label
                label = kind_label(excerpt)
                runs = [(source + (f" · {label}" if label else ""), True)]
                if excerpt.source is not None:
                    runs.append((f" · {excerpt.source.describe()}", False))
                body.add(runs)

    return _save(document, _Body(document, fill))
