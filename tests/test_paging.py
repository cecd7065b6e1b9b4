"""A big study's categories are split into pages of excerpts (issue #8).

The minimal study with three more excerpts, built with two excerpts a page:
Peer support then has five excerpts of its own (three pages), and Coping's
subtree holds more than its page may show, so it lists its sub-categories.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from helpers import (
    MKDOCS_YML,
    broken_links,
    build_site,
    html_pages,
    main_text,
    read_html,
    write_study,
)

PAGED_MKDOCS_YML = MKDOCS_YML.replace(
    "  - qualsite\n",
    "  - qualsite:\n      excerpts_per_page: 2\n      print_excerpts: {print_excerpts}\n",
)

MORE_EXCERPTS = {
    "codebook/excerpts/p3.yml": """\
        participant: P3
        excerpts:
          - id: p3-first
            categories: [peer-support]
            text: The team lunch is where we check in.
          - id: p3-second
            categories: [peer-support]
            text: A quick word with a colleague resets me.
          - id: p3-crossed
            categories: [peer-support, supervision]
            illustrates: [peer-support]
            text: My supervisor and my peers say the same thing.
        """,
    "codebook/tables.yml": """\
        tables:
          - number: 1
            title: Coping
            subtree: coping
        """,
    "content/index.md": "# Home\n\n[[table: 1]]\n",
}

#: Peer support's own excerpts in study order, two a page.
PEER_SUPPORT_PAGES = [
    ["p1-peers", "p1-supervision"],
    ["p3-first", "p3-second"],
    ["p3-crossed"],
]


assert "excerpts_per_page" in PAGED_MKDOCS_YML  # the replace found its line


def paged_study(root: Path, print_excerpts: str = "auto") -> Path:
    mkdocs_yml = PAGED_MKDOCS_YML.format(print_excerpts=print_excerpts)
    return write_study(root, {**MORE_EXCERPTS, "mkdocs.yml": mkdocs_yml})


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(paged_study(tmp_path_factory.mktemp("paged")))


def excerpt_ids(page: Path) -> list[str]:
    """The excerpts a page shows, in order."""
    html = page.read_text(encoding="utf-8")
    ids = read_html(page).ids
    shown = [i.removeprefix("excerpt-") for i in ids if i.startswith("excerpt-")]
    return sorted(shown, key=lambda i: html.index(f'id="excerpt-{i}"'))


def test_a_category_with_more_excerpts_than_a_page_is_split(paged_site: Path) -> None:
    folder = paged_site / "categories/peer-support"
    pages = [folder / "index.html", folder / "2/index.html", folder / "3/index.html"]
    assert [excerpt_ids(page) for page in pages] == PEER_SUPPORT_PAGES
    assert not (folder / "4").exists()
    assert "Excerpts 3 to 4 of the 5 coded to this category itself." in main_text(pages[1])
    assert "Peer support: excerpts 5 to 5" in main_text(pages[2])


def test_the_pages_of_a_category_link_to_each_other(paged_site: Path) -> None:
    folder = paged_site / "categories/peer-support"
    first, second, third = folder / "index.html", folder / "2/index.html", folder / "3/index.html"
    for page in (first, second, third):
        assert broken_links(paged_site, page) == []
    html = second.read_text(encoding="utf-8")
    assert 'href="../" rel="prev"' in html and 'href="../3/" rel="next"' in html
    assert '<span aria-current="page">2</span>' in html
    assert "Next page: excerpts 5 onwards" in main_text(second)
    assert 'rel="next">Next page' not in third.read_text(encoding="utf-8")
    assert 'rel="prev">Previous page' not in first.read_text(encoding="utf-8")
    # Further pages are reached from the category, not listed in the nav.
    nav = read_html(paged_site / "index.html").links
    assert not any(link.startswith("categories/peer-support/2") for link in nav)


def test_links_to_an_excerpt_lead_to_the_page_that_holds_it(paged_site: Path) -> None:
    # Coded to both, p3-crossed is on Peer support's third page and on
    # Supervision's second, which says so in "also coded to".
    supervision = paged_site / "categories/supervision/2/index.html"
    assert excerpt_ids(supervision) == ["p3-crossed"]
    assert "../../peer-support/3/#excerpt-p3-crossed" in read_html(supervision).links
    # Table 1's Peer support row is illustrated by it, from the home page.
    home = paged_site / "index.html"
    assert "categories/peer-support/3/#excerpt-p3-crossed" in read_html(home).links
    for page in html_pages(paged_site):
        assert broken_links(paged_site, page) == [], page


def test_a_parent_too_big_for_its_page_lists_its_sub_categories(paged_site: Path) -> None:
    page = paged_site / "categories/coping/index.html"
    text, html = main_text(page), page.read_text(encoding="utf-8")
    assert "Excerpts of its sub-categories" in text
    assert '<a href="../peer-support/">Peer support</a>: <span class="qs-counts">5 excerpts' in html
    assert '<a href="../supervision/">Supervision</a>: <span class="qs-counts">3 excerpts' in html
    assert excerpt_ids(page) == []  # coded to Coping itself: none
    assert "No published excerpt is coded to this category itself." in text


def test_every_excerpt_is_on_exactly_one_page_of_each_category(paged_site: Path) -> None:
    shown: dict[str, list[str]] = {}
    for page in sorted((paged_site / "categories").rglob("index.html")):
        category = page.relative_to(paged_site / "categories").parts[0]
        if category == "index.html":
            continue
        for excerpt in excerpt_ids(page):
            shown.setdefault(category, []).append(excerpt)
    assert sorted(shown["peer-support"]) == sorted(x for page in PEER_SUPPORT_PAGES for x in page)
    assert sorted(shown["supervision"]) == ["p1-supervision", "p2-supervision", "p3-crossed"]
    assert all(len(ids) == len(set(ids)) for ids in shown.values())


def test_a_study_that_fits_is_not_split(tmp_path: Path) -> None:
    site = build_site(write_study(tmp_path, MORE_EXCERPTS))  # 100 a page
    coping = site / "categories/coping/index.html"
    assert not (site / "categories/peer-support/2").exists()
    assert 'class="qs-pager"' not in (site / "categories/peer-support/index.html").read_text()
    # Coping shows its sub-categories' excerpts itself, each once.
    assert len(excerpt_ids(coping)) == len(set(excerpt_ids(coping))) == 6


def test_the_print_page_can_show_only_the_illustrative_excerpts(tmp_path: Path) -> None:
    site = build_site(paged_study(tmp_path, print_excerpts="illustrative"))
    text = main_text(site / "print/index.html")
    assert "the excerpts chosen to illustrate it" in text
    assert "My supervisor and my peers say the same thing." in text  # marked for Peer support
    assert "The team lunch is where we check in." not in text
    assert "4 more excerpts coded to this category are on the site." in text  # Peer support
    assert "I bring the hard cases to supervision." not in text  # Supervision: its first only
    assert "2 more excerpts coded to this category are on the site." in text


def test_the_print_page_of_a_small_study_shows_every_excerpt(tmp_path: Path) -> None:
    site = build_site(paged_study(tmp_path, print_excerpts="auto"))
    text = main_text(site / "print/index.html")
    for excerpt in (
        "The team lunch is where we check in.",
        "I bring the hard cases to supervision.",
    ):
        assert excerpt in text
    assert "more excerpt" not in text


def test_excerpts_per_page_must_be_at_least_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(
        tmp_path,
        {"mkdocs.yml": PAGED_MKDOCS_YML.format(print_excerpts="auto").replace(": 2", ": 0")},
    )
    with pytest.raises(Abort):
        build_site(root)
    assert "plugins: qualsite: excerpts_per_page is 0; write a number of excerpts" in caplog.text
    assert not (root / "site").exists()
