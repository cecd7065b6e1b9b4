"""What a reader sees in Material's search results, typed into its search
box on a phone and on a desktop: an excerpt's result says whose words they
are and how they are labelled; a category's leads with what it means."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import Served
from helpers import REPO
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook")
Page = Any  # playwright.sync_api.Page, kept loose so a missing browser only skips

WIDTHS = [360, 1280]


def search(page: Page, query: str) -> None:
    """Open Material's search (behind a button on a phone) and type ``query``."""
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():
        opener.click()
    else:
        page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => !/Initializing/i.test("
        "document.querySelector('.md-search-result__meta')?.textContent ?? 'Initializing')"
    )
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Type to start|Initializing/i.test(m.textContent); }"
    )


def shown(page: Page, selector: str) -> list[dict[str, str]]:
    """Each result matching ``selector``: its address, its heading as shown
    (the stylesheet's caption included) and its snippet's text."""
    found: list[dict[str, str]] = page.eval_on_selector_all(
        selector,
        """links => links.map(link => {
            const heading = link.querySelector('h1, h2');
            const caption = heading.querySelector('.qs-search-caption');
            const before = caption ? getComputedStyle(caption, '::before').content : '';
            return {
                href: link.getAttribute('href') || '',
                heading: heading.innerText + (before.startsWith('"') ? before.slice(1, -1) : ''),
                snippet: [...link.querySelectorAll('article > :not(h1):not(h2)')]
                    .map(e => e.innerText).join(' '),
                lists: link.querySelectorAll('ol, ul').length,
                visible: link.getBoundingClientRect().width > 0 ? 'yes' : 'no',
            };
        })""",
    )
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_an_excerpt_result_shows_its_participant_and_label(
    browser: Any, example: Served, width: int
) -> None:
    phrase = "diary is full weeks ahead"
    (excerpt,) = [e for e in EXAMPLE.excerpts if phrase in " ".join(e.text.split())]
    participant = EXAMPLE.participant(excerpt.participant_id).label
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(example.base)
        search(page, phrase)
        results = shown(page, ".md-search-result__link")
        mine = [r for r in results if urlsplit(r["href"]).fragment == excerpt.anchor]
        assert mine, results
        (result,) = mine
        assert result["heading"] == (
            f"{participant} · Illustrative paraphrase, not a participant's words"
        )
        assert phrase in " ".join(result["snippet"].split()).replace(".", "")
        assert result["visible"] == "yes"
        # No result from the study's pages is a list: no breadcrumbs, no tree.
        ours = [r for r in results if urlsplit(r["href"]).path.startswith("/categories/")]
        assert ours and not [r for r in ours if r["lists"]], results
        # The words are marked where they match.
        assert page.locator(".md-search-result mark", has_text="diary").count() >= 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_category_result_leads_with_its_definition(
    browser: Any, example: Served, width: int
) -> None:
    category = EXAMPLE.category("peer-support")
    assert category.definition
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(example.base)
        search(page, category.name)
        first = shown(page, ".md-search-result__item > .md-search-result__link")[0]
        assert first["heading"] == category.name
        assert (
            re.sub(r"\s+", " ", first["snippet"])
            .strip()
            .startswith(" ".join(category.definition.split()))
        ), first
    finally:
        context.close()
