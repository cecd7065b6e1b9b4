"""Links computed by the core agree with MkDocs' own rules, in both URL styles."""

from __future__ import annotations

import itertools

import pytest
from mkdocs.structure.files import File

from qualsite.render.urls import PageLinks, SiteUrls

SOURCES = [
    "index.md",
    "about.md",
    "categories/index.md",
    "categories/peer-support.md",
    "participants/p1.md",
    "deep/er/page.md",
    "deep/index.md",
    "README.md",
    "assets/qualsite/qualsite.css",
    "with space/ünïcode.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_urls_match_mkdocs(directory_urls: bool) -> None:
    urls = SiteUrls(directory_urls)
    for src in SOURCES:
        assert urls.url(src) == File(src, "/docs", "/site", directory_urls).url


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_links_match_mkdocs(directory_urls: bool) -> None:
    urls = SiteUrls(directory_urls)
    for origin, target in itertools.product(SOURCES, SOURCES):
        expected = File(target, "/d", "/s", directory_urls).url_relative_to(
            File(origin, "/d", "/s", directory_urls)
        )
        assert urls.relative(target, origin) == expected, (origin, target)


def test_links_to_an_anchor_on_the_same_page_stay_on_the_page() -> None:
    links = PageLinks(SiteUrls(True), "categories/peer-support.md")
    assert links.page("categories/peer-support.md", "excerpt-x") == "#excerpt-x"
    assert links.page("categories/coping.md", "excerpt-x") == "../coping/#excerpt-x"
