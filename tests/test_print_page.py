"""The Print page: the whole report in reading order, each part once."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from helpers import REPO, broken_links, main_text, read_html
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
