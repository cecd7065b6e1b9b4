"""The data behind the findings: the participant by category matrix and the
category co-occurrence matrix (issue 15, part 5).

Built as a reader gets them, on a study with a withdrawn participant and an
unpublished excerpt: every count and every CSV leaves them out, each
number's link leads to exactly the excerpts it counts, participants are
named by their pseudonymous labels only, and the plugin's ``matrices``
option takes the pages, their navigation, CSVs and Print section away.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from helpers import MKDOCS_YML, REPO, build_site, resolve_link, write_study
from qualsite.render.matrices import GRID_UP_TO, PAIRS_SHOWN
from qualsite.render.matrix_pages import CELLS_PER_PAGE, FULL_TEXT_UP_TO
from qualsite.study import Study, load_study

WITHDRAWN_WORDS = "Withdrawnmarker words"
UNPUBLISHED_WORDS = "Unpublishedmarker words"
ATTRIBUTE = "Nightshift rota lead"  # a participant attribute: never in a matrix

#: The minimal study with a withdrawn participant who coded to both
#: categories, an unpublished excerpt coded to both, and an attribute.
STUDY = {
    "codebook/participants.yml": f"""\
        participants:
          - id: P1
            label: Participant 1
            attributes:
              role: {ATTRIBUTE}
          - id: P2
            label: Participant 2
          - id: P3
            label: Participant 3
            withdrawn: true
        """,
    "codebook/excerpts/p1.yml": f"""\
        participant: P1
        excerpts:
          - id: p1-peers
            categories: [peer-support]
            text: My colleagues get me through the week.
          - id: p1-supervision
            categories: [supervision, peer-support]
            text: Supervision and the team both help.
          - id: p1-held-back
            categories: [peer-support, supervision]
            publish: false
            text: {UNPUBLISHED_WORDS} that were never published.
        """,
    "codebook/excerpts/p3.yml": f"""\
        participant: P3
        excerpts:
          - id: p3-words
            categories: [peer-support, supervision]
            text: {WITHDRAWN_WORDS} from someone who withdrew.
        """,
}


def matrix_files(site: Path) -> Iterator[Path]:
    yield from sorted(p for p in (site / "matrices").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def study_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_study(tmp_path_factory.mktemp("matrices"), STUDY)


@pytest.fixture(scope="module")
def site(study_root: Path) -> Path:
    return build_site(study_root)


def published(root: Path) -> Study:
    return load_study(root / "codebook").published()


def page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def grid(table: lxml_html.HtmlElement) -> tuple[list[str], dict[str, list[str]]]:
    """A matrix as a reader sees it: the column headings, and each row's
    cells by its heading's text."""
    columns = [th.text_content().strip() for th in table.xpath("./thead/tr/th")][1:]
    rows = {
        tr.xpath("./th")[0].text_content().strip(): [
            td.text_content().strip() for td in tr.xpath("./td")
        ]
        for tr in table.xpath("./tbody/tr")
    }
    return columns, rows


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def linked_excerpts(site: Path, from_page: Path, link: str) -> set[str]:
    """The ids of the excerpts that a cell's link leads to: those listed in
    the element it points at, each by its link to itself in context."""
    resolved = resolve_link(site, from_page, link)
    assert resolved is not None, link
    target, anchor = resolved
    assert target.is_file(), link
    section = page(target).get_element_by_id(anchor, None)
    assert section is not None, f"{link}: no #{anchor} on {target.relative_to(site)}"
    # Each excerpt links to itself in its category (in full, also in the
    # other categories it is coded to: the same excerpt).
    fragments = [
        href.rpartition("#")[2] for href in section.xpath(".//figure//a/@href | .//li/a/@href")
    ]
    return {f.removeprefix("excerpt-") for f in fragments if f.startswith("excerpt-")}


def cell_links(table: lxml_html.HtmlElement) -> Iterator[tuple[str, str, str, int]]:
    """Each number that links: (row heading, column heading, link, count)."""
    columns = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
    for tr in table.xpath("./tbody/tr"):
        row = tr.xpath("./th")[0].text_content().strip()
        for index, cell in enumerate(tr.xpath("./th | ./td")):
            for a in cell.xpath("./a"):
                if cell.tag == "td" and a.text_content().strip().isdigit():
                    yield row, columns[index], a.get("href"), int(a.text_content())


def by_name(study: Study) -> dict[str, str]:
    return {c.name: c.id for c in study.categories}


def expected_participant_cells(study: Study) -> dict[tuple[str, str], set[str]]:
    """(category name, participant label) -> the ids of the published
    excerpts of that participant coded to that category itself."""
    cells: dict[tuple[str, str], set[str]] = {}
    for excerpt in study.excerpts:
        label = study.participant(excerpt.participant_id).label
        for category_id in excerpt.category_ids:
            name = study.category(category_id).name
            cells.setdefault((name, label), set()).add(excerpt.id)
    return cells


def expected_pairs(study: Study) -> dict[frozenset[str], set[str]]:
    """Two category names -> the ids of the published excerpts coded to both."""
    pairs: dict[frozenset[str], set[str]] = {}
    for excerpt in study.excerpts:
        names = [study.category(c).name for c in excerpt.category_ids]
        for one in names:
            for other in names:
                if one != other:
                    pairs.setdefault(frozenset({one, other}), set()).add(excerpt.id)
    return pairs


def assert_cells_lead_to_their_excerpts(site: Path, study: Study) -> int:
    """Every number of both matrices links to exactly the excerpts it
    counts, and every count the study has is shown; returns the links followed."""
    followed = 0
    index = site / "matrices/participants/index.html"
    # The matrix, or (split) the pages of its parts that the index lists.
    parts = [
        resolve_link(site, index, href)
        for href in page(index).xpath("//ul[@class='qs-matrix-parts']//a/@href")
    ]
    matrix_pages = [part[0] for part in parts if part] or [index]
    expected = expected_participant_cells(study)
    seen = set()
    for matrix_page in matrix_pages:
        table = page(matrix_page).xpath("//table[contains(@class, 'qs-matrix__table')]")[0]
        for row, column, link, count in cell_links(table):
            excerpts = linked_excerpts(site, matrix_page, link)
            assert excerpts == expected[(row, column)], (row, column)
            assert count == len(excerpts)
            seen.add((row, column))
            followed += 1
    assert seen == set(expected)

    together_page = site / "matrices/co-occurrence/index.html"
    tables = page(together_page).xpath("//table[contains(@class, 'qs-matrix__table')]")
    pairs = expected_pairs(study)
    shown = set()
    for table in tables:
        names = {
            th.get("title") or th.text_content().strip() for th in table.xpath("./thead/tr/th")
        }
        grid_table = "qs-matrix__table--grid" in table.get("class", "")
        for tr in table.xpath("./tbody/tr"):
            row = tr.xpath("./th/descendant-or-self::a")[0].text_content().strip()
            cells = tr.xpath("./td")
            for index, cell in enumerate(cells):
                for a in cell.xpath("./a"):
                    if not a.text_content().strip().isdigit():
                        continue
                    if grid_table:
                        other = table.xpath("./thead/tr/th")[index + 1].get("title")
                    else:
                        other = cells[0].text_content().strip()
                    key = frozenset({row, other})
                    excerpts = linked_excerpts(site, together_page, a.get("href"))
                    assert excerpts == pairs[key], key
                    assert int(a.text_content()) == len(excerpts)
                    shown.add(key)
                    followed += 1
        assert names
    if len(pairs) <= PAIRS_SHOWN:
        assert shown == set(pairs)
    return followed


# -- what is counted ----------------------------------------------------------------------


def test_counts_leave_out_the_withdrawn_participant_and_the_unpublished_excerpt(
    site: Path,
) -> None:
    table = page(site / "matrices/participants/index.html").xpath("//table")[0]
    columns, rows = grid(table)
    assert columns == ["Participant 1", "Participant 2"]  # no column for Participant 3
    # Published, P1 has two excerpts coded to peer support and one to
    # supervision (the unpublished one would make three and two).
    assert rows["Peer support"] == ["2", "0"]
    assert rows["Supervision"] == ["1", "1"]
    # The parent is coded only through its sub-categories, and says so.
    assert rows["Coping"] == ["Coded only through its sub-categories"]

    together = page(site / "matrices/co-occurrence/index.html").xpath("//table")[0]
    _, pairs = grid(together)
    # One published excerpt is coded to both: the withdrawn participant's
    # and the unpublished one are not counted.
    assert pairs["1 Peer support"] == ["–the same category", "1"]
    assert pairs["2 Supervision"] == ["1", "–the same category"]


def test_the_csvs_leave_them_out_and_match_the_html_tables(site: Path) -> None:
    rows = read_csv(site / "matrices/participants-by-category.csv")
    assert rows[0] == [
        "Category id",
        "Category",
        "Parent id",
        "Level",
        "Participant 1",
        "Participant 2",
    ]
    table = page(site / "matrices/participants/index.html").xpath("//table")[0]
    columns, shown = grid(table)
    assert rows[0][4:] == columns
    for row in rows[1:]:
        cells = shown[row[1]]
        if cells == ["Coded only through its sub-categories"]:
            assert set(row[4:]) == {"0"}
        else:
            assert row[4:] == cells
    assert [r[0] for r in rows[1:]] == ["coping", "peer-support", "supervision"]

    pairs = read_csv(site / "matrices/co-occurrence.csv")
    assert pairs == [
        [
            "Category id",
            "Category",
            "Coded together with (id)",
            "Coded together with",
            "Shared excerpts",
        ],
        ["peer-support", "Peer support", "supervision", "Supervision", "1"],
    ]


def test_each_number_links_to_exactly_the_excerpts_it_counts(site: Path, study_root: Path) -> None:
    assert assert_cells_lead_to_their_excerpts(site, published(study_root)) == 5


def test_the_example_matrices_link_to_exactly_what_they_count(example_site: Path) -> None:
    followed = assert_cells_lead_to_their_excerpts(example_site, published(REPO))
    assert followed > 50


def test_a_cell_whose_excerpts_spread_over_pages_links_to_the_right_page(
    tmp_path: Path,
) -> None:
    """With one excerpt a page, a category's cells are on pages of their own."""
    root = write_study(
        tmp_path,
        {
            **STUDY,
            "mkdocs.yml": MKDOCS_YML.replace(
                "  - qualsite\n", "  - qualsite:\n      excerpts_per_page: 1\n"
            ),
        },
    )
    site = build_site(root)
    assert (site / "matrices/participant-excerpts/3/index.html").is_file()
    assert assert_cells_lead_to_their_excerpts(site, published(root)) == 5


def test_participants_are_named_by_their_labels_only(site: Path) -> None:
    for path in matrix_files(site):
        text = path.read_text(encoding="utf-8")
        for secret in (ATTRIBUTE, "Participant 3", WITHDRAWN_WORDS, UNPUBLISHED_WORDS):
            assert secret not in text, (secret, path)


# -- the option ------------------------------------------------------------------------


def test_the_option_takes_the_pages_navigation_csvs_and_print_section_away(
    tmp_path: Path, site: Path
) -> None:
    # Built as the study above, with the matrices on: all four are there ...
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Participants by category" in home and "Categories coded together" in home
    assert 'id="print-matrices"' in (site / "print/index.html").read_text(encoding="utf-8")
    # ... and turned off, none is.
    root = write_study(
        tmp_path,
        {
            **STUDY,
            "mkdocs.yml": MKDOCS_YML.replace(
                "  - qualsite\n", "  - qualsite:\n      matrices: false\n"
            ),
        },
    )
    off = build_site(root)
    assert not (off / "matrices").exists()
    for path in off.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".csv"):
            text = path.read_text(encoding="utf-8")
            assert "Participants by category" not in text, path
            assert "matrices/" not in text, path
    printed = (off / "print/index.html").read_text(encoding="utf-8")
    assert "print-matrices" not in printed and "qs-matrix" not in printed


# -- a big study ----------------------------------------------------------------------------


def test_a_big_study_lists_pairs_and_excerpts_by_their_first_words(tmp_path: Path) -> None:
    """Past GRID_UP_TO categories the page lists the pairs that share the
    most excerpts, and the CSV holds every pair; past FULL_TEXT_UP_TO
    excerpts the cells' pages list each excerpt by its first words, still
    exactly those each number counts."""
    count = GRID_UP_TO + 6
    ids = [f"c{n:02d}" for n in range(count)]
    categories = "categories:\n" + "".join(f"  - {{id: {i}, name: Code {i}}}\n" for i in ids)
    excerpts = ["participant: P1", "excerpts:"]
    pairs = [(ids[a], ids[b]) for a in range(count) for b in range(a + 1, count)][:150]
    for number, (one, other) in enumerate(pairs):
        # The first pair is coded together three times, the second twice.
        for repeat in range(3 if number == 0 else 2 if number == 1 else 1):
            excerpts.append(
                f"  - {{id: x{number}-{repeat}, categories: [{one}, {other}], text: Words.}}"
            )
    root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": categories,
            "codebook/excerpts/p1.yml": "\n".join(excerpts) + "\n",
            # Enough excerpts of one participant for one cell to fill pages.
            "codebook/excerpts/p2.yml": "participant: P2\nexcerpts:\n"
            + "".join(
                f"  - {{id: p2-{n}, categories: [c00], text: {' '.join(['Many'] * 30)} {n}.}}\n"
                for n in range(FULL_TEXT_UP_TO)
            ),
            "content/index.md": "# Home\n",
        },
    )
    site = build_site(root)
    together = page(site / "matrices/co-occurrence/index.html")
    table = together.xpath("//table")[0]
    assert "qs-matrix__table--pairs" in table.get("class")
    rows = table.xpath("./tbody/tr")
    assert len(rows) == PAIRS_SHOWN
    counts = [int(tr.xpath("./td")[-1].text_content()) for tr in rows]
    assert counts[:3] == [3, 2, 1] and counts == sorted(counts, reverse=True)
    caption = table.xpath("./caption")[0].text_content()
    assert f"The {PAIRS_SHOWN} pairs" in caption and "of the 150 pairs" in caption
    assert len(read_csv(site / "matrices/co-occurrence.csv")) == 1 + 150
    assert assert_cells_lead_to_their_excerpts(site, published(root)) > PAIRS_SHOWN
    # The cell of P2's excerpts is bigger than a page: a page of its own.
    cells = page(site / "matrices/participant-excerpts/2/index.html")
    lines = cells.get_element_by_id("c00--p2").xpath(".//li/a")
    assert len(lines) == FULL_TEXT_UP_TO
    assert lines[0].text_content() == " ".join(["Many"] * 24) + " …"  # 24 of its 31 words
    assert cells.xpath("//blockquote") == []


# -- the Print page -------------------------------------------------------------------------


def test_the_print_page_prints_both_matrices_without_links_to_their_cells(
    example_site: Path,
) -> None:
    printed = page(example_site / "print/index.html")
    section = printed.get_element_by_id("print-matrices")
    tables = {table.getparent().getparent().get("id"): table for table in section.xpath(".//table")}
    assert set(tables) == {"matrix-participants", "matrix-co-occurrence"}
    # The same numbers as on the site, as plain text: the cells' pages are not printed.
    for anchor, path in (
        ("matrix-participants", "matrices/participants/index.html"),
        ("matrix-co-occurrence", "matrices/co-occurrence/index.html"),
    ):
        assert tables[anchor].xpath(".//td//a") == []
        on_site = page(example_site / path).xpath("//table")[0]
        assert grid(tables[anchor])[1] == grid(on_site)[1]


def test_a_matrix_of_many_cells_has_a_page_for_each_top_level_category(tmp_path: Path) -> None:
    """Past CELLS_PER_PAGE cells, the participant matrix's page lists a page
    for each top-level category, whose numbers lead to their excerpts."""
    participants = 90
    tops = ["alpha", "beta", "gamma"]
    lines = ["categories:"]
    for top in tops:
        lines.append(f"  - {{id: {top}, name: Top {top}}}")
        lines += [f"  - {{id: {top}-{n}, name: Code {top} {n}, parent: {top}}}" for n in range(19)]
    assert len(tops) * 20 * participants > CELLS_PER_PAGE
    excerpts = {
        f"codebook/excerpts/p{n}.yml": (
            f"participant: P{n}\nexcerpts:\n"
            f"  - {{id: p{n}-a, categories: [alpha-{n % 19}, beta-{n % 7}], text: Words.}}\n"
            f"  - {{id: p{n}-b, categories: [gamma], text: More words.}}\n"
        )
        for n in range(1, participants + 1)
    }
    root = write_study(
        tmp_path,
        {
            "codebook/participants.yml": "participants:\n"
            + "".join(f"  - {{id: P{n}}}\n" for n in range(1, participants + 1)),
            "codebook/categories.yml": "\n".join(lines) + "\n",
            **excerpts,
            "content/index.md": "# Home\n",
        },
    )
    site = build_site(root)
    index = page(site / "matrices/participants/index.html")
    assert index.xpath("//table") == []
    assert [a.text_content() for a in index.xpath("//ul[@class='qs-matrix-parts']//a")] == [
        "Top alpha",
        "Top beta",
        "Top gamma",
    ]
    rows = page(site / "matrices/participants/beta/index.html").xpath("//tbody/tr/th")
    assert [th.text_content() for th in rows] == [
        "Top beta",
        *(f"Code beta {n}" for n in range(19)),
    ]
    # Three cells a participant; 90 pairs, each twice in the grid.
    assert assert_cells_lead_to_their_excerpts(site, published(root)) == 3 * participants + 2 * 90
