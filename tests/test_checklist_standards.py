"""The reporting checklists (COREQ, SRQR): their data, and the Word and
LaTeX tables a study's answers are laid out in."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from helpers import REPO
from qualsite.checklists import (
    STANDARD_KEYS,
    ChecklistRow,
    ChecklistStatus,
    Standard,
    standard,
)
from qualsite.exports.checklist import checklist_docx, checklist_latex, complete_rows
from qualsite.exports.latex import escape
from qualsite.exports.paper import Paper
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()

#: A where text with every character LaTeX treats specially, and a redaction.
HOSTILE = "R&D 100% my_file #3 {draft} [name] said so"
#: A web address longer than the column it goes in.
LONG_ADDRESS = "https://example.org/a-study/methods/data-collection/interviews_and_focus_groups/"


def _standard(key: str) -> Standard:
    found = standard(key)
    assert found is not None
    return found


def _answers(chosen: Standard) -> list[ChecklistRow]:
    """A row for every item: the first not applicable, the second not yet
    addressed, the third with awkward text, the rest on pages of the site."""
    rows = []
    for item in chosen.items:
        if item.number == 1:
            rows.append(ChecklistRow(item, ChecklistStatus.NOT_APPLICABLE, "no interviews held"))
        elif item.number == 2:
            rows.append(ChecklistRow(item, ChecklistStatus.NOT_ADDRESSED, ""))
        elif item.number == 3:
            rows.append(ChecklistRow(item, ChecklistStatus.REPORTED, HOSTILE))
        elif item.number == 4:
            rows.append(ChecklistRow(item, ChecklistStatus.REPORTED, LONG_ADDRESS))
        else:
            rows.append(
                ChecklistRow(item, ChecklistStatus.REPORTED, f"Print page: Section {item.number}")
            )
    return rows


# The standards as data


def test_coreq_has_32_items_in_three_domains() -> None:
    coreq = _standard("COREQ")
    assert [item.number for item in coreq.items] == list(range(1, 33))
    assert coreq.domains == (
        "Research team and reflexivity",
        "Study design",
        "Analysis and findings",
    )
    assert all(item.subdomain for item in coreq.items)
    assert [item.number for item in coreq.items if item.domain == "Study design"] == list(
        range(9, 24)
    )
    saturation = coreq.item(22)
    assert saturation is not None and saturation.topic == "Data saturation"
    assert "10.1093/intqhc/mzm042" in coreq.reference


def test_srqr_has_21_items_in_six_sections() -> None:
    srqr = _standard("SRQR")
    assert [item.number for item in srqr.items] == list(range(1, 22))
    assert srqr.domains == (
        "Title and abstract",
        "Introduction",
        "Methods",
        "Results/findings",
        "Discussion",
        "Other",
    )
    assert all(item.subdomain is None for item in srqr.items)
    assert "10.1097/ACM.0000000000000388" in srqr.reference


def test_a_standard_is_found_whatever_its_case() -> None:
    assert standard("coreq") is standard("COREQ")  # loaded once
    assert _standard("Srqr").key == "SRQR"
    assert standard("CONSORT") is None
    assert standard("") is None
    assert _standard("COREQ").item(33) is None


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_every_item_says_what_to_report(key: str) -> None:
    chosen = _standard(key)
    assert chosen.key == key and chosen.title and chosen.reference
    for item in chosen.items:
        assert item.topic.strip() and item.asks.strip(), item
        assert item.domain in chosen.domains


# Rows


def test_items_left_out_are_listed_as_not_yet_reported() -> None:
    srqr = _standard("SRQR")
    funding = srqr.item(21)
    assert funding is not None
    rows = complete_rows(srqr, [ChecklistRow(funding, ChecklistStatus.REPORTED, "Funding")])
    assert [row.item.number for row in rows] == list(range(1, 22))
    assert rows[-1].where == "Funding"
    assert {row.status for row in rows[:-1]} == {ChecklistStatus.NOT_ADDRESSED}


def test_a_row_of_another_standard_or_twice_is_refused() -> None:
    coreq, srqr = _standard("COREQ"), _standard("SRQR")
    title = srqr.items[0]
    with pytest.raises(ValueError, match="no item 1"):
        complete_rows(coreq, [ChecklistRow(title, ChecklistStatus.REPORTED, "x")])
    twice = [ChecklistRow(title, ChecklistStatus.REPORTED, "x")] * 2
    with pytest.raises(ValueError, match="two rows"):
        complete_rows(srqr, twice)


# Word


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_the_word_table_has_a_row_for_every_item(key: str) -> None:
    chosen = _standard(key)
    data = checklist_docx(chosen, _answers(chosen), EXAMPLE, Paper.A4)
    document = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert f"Reporting checklist: {key}" in texts
    assert chosen.reference in texts
    (table,) = document.tables
    header, *body = table.rows
    assert [cell.text for cell in header.cells] == [
        "No.",
        "Topic",
        "What to report",
        "Where reported",
    ]
    items = [row for row in body if row.cells[0].text.isdigit()]
    assert [int(row.cells[0].text) for row in items] == [item.number for item in chosen.items]
    assert [row.cells[1].text for row in items] == [item.topic for item in chosen.items]
    wheres = [row.cells[3].text for row in items]
    assert wheres[:4] == [
        "Not applicable: no interviews held",
        "Not yet reported",
        HOSTILE,
        LONG_ADDRESS,
    ]
    assert wheres[4:] == [f"Print page: Section {n}" for n in range(5, len(chosen.items) + 1)]
    # The other rows name the groups, each across the whole table.
    groups = [row.cells[0].text for row in body if not row.cells[0].text.isdigit()]
    subdomains = list(dict.fromkeys(item.subdomain for item in chosen.items if item.subdomain))
    assert len(groups) == len(chosen.domains) + len(subdomains)
    assert groups[0] == chosen.domains[0]
    assert all(len({cell._tc for cell in row.cells}) == 1 for row in body if row not in items)


def test_the_word_file_is_the_same_for_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    coreq = _standard("COREQ")
    first = checklist_docx(coreq, _answers(coreq), EXAMPLE, Paper.LETTER)
    assert checklist_docx(coreq, _answers(coreq), EXAMPLE, Paper.LETTER) == first


# LaTeX


def test_latex_escapes_what_a_where_text_holds() -> None:
    coreq = _standard("COREQ")
    tex = checklist_latex(coreq, _answers(coreq))
    assert escape(HOSTILE) in tex and HOSTILE not in tex
    assert r"R\&D 100\% my\_file \#3 \{draft\} {[}name{]} said so" in tex
    assert r"\caption{Reporting checklist (COREQ)}" in tex
    assert r"\emph{Not applicable:} no interviews held" in tex
    assert r"\emph{Not yet reported}" in tex
    assert tex.count(r"\endhead") == 1 and r"\endfirsthead" in tex


@pytest.fixture(scope="module")
def pdflatex() -> str:
    found = shutil.which("pdflatex")
    if found is None:
        hint = "pdflatex not found: apt-get install texlive-latex-base texlive-latex-recommended"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{hint} (CI=true: the checklist must be compiled)", pytrace=False)
        pytest.skip(hint)
    return found


def _compile(pdflatex: str, folder: Path, table: str) -> str:
    """The log of a bare article that inputs ``table``; fails the test if
    LaTeX stops."""
    (folder / "checklist.tex").write_text(table, encoding="utf-8")
    (folder / "appendix.tex").write_text(
        "\\documentclass{article}\n\\usepackage{booktabs,longtable,array}\n"
        "\\begin{document}\n\\input{checklist}\n\\end{document}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # longtable settles its column widths on the second run
        result = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "appendix.tex"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:]
    return (folder / "appendix.log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("key", STANDARD_KEYS)
def test_the_latex_table_compiles_and_fits_the_page(
    tmp_path: Path, pdflatex: str, key: str
) -> None:
    chosen = _standard(key)
    log = _compile(pdflatex, tmp_path, checklist_latex(chosen, _answers(chosen)))
    assert "Overfull \\hbox" not in log
    import pypdf

    pages = pypdf.PdfReader(str(tmp_path / "appendix.pdf")).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "[name] said so" in text and "Not yet reported" in text
    assert f"Reporting checklist ({key})" in text
    if len(pages) > 1:  # the header comes back on the next page
        assert "(continued)" in pages[1].extract_text()
