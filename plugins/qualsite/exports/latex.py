"""The tables as LaTeX (booktabs and longtable), every character of the
study escaped.

Each table is a ``longtable``: a table of a study's categories often runs
past one page, and a floating ``table`` cannot break. Its columns share the
text width in fixed proportions, so nothing runs into the margin.

Each table keeps the study's number (Table 4 of the site and of the Word
file is Table 4 here too, whatever comes before it), through a command
defined with \\providecommand, which a document can define first to number
the tables its own way.
"""

from __future__ import annotations

import re

from ..i18n import _
from ..render.notices import draft_text
from ..render.tables import TableRenderer
from ..render.urls import PageLinks, SiteUrls
from ..study.model import ColumnKind, Study

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # After \\ or \midrule, LaTeX reads "[…]" as an optional argument: a row
    # that starts with a redaction such as "[name]" would not compile.
    "[": "{[}",
    "]": "{]}",
}
#: Unicode's invisible direction marks: LaTeX does not lay out text by the
#: Unicode bidi rules, and pdfLaTeX stops at them.
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: How much of the width each kind of column takes, in parts of a thousand
#: before they are scaled to the table's columns.
_SHARES = {
    ColumnKind.PARENT: 170,
    ColumnKind.CATEGORY: 220,
    ColumnKind.DEFINITION: 350,
    ColumnKind.EXCERPT: 400,
    ColumnKind.PARTICIPANTS: 200,
    ColumnKind.EXCERPTS: 120,
}


def escape(text: str) -> str:
    """Text for LaTeX: each special character as the command that prints it."""
    flat = " ".join(_DIRECTION_MARKS.sub("", text).split())
    return "".join(_SPECIAL.get(character, character) for character in flat)


#: Stands in for a placeholder while a message is escaped: characters that
#: escape() leaves as they are, and that no message holds.
_SLOT = "\ue000{}\ue001"
_SLOTS = re.compile("\ue000(\\w+)\ue001")


def escaped_message(message: str, **latex: str) -> str:
    """A translated ``message`` escaped for LaTeX, its ``%(name)s``
    placeholders filled in with ``latex``, which is LaTeX already (a command,
    or text escaped by the caller)."""
    text = escape(message % {name: _SLOT.format(name) for name in latex})
    return _SLOTS.sub(lambda slot: latex[slot.group(1)], text)


def continued_heading() -> str:
    """The line above a longtable's header on each page after its first."""
    # Translators: above the header of a table where it goes on over a new
    # page (LaTeX); the number is the table's, "Table 4 (continued)".
    return escaped_message(_("Table %(number)s (continued)"), number=r"\thetable{}")


def _column(kind: ColumnKind, share: int, columns: int) -> str:
    # The text width, less the space between columns, in this column's share.
    width = rf"\dimexpr(\linewidth-{2 * columns}\tabcolsep)*{share}/1000\relax"
    align = r"\raggedleft" if kind is ColumnKind.EXCERPTS else r"\raggedright"
    # \hspace{0pt} lets TeX hyphenate a cell's first word, which it otherwise
    # never does: a long word ("Participants") would run out of a narrow column.
    return rf">{{{align}\arraybackslash\hspace{{0pt}}}}p{{{width}}}"


def _spec(kinds: list[ColumnKind]) -> str:
    total = sum(_SHARES[kind] for kind in kinds)
    shares = [_SHARES[kind] * 1000 // total for kind in kinds]
    return "".join(_column(k, s, len(kinds)) for k, s in zip(kinds, shares, strict=True))


#: The command that gives the next table the study's number. longtable steps
#: the counter as it begins (a \caption inside does not), so the counter is
#: set one below. Each table is in a group, so that hyperref's anchor name
#: (\theHtable) changes for it alone: a table that shares its number with
#: one of the document's own still gets its own anchor.
_NUMBERING = r"""\providecommand\qualsitetablenumber[1]{%
  \setcounter{table}{#1}\addtocounter{table}{-1}%
  \ifdefined\theHtable\def\theHtable{qualsite.#1}\fi}"""

_HEADER = r"""% Needs \usepackage{booktabs,longtable,array} in the preamble. The text is
% UTF-8: pdfLaTeX prints Latin, Greek and Cyrillic letters; for other scripts
% (Arabic, Hebrew, Chinese...) or emoji, use XeLaTeX or LuaLaTeX with a font
% that has them.
% The paper is your document's: this file sets none, and each table's columns
% share \linewidth.
% Each table keeps its number in the study: \qualsitetablenumber{4} sets the
% table counter so that the table after it is Table 4, for its caption, the
% list of tables and \ref{tab:4}. The counter stays at the last table's
% number, so that your next table follows it. Where tables are numbered by
% chapter, Table 4 is Table 3.4 in chapter 3. To number these tables as your
% own instead, write \newcommand\qualsitetablenumber[1]{} before \input."""


def tables_latex(study: Study, renderer: TableRenderer) -> str:
    links = PageLinks(SiteUrls(), "downloads/tables.tex")
    title = escape(study.meta.title)
    lines = [
        # Translators: the first line of the LaTeX file of the study's tables
        # (a comment in it), with the study's title.
        "% " + escaped_message(_("Tables of %(title)s, made with qualsite."), title=title),
        *_HEADER.splitlines(),
        _NUMBERING,
        "",
    ]
    draft = draft_text(study, "document")
    if draft is not None:
        label = escape(_("Draft."))
        lines += [f"\\noindent\\textbf{{{label}}} {escape(draft)}\\par", ""]
    for table in study.tables:
        headings = " & ".join(f"\\textbf{{{escape(h)}}}" for h in renderer.labelled_headings(table))
        lines += [
            "\\begingroup",
            f"\\qualsitetablenumber{{{table.number}}}",
            f"\\begin{{longtable}}{{{_spec([c.kind for c in table.columns])}}}",
            f"  \\caption{{{escape(table.title)}}}\\label{{tab:{table.number}}}\\\\",
            "  \\toprule",
            f"  {headings} \\\\",
            "  \\midrule",
            "  \\endfirsthead",
            f"  \\multicolumn{{{len(table.columns)}}}{{l}}{{\\emph{{{continued_heading()}}}}}\\\\",
            "  \\toprule",
            f"  {headings} \\\\",
            "  \\midrule",
            "  \\endhead",
            "  \\bottomrule",
        ]
        if table.caption:
            width = r"p{\dimexpr\linewidth-2\tabcolsep\relax}"
            lines.append(
                f"  \\multicolumn{{{len(table.columns)}}}{{{width}}}"
                f"{{\\footnotesize {escape(table.caption)}}}\\\\"
            )
        lines.append("  \\endlastfoot")
        previous_parent: str | None = None
        for row_id in table.rows:
            category = study.category(row_id)
            cells = renderer.cells(table, category, links)
            shown = [
                ""
                if c.kind is ColumnKind.PARENT and category.parent_id == previous_parent
                else escape(c.text)
                for c in cells
            ]
            # "{}" first: after \\ LaTeX reads a "*" as the star of \\*, and
            # a cell may start with one ("*sighs*").
            lines.append("  {}" + " & ".join(shown) + r" \\")
            previous_parent = category.parent_id
        lines += ["\\end{longtable}", "\\endgroup", ""]
    return "\n".join(lines)
