"""Every page type passes axe-core in both palettes; the figure and tables
are readable in the dark, reachable by keyboard with a visible focus ring,
and fit a 360-pixel screen; every request stays on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import Served

Page = Any  # playwright.sync_api.Page

PAGE_TYPES = {
    "home": "",
    "content page": "method/",
    "categories overview": "categories/",
    "category page": "categories/peer-support/",
    "tables page": "tables/",
    "model page": "model/",
    "reporting checklist": "checklist/",
    "audit trail": "audit-trail/",
    "how to cite": "cite/",
    "accessibility statement": "accessibility/",
    "print page": "print/",
    "participants by category": "matrices/participants/",
    "categories coded together": "matrices/co-occurrence/",
    "a matrix cell's excerpts": "matrices/participant-excerpts/1/",
}
SCHEMES = {"light": "default", "dark": "slate"}
AXE = Axe()


@pytest.mark.parametrize("palette", SCHEMES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_violation(
    browser: Any, example: Served, page_type: str, palette: str
) -> None:
    context = browser.new_context(color_scheme=palette)
    context.on("request", lambda request: example.requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(example.base + PAGE_TYPES[page_type])
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        assert scheme == SCHEMES[palette]
        results = AXE.run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


COLOURS = """() => {
    const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const main = getComputedStyle(document.querySelector('.md-main')).backgroundColor;
    const body = getComputedStyle(document.body).backgroundColor;
    const page = rgb(main === 'rgba(0, 0, 0, 0)' ? body : main);
    const figure = document.querySelector('svg.qs-figure__svg');
    const texts = [...figure.querySelectorAll('text')].map(
        t => ({text: t.textContent, fill: rgb(getComputedStyle(t).fill)}));
    const lines = [...figure.querySelectorAll('.edge path, .node path')].map(
        p => rgb(getComputedStyle(p).stroke));
    return {page, texts, lines};
}"""


@pytest.mark.parametrize("palette", SCHEMES)
def test_the_figure_is_legible_in_both_palettes(
    browser: Any, example: Served, palette: str
) -> None:
    """axe does not judge SVG text, so the figure's contrast is measured here."""
    context = browser.new_context(color_scheme=palette)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        colours = page.evaluate(COLOURS)
        background = tuple(colours["page"])
        assert colours["texts"], "no text in the figure"
        for text in colours["texts"]:
            ratio = contrast(tuple(text["fill"]), background)
            assert ratio >= 4.5, (text["text"], ratio)
        for line in colours["lines"]:
            assert contrast(tuple(line), background) >= 3.0  # WCAG 1.4.11, graphics
    finally:
        context.close()


# The same key for an element whether it is met by Tab or listed up front.
KEY = """(element) => {
    const href = element.getAttribute('href')
        || element.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    const where = element.closest('svg') ? 'svg:' : 'html:';
    return where + href + ':' + element.textContent.trim();
}"""

FOCUS = f"""() => {{
    const key = {KEY};
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {{
        inFigure: !!element.closest('svg.qs-figure__svg'),
        inTable: !!element.closest('table.qs-table__table'),
        key: key(element),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    }};
}}"""

LINKS = f"""(selector) => {{
    const key = {KEY};
    return [...document.querySelectorAll(selector)].map(key);
}}"""


@pytest.mark.parametrize(
    ("path", "selector"),
    [("model/", "svg.qs-figure__svg a"), ("tables/", "table.qs-table__table a")],
)
def test_tab_reaches_every_link_of_the_figure_and_tables_with_a_focus_ring(
    page: Page, example: Served, path: str, selector: str
) -> None:
    page.goto(example.base + path)
    wanted = set(page.evaluate(LINKS, selector))
    assert wanted
    reached: set[str] = set()
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused["inFigure"] or focused["inTable"]:
            assert focused["ring"], f"no visible focus ring on {focused['key']}"
            reached.add(focused["key"])
        if wanted <= reached:
            break
    assert wanted <= reached, sorted(wanted - reached)


@pytest.mark.parametrize("width", [360, 640])  # a phone, and 1280 pixels zoomed to 200%
@pytest.mark.parametrize("path", ["", "categories/peer-support/", "tables/", "model/"])
def test_no_horizontal_scrolling_on_a_narrow_screen(
    browser: Any, example: Served, width: int, path: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(example.base + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        if path == "tables/":
            # Nor is a table cut off inside its own scrolling container: on
            # a narrow screen its rows become cards.
            inner = page.evaluate(
                "() => [...document.querySelectorAll('.qs-table__scroll')]"
                ".map(e => e.scrollWidth > e.clientWidth)"
            )
            assert inner and not any(inner)
    finally:
        context.close()


def test_every_request_goes_to_127_0_0_1(browser: Any, example: Served) -> None:
    """Every page type is visited (and whatever earlier tests loaded is
    included): no font, script or image comes from anywhere else."""
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    try:
        page = context.new_page()
        for path in PAGE_TYPES.values():
            page.goto(example.base + path)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert seen
    everything = [*example.requests, *seen]
    foreign = sorted(
        {url for url in everything if not url.startswith(("http://127.0.0.1:", "data:"))}
    )
    assert foreign == []
