"""Every page type by keyboard (issue 20; qualsite-navigation.js and the
keyboard section of qualsite.css), on a phone and on a desktop.

A walk with Tab, and another with Shift+Tab from the end, checks each
element that takes focus: it has a box on the screen, nothing covers it
(the element at its centre is itself or inside it) and it is not under the
sticky header (WCAG 2.4.7, 2.4.11). On a phone the closed navigation
drawer holds no Tab stop, and its menu button opens it, moves focus into
it, and Escape closes it and gives focus back (2.4.3, 2.1.1). Also: the
side navigation's section toggles are named buttons that say whether they
are expanded, breadcrumb separators are not read, no navigation landmark
is empty, every page has one h1, the page not found says so in its title,
and axe finds nothing on a phone with the drawer open.

Transitions are switched off: what is checked is where focus comes to
rest (the theme's drawer and search slide in over a quarter of a second).
One browser context serves each width, the phone in the light palette and
the desktop in the dark, so that both palettes are walked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_page_types import PAGE_TYPES

from conftest import Served

Page = Any  # playwright.sync_api.Page

#: Width in CSS pixels, and the palette walked at that width.
WIDTHS = {360: "light", 1280: "dark"}
FORWARD_STOPS = 60
BACKWARD_STOPS = 40
#: How long a focused element may take to settle where it shows.
SETTLE_TIMEOUT_MS = 3000
SEPARATOR = "\u203a"  # the breadcrumbs' single right-pointing angle quotation mark

STILL = """
*, *::before, *::after {
  transition: none !important;
  animation: none !important;
  scroll-behavior: auto !important;
}
"""

#: Where focus is, and what is wrong with how it shows: ``null`` when no
#: element of the page has focus (Tab went on to the browser's own controls).
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body || element === document.documentElement) {
        return null;
    }
    const describe = (e) => {
        const name = (e.getAttribute('aria-label') || e.textContent || '')
            .replace(/\\s+/g, ' ').trim().slice(0, 50);
        return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${name}"`;
    };
    // The theme's palette switch is a radio button of no size, drawn by the
    // label after it.
    let shown = element;
    const own = element.getBoundingClientRect();
    if (element.matches('input.md-option') && own.width * own.height === 0
            && element.nextElementSibling) {
        shown = element.nextElementSibling;
    }
    const header = document.querySelector('.md-header');
    const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
    const drawer = document.querySelector('.md-sidebar--primary');
    const toggle = document.getElementById('__drawer');
    const drawerOpen = !!(toggle && toggle.checked);
    const inDrawer = !!(drawer && drawer.contains(element));
    // Drawn over the header, or part of it: the header itself, the skip
    // link, the search, the open drawer, a modal dialog.
    const aboveHeader = !!shown.closest('.md-header, .md-skip, .md-search, dialog[open]')
        || (drawerOpen && inDrawer);
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const problems = [];
    const box = shown.getBoundingClientRect();
    // An SVG link (a box of the figure) shows as its words; a group's
    // middle is covered by the boxes inside it.
    let rects = [...shown.getClientRects()];
    if (shown instanceof SVGElement) {
        const words = [...shown.querySelectorAll('text')].map(t => t.getBoundingClientRect());
        if (words.length) {
            rects = words;
        }
    }
    rects = rects.filter(r => r.width > 0 && r.height > 0);
    let seen = 1;
    for (let e = shown; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        seen *= parseFloat(style.opacity);
        if (e === shown && style.visibility !== 'visible') {
            problems.push(`visibility: ${style.visibility}`);
        }
    }
    if (seen < 0.1) {
        problems.push('transparent');
    }
    if (!rects.length) {
        problems.push('no box');
    } else if (box.bottom <= 0 || box.top >= height || box.right <= 0 || box.left >= width) {
        problems.push(`off the screen (${Math.round(box.left)}, ${Math.round(box.top)})`);
    } else {
        const top = aboveHeader ? 0 : headerBottom;
        // Taller than the screen below the header (a table that scrolls):
        // enough that it fills what can be seen.
        const tall = box.height > height - top - 8;
        if (!aboveHeader && !tall && box.top < headerBottom - 0.5) {
            problems.push(`under the header (top ${Math.round(box.top)}`
                + ` < ${Math.round(headerBottom)})`);
        }
        if (box.left < -0.5 || box.right > width + 0.5) {
            problems.push(`beside the screen (${Math.round(box.left)}`
                + ` to ${Math.round(box.right)})`);
        }
        const probes = tall
            ? [[(Math.max(box.left, 0) + Math.min(box.right, width)) / 2,
                (Math.max(box.top, top) + Math.min(box.bottom, height)) / 2]]
            : rects.map(r => [r.left + r.width / 2, r.top + r.height / 2]);
        for (const [x, y] of probes) {
            const hit = document.elementFromPoint(
                Math.min(Math.max(x, 0), width - 1), Math.min(Math.max(y, 0), height - 1));
            if (!hit || !(shown.contains(hit) || element.contains(hit))) {
                problems.push(`covered at (${Math.round(x)}, ${Math.round(y)}) by `
                    + (hit ? describe(hit) : 'nothing'));
                break;
            }
        }
    }
    return {
        what: describe(element),
        problems,
        inDrawer,
        inHeader: !!element.closest('.md-header'),
        menu: element.matches('.md-header button[aria-controls]'),
    };
}"""

DRAWER = """() => {
    const button = document.querySelector('.md-header button[aria-controls]');
    const drawer = document.querySelector('.md-sidebar--primary');
    return {
        open: document.getElementById('__drawer').checked,
        tag: button ? button.tagName : null,
        name: button ? button.getAttribute('aria-label') : null,
        expanded: button ? button.getAttribute('aria-expanded') : null,
        controls: !!button && drawer.id === button.getAttribute('aria-controls'),
        focusOnButton: document.activeElement === button,
        focusInDrawer: drawer.contains(document.activeElement),
        drawerInert: drawer.inert,
    };
}"""

#: Every <nav> landmark holds a link or a control; every page has one h1.
LANDMARKS = """() => ({
    empty: [...document.querySelectorAll('nav')]
        .filter(n => !n.querySelector('a[href], button, input'))
        .map(n => n.getAttribute('aria-label') || n.className),
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
})"""


@pytest.fixture(scope="module", params=list(WIDTHS), ids=lambda w: f"{w}px")
def walker(request: pytest.FixtureRequest, browser: Any) -> Iterator[Page]:
    """One page (in one context) for every walk at a width."""
    width: int = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=WIDTHS[width]
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.add_style_tag(content=STILL)


def _walk(page: Page, key: str, stops: int) -> list[dict[str, Any]]:
    """Each element that ``key`` focuses, up to ``stops`` of them, until
    focus leaves the page."""
    seen = []
    for _ in range(stops):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUS)
        if focused is not None and focused["problems"]:
            # The theme opens its search when its hidden box takes focus,
            # a moment after: judged once the page has had that moment.
            # Waited for as a condition, not a fixed time: a busy machine
            # may take longer to get there.
            # Still wrong once settled: reported below.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(
                    f"() => {{ const f = ({FOCUS})(); return f === null || !f.problems.length; }}",
                    timeout=SETTLE_TIMEOUT_MS,
                )
            focused = page.evaluate(FOCUS)
        if focused is None:
            break
        seen.append(focused)
    return seen


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_focused_element_is_seen_and_clear_of_the_header(
    walker: Page, example: Served, page_type: str
) -> None:
    page = walker
    width = page.viewport_size["width"]
    url = example.base + PAGE_TYPES[page_type]
    _open(page, url)
    forward = _walk(page, "Tab", FORWARD_STOPS)
    _open(page, url)
    backward = _walk(page, "Shift+Tab", BACKWARD_STOPS)
    assert forward and backward
    failures = [
        f"{key} {n + 1}: {stop['what']}: {'; '.join(stop['problems'])}"
        for key, stops in (("Tab", forward), ("Shift+Tab", backward))
        for n, stop in enumerate(stops)
        if stop["problems"]
    ]
    assert not failures, "\n".join(failures)
    if width < 1220:  # Material's drawer (below 76.25em)
        in_drawer = [s["what"] for s in forward + backward if s["inDrawer"]]
        assert not in_drawer, f"Tab stops in the closed drawer: {in_drawer[:5]}"
        assert [s for s in forward if s["menu"]], "Tab never reached the menu button"
    else:
        assert [s for s in forward if s["inDrawer"]], "Tab never reached the side navigation"
    landmarks = page.evaluate(LANDMARKS)
    assert landmarks["empty"] == [], f"navigation landmarks with no link: {landmarks['empty']}"
    assert len(landmarks["h1"]) == 1, landmarks["h1"]


def _tab_to_menu(page: Page) -> None:
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS)["menu"]:
            return
    pytest.fail("Tab did not reach the menu button")


@pytest.mark.parametrize("path", ["", "categories/peer-support/"])
def test_the_drawer_opens_and_closes_by_keyboard(browser: Any, example: Served, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        _open(page, example.base + path)
        _tab_to_menu(page)
        state = page.evaluate(DRAWER)
        assert state["tag"] == "BUTTON" and state["name"] == "Navigation"
        assert state["controls"] and state["drawerInert"]
        assert (state["open"], state["expanded"]) == (False, "false")

        page.keyboard.press("Enter")
        state = page.evaluate(DRAWER)
        assert (state["open"], state["expanded"], state["drawerInert"]) == (True, "true", False)
        assert state["focusInDrawer"], "focus did not move into the open drawer"
        # Tab stays in what the drawer shows: the level on top, nothing
        # under it and nothing behind the drawer.
        stops = _walk(page, "Tab", 12)
        assert stops
        for stop in stops:
            assert stop["inDrawer"], f"Tab left the open drawer for {stop['what']}"
            assert not stop["problems"], (stop["what"], stop["problems"])

        page.keyboard.press("Escape")
        state = page.evaluate(DRAWER)
        assert (state["open"], state["expanded"], state["drawerInert"]) == (False, "false", True)
        assert state["focusOnButton"], "Escape did not give focus back to the menu button"

        page.keyboard.press("Space")
        state = page.evaluate(DRAWER)
        assert state["open"] and state["focusInDrawer"]
        page.keyboard.press("Escape")
        assert page.evaluate(DRAWER)["focusOnButton"]
    finally:
        context.close()


LEVEL = """() => {
    const active = document.activeElement;
    const shown = (nav) => {
        const box = nav.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(nav).visibility === 'visible'
            && parseFloat(getComputedStyle(nav).opacity) > 0.5 && box.left >= 0;
    };
    const level = active.getAttribute('aria-controls');
    return {
        tag: active.tagName,
        id: active.id,
        name: active.getAttribute('aria-label') || active.textContent.trim(),
        expanded: active.getAttribute('aria-expanded'),
        title: active.classList.contains('md-nav__title'),
        levelShown: level ? shown(document.getElementById(level)) : null,
    };
}"""


def test_in_the_drawer_a_level_opens_and_closes_by_keyboard(browser: Any, example: Served) -> None:
    """The drawer opens on the page's own level; its title is the button
    back to the level above, whose arrow opens it again."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        _open(page, example.base + "categories/peer-support/")
        _tab_to_menu(page)
        page.keyboard.press("Enter")
        title = page.evaluate(LEVEL)
        assert title["tag"] == "BUTTON" and title["title"], title
        assert title["expanded"] == "true" and title["levelShown"], title
        page.keyboard.press("Enter")  # back up a level
        arrow = page.evaluate(LEVEL)
        assert arrow["tag"] == "BUTTON" and not arrow["title"], arrow
        assert arrow["name"] == title["name"] and arrow["expanded"] == "false", arrow
        assert not page.evaluate(FOCUS)["problems"]
        page.keyboard.press("Space")  # and down again
        again = page.evaluate(LEVEL)
        assert again["title"] and again["expanded"] == "true" and again["levelShown"], again
    finally:
        context.close()


def test_section_toggles_are_named_buttons_that_say_if_they_are_expanded(
    browser: Any, example: Served
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        _open(page, example.base + "categories/peer-support/")
        toggles = page.locator(".md-sidebar--primary button.md-nav__link[aria-controls]")
        assert toggles.count() >= 1
        for index in range(toggles.count()):
            toggle = toggles.nth(index)
            if not toggle.is_visible():
                continue
            toggle.focus()
            state = page.evaluate(LEVEL)
            assert state["name"], "a section toggle without a name"
            assert (state["expanded"], state["levelShown"]) == ("true", True), state
            page.keyboard.press("Space")
            state = page.evaluate(LEVEL)
            assert (state["expanded"], state["levelShown"]) == ("false", False), state
            page.keyboard.press("Enter")
            state = page.evaluate(LEVEL)
            assert (state["expanded"], state["levelShown"]) == ("true", True), state
    finally:
        context.close()


def test_breadcrumb_separators_are_not_read(browser: Any, example: Served) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        _open(page, example.base + "categories/peer-support/")
        crumbs = page.locator(".qs-breadcrumbs")
        assert "Categories" in crumbs.aria_snapshot()
        assert SEPARATOR not in crumbs.aria_snapshot()
        drawn = page.evaluate(
            "() => getComputedStyle("
            "document.querySelector('.qs-breadcrumbs li + li'), '::before').content"
        )
        assert SEPARATOR in drawn  # still drawn
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "palette", "open_drawer"),
    [("404.html", "light", False), ("categories/peer-support/", "dark", True)],
    ids=["page not found", "open drawer"],
)
def test_axe_finds_nothing_on_a_phone(
    browser: Any, example: Served, path: str, palette: str, open_drawer: bool
) -> None:
    """What test_accessibility.py does not see: the page not found, and a
    phone's drawer open, with the page behind it inert."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=palette)
    try:
        page = context.new_page()
        _open(page, example.base + path)
        if open_drawer:
            page.locator(".md-header button[aria-controls]").click()
            assert page.evaluate(DRAWER)["open"]
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_the_page_not_found_is_titled_as_such(browser: Any, example: Served) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(example.base)
        site_name = page.title()
        page.goto(example.base + PAGE_TYPES["page not found"])
        assert page.title() == f"Page not found - {site_name}"
    finally:
        context.close()
