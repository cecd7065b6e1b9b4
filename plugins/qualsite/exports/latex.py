"""The tables as LaTeX (booktabs), every character of the study escaped."""

from __future__ import annotations

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
    "\n": " ",
}
_WIDTHS = {
    ColumnKind.PARENT: r"p{0.17\linewidth}",
    ColumnKind.CATEGORY: r"p{0.22\linewidth}",
    ColumnKind.DEFINITION: r"p{0.35\linewidth}",
    ColumnKind.EXCERPT: r"p{0.40\linewidth}",
    ColumnKind.PARTICIPANTS: "l",
    ColumnKind.EXCERPTS: "r",
}


def escape(text: str) -> str:
    """Text for LaTeX: each special character as the command that prints it."""
    return "".join(_SPECIAL.get(character, character) for character in " ".join(text.split()))


def tables_latex(study: Study, renderer: TableRenderer) -> str:
    links = PageLinks(SiteUrls(), "downloads/tables.tex")
    lines = [
        "% Tables of " + escape(study.meta.title) + ", made with qualsite.",
        "% Needs \\usepackage{booktabs} (and UTF-8 input, the default since LaTeX 2018).",
        "",
    ]
    for table in study.tables:
        spec = "".join(_WIDTHS[c.kind] for c in table.columns)
        lines += [
            "\\begin{table}[htbp]",
            "  \\centering",
            f"  \\caption{{{escape(table.title)}}}",
            f"  \\label{{tab:{table.number}}}",
            f"  \\begin{{tabular}}{{{spec}}}",
            "    \\toprule",
            "    "
            + " & ".join(f"\\textbf{{{escape(h)}}}" for h in renderer.headings(table))
            + r" \\",
            "    \\midrule",
        ]
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
            lines.append("    " + " & ".join(shown) + r" \\")
            previous_parent = category.parent_id
        lines += ["    \\bottomrule", "  \\end{tabular}"]
        if table.caption:
            lines.append(f"  \\par\\smallskip\\footnotesize {escape(table.caption)}")
        lines += ["\\end{table}", ""]
    return "\n".join(lines)
