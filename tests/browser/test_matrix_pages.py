"""The matrices on a phone: a wide matrix scrolls inside its own box, never
the page; its row headings stay in view while it scrolls; and every number
that links is a tap target of at least 24 by 24 CSS px (WCAG 2.2, 2.5.8)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Served

MATRICES = ["matrices/participants/", "matrices/co-occurrence/"]

LAYOUT = """() => {
    const box = document.querySelector('.qs-matrix__scroll');
    const heading = box.querySelector('tbody th[scope="row"]');
    const cell = box.querySelector('tbody td');
    const before = {heading: heading.getBoundingClientRect().left,
                    cell: cell.getBoundingClientRect().left};
    box.scrollLeft = 200;
    const after = {heading: heading.getBoundingClientRect().left,
                   cell: cell.getBoundingClientRect().left};
    const targets = [...box.querySelectorAll('td a')].map(a => {
        const r = a.getBoundingClientRect();
        return [a.textContent, r.width, r.height];
    });
    return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        box: box.scrollWidth - box.clientWidth,
        scrolled: box.scrollLeft,
        before, after, targets,
    };
}"""


@pytest.mark.parametrize("path", MATRICES)
def test_a_matrix_scrolls_in_its_own_box_on_a_phone(
    browser: Any, example: Served, path: str
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        page.goto(example.base + path)
        layout = page.evaluate(LAYOUT)
    finally:
        context.close()
    assert layout["page"] <= 0, f"the page scrolls sideways by {layout['page']}px"
    assert layout["box"] > 0 and layout["scrolled"] > 0, "the matrix does not scroll in its box"
    # The numbers moved with the scroll; the row's heading stayed where it was.
    assert layout["after"]["cell"] < layout["before"]["cell"]
    assert layout["after"]["heading"] == layout["before"]["heading"]
    assert layout["targets"]
    small = [t for t in layout["targets"] if t[1] < 24 or t[2] < 24]
    assert small == []
