"""A reporting checklist (COREQ, SRQR) filled in for a study, as a Word
table and as a LaTeX longtable, for a thesis appendix or a submission.

Both list every item of the standard in its order, under a row for each
domain (and, for COREQ, each sub-domain), with where the study reports it.
An item the rows leave out is listed as not yet reported: a checklist that
silently skips an item would read as complete when it is not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import Table, _Cell, _Row

from ..checklists import ChecklistRow, ChecklistStatus, Standard, StandardItem
from ..i18n import N_, _
from ..study.model import Study
from .documents import (
    _MARGIN,
    _PAGE_SIZES,
    _add_paragraph,
    _new_document,
    _repeat_as_header,
    _right_to_left,
    _save,
)
from .latex import continued_heading, escape, escaped_message
from .paper import Paper

#: The columns' headings (translated where they are written).
_HEADINGS = (
    # Translators: the heading of the reporting checklist's column of item numbers.
    N_("No."),
    # Translators: a heading of the reporting checklist's table: each item's topic.
    N_("Topic"),
    # Translators: a heading of the reporting checklist's table: what the
    # standard asks a study to report for each item (a summary of it).
    N_("What to report"),
    # Translators: a heading of the reporting checklist's table: where the
    # study reports each item (a page, a section).
    N_("Where reported"),
)
#: Said under the table: the "what to report" column is qualsite's summary,
#: and a reader must not take it for the standard's own wording.
# Translators: under the reporting checklist; "What to report" is the
# heading of the column, as translated.
_SOURCE_NOTE = N_(
    "Item numbers, domains and topics as published. The What to report column "
    "summarises each item and does not quote the standard."
)
#: Each column's share of the text width, in thousandths: the number is
#: short, what to report the longest text.
_SHARES = (70, 240, 370, 320)
#: The shading of a domain's row in Word: a light grey that prints.
_DOMAIN_FILL = "E7E6E6"


def complete_rows(standard: Standard, rows: Sequence[ChecklistRow]) -> list[ChecklistRow]:
    """One row for each of the standard's items, in its order: the row given
    for it, or a row saying it is not addressed. Raises ValueError for a row
    of another standard's item, or two rows for one item."""
    given: dict[int, ChecklistRow] = {}
    for row in rows:
        if standard.item(row.item.number) != row.item:
            raise ValueError(f"{standard.key} has no item {row.item.number} {row.item.topic!r}")
        if row.item.number in given:
            raise ValueError(f"two rows for {standard.key} item {row.item.number}")
        given[row.item.number] = row
    return [
        given.get(item.number, ChecklistRow(item, ChecklistStatus.NOT_ADDRESSED, ""))
        for item in standard.items
    ]


def _where(row: ChecklistRow) -> tuple[str, str]:
    """The "where reported" cell as (status, text), either may be empty: the
    status is shown in italics, then a space, then the text as written."""
    where = " ".join(row.where.split())
    if row.status is ChecklistStatus.NOT_ADDRESSED:
        # Translators: a reporting checklist's item that the study does not report yet.
        return _("Not yet reported"), ""
    if row.status is ChecklistStatus.NOT_APPLICABLE:
        if where:
            # Translators: a checklist's item that does not apply to the
            # study, followed by the reason the study gives.
            return _("Not applicable:"), where
        # Translators: a checklist's item that does not apply to the study.
        return _("Not applicable"), ""
    # Translators: a checklist's item the study reports, without saying where.
    return ("", where) if where else (_("Reported"), "")


def _groups(previous: StandardItem | None, item: StandardItem) -> list[tuple[str, bool]]:
    """The group rows that go before ``item``: its domain when it starts
    one, its sub-domain when that starts, as (name, is a domain)."""
    if previous is None or previous.domain != item.domain:
        # A new domain opens with its first sub-domain, whatever came before.
        starts = [(item.domain, True)]
        if item.subdomain is not None:
            starts.append((item.subdomain, False))
        return starts
    if item.subdomain is not None and item.subdomain != previous.subdomain:
        return [(item.subdomain, False)]
    return []


# Word


def checklist_docx(
    standard: Standard, rows: Sequence[ChecklistRow], study: Study, paper: Paper
) -> bytes:
    """The checklist as a Word document: one table, its header row repeated
    on every page, a row across the table for each domain."""
    # Translators: under the study's title in the Word document: "Reporting
    # checklist: COREQ" (the standard's short name).
    subject = _("Reporting checklist: %(standard)s") % {"standard": standard.key}
    document = _new_document(study, subject, paper)
    _add_paragraph(document, standard.reference)
    _add_paragraph(document, _(_SOURCE_NOTE))
    table = _new_table(document, paper)
    previous: StandardItem | None = None
    for row in complete_rows(standard, rows):
        for name, is_domain in _groups(previous, row.item):
            _group_row(table, name, is_domain)
        cells = _item_row(table).cells
        _fill(cells[0], [(str(row.item.number), False)])
        _fill(cells[1], [(row.item.topic, False)])
        _fill(cells[2], [(row.item.asks, False)])
        status, where = _where(row)
        _fill(cells[3], [(status, True), (f" {where}" if status and where else where, False)])
        previous = row.item
    return _save(document)


def _new_table(document: Document, paper: Paper) -> Table:
    # The text width of the page _new_document laid out.
    width = _PAGE_SIZES[paper][0] - 2 * _MARGIN
    table: Table = document.add_table(rows=1, cols=len(_HEADINGS))
    table.style = "Table Grid"
    # Fixed widths: Word would otherwise size the columns to their content,
    # and a long web address would squeeze what to report.
    table.autofit = False
    for column, share in zip(table.columns, _SHARES, strict=True):
        column.width = Emu(width * share // 1000)
    header = table.rows[0]
    for cell, heading, column in zip(header.cells, _HEADINGS, table.columns, strict=True):
        cell.width = column.width  # add_row() takes the columns' widths; this row predates them
        cell.paragraphs[0].add_run(_(heading)).bold = True
    _repeat_as_header(header)
    return table


def _item_row(table: Table) -> _Row:
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    # An item's row stays on one page: half a sentence at the foot of a page
    # and the rest under the repeated header is hard to read.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return row


def _group_row(table: Table, name: str, is_domain: bool) -> None:
    """A row across the table naming a domain (bold, shaded) or a
    sub-domain (italic), kept on the page of the item below it."""
    row = _item_row(table)
    cell: _Cell = row.cells[0].merge(row.cells[-1])
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(name)
    run.bold = is_domain
    run.italic = not is_domain
    # Word keeps a row with the next one when its paragraphs keep with next.
    paragraph.paragraph_format.keep_with_next = True
    if is_domain:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), _DOMAIN_FILL)
        cell._tc.get_or_add_tcPr().append(shading)


def _fill(cell: _Cell, runs: Sequence[tuple[str, bool]]) -> None:
    """Write ``(text, italic)`` runs into an empty cell, right to left when
    the text is (see documents._add_paragraph)."""
    paragraph = cell.paragraphs[0]
    backwards = _right_to_left("".join(text for text, _ in runs))
    if backwards:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for text, italic in runs:
        if not text:
            continue
        run = paragraph.add_run(text)
        run.italic = italic or None
        if backwards:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


# LaTeX

#: Words longer than this many characters (web addresses, file names) get
#: places to break: TeX breaks only at spaces and hyphens, and a long address
#: would run out of its column into the margin.
_LONG_WORD = 20
#: Where a long word may break: after a slash, a dot, an underscore, an
#: ampersand, "=", "?" or "#" (as escaped), but not at the word's end nor
#: between the two slashes of "https://".
_BREAK_AFTER = re.compile(r"(/|\.|\\_|\\&|=|\?|\\#)(?=[^\s/])")

_LATEX_HEADER = r"""% Needs \usepackage{booktabs,longtable,array} in the preamble. The columns
% share \linewidth; the table is numbered as your document's next table."""


def checklist_latex(standard: Standard, rows: Sequence[ChecklistRow]) -> str:
    """The checklist as a longtable (booktabs), every text escaped, its
    header repeated on each page."""
    columns = len(_HEADINGS)
    headings = " & ".join(f"\\textbf{{{escape(_(h))}}}" for h in _HEADINGS)
    across = f"\\multicolumn{{{columns}}}{{{_across()}}}"
    key = escape(standard.key)
    # Translators: under the reporting checklist (LaTeX): the standard's
    # reference (a citation), then a note on the table.
    source_line = _("Source: %(reference)s %(note)s")
    source = escaped_message(
        source_line, reference=_breakable(standard.reference), note=escape(_(_SOURCE_NOTE))
    )
    # Translators: the reporting checklist's caption (LaTeX), with the
    # standard's short name: "Reporting checklist (COREQ)".
    caption = escaped_message(_("Reporting checklist (%(standard)s)"), standard=key)
    # Translators: the first line of the LaTeX file of the reporting
    # checklist (a comment in it): the standard's title and short name.
    described = _("Reporting checklist: %(title)s (%(standard)s), made with qualsite.")
    first_line = escaped_message(described, title=escape(standard.title), standard=key)
    lines = [
        "% " + first_line,
        *_LATEX_HEADER.splitlines(),
        f"\\begin{{longtable}}{{{''.join(_column(share) for share in _SHARES)}}}",
        f"  \\caption{{{caption}}}\\label{{tab:checklist-{standard.key.lower()}}}\\\\",
        "  \\toprule",
        f"  {headings} \\\\",
        "  \\midrule",
        "  \\endfirsthead",
        f"  \\multicolumn{{{columns}}}{{l}}{{\\emph{{{continued_heading()}}}}}\\\\",
        "  \\toprule",
        f"  {headings} \\\\",
        "  \\midrule",
        "  \\endhead",
        "  \\bottomrule",
        f"  {across}{{\\footnotesize {source}}}\\\\",
        "  \\endlastfoot",
    ]
    previous: StandardItem | None = None
    for row in complete_rows(standard, rows):
        for name, is_domain in _groups(previous, row.item):
            if is_domain and previous is not None:
                lines.append("  \\addlinespace")
            style = "\\textbf" if is_domain else "\\emph"
            # \\* : no page break between a group's name and its first item.
            lines.append(f"  {across}{{{style}{{{escape(name)}}}}}\\\\*")
        status, where = _where(row)
        shown = " ".join(
            part
            for part in (f"\\emph{{{escape(status)}}}" if status else "", _breakable(where))
            if part
        )
        cells = [str(row.item.number), _breakable(row.item.topic), _breakable(row.item.asks), shown]
        # "{}" first: after \\ LaTeX reads a "[" or "*" as an argument of it.
        lines.append("  {}" + " & ".join(cells) + r" \\")
        previous = row.item
    lines += ["\\end{longtable}", ""]
    return "\n".join(lines)


def _column(share: int) -> str:
    # The text width, less the space between columns, in this column's share.
    width = rf"\dimexpr(\linewidth-{2 * len(_HEADINGS)}\tabcolsep)*{share}/1000\relax"
    # \hspace{0pt} lets TeX hyphenate a cell's first word (see latex._column).
    return rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{{width}}}"


def _across() -> str:
    """The column of a row that spans the table: its whole width, wrapped."""
    return r">{\raggedright\arraybackslash}p{\dimexpr\linewidth-2\tabcolsep\relax}"


def _breakable(text: str) -> str:
    """``text`` escaped, with break points inside its long words."""
    return " ".join(
        _BREAK_AFTER.sub(r"\1\\allowbreak{}", word) if len(word) > _LONG_WORD else word
        for word in escape(text).split(" ")
    )


__all__ = ["checklist_docx", "checklist_latex", "complete_rows"]
