"""Exports: each format is produced and read back as the program that opens it would."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from docx.oxml.ns import qn

from helpers import MKDOCS_YML, REPO, build_site, run_qualsite, write_study
from qualsite.exports.latex import escape
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()
SCHEMAS = REPO.parent / "shared" / "reference" / "refi-qda"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    result = run_qualsite("export", "--format", "all", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def test_every_format_is_written(exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        [
            "codebook.csv",
            "codebook.docx",
            "codebook.qdc",
            "co-occurrence.csv",
            "excerpts-by-category.docx",
            "figure-1.pdf",
            "figure-1.png",
            "figure-1.svg",
            "participants-by-category.csv",
            "reporting-checklist.docx",
            "reporting-checklist.tex",
            "table-1.csv",
            "table-2.csv",
            "table-3.csv",
            "tables.docx",
            "tables.tex",
        ]
    )


def test_codebook_csv(exported: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((exported / "codebook.csv").read_text("utf-8-sig"))))
    assert [r["id"] for r in rows] == [c.id for c in EXAMPLE.categories]
    core = next(r for r in rows if r["id"] == "connecting-with-values")
    assert core["core"] == "yes" and core["level"] == "phase" and core["parent"] == ""
    peers = EXAMPLE.category("peer-support")
    row = next(r for r in rows if r["id"] == "peer-support")
    # The example's counts are its own, and their heading says so (added_labels).
    counted = f"excerpts ({EXAMPLE.meta.added_labels['counts']})"
    assert row[counted] == str(len(EXAMPLE.subtree_excerpts(peers)))
    assert row["definition"] == " ".join((peers.definition or "").split())


def test_tables_docx_is_a_real_word_table_with_caption_and_header(exported: Path) -> None:
    document = docx.Document(str(exported / "tables.docx"))
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    # The number is a field (python-docx's .text skips fields; Word shows them).
    shown = ["".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in captions]
    assert shown == [f"Table {t.number}. {t.title}" for t in EXAMPLE.tables]
    fields = [p._p.find(qn("w:fldSimple")).get(qn("w:instr")) for p in captions]
    assert fields == [f" SEQ Table \\r {t.number} \\* ARABIC " for t in EXAMPLE.tables]
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "Dimension",
        "Category",
        "Illustrative excerpt",
        f"Participants ({EXAMPLE.meta.added_labels['counts']})",
    ]
    assert (
        table.rows[0]._tr.trPr.find(  # repeated on every page
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert [r.cells[1].text for r in table.rows[1:]] == [
        EXAMPLE.category(r).name for r in EXAMPLE.tables[1].rows
    ]
    assert len(table.rows) == 1 + len(EXAMPLE.tables[1].rows)
    # Rows that share a parent share one merged cell, whose text is the parent's.
    parents = [EXAMPLE.category(r).parent_id for r in EXAMPLE.tables[1].rows]
    merges = [r._tr.tc_lst[0].vMerge for r in table.rows[1:]]
    assert merges == [
        "continue" if i and parents[i] == parents[i - 1] else "restart" for i in range(len(parents))
    ]
    assert [r.cells[0].text for r in table.rows[1:]] == [
        EXAMPLE.category(p).name if p else "" for p in parents
    ]


def test_codebook_and_excerpts_documents(exported: Path) -> None:
    codebook = docx.Document(str(exported / "codebook.docx"))
    headings = [p.text for p in codebook.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Work-related challenges"
    assert (
        "Connecting with values and appraising adversity in relation to those values"
        " (core category)" in headings
    )
    assert len(headings) == len(EXAMPLE.categories)
    excerpts = docx.Document(str(exported / "excerpts-by-category.docx"))
    quoted = [p.text for p in excerpts.paragraphs if p.style.name == "Quote"]
    expected = sum(len(EXAMPLE.excerpts_coded_to(c)) for c in EXAMPLE.categories)
    assert len(quoted) == expected  # each excerpt under each category it is coded to
    assert " ".join(EXAMPLE.excerpts[0].text.split()) in quoted
    labels = [p.text for p in excerpts.paragraphs if "Illustrative paraphrase" in p.text]
    assert len(labels) == expected


def test_latex_uses_booktabs_and_escapes_everything(exported: Path) -> None:
    tex = (exported / "tables.tex").read_text(encoding="utf-8")
    assert tex.count("\\begin{longtable}") == 3 and tex.count("\\endhead") == 3
    assert "\\caption{Connecting with values and appraising adversity}" in tex
    assert escape("50% & $5 #1 a_b {x} ~ ^ \\ <b> | [name]") == (
        "50\\% \\& \\$5 \\#1 a\\_b \\{x\\} \\textasciitilde{} \\textasciicircum{} "
        "\\textbackslash{} \\textless{}b\\textgreater{} \\textbar{} {[}name{]}"
    )
    arabic = "\u0645\u0631\u062d\u0628\u0627"
    assert escape(f"\u202eevil\u202c \u200f{arabic}") == f"evil {arabic}"  # no direction marks


def test_latex_of_hostile_text(tmp_path: Path) -> None:
    hostile = "Costs & 100% of $ #tags_x {y} ~z^ \\\\end"
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": f"""\
                categories:
                  - {{id: coping, name: Coping}}
                  - id: peer-support
                    parent: coping
                    name: '{hostile}'
                  - {{id: supervision, name: S, parent: coping}}
                """,
            "codebook/tables.yml": "tables:\n  - {number: 1, title: T, subtree: coping}\n",
        },
    )
    result = run_qualsite("export", "--format", "tables-latex", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tex = (tmp_path / "out/tables.tex").read_text(encoding="utf-8")
    assert escape(hostile) in tex and hostile not in tex
    body = tex.replace(escape(hostile), "")
    assert "\\end{" in body  # only LaTeX's own commands remain


@pytest.fixture(scope="module")
def pdflatex() -> str:
    found = shutil.which("pdflatex")
    if found is None:
        hint = "pdflatex not found: apt-get install texlive-latex-base texlive-latex-recommended"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{hint} (CI=true: the LaTeX export must be compiled)", pytrace=False)
        pytest.skip(hint)
    return found


def _compile(pdflatex: str, tables: Path, source: str | None = None) -> str:
    """The log of a thesis-like document that inputs ``tables`` (``source``,
    with INPUT where the \\input goes, or a bare article); fails the test if
    LaTeX stops."""
    if source is None:
        source = (
            "\\documentclass{article}\n\\usepackage{booktabs,longtable,array}\n"
            "\\begin{document}\nINPUT\n\\end{document}\n"
        )
    document = tables.with_name("thesis.tex")
    document.write_text(source.replace("INPUT", f"\\input{{{tables.name}}}"), encoding="utf-8")
    for _ in range(2):  # longtable settles its column widths on the second run
        result = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", document.name],
            cwd=document.parent,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:]
    return document.with_suffix(".log").read_text(encoding="utf-8", errors="replace")


def test_the_example_tables_compile_and_fit_the_page(exported: Path, pdflatex: str) -> None:
    log = _compile(pdflatex, exported / "tables.tex")
    assert "Overfull \\hbox" not in log and "Float too large" not in log


def test_latex_compiles_whatever_a_row_starts_with(tmp_path: Path, pdflatex: str) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: Coping}
                  - {id: draft, name: "[Draft] First", parent: coping}
                  - {id: costs, name: "100% & $5 #1 {x} ~^ \\\\ <b> |", parent: coping}
                """,
            "codebook/excerpts/p1.yml": """\
                participant: P1
                excerpts:
                  - id: p1-a
                    categories: [draft]
                    illustrates: [draft]
                    text: "[name] told me it was fine."
                  - id: p1-b
                    categories: [costs]
                    illustrates: [costs]
                    text: "*sighs* [redacted] said so."
                """,
            "codebook/excerpts/p2.yml": None,
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: "[T] one", subtree: coping, columns: [excerpt, category]}
                """,
        },
    )
    result = run_qualsite("export", "--format", "tables-latex", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _compile(pdflatex, tmp_path / "out/tables.tex")
    # Every character reached the page ("*" after a row's end is not lost to \\*).
    import pypdf

    pages = pypdf.PdfReader(str(tmp_path / "out/thesis.pdf")).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "*sighs* [redacted] said so." in text and "[Draft] First" in text


#: A thesis with hyperref and a list of tables, and tables of its own before
#: and after the study's: CHAPTER is where a chapter may start.
THESIS = r"""\documentclass{CLASS}
\usepackage{booktabs,longtable,array}
\usepackage{hyperref}
PREAMBLE
\begin{document}
\listoftables
CHAPTER
\begin{table}\caption{Own before}\label{before}\end{table}
INPUT
\begin{table}\caption{Own after}\label{after}\end{table}
See Table~\ref{tab:4} and Table~\ref{after}.
\end{document}
"""


def _pdf_text(pdf: Path) -> str:
    import pypdf

    pages = pypdf.PdfReader(str(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize(
    ("document", "shown", "fourth"),
    [
        pytest.param(
            {"CLASS": "article", "PREAMBLE": "", "CHAPTER": ""},
            # The study's numbers; the document's own table after them follows on.
            [
                "Table 1: Own before",
                "Table 1: First",
                "Table 4: Fourth",
                "Table 5: Own after",
                "See Table 4 and Table 5.",
                "1 First",  # the list of tables
                "4 Fourth",
            ],
            "4",
            id="the study's numbers",
        ),
        pytest.param(
            {"CLASS": "report", "PREAMBLE": "", "CHAPTER": "\\chapter{Findings}"},
            ["Table 1.1: First", "Table 1.4: Fourth", "See Table 1.4 and Table 1.5."],
            "1.4",
            id="by chapter",
        ),
        pytest.param(
            {
                "CLASS": "article",
                "PREAMBLE": "\\newcommand\\qualsitetablenumber[1]{}",
                "CHAPTER": "",
            },
            [
                "Table 1: Own before",
                "Table 2: First",
                "Table 3: Fourth",
                "Table 4: Own after",
                "See Table 3 and Table 4.",
            ],
            "3",
            id="the document's own numbers",
        ),
    ],
)
def test_latex_tables_keep_the_studys_numbers(
    tmp_path: Path, pdflatex: str, document: dict[str, str], shown: list[str], fourth: str
) -> None:
    """Tables 1 and 4 of the study (Word and the site say 4) are Tables 1 and 4
    in the PDF, its list of tables and its references, unless the document
    asks to number them itself."""
    write_study(
        tmp_path,
        {
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: First, subtree: coping}
                  - {number: 4, title: Fourth, subtree: coping}
                """,
        },
    )
    result = run_qualsite("export", "--format", "tables-latex", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = THESIS
    for name, value in document.items():
        source = source.replace(name, value)
    log = _compile(pdflatex, tmp_path / "out/tables.tex", source)
    text = _pdf_text(tmp_path / "out/thesis.pdf")
    assert [line for line in shown if line not in text] == []
    aux = (tmp_path / "out/thesis.aux").read_text(encoding="utf-8")
    assert f"\\newlabel{{tab:4}}{{{{{fourth}}}" in aux  # what \\ref{tab:4} prints
    # A number shared with one of the document's own tables is still its own link.
    assert "destination with the same identifier" not in log


def test_qdc_is_a_refi_codebook_of_the_tree(exported: Path) -> None:
    root = ET.parse(exported / "codebook.qdc").getroot()
    ns = "{urn:QDA-XML:codebook:1.0}"
    assert root.tag == f"{ns}CodeBook"
    tops = root.findall(f"{ns}Codes/{ns}Code")
    assert [c.get("name") for c in tops] == [c.name for c in EXAMPLE.top_categories]
    assert len(root.findall(f".//{ns}Code")) == len(EXAMPLE.categories)
    assert len({c.get("guid") for c in root.iter(f"{ns}Code")}) == len(EXAMPLE.categories)


@pytest.mark.skipif(
    not (SCHEMAS / "Codebook.xsd").is_file(), reason=f"no REFI-QDA schema at {SCHEMAS}"
)
def test_qdc_is_valid_against_the_standards_schema(exported: Path) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd"))
    assert list(schema.iter_errors(str(exported / "codebook.qdc"))) == []


def test_exports_are_reproducible(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1764288000"}
    for folder in ("one", "two"):
        result = run_qualsite(
            "export", "--format", "all", "--out", str(tmp_path / folder), cwd=REPO, env=env
        )
        assert result.returncode == 0, result.stderr
        assert "Skipped" not in result.stdout  # the example has every kind of export
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def test_exports_leave_out_withdrawn_and_unpublished_text(tmp_path: Path) -> None:
    from test_confidentiality import UNPUBLISHED, WITHDRAWN, canary_study

    root = canary_study(tmp_path, leaks=False)
    result = run_qualsite("export", "--format", "all", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    for path in (root / "out").iterdir():
        data = path.read_bytes()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        for marker in (WITHDRAWN, UNPUBLISHED):
            assert marker.encode() not in data, (marker, path.name)


def test_export_problems_are_messages(tmp_path: Path) -> None:
    write_study(tmp_path)
    no_tables = run_qualsite("export", "--format", "tables-docx", "--out", "out", cwd=tmp_path)
    assert no_tables.returncode == 1
    assert no_tables.stderr.splitlines()[-1] == (
        "qualsite: nothing to export as tables-docx: the study has no tables (codebook/tables.yml)"
    )
    assert not (tmp_path / "out").exists()
    unknown = run_qualsite("export", "--format", "pptx", "--out", "out", cwd=tmp_path)
    assert unknown.returncode == 2
    paper = run_qualsite("export", "--format", "all", "--paper", "b5", "--out", "out", cwd=tmp_path)
    assert paper.returncode == 2 and "invalid choice: 'b5'" in paper.stderr


def test_export_all_says_what_it_left_out_and_why(tmp_path: Path) -> None:
    """After the files it wrote, a line for each reason a format was left out,
    naming the study's files as the user would (here from the folder above)."""
    write_study(
        tmp_path / "study",
        {
            "mkdocs.yml": MKDOCS_YML.replace(
                "  - qualsite\n", "  - qualsite:\n      matrices: false\n"
            )
        },
    )
    result = run_qualsite(
        "export", "--format", "all", "-f", "study/mkdocs.yml", "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "out/codebook.csv",
        "out/codebook.docx",
        "out/codebook.qdc",
        "out/excerpts-by-category.docx",
        "Skipped tables-csv, tables-docx, tables-latex: "
        "the study has no tables (study/codebook/tables.yml)",
        "Skipped figure-svg, figure-pdf, figure-png: "
        "the study has no model (study/codebook/model.yml)",
        "Skipped matrices-csv: the matrices are turned off (matrices: false in study/mkdocs.yml)",
        "Skipped checklist-docx, checklist-latex: "
        "the study has no reporting checklist (study/codebook/checklist.yml)",
    ]


#: Each paper's width and height in twentieths of a point, as Word's own.
A4 = (11906, 16838)
LETTER = (12240, 15840)


def _paper_of(document: Path) -> tuple[int, int]:
    """The page size of each section of ``document``; all must agree. Its
    tables must fit between the margins of 1 inch (1440 twips)."""
    opened = docx.Document(str(document))
    sizes = {(s.page_width.twips, s.page_height.twips) for s in opened.sections}
    assert len(sizes) == 1, sizes
    for section in opened.sections:
        margins = (section.left_margin, section.right_margin, section.top_margin)
        assert [m.twips for m in margins] == [1440, 1440, 1440]
    (width, height) = sizes.pop()
    for table in opened.tables:
        columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert sum(int(c.get(qn("w:w"))) for c in columns) <= width - 2 * 1440
    return width, height


def test_word_exports_are_a4_unless_letter_is_asked_for(tmp_path: Path) -> None:
    tables = "tables:\n  - {number: 1, title: T, subtree: coping}\n"
    write_study(tmp_path, {"codebook/tables.yml": tables})
    documents = ["codebook.docx", "excerpts-by-category.docx", "tables.docx"]
    a4 = run_qualsite("export", "--format", "all", "--out", "a4", cwd=tmp_path)
    assert a4.returncode == 0, a4.stderr
    assert [_paper_of(tmp_path / "a4" / name) for name in documents] == [A4, A4, A4]
    # For one export, from the command line ("A4" and "Letter" as people write them)...
    letter = run_qualsite(
        "export", "--format", "all", "--paper", "Letter", "--out", "letter", cwd=tmp_path
    )
    assert letter.returncode == 0, letter.stderr
    assert [_paper_of(tmp_path / "letter" / name) for name in documents] == [LETTER] * 3
    # ...or for the site's downloads and every export, in mkdocs.yml.
    config = tmp_path / "mkdocs.yml"
    config.write_text(MKDOCS_YML.replace("  - qualsite\n", "  - qualsite:\n      paper: Letter\n"))
    site = build_site(tmp_path)
    assert [_paper_of(site / "downloads" / name) for name in documents] == [LETTER] * 3
    # The command line wins over mkdocs.yml.
    back = run_qualsite(
        "export", "--format", "tables-docx", "--paper", "A4", "--out", "back", cwd=tmp_path
    )
    assert back.returncode == 0, back.stderr
    assert _paper_of(tmp_path / "back/tables.docx") == A4
    # The LaTeX has no paper of its own: it is the including document's.
    assert "paper" not in "".join(
        line
        for line in (site / "downloads/tables.tex").read_text("utf-8").splitlines()
        if not line.startswith("%")
    )


def test_word_keeps_paragraphs_directions_and_levels_as_written(tmp_path: Path) -> None:
    arabic = "\u0643\u0627\u0646 \u0627\u0644\u0639\u0645\u0644 \u0635\u0639\u0628\u0627"
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: Coping, level: NHS theme}
                  - {id: peer-support, name: Peer support, parent: coping}
                  - {id: supervision, name: Supervision, parent: coping}
                """,
            "codebook/excerpts/p1.yml": f"""\
                participant: P1
                excerpts:
                  - id: p1-two
                    categories: [peer-support]
                    text: |
                      The first paragraph.

                      The second paragraph.
                  - id: p1-arabic
                    categories: [peer-support]
                    text: {arabic}
                """,
        },
    )
    result = run_qualsite("export", "--format", "all", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    excerpts = docx.Document(str(tmp_path / "out/excerpts-by-category.docx"))
    quoted = [p for p in excerpts.paragraphs if p.style.name == "Quote"]
    assert [p.text for p in quoted][:3] == ["The first paragraph.", "The second paragraph.", arabic]
    assert [p._p.pPr.find(qn("w:bidi")) is not None for p in quoted][:3] == [False, False, True]
    codebook = docx.Document(str(tmp_path / "out/codebook.docx"))
    assert any(p.text.startswith("NHS theme · ") for p in codebook.paragraphs)


def test_word_exports_of_a_long_title_and_many_authors_open(tmp_path: Path) -> None:
    """Word limits each document property to 255 characters: the properties are
    shortened, the document itself keeps the whole title."""
    title = " ".join(f"Resilience{n:02d} of practitioners in stepped care" for n in range(9))
    assert len(title) > 400
    authors = "".join(f"\n  - name: Author{n:02d} Researcher-Longname" for n in range(40))
    write_study(
        tmp_path,
        {
            "codebook/study.yml": f"title: {title}\nauthors:{authors}\n",
            "codebook/tables.yml": "tables:\n  - {number: 1, title: T, subtree: coping}\n",
        },
    )
    site = build_site(tmp_path)
    documents = sorted((site / "downloads").glob("*.docx"))
    assert [p.name for p in documents] == [
        "codebook.docx",
        "excerpts-by-category.docx",
        "tables.docx",
    ]
    for path in documents:
        document = docx.Document(str(path))
        assert document.paragraphs[0].text == title, path.name
        properties = document.core_properties
        subject = document.paragraphs[1].text
        assert properties.title.startswith(title[:200])
        assert properties.title.endswith(f"…: {subject}")
        assert len(properties.title) <= 255
        assert properties.author.startswith("Author00 Researcher-Longname, Author01")
        assert properties.author.endswith("…") and len(properties.author) <= 255


def test_a_drafts_word_and_latex_downloads_say_it_is_a_draft(tmp_path: Path) -> None:
    """A draft's pages say so; so do the Word and LaTeX files a reader takes
    away from it (into a thesis chapter, say)."""
    unreviewed = (
        "participant: P2\nexcerpts:\n"
        "  - {id: p2-new, categories: supervision, reviewed: false, text: Not read yet.}\n"
    )
    write_study(
        tmp_path,
        {
            "codebook/study.yml": "title: A draft\nauthors: [{name: A. Researcher}]\ndraft: true\n",
            "codebook/excerpts/p2.yml": unreviewed,
            "codebook/tables.yml": "tables:\n  - {number: 1, title: T, subtree: coping}\n",
        },
    )
    site = build_site(tmp_path)
    notice = "Draft. This document is a draft, not yet published. 1 of its texts is not yet"
    for path in sorted((site / "downloads").glob("*.docx")):
        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        assert paragraphs[2].startswith(notice), path.name
    latex = (site / "downloads/tables.tex").read_text(encoding="utf-8")
    assert "\\noindent\\textbf{Draft.} This document is a draft, not yet published." in latex
    # A study that is no draft says nothing of the kind.
    meta = tmp_path / "codebook/study.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("draft: true", "draft: false"))
    (tmp_path / "codebook/excerpts/p2.yml").write_text(unreviewed.replace("false", "true"))
    site = build_site(tmp_path)
    for path in sorted((site / "downloads").glob("*.docx")):
        assert "Draft." not in [p.text[:6] for p in docx.Document(str(path)).paragraphs]
    assert "Draft." not in (site / "downloads/tables.tex").read_text(encoding="utf-8")
