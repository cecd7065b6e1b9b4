"""What a reader does: follow the navigation to an excerpt, click the figure
and the tables, search. Each scenario runs in Chromium against the served site."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from conftest import Served
from helpers import REPO
from qualsite.study import load_study
from test_confidentiality import UNPUBLISHED, WITHDRAWN

EXAMPLE = load_study(REPO / "codebook")
Page = Any  # playwright.sync_api.Page, kept loose so a missing browser only skips


def target_in_view_and_highlighted(page: Page, anchor: str) -> None:
    state = page.evaluate(
        """() => {
            const target = document.querySelector(':target');
            if (!target) return null;
            const box = target.getBoundingClientRect();
            const style = getComputedStyle(target);
            return {id: target.id, top: box.top, bottom: box.bottom, height: innerHeight,
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )
    assert state is not None and state["id"] == anchor, state
    assert 0 <= state["top"] < state["height"], state  # scrolled into view
    assert state["outline"] != "none" and state["width"] > 0, state  # highlighted


def test_home_to_an_excerpt_through_the_navigation(page: Page, example: Served) -> None:
    page.goto(example.base)
    navigation = page.get_by_role("navigation", name="Navigation")
    # The section of the categories (titled Findings in the example's nav) is
    # itself the link to their overview (Material's navigation.indexes).
    navigation.get_by_role("link", name="Findings", exact=True).click()
    page.wait_for_url(re.compile(r"/categories/$"))
    assert page.locator("h1").inner_text().startswith("Categories")
    page.locator("article").get_by_role("link", name="Peer support", exact=True).click()
    page.wait_for_url(re.compile(r"/categories/peer-support/$"))
    # From the excerpt to the same excerpt on the other category it is coded to.
    excerpt = page.locator("#excerpt-p4-peer-support-1")
    excerpt.get_by_role("link", name="Sharing vulnerability with colleagues").click()
    page.wait_for_url(re.compile(r"/categories/sharing-vulnerability/#excerpt-p4-peer-support-1$"))
    target_in_view_and_highlighted(page, "excerpt-p4-peer-support-1")


def test_clicking_a_box_of_the_figure_opens_its_category(page: Page, example: Served) -> None:
    page.goto(example.base + "model/")
    figure = page.locator("svg.qs-figure__svg")
    figure.locator("a", has_text="Individual dimension").click()
    page.wait_for_url(re.compile(r"/categories/individual-values/$"))
    assert page.locator("h1").inner_text().startswith("Individual dimension")


def test_clicking_through_table_2(page: Page, example: Served) -> None:
    page.goto(example.base + "tables/")
    table = page.locator("#table-2 table")
    table.get_by_role("link", name="Values as a motivator to take action and cope").click()
    page.wait_for_url(re.compile(r"/categories/values-as-motivator/$"))
    assert page.locator("h1").inner_text().startswith("Values as a motivator")

    page.goto(example.base + "tables/")
    link = page.locator("#table-2 td.qs-table__excerpt a").first
    href = link.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    target_in_view_and_highlighted(page, anchor)


def search(page: Page, query: str) -> list[str]:
    """Type into Material's search and return the links of the results."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "() => !/Initializing/i.test("
        "document.querySelector('.md-search-result__meta')?.textContent ?? 'Initializing')"
    )
    # The whole query at once, then a key (Material searches on key events):
    # typed key by key, a busy machine could show the results of "Can" for
    # "Canary", read before those of the whole word arrived.
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Type to start|Initializing/i.test(m.textContent); }"
    )
    # One snapshot: Material may still be adding results while they are read.
    links: list[str] = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        "links => links.map(a => a.getAttribute('href') || '')",
    )
    return links


def test_searching_a_phrase_finds_the_page_that_holds_it(page: Page, example: Served) -> None:
    phrase = "diary is full weeks ahead"
    holders = [e for e in EXAMPLE.excerpts if phrase in " ".join(e.text.split())]
    assert len(holders) == 1  # the phrase occurs in exactly one excerpt
    (excerpt,) = holders
    page.goto(example.base)
    results = search(page, phrase)
    assert results, "no search result"
    leaf = excerpt.category_ids[0]
    pages = [urlsplit(href).path for href in results]
    assert any(p.rstrip("/").endswith(f"categories/{leaf}") for p in pages), pages
    page.locator(".md-search-result__item > a.md-search-result__link").first.click()
    assert phrase in " ".join(page.locator("article").inner_text().split())


def test_words_of_withdrawn_or_unpublished_excerpts_find_nothing(
    browser: Any, canary: Served
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(canary.base)
        assert search(page, "Supervision") != []  # the search works on this site
        for word in (WITHDRAWN, UNPUBLISHED):
            page.goto(canary.base)
            assert search(page, word) == [], word
            assert "No matching documents" in page.locator(".md-search-result__meta").inner_text()
    finally:
        context.close()
