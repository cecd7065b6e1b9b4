"""The Print page: the whole report in reading order, each part once."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from helpers import REPO, broken_links, build_site, main_text, read_html, write_study
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()


def test_the_whole_report_in_navigation_order(example_site: Path) -> None:
    html = (example_site / "print/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    sections = [
        re.sub(r"<[^>]+>|&para;", "", h).strip() for h in re.findall(r"<h1[^>]*>.*?</h1>", article)
    ]
    assert sections == [
        "Building resilience in the Psychological Wellbeing Practitioner role",
        "Method",
        "A model of resilience-building in the PWP role",
        "Tables",
        "Categories",
        "Discussion",
        "About this site",
        "How to cite",
    ]
    text = main_text(example_site / "print/index.html")
    for category in EXAMPLE.categories:
        assert category.name in text
    for excerpt in EXAMPLE.excerpts:
        assert " ".join(excerpt.text.split()) in text, excerpt.id


def test_each_figure_and_table_once_and_no_id_twice(example_site: Path) -> None:
    html = (example_site / "print/index.html").read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert ids["figure-1"] == 1 and all(ids[f"table-{t.number}"] == 1 for t in EXAMPLE.tables)
    assert "Figure 1 is printed in its own section." in main_text(example_site / "print/index.html")
    assert broken_links(example_site, example_site / "print/index.html") == []


def test_print_page_is_left_out_of_search(example_site: Path) -> None:
    index = json.loads((example_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("print/")]


def test_links_between_categories_lead_to_their_sections(example_site: Path) -> None:
    page = read_html(example_site / "print/index.html")
    assert {f"print-category-{c.id}" for c in EXAMPLE.categories} <= page.ids
    html = (example_site / "print/index.html").read_text(encoding="utf-8")
    assert 'href="#print-category-work-related-challenges"' in html


def test_the_report_carries_its_version_and_date(example_site: Path) -> None:
    text = main_text(example_site / "print/index.html")
    # The footer carries them on screen; paper has no footer.
    assert re.search(rf"Version {EXAMPLE.meta.version}, published \d{{4}}-\d\d-\d\d", text)


# A study whose pages exercise what joining pages into one can break: links
# written every way Markdown allows, from a page in a sub-folder; headings
# that qualsite's own sections also use; a page titled only in its front
# matter; the same heading on two pages.
PRINT_STUDY = {
    "mkdocs.yml": """\
        site_name: Test study
        docs_dir: content
        theme:
          name: material
          font: false
        plugins:
          - search
          - qualsite:
              participant_pages: true
        nav:
          - index.md
          - Notes: sub/notes.md
          - untitled.md
          - Categories: qualsite:categories
          - Participants: qualsite:participants
          - Tables: qualsite:tables
        """,
    "codebook/tables.yml": """\
        tables:
          - number: 2
            title: The categories
            columns: [category, definition]
            subtree: coping
        """,
    "content/index.md": """\
        # Home

        ## Background

        See [[category: coping]], [Table 2](tables.md#table-2) and [the notes](#background).
        """,
    "content/sub/notes.md": """\
        # Notes

        ## Background

        Back to [the start][home], or [its background](../index.md#background 'Home').
        [Up](<../index.md>). Participant: [P1](../participants/p1.md).
        Here: [my background](#background). Codebook: [CSV](../downloads/codebook.csv).

        ## Table 2

        A heading that the embedded Table 2 would share.

            [not a link](../index.md) inside code

        [home]: ../index.md
        """,
    "content/untitled.md": """\
        ---
        title: Front matter only
        ---
        Some words with no heading.
        """,
}


def _printed(root: Path) -> tuple[Path, str]:
    site = build_site(write_study(root, PRINT_STUDY))
    html = (site / "print/index.html").read_text(encoding="utf-8")
    return site, html[html.index("<article") : html.index("</article>")]


def test_links_of_a_page_in_a_folder_lead_to_sections_of_the_print_page(tmp_path: Path) -> None:
    site, article = _printed(tmp_path)  # with --strict: no link MkDocs cannot follow
    notes = article[article.index('id="print-page-sub-notes"') :]
    notes = notes[: notes.index("</section>")]
    hrefs = re.findall(r'href="([^"]*)"', notes)
    assert hrefs.count("#print-page-index") == 2  # [the start][home] and <../index.md>
    assert "#print-page-index-background" in hrefs  # another page's heading
    assert "#print-page-sub-notes-background" in hrefs  # its own heading
    assert "../downloads/codebook.csv" in hrefs  # a file, from the Print page's folder
    assert not [h for h in hrefs if "participants" in h]  # not printed: plain text
    assert "P1" in re.sub(r"<[^>]+>", "", notes)
    assert "[not a link](../index.md) inside code" in notes  # code is left alone
    assert broken_links(site, site / "print/index.html") == []


def test_no_id_twice_when_pages_share_headings_with_qualsite(tmp_path: Path) -> None:
    _, article = _printed(tmp_path)
    ids = Counter(re.findall(r'\sid="([^"]+)"', article))
    assert [i for i, n in ids.items() if n > 1] == []
    assert ids["table-2"] == 1 and ids["print-page-sub-notes-table-2"] == 1
    assert 'href="#table-2"' in article  # the home page's link to Table 2


def test_a_page_titled_in_front_matter_starts_its_own_section(tmp_path: Path) -> None:
    _, article = _printed(tmp_path)
    section = article[article.index('id="print-page-untitled"') :]
    assert re.match(r'id="print-page-untitled">\s*<h1 id="[^"]+">Front matter only</h1>', section)


def test_the_print_page_lists_every_section_as_its_contents(tmp_path: Path) -> None:
    site, _ = _printed(tmp_path)
    html = (site / "print/index.html").read_text(encoding="utf-8")
    start = html.index('class="md-nav md-nav--secondary"')
    toc = html[start : html.index('class="md-content"', start)]
    for anchor in ("print-page-index-home", "print-page-sub-notes-notes", "tables"):
        assert f'href="#{anchor}"' in toc
    assert "Front matter only" in toc and "Categories" in toc
