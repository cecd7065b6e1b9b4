"""What a site adds to a study's data is labelled wherever it appears
(issue #14): memos and counts written for an example or a draft carry the
study's own label (study.yml's ``added_labels``), on every page, in the
tables and in the downloads, as paraphrases carry theirs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html

from helpers import MINIMAL_STUDY, REPO, build_site, html_pages, write_study
from qualsite.study import load_study

MEMO_LABEL = "Memo written for this example"
COUNT_LABEL = "Counts of this example's excerpts"

STUDY = (
    "title: A test study\nauthors:\n  - name: A. Researcher\n"
    f"added_labels:\n  memos: {MEMO_LABEL}\n  counts: {COUNT_LABEL}\n"
)
MEMOS = "            memo: [A first note., A second.]\n"
CATEGORIES = MINIMAL_STUDY["codebook/categories.yml"].replace(
    "            definition: Turning to colleagues.\n",
    "            definition: Turning to colleagues.\n" + MEMOS,
)
TABLES = """\
    tables:
      - number: 1
        title: Coping
        subtree: coping
        columns: [category, excerpt, participants, excerpts]
    """


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("labelled")
    write_study(
        root,
        {
            "codebook/study.yml": STUDY,
            "codebook/categories.yml": CATEGORIES,
            "codebook/tables.yml": TABLES,
            "content/index.md": "# Home\n\n[[table: 1]]\n",
        },
    )
    return build_site(root)


def unlabelled(site: Path, memo_label: str, count_label: str) -> list[str]:
    """Each memo or count on a page of ``site`` that does not carry its
    label: a memo holds it; a count is followed by it, or stands in a table
    column whose heading points at a note that holds it."""
    found = []
    for page in html_pages(site):
        tree = lxml_html.fromstring(page.read_bytes())
        for memo in tree.find_class("qs-memo"):
            labels = [e.text_content() for e in memo.find_class("qs-added")]
            if labels != [memo_label]:
                found.append(f"{page.relative_to(site)}: memo {memo.text_content()[:40]!r}")
        for count in tree.find_class("qs-counts"):
            after = count.getnext()
            if after is None or "qs-added" not in after.get("class", ""):
                found.append(f"{page.relative_to(site)}: count {count.text_content()!r}")
            elif after.text_content() != count_label:
                found.append(f"{page.relative_to(site)}: count labelled otherwise")
        for table in tree.iter("table"):
            headings = table.xpath(".//thead//th")
            for index, heading in enumerate(headings):
                if heading.text_content().rstrip("†") not in ("Participants", "Excerpts"):
                    continue
                note_id = heading.get("aria-describedby")
                note = tree.get_element_by_id(note_id) if note_id else None
                if note is None or count_label not in note.text_content():
                    found.append(f"{page.relative_to(site)}: table column {index + 1}")
    return found


def test_every_memo_and_count_on_every_page_carries_its_label(labelled: Path) -> None:
    assert unlabelled(labelled, MEMO_LABEL, COUNT_LABEL) == []
    page = lxml_html.fromstring((labelled / "categories/peer-support/index.html").read_bytes())
    memos = page.find_class("qs-memo")
    assert [m.find_class("qs-added")[0].text_content() for m in memos] == [MEMO_LABEL] * 2
    # The tables' counts: the columns point at the note that labels them.
    home = lxml_html.fromstring((labelled / "index.html").read_bytes())
    note = home.get_element_by_id("table-1-counts")
    assert note.text_content() == f"† {COUNT_LABEL}"
    described = home.xpath('//th[@aria-describedby="table-1-counts"]')
    assert [th.text_content() for th in described] == ["Participants†", "Excerpts†"]


def test_the_check_would_fail_if_a_label_were_missing(tmp_path: Path) -> None:
    # The same study without the labels: every memo and count is reported.
    write_study(
        tmp_path,
        {"codebook/categories.yml": CATEGORIES, "codebook/tables.yml": TABLES},
    )
    site = build_site(tmp_path)
    missing = unlabelled(site, MEMO_LABEL, COUNT_LABEL)
    assert any(": memo " in m for m in missing)
    assert any(": count " in m for m in missing)
    assert not (site / "index.html").read_text(encoding="utf-8").count("qs-added")


def test_the_downloads_carry_the_labels(labelled: Path) -> None:
    rows = list(
        csv.reader(io.StringIO((labelled / "downloads/codebook.csv").read_text("utf-8-sig")))
    )
    assert rows[0][-2:] == [f"excerpts ({COUNT_LABEL})", f"participants ({COUNT_LABEL})"]
    memos = next(row for row in rows if row[0] == "peer-support")[6]
    assert memos == f"[{MEMO_LABEL}] A first note.\n\n[{MEMO_LABEL}] A second."
    table = list(csv.reader(io.StringIO((labelled / "tables/table-1.csv").read_text("utf-8-sig"))))
    assert table[0][-2:] == [f"Participants ({COUNT_LABEL})", f"Excerpts ({COUNT_LABEL})"]
    codebook = [p.text for p in docx.Document(str(labelled / "downloads/codebook.docx")).paragraphs]
    assert any(text.endswith(f"participants ({COUNT_LABEL})") for text in codebook)
    assert codebook.count(MEMO_LABEL) == 2
    tables = docx.Document(str(labelled / "downloads/tables.docx")).tables[0]
    assert [c.text for c in tables.rows[0].cells][-2:] == [
        f"Participants ({COUNT_LABEL})",
        f"Excerpts ({COUNT_LABEL})",
    ]
    latex = (labelled / "downloads/tables.tex").read_text(encoding="utf-8")
    assert f"\\textbf{{Participants ({COUNT_LABEL})}}" in latex


def test_the_example_labels_every_memo_and_count(example_site: Path) -> None:
    labels = load_study(REPO / "codebook").meta.added_labels
    assert labels.get("memos") and labels.get("counts")
    assert unlabelled(example_site, labels["memos"], labels["counts"]) == []
