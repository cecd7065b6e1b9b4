"""The Print page: the whole report in reading order, each part once."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from helpers import (
    MINIMAL_STUDY,
    REPO,
    broken_links,
    build_site,
    main_text,
    read_html,
    write_study,
)
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()


def test_the_whole_report_in_navigation_order(example_site: Path) -> None:
    html = (example_site / "print/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    # Each section's title, an h2 under the page's one h1 (the title block,
    # tested below).
    assert len(re.findall(r"<h1[\s>]", article)) == 1
    sections = [
        re.sub(r"<[^>]+>|&para;", "", h).strip()
        for h in re.findall(
            r'<section class="qs-print-section[^>]*>\s*(<h2[\s>].*?</h2>)', article, re.DOTALL
        )
    ]
    assert sections == [
        "Building resilience in the Psychological Wellbeing Practitioner role",
        "Method",
        "A model of resilience-building in the PWP role",
        "Tables",
        "Categories",
        "Matrices",
        "Discussion",
        "About this site",
        "Reporting checklist",
        "Audit trail",
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


def test_the_report_opens_with_its_title_then_its_authors_then_version_and_date(
    example_site: Path,
) -> None:
    """Before: the version line came first, and no author was named."""
    text = main_text(example_site / "print/index.html")
    meta = EXAMPLE.meta
    title = text.index(meta.title)
    authors = [
        found.start()
        for a in meta.authors
        if (found := re.search(rf"{re.escape(a.name)}\s*, {re.escape(a.affiliation or '')}", text))
    ]
    assert len(authors) == len(meta.authors) == 3
    edition = text.index(f"Version {meta.version}, published")
    first_section = text.index("What the study asked")  # the home page's first heading
    # The page's h1 says what it is to a screen reader ("Print: " is not shown).
    assert text.startswith(f"Print: {meta.title}")
    assert title == len("Print: ")
    assert title < authors[0] < authors[-1] < edition < first_section
    assert authors == sorted(authors)


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
    assert "#print-page-index--background" in hrefs  # another page's heading
    assert "#print-page-sub-notes--background" in hrefs  # its own heading
    assert "../downloads/codebook.csv" in hrefs  # a file, from the Print page's folder
    assert not [h for h in hrefs if "participants" in h]  # not printed: plain text
    assert "P1" in re.sub(r"<[^>]+>", "", notes)
    assert "[not a link](../index.md) inside code" in notes  # code is left alone
    assert broken_links(site, site / "print/index.html") == []


def test_no_id_twice_when_pages_share_headings_with_qualsite(tmp_path: Path) -> None:
    _, article = _printed(tmp_path)
    ids = Counter(re.findall(r'\sid="([^"]+)"', article))
    assert [i for i, n in ids.items() if n > 1] == []
    assert ids["table-2"] == 1 and ids["print-page-sub-notes--table-2"] == 1
    assert 'href="#table-2"' in article  # the home page's link to Table 2


def test_a_page_titled_in_front_matter_starts_its_own_section(tmp_path: Path) -> None:
    _, article = _printed(tmp_path)
    section = article[article.index('id="print-page-untitled"') :]
    assert re.match(r'id="print-page-untitled">\s*<h2>Front matter only</h2>', section)


def test_the_print_page_lists_every_section_as_its_contents(tmp_path: Path) -> None:
    site, _ = _printed(tmp_path)
    html = (site / "print/index.html").read_text(encoding="utf-8")
    start = html.index('class="md-nav md-nav--secondary"')
    toc = html[start : html.index('class="md-content"', start)]
    for anchor in ("print-page-index--home", "print-page-sub-notes--notes", "tables"):
        assert f'href="#{anchor}"' in toc
    assert "Front matter only" in toc and "Categories" in toc


# Pages that other parts of MkDocs make: a page and a folder of the same name,
# content tabs, images in srcset, a macro, another plugin's page, a page left
# out of the navigation, heading permalinks.
EXTRAS_STUDY = {
    "mkdocs.yml": """\
        site_name: Test study
        docs_dir: content
        theme:
          name: material
          font: false
        plugins:
          - search
          - qualsite
          - macros
        hooks:
          - extra_page.py
        not_in_nav: /hidden.md
        nav:
          - index.md
          - methods.md
          - methods/interviews.md
          - extra.md
        markdown_extensions:
          - toc:
              permalink: true
          - pymdownx.superfences
          - pymdownx.tabbed:
              alternate_style: true
        """,
    "extra_page.py": """\
        from mkdocs.structure.files import File


        def on_files(files, config):
            page = "# Extra\\n\\nMade by a hook.\\n"
            files.append(File.generated(config, "extra.md", content=page))
            return files
        """,
    "content/index.md": """\
        # Home

        === "A"
            First tab of the home page.

        === "B"
            Second tab of the home page.

        Macro value: {{ 6 * 7 }}.
        """,
    "content/methods.md": "# Methods\n\n## Interviews\n\n[The interviews](methods/interviews.md)\n",
    "content/methods/interviews.md": """\
        # Interviews

        === "C"
            First tab of the interviews.

        <picture><source srcset="../pics/a.png 1x, ../pics/a.png 2x">
        <img src="../pics/a.png" alt="A"></picture>
        <object data="../pics/a.png" type="image/png">A</object>
        """,
    "content/methods/pics/a.png": "not really a png, but a file",
    "content/hidden.md": "# Hidden\n\nNot in the navigation.\n",
}


def _printed_extras(root: Path) -> tuple[Path, str]:
    site = build_site(write_study(root, EXTRAS_STUDY))
    html = (site / "print/index.html").read_text(encoding="utf-8")
    return site, html[html.index("<article") : html.index("</article>")]


def test_a_page_and_a_folder_of_the_same_name_keep_their_ids_apart(tmp_path: Path) -> None:
    site, article = _printed_extras(tmp_path)
    ids = Counter(re.findall(r'\sid="([^"]+)"', article))
    assert [i for i, n in ids.items() if n > 1] == []
    assert {"print-page-methods--interviews", "print-page-methods-interviews"} <= set(ids)
    assert 'href="#print-page-methods-interviews"' in article
    assert broken_links(site, site / "print/index.html") == []


def test_each_pages_content_tabs_stay_a_group_of_their_own(tmp_path: Path) -> None:
    _, article = _printed_extras(tmp_path)
    groups = {n for n in re.findall(r'<input[^>]*\sname="([^"]+)"', article)}
    assert len(groups) == 2 and all(g.startswith("print-page-") for g in groups)


def test_images_in_a_folder_are_found_from_the_print_page(tmp_path: Path) -> None:
    site, article = _printed_extras(tmp_path)
    assert 'srcset="../methods/pics/a.png 1x, ../methods/pics/a.png 2x"' in article
    assert 'data="../methods/pics/a.png"' in article
    assert (site / "methods/pics/a.png").is_file()


def test_the_print_page_has_what_other_plugins_made(tmp_path: Path) -> None:
    site, _ = _printed_extras(tmp_path)
    text = main_text(site / "print/index.html")
    assert "Macro value: 42." in text  # the macros plugin ran before the copy
    assert "Made by a hook." in text  # another plugin's page is printed
    assert "Not in the navigation." not in text  # not_in_nav: not in the reading order


def test_a_page_left_out_of_the_navigation_is_left_out_of_the_report(tmp_path: Path) -> None:
    # No nav in mkdocs.yml: qualsite builds it as MkDocs would, without not_in_nav pages.
    config = MINIMAL_STUDY["mkdocs.yml"] + "not_in_nav: /hidden.md\n"
    study = {"mkdocs.yml": config, "content/hidden.md": "# Hidden\n\nNot listed.\n"}
    site = build_site(write_study(tmp_path, study))
    assert "Not listed." not in main_text(site / "print/index.html")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="hidden/"' not in home and (site / "hidden/index.html").is_file()


def test_permalinks_of_qualsites_sections_still_link(tmp_path: Path) -> None:
    _, article = _printed_extras(tmp_path)
    assert '<a class="headerlink" href="#categories"' in article
    assert '<span class="headerlink"' not in article


def test_a_dirty_rebuild_prints_every_page(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site, before = _printed_extras(tmp_path)
    (tmp_path / "content/methods.md").write_text("# Methods\n\nChanged.\n", encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    build(config, dirty=True)
    html = (site / "print/index.html").read_text(encoding="utf-8")
    after = html[html.index("<article") : html.index("</article>")]
    sections = re.findall(r'<section class="qs-print-section[^"]*" id="([^"]+)"', after)
    assert sections == re.findall(r'<section class="qs-print-section[^"]*" id="([^"]+)"', before)
    assert "Changed." in after and "First tab of the home page." in after
