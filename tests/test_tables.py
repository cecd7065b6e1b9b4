"""Tables 1-3: real HTML tables, linked, downloadable as CSV, chosen from the data."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest

from helpers import (
    REPO,
    broken_links,
    build_site,
    main_text,
    read_html,
    resolve_link,
    write_study,
)
from qualsite.errors import StudyError
from qualsite.render.tables import illustrative_excerpts, spreadsheet_safe
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook")

PUBLISHED_TABLES = {
    1: ("Work-related challenges", "work-related-challenges"),
    2: ("Connecting with values and appraising adversity", "connecting-with-values"),
    3: ("Implementing proactive coping", "implementing-proactive-coping"),
}

#: PWP-MODEL.md: the participants whose accounts illustrated each category.
ILLUSTRATED_BY = {
    "lack-of-life-experience": {"P8"},
    "lack-of-professional-experience": {"P1"},
    "high-clinical-volume": {"P5"},
    "balancing-admin-and-clinical-work": {"P2"},
    "no-space-to-reflect": {"P5"},
    "finding-meaning-and-purpose": {"P2", "P3"},
    "reminding-oneself-of-meaning": {"P8"},
    "values-as-motivator": {"P7"},
    "values-based-culture": {"P1"},
    "self-care-and-wellbeing": {"P10"},
    "practising-what-we-preach": {"P1"},
    "compartmentalising": {"P10"},
    "peer-support": {"P4"},
}


def table_html(page: Path, number: int) -> str:
    html = page.read_text(encoding="utf-8")
    match = re.search(rf'<div class="qs-table" id="table-{number}">.*?</table>', html, re.S)
    assert match is not None, f"no Table {number} in {page}"
    return match.group(0)


# -- the example -----------------------------------------------------------------


#: PWP-MODEL.md, table by table: each dimension with its categories, in order.
PUBLISHED_ROWS = {
    1: [
        ("Individual challenges", "Lack of prior life experience"),
        ("Individual challenges", "Lack of prior professional experience and training"),
        ("Systemic pressures and demands", "High volume of clinical work and time constraints"),
        ("Systemic pressures and demands", "Balancing administrative and clinical work"),
        (
            "Systemic pressures and demands",
            "No space to reflect on the work or process one's own emotions",
        ),
    ],
    2: [
        ("Individual dimension", "Finding meaning and purpose in day-to-day work"),
        (
            "Individual dimension",
            "Reminding oneself of the work's meaning in highly emotive situations",
        ),
        ("Individual dimension", "Values as a motivator to take action and cope"),
        ("Systemic dimension", "A values-based culture in the workplace"),
        ("Systemic dimension", "Sharing vulnerability with colleagues"),
    ],
    3: [
        ("Individual coping strategies", "Self-care and wellbeing"),
        ("Individual coping strategies", "Practising what we preach"),
        ("Developing work-related boundaries", "Separating work from personal life"),
        (
            "Developing work-related boundaries",
            "Managing time and keeping clinical work structured",
        ),
        ("Developing work-related boundaries", "Compartmentalising"),
        ("Systemic and relational strategies", "Using clinical and case-management supervision"),
        ("Systemic and relational strategies", "Peer support"),
    ],
}


def test_example_has_tables_1_to_3_as_published() -> None:
    assert [(t.number, t.title) for t in EXAMPLE.tables] == [
        (n, title) for n, (title, _) in PUBLISHED_TABLES.items()
    ]
    for table in EXAMPLE.tables:
        rows = []
        for row in table.rows:
            category = EXAMPLE.category(row)
            parent = EXAMPLE.parent(category)
            assert parent is not None
            rows.append((parent.name, category.name))
        assert rows == PUBLISHED_ROWS[table.number]


def test_illustrative_excerpts_come_from_the_participants_the_study_names() -> None:
    for category_id, participants in ILLUSTRATED_BY.items():
        chosen = illustrative_excerpts(EXAMPLE, EXAMPLE.category(category_id))
        assert {e.participant_id for e in chosen} == participants, category_id


def test_tables_page_has_three_captioned_tables_linking_every_category(example_site: Path) -> None:
    page = example_site / "tables/index.html"
    for table in EXAMPLE.tables:
        html = table_html(page, table.number)
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", html, re.S)
        assert caption is not None
        assert re.sub(r"<[^>]+>", "", caption.group(1)).startswith(
            f"Table {table.number}. {table.title}"
        )
        for row in table.rows:
            assert re.search(rf'<th scope="row"[^>]*><a href="../categories/{row}/">', html), row
        assert html.count('<th scope="col"') == len(table.columns)
        assert '<th scope="rowgroup"' in html
    assert broken_links(example_site, page) == []


def test_excerpt_cells_link_to_the_excerpt_anchor(example_site: Path) -> None:
    page = example_site / "tables/index.html"
    html = table_html(page, 3)
    link = re.search(
        r'<td class="qs-table__excerpt".*?<a class="qs-table__in-context" href="([^"]+)"', html
    )
    assert link is not None
    target, anchor = resolve_link(example_site, page, link.group(1)) or (None, "")
    assert target is not None and anchor.startswith("excerpt-")
    assert f'id="{anchor}"' in target.read_text(encoding="utf-8")


def test_tables_carry_the_paraphrase_label(example_site: Path) -> None:
    text = main_text(example_site / "tables/index.html")
    assert "paraphrase : Illustrative paraphrase, not a participant's words." in text


def test_csv_has_a_header_and_a_line_per_row(example_site: Path) -> None:
    for table in EXAMPLE.tables:
        path = example_site / "tables" / f"table-{table.number}.csv"
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        counted = f"Participants ({EXAMPLE.meta.added_labels['counts']})"
        assert rows[0] == ["Dimension", "Category", "Illustrative excerpt", counted]
        assert len(rows) == 1 + len(table.rows)
        names = [EXAMPLE.category(r).name for r in table.rows]
        assert [r[1] for r in rows[1:]] == names
        for row, category_id in zip(rows[1:], table.rows, strict=True):
            category = EXAMPLE.category(category_id)
            parent = EXAMPLE.parent(category)
            assert parent is not None and row[0] == parent.name
            people = {e.participant_id for e in EXAMPLE.subtree_excerpts(category)}
            assert row[3] == f"{len(people)} of 10"
            for excerpt in illustrative_excerpts(EXAMPLE, category):
                assert " ".join(excerpt.text.split()) in row[2]
    html = (example_site / "tables/index.html").read_text(encoding="utf-8")
    assert 'href="table-1.csv" download' in html


def test_a_content_page_embeds_a_table_by_number(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {
            "codebook/tables.yml": """\
                tables:
                  - number: 4
                    title: Coping strategies
                    subtree: coping
                    columns: [category, {kind: excerpts, heading: Count}, definition]
                """,
            "content/index.md": "# Home\n\n[[table: 4]]\n",
        },
    )
    site = build_site(root)
    html = table_html(site / "index.html", 4)
    assert '<th scope="col">Count</th>' in html and "rowgroup" not in html
    assert '<a href="categories/peer-support/">Peer support</a>' in html
    # peer-support: 2 excerpts
    assert '<td class="qs-table__excerpts" data-label="Count">2</td>' in html
    assert 'href="tables/table-4.csv" download' in (site / "index.html").read_text(encoding="utf-8")
    for page in (site / "index.html", site / "tables/index.html"):
        assert broken_links(site, page) == []


@pytest.mark.parametrize("directory_urls", [True, False])
def test_table_links_resolve_in_both_url_styles(tmp_path: Path, directory_urls: bool) -> None:
    root = write_study(
        tmp_path,
        {"codebook/tables.yml": "tables:\n  - {number: 1, title: T, subtree: coping}\n"},
    )
    site = build_site(root, use_directory_urls=directory_urls)
    page = site / ("tables/index.html" if directory_urls else "tables.html")
    assert broken_links(site, page) == []
    assert (site / "tables/table-1.csv").is_file()


def test_default_illustration_is_deterministic_and_respects_publication(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p1.yml": """\
                participant: P1
                excerpts:
                  - {id: first, categories: [peer-support], text: First.}
                  - {id: marked, categories: [peer-support], illustrates: peer-support, text: M.,
                     publish: false}
                  - {id: second, categories: [peer-support], text: Second.}
                """
        },
    )
    study = load_study(tmp_path / "codebook").published()
    chosen = illustrative_excerpts(study, study.category("peer-support"))
    assert [e.id for e in chosen] == ["first"]  # the marked one is unpublished
    coping = illustrative_excerpts(study, study.category("coping"))
    assert [e.id for e in coping] == ["first"]  # nothing coded to coping itself: the first below


def test_csv_cells_cannot_become_formulas() -> None:
    for dangerous in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx"):
        assert spreadsheet_safe(dangerous).startswith("'")
    assert spreadsheet_safe("plain") == "plain"


# -- bad input -------------------------------------------------------------------


def problems_of(root: Path) -> list[str]:
    with pytest.raises(StudyError) as raised:
        load_study(root / "codebook")
    return [
        f"{Path(p.location.path).name}:{p.location.line}: {p.message}"
        for p in raised.value.problems
    ]


def test_unknown_category_in_a_table(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/tables.yml": (
                "tables:\n  - number: 1\n    title: T\n    categories: [coping, peer-suport]\n"
            )
        },
    )
    assert problems_of(tmp_path) == [
        "tables.yml:4: unknown category 'peer-suport' (did you mean 'peer-support'?)"
    ]


def test_duplicate_table_number(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: A, subtree: coping}
                  - {number: 1, title: B, subtree: coping}
                """
        },
    )
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(
        "tables.yml:3: duplicate table number 1; Table 1 is already defined at "
    )


def test_a_table_needs_exactly_one_way_to_choose_rows(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/tables.yml": (
                "tables:\n  - {number: 1, title: A, subtree: coping, categories: [coping]}\n"
            )
        },
    )
    (problem,) = problems_of(tmp_path)
    assert problem.startswith("tables.yml:2: a table needs either 'subtree'")


def test_illustrates_must_be_among_the_excerpts_categories(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - id: x
                    categories: [supervision]
                    illustrates: [peer-support]
                    text: T.
                """
        },
    )
    assert problems_of(tmp_path) == [
        "p2.yml:5: illustrates: 'peer-support' is not among the excerpt's categories; "
        "an excerpt can only illustrate a category it is coded to"
    ]


def test_unknown_table_embed(tmp_path: Path) -> None:
    from qualsite.site import SiteSettings, prepare_site

    root = write_study(
        tmp_path,
        {
            "codebook/tables.yml": "tables:\n  - {number: 1, title: A, subtree: coping}\n",
            "content/index.md": "# Home\n\n[[table: 7]]\n",
        },
    )
    with pytest.raises(StudyError) as raised:
        prepare_site(SiteSettings(root / "codebook", root / "site_templates", root / "content"))
    assert [str(p).split("/")[-1] for p in raised.value.problems] == [
        "index.md:3: unknown table 7; the study has table 1"
    ]


def test_a_row_without_a_parent_has_no_empty_header_cell(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: Coping}
                  - {id: peer-support, name: Peers, parent: coping}
                  - {id: supervision, name: Supervision}
                """,
            "codebook/tables.yml": (
                "tables:\n  - {number: 1, title: T, categories: [peer-support, supervision]}\n"
            ),
        },
    )
    html = table_html(build_site(root) / "tables/index.html", 1)
    assert re.search(
        r'<th scope="rowgroup" rowspan="1"[^>]*><a href="../categories/coping/">Coping</a></th>',
        html,
    )
    assert re.search(r'<td rowspan="1"[^>]*></td>', html)
    assert not re.search(r'<th scope="rowgroup" rowspan="1"[^>]*></th>', html)


def test_a_duplicate_tables_other_mistakes_are_reported_too(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: A, subtree: coping}
                  - {number: 1, title: B, subtree: copin}
                """
        },
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 2 and "unknown category 'copin'" in problems[1]


# -- rows with ids, and the category pages that lead to them -------------------------


def _rows_section(page: Path) -> str:
    """The "In the tables" list of a category page ("" when it has none)."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r'id="in-the-tables".*?<ul class="qs-table-rows"[^>]*>(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_each_category_page_links_to_the_table_rows_that_cite_it(example_site: Path) -> None:
    tables_page = example_site / "tables/index.html"
    for table in EXAMPLE.tables:
        for row in table.rows:
            page = example_site / f"categories/{row}/index.html"
            links = [
                (href, unescape(text))
                for href, text in re.findall(r'<a href="([^"]+)">([^<]*)</a>', _rows_section(page))
            ]
            wanted = f"Table {table.number}, row “{EXAMPLE.category(row).name}”"
            assert [text for _, text in links].count(wanted) == 1, (row, links)
            href = next(h for h, text in links if text == wanted)
            target, anchor = resolve_link(example_site, page, href) or (None, "")
            assert target == tables_page
            # The row it leads to is the category's own row.
            row_html = re.search(
                rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', table_html(target, table.number), re.S
            )
            assert row_html is not None, anchor
            assert f'<a href="../categories/{row}/">' in row_html.group(1)
    # A dimension's page leads to the group of rows under it.
    page = example_site / "categories/systemic-relational-coping/index.html"
    links = re.findall(r'<a href="([^"]+)">([^<]*)</a>', _rows_section(page))
    assert [text for _, text in links] == [
        "Table 3, rows under “Systemic and relational strategies”"
    ]
    target, anchor = resolve_link(example_site, page, links[0][0]) or (None, "")
    assert target == tables_page
    group = re.search(
        rf'<tbody id="{re.escape(anchor)}">(.*?)</tbody>', table_html(target, 3), re.S
    )
    assert group is not None and "../categories/peer-support/" in group.group(1)
    # A phase heads no row and no group: its page has no such list.
    assert _rows_section(example_site / "categories/work-related-challenges/index.html") == ""
    for category in EXAMPLE.categories:
        assert (
            broken_links(example_site, example_site / f"categories/{category.id}/index.html") == []
        )


def test_a_parents_rows_listed_apart_keep_their_ids_unique(tmp_path: Path) -> None:
    """Rows of one parent split by another's: two groups, one id."""
    root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: Coping}
                  - {id: peer-support, name: Peers, parent: coping}
                  - {id: supervision, name: Supervision, parent: coping}
                  - {id: other, name: Other}
                  - {id: rest, name: Rest, parent: other}
                """,
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: T, categories: [peer-support, rest, supervision]}
                """,
            "codebook/excerpts/p1.yml": """\
                participant: P1
                excerpts:
                  - {id: p1-peers, categories: [peer-support], text: My colleagues help.}
                  - {id: p1-rest, categories: [rest], text: Resting helps.}
                """,
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - {id: p2-supervision, categories: [supervision], text: Supervision helps.}
                """,
        },
    )
    site = build_site(root)
    html = table_html(site / "tables/index.html", 1)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert ids.count("table-1-group-coping") == 1
    assert broken_links(site, site / "categories/coping/index.html") == []


def _excerpt_cells(html: str) -> list[str]:
    return re.findall(r'<td class="qs-table__excerpt"[^>]*>(.*?)</td>', html, re.S)


def test_an_excerpt_cell_is_text_with_one_small_link_to_its_context(example_site: Path) -> None:
    page = example_site / "tables/index.html"
    for table in EXAMPLE.tables:
        cells = _excerpt_cells(table_html(page, table.number))
        assert len(cells) == len(table.rows)
        for cell in cells:
            quotes = re.findall(r'<div class="qs-table__quote[^"]*">(.*?)</div>', cell, re.S)
            assert quotes, cell
            for quote in quotes:
                words = re.search(r'<p class="qs-table__words">(.*?)</p>', quote, re.S)
                assert words is not None and "<a" not in words.group(1)  # text, not a link
                links = re.findall(r'<a class="qs-table__in-context" href="([^"]+)"', quote)
                assert len(links) == 1 and quote.count("<a ") == 1, quote
                target, anchor = resolve_link(example_site, page, links[0]) or (None, "")
                assert target is not None and anchor in read_html(target).ids


def test_no_bracket_is_left_beside_the_excerpts_label(example_site: Path) -> None:
    """Before: "(Participant 8, [paraphrase])", whose ")" wrapped onto a line of its own."""
    page = example_site / "tables/index.html"
    for table in EXAMPLE.tables:
        html = table_html(page, table.number)
        assert not re.search(r'class="qs-kind[^"]*">[^<]*</span>\)', html)
        sources = re.findall(r'<p class="qs-table__source">(.*?)</p>', html, re.S)
        shown = sum(len(illustrative_excerpts(EXAMPLE, EXAMPLE.category(r))) for r in table.rows)
        assert len(sources) == shown
        for source in sources:
            text = " ".join(re.sub(r"<[^>]+>", " ", source).split())
            assert re.fullmatch(r"Participant \d+ paraphrase Read in context", text), text
