"""Figure 1 as a reader meets it (issue 15): readable at every width, in a
full-screen view that opens, zooms, pans and closes by keyboard, mouse and
touch; boxes that link and boxes that do not, told apart; and the way from
the figure to a category, an excerpt, another category and back by clicks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import Served, _serve
from helpers import build_site, write_study

Page = Any  # playwright.sync_api.Page

#: The height of the shortest label of the figure (its text's box, in CSS
#: pixels) wherever the figure is: on the page or in the view.
SMALLEST_LABEL = """() => {
    const dialog = document.querySelector('dialog.qs-viewer');
    const svg = (dialog && dialog.open ? dialog : document).querySelector('svg.qs-figure__svg');
    const heights = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height);
    return Math.min(...heights);
}"""

#: How wide the drawing is shown (labels grow in whole pixels; this does not).
DRAWN_WIDTH = """() => {
    const dialog = document.querySelector('dialog.qs-viewer');
    const svg = (dialog && dialog.open ? dialog : document).querySelector('svg.qs-figure__svg');
    return svg.getBoundingClientRect().width;
}"""

VIEW_OPEN = "() => document.querySelector('dialog.qs-viewer').open"

OPENER = "Enlarge Figure 1"


def _context(browser: Any, width: int, scheme: str = "light") -> Any:
    return browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)


def _open_view(page: Page) -> None:
    page.get_by_role("button", name=OPENER).click()
    page.wait_for_function(VIEW_OPEN)


def _box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


# -- a figure people can read --------------------------------------------------------


@pytest.mark.parametrize("key", ["Enter", "Space"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_view_opens_zooms_and_closes_by_keyboard(
    browser: Any, example: Served, width: int, key: str
) -> None:
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        on_the_page = page.evaluate(SMALLEST_LABEL)
        opener = page.get_by_role("button", name=OPENER)
        opener.focus()
        page.keyboard.press(key)
        page.wait_for_function(VIEW_OPEN)
        # It fills the screen, with the drawing at a size to read.
        view = _box(page, "dialog.qs-viewer")
        assert (view["width"], view["height"]) == (width, 800)
        opened = page.evaluate(SMALLEST_LABEL)
        assert opened >= 12, f"the smallest label opens {opened:.1f} px tall"
        assert opened >= on_the_page
        width_opened = page.evaluate(DRAWN_WIDTH)
        page.keyboard.press("+")
        larger = page.evaluate(DRAWN_WIDTH)
        assert larger == pytest.approx(width_opened * 1.25, abs=1)
        assert page.evaluate(SMALLEST_LABEL) > opened
        page.keyboard.press("-")
        page.keyboard.press("-")
        assert page.evaluate(DRAWN_WIDTH) == pytest.approx(width_opened / 1.25, abs=1)
        page.keyboard.press("Escape")
        page.wait_for_function(f"() => !({VIEW_OPEN})()")
        # The dialog's "close" event, which puts the drawing back, comes a
        # moment after the dialog closes: wait for the drawing, not a time.
        page.wait_for_function(
            "() => !!document.querySelector('.qs-figure__drawing > svg.qs-figure__svg')"
        )
        back = page.evaluate(
            "() => ({focus: document.activeElement.textContent.trim(),"
            " home: !!document.querySelector('.qs-figure__drawing > svg.qs-figure__svg')})"
        )
        assert back == {"focus": OPENER, "home": True}
        assert page.evaluate(SMALLEST_LABEL) == pytest.approx(on_the_page)
    finally:
        context.close()


def test_the_view_zooms_and_pans_by_pointer(browser: Any, example: Served) -> None:
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        _open_view(page)
        opened = page.evaluate(DRAWN_WIDTH)
        page.get_by_role("button", name="Zoom in").click()
        after_button = page.evaluate(DRAWN_WIDTH)
        assert after_button == pytest.approx(opened * 1.25, abs=1)
        stage = _box(page, ".qs-viewer__stage")
        middle = (stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
        page.mouse.move(*middle)
        page.keyboard.down("Control")
        page.mouse.wheel(0, -300)
        page.keyboard.up("Control")
        page.wait_for_function(f"() => ({DRAWN_WIDTH})() > {after_button * 1.5}")
        # A drag moves the drawing, even one that starts on a box: which
        # then does not open.
        scrolled = "() => { const s = document.querySelector('.qs-viewer__stage');"
        scrolled += " return [s.scrollLeft, s.scrollTop]; }"
        before = page.evaluate(scrolled)
        node = page.locator("dialog svg a", has_text="Individual dimension")
        start = node.bounding_box()
        assert start is not None
        x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 150, y - 100, steps=5)
        page.mouse.up()
        after = page.evaluate(scrolled)
        assert after[0] > before[0] and after[1] > before[1], (before, after)
        assert page.url.endswith("/model/") and page.evaluate(VIEW_OPEN)
        # Fit: the whole drawing on the screen.
        page.get_by_role("button", name="Fit").click()
        drawing = _box(page, "dialog svg.qs-figure__svg")
        stage = _box(page, ".qs-viewer__stage")
        assert drawing["x"] >= stage["x"] - 1 and drawing["y"] >= stage["y"] - 1
        assert drawing["x"] + drawing["width"] <= stage["x"] + stage["width"] + 1
        assert drawing["y"] + drawing["height"] <= stage["y"] + stage["height"] + 1
        page.get_by_role("button", name="Close").click()
        page.wait_for_function(f"() => !({VIEW_OPEN})()")
    finally:
        context.close()


PINCH = """([from, to]) => {
    const stage = document.querySelector('.qs-viewer__stage');
    const box = stage.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const send = (type, id, dx) => stage.dispatchEvent(new PointerEvent(type, {
        pointerId: id, pointerType: 'touch', isPrimary: id === 1, bubbles: true,
        clientX: x + dx, clientY: y}));
    send('pointerdown', 1, -from); send('pointerdown', 2, from);
    for (let step = 1; step <= 5; step++) {
        const spread = from + (to - from) * step / 5;
        send('pointermove', 1, -spread); send('pointermove', 2, spread);
    }
    send('pointerup', 1, -to); send('pointerup', 2, to);
}"""


def test_two_fingers_pinch_to_zoom(browser: Any, example: Served) -> None:
    context = _context(browser, 360)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        _open_view(page)
        opened = page.evaluate(DRAWN_WIDTH)
        page.evaluate(PINCH, [40, 100])  # fingers spread apart
        spread = page.evaluate(DRAWN_WIDTH)
        assert spread == pytest.approx(opened * 2.5, abs=1)
        page.evaluate(PINCH, [100, 50])  # and together again
        assert page.evaluate(DRAWN_WIDTH) == pytest.approx(spread / 2, abs=1)
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_what_the_figure_adds_is_big_enough_to_tap(
    browser: Any, example: Served, width: int
) -> None:
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "categories/finding-meaning-and-purpose/")
        sizes = [_box(page, "a.qs-figure-place__link")]
        page.goto(example.base + "model/")
        sizes += [
            page.locator(".qs-model-links a").nth(i).bounding_box()
            for i in range(page.locator(".qs-model-links a").count())
        ]
        sizes.append(_box(page, ".qs-figure__open"))
        _open_view(page)
        buttons = page.locator("dialog.qs-viewer button")
        sizes += [buttons.nth(i).bounding_box() for i in range(buttons.count())]
        # In the view, the boxes of the figure are big enough too.
        links = page.locator("dialog svg a")
        sizes += [links.nth(i).bounding_box() for i in range(links.count())]
        assert len(sizes) == 1 + 4 + 1 + 4 + 10
        small = [s for s in sizes if s is None or s["width"] < 24 or s["height"] < 24]
        assert small == []
    finally:
        context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_axe_finds_no_violation_with_the_view_open(
    browser: Any, example: Served, palette: str
) -> None:
    context = _context(browser, 360, palette)
    try:
        page = context.new_page()
        page.goto(example.base + "model/#figure-1-node-systemic-values")
        _open_view(page)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


LOOKS = """() => {
    const look = (id) => {
        const shape = document.getElementById(id);
        const outline = getComputedStyle(shape.querySelector('path, polygon'));
        return {
            link: !!shape.querySelector('a'),
            underlined: getComputedStyle(shape.querySelector('text')).textDecorationLine,
            dashed: outline.strokeDasharray !== 'none',
            stroke: outline.stroke,
        };
    };
    return {
        category: look('figure-1-node-individual-values'),
        concept: look('figure-1-node-resilience'),
    };
}"""


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_a_box_that_is_not_a_link_does_not_look_like_one(
    browser: Any, example: Served, palette: str
) -> None:
    context = _context(browser, 1280, palette)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        looks = page.evaluate(LOOKS)
        assert looks["category"]["link"] and looks["category"]["underlined"] == "underline"
        assert not looks["category"]["dashed"]
        assert not looks["concept"]["link"] and looks["concept"]["underlined"] == "none"
        assert looks["concept"]["dashed"]
        assert looks["concept"]["stroke"] != looks["category"]["stroke"]
    finally:
        context.close()


# -- from the model to the data and back -----------------------------------------------

HIGHLIGHTED = """() => {
    const target = document.querySelector('svg.qs-figure__svg :target, .qs-figure-target');
    if (!target) return null;
    const box = target.getBoundingClientRect();
    const note = document.querySelector('.qs-figure__found');
    return {
        id: target.id,
        width: parseFloat(getComputedStyle(target.querySelector('path, polygon')).strokeWidth),
        inView: box.top >= 0 && box.bottom <= innerHeight,
        note: note && !note.hidden ? note.textContent.trim() : null,
    };
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_figure_category_excerpt_another_category_and_back_by_clicks(
    browser: Any, example: Served, width: int
) -> None:
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        page.locator("svg.qs-figure__svg a", has_text="Individual dimension").click()
        page.wait_for_url(re.compile(r"/categories/individual-values/$"))
        # An excerpt, in a category of another phase than this one's.
        excerpt = page.locator("figure.qs-excerpt").filter(
            has=page.get_by_role("link", name="Self-care and wellbeing")
        )
        anchor = excerpt.first.get_attribute("id")
        excerpt.first.get_by_role("link", name="Link to this excerpt").click()
        page.wait_for_url(re.compile(f"/categories/individual-values/#{anchor}$"))
        page.locator(f"#{anchor}").get_by_role("link", name="Self-care and wellbeing").click()
        page.wait_for_url(re.compile(rf"/categories/self-care-and-wellbeing/#{anchor}$"))
        assert page.locator("h1").inner_text().startswith("Self-care and wellbeing")
        page.locator("a.qs-figure-place__link").click()
        page.wait_for_url(re.compile(r"/model/#figure-1-node-individual-coping$"))
        state = page.evaluate(HIGHLIGHTED)
        assert state == {
            "id": "figure-1-node-individual-coping",
            "width": 4,
            "inView": True,
            "note": "Highlighted in Figure 1: Individual coping strategies",
        }
        # The view opens at the highlighted box.
        _open_view(page)
        shape = _box(page, "dialog #figure-1-node-individual-coping")
        assert shape["x"] >= 0 and shape["x"] + shape["width"] <= width
        assert shape["y"] >= 0 and shape["y"] + shape["height"] <= 800
    finally:
        context.close()


# -- the view from a copy on a disk, after instant navigation, for a small model ----------


def test_the_view_works_in_the_bundle_from_file(browser: Any, unzipped: Path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    outside: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        page = context.new_page()
        page.goto((unzipped / "categories/peer-support.html").as_uri())
        page.locator("a.qs-figure-place__link").click()
        page.wait_for_url(re.compile(r"/model\.html#figure-1-node-systemic-relational-coping$"))
        assert page.evaluate(HIGHLIGHTED)["id"] == "figure-1-node-systemic-relational-coping"
        page.get_by_role("button", name=OPENER).press("Enter")
        page.wait_for_function(VIEW_OPEN)
        assert page.evaluate(SMALLEST_LABEL) >= 12
        opened = page.evaluate(DRAWN_WIDTH)
        page.keyboard.press("+")
        assert page.evaluate(DRAWN_WIDTH) == pytest.approx(opened * 1.25, abs=1)
        page.keyboard.press("Escape")
        page.wait_for_function(f"() => !({VIEW_OPEN})()")
    finally:
        context.close()
    assert outside == []


SMALL_MODEL = """\
title: How coping works
direction: LR
nodes:
  - {category: coping}
  - {category: peer-support}
  - {category: supervision}
  - {id: wellbeing, label: Wellbeing}
edges:
  - {from: coping, to: peer-support}
  - {from: peer-support, to: supervision}
  - {from: supervision, to: wellbeing}
"""

INSTANT = """\
site_name: Test study
docs_dir: content
theme:
  name: material
  font: false
  features:
    - navigation.instant
plugins:
  - search
  - qualsite
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A study with a four-box model, under Material's instant navigation."""
    root = write_study(
        tmp_path_factory.mktemp("small"),
        {"mkdocs.yml": INSTANT, "codebook/model.yml": SMALL_MODEL},
    )
    (root / "site").mkdir()
    for served in _serve(root / "site"):
        # Material navigates instantly only to the addresses of its sitemap,
        # which are the site_url's: the one it is served at.
        build_site(root, site_url=served.base)
        yield served


def test_a_small_model_is_not_drawn_small_on_a_desktop(browser: Any, small: Served) -> None:
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        page.goto(small.base + "model/")
        drawn = page.evaluate(
            "() => { const svg = document.querySelector('svg.qs-figure__svg');"
            " return [svg.getBoundingClientRect().width, svg.viewBox.baseVal.width * 4 / 3]; }"
        )
        assert drawn[0] == pytest.approx(drawn[1], abs=1)  # its natural size, not 300 px
        assert page.evaluate(SMALLEST_LABEL) >= 12
    finally:
        context.close()


def test_the_view_and_the_highlight_follow_instant_navigation(browser: Any, small: Served) -> None:
    context = _context(browser, 360)
    try:
        page = context.new_page()
        page.goto(small.base + "categories/supervision/")
        # Material takes over links once it has read the sitemap.
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.stillTheSameDocument = true; }")
        page.locator("a.qs-figure-place__link").click()
        page.wait_for_url(re.compile(r"/model/#figure-1-node-supervision$"))
        page.wait_for_function("() => !!document.querySelector('.qs-figure-target')")
        assert page.evaluate("() => window.stillTheSameDocument === true")  # not reloaded
        assert page.evaluate(HIGHLIGHTED)["note"] == "Highlighted in Figure 1: Supervision"
        _open_view(page)
        assert page.evaluate(SMALLEST_LABEL) >= 12
        page.keyboard.press("Escape")
        page.wait_for_function(f"() => !({VIEW_OPEN})()")
    finally:
        context.close()
