"""Exports: each format is produced and read back as the program that opens it would."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest

from helpers import REPO, run_qualsite, write_study
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
            "excerpts-by-category.docx",
            "figure-1.pdf",
            "figure-1.png",
            "figure-1.svg",
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
    assert row["excerpts"] == str(len(EXAMPLE.subtree_excerpts(peers)))
    assert row["definition"] == " ".join((peers.definition or "").split())


def test_tables_docx_is_a_real_word_table_with_caption_and_header(exported: Path) -> None:
    document = docx.Document(str(exported / "tables.docx"))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [f"Table {t.number}. {t.title}" for t in EXAMPLE.tables]
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "Dimension",
        "Category",
        "Illustrative excerpt",
        "Participants",
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
    assert tex.count("\\begin{table}") == 3 and tex.count("\\toprule") == 3
    assert "\\caption{Connecting with values and appraising adversity}" in tex
    assert escape("50% & $5 #1 a_b {x} ~ ^ \\ <b> |") == (
        "50\\% \\& \\$5 \\#1 a\\_b \\{x\\} \\textasciitilde{} \\textasciicircum{} "
        "\\textbackslash{} \\textless{}b\\textgreater{} \\textbar{}"
    )


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
    assert "the study has nothing to export as tables-docx" in no_tables.stderr
    unknown = run_qualsite("export", "--format", "pptx", "--out", "out", cwd=tmp_path)
    assert unknown.returncode == 2
