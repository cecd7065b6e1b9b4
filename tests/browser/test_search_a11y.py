"""Material's search, by keyboard and with a screen reader (issue 20;
qualsite-search.js and the search section of qualsite.css), on a phone and
on a desktop: each result link is named by its heading, the count is said
once the results are in, Tab and the arrows move through the results
without closing them, and the result the keyboard is on is outlined at 3:1
or more in both palettes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_accessibility import contrast
from test_search_results import search

from conftest import Served

Page = Any  # playwright.sync_api.Page

WIDTHS = [360, 1280]
SCHEMES = {"light": "default", "dark": "slate"}
WORD = "supervision"

#: What the arrows and Tab move through, as Material's arrows see it.
STOPS = (
    ".md-search__output :not(details) > a[href], .md-search__output summary,"
    " .md-search__output details[open] a[href]"
)

#: Where the keyboard is: the box, one of the stops (by its index), or
#: elsewhere; and whether the search is still open.
WHERE = f"""() => {{
    const active = document.activeElement;
    const stops = [...document.querySelectorAll({STOPS!r})];
    return {{
        box: active === document.querySelector('input.md-search__input'),
        stop: stops.indexOf(active),
        stops: stops.length,
        open: document.getElementById('__search').checked,
        shown: document.querySelector('.md-search-result__list').getClientRects().length > 0,
    }};
}}"""


def record_what_is_said(page: Page) -> None:
    """From now on, each text the search's live region is given, in
    window.__said."""
    page.eval_on_selector(
        '.md-search [role="status"]',
        """region => {
            window.__said = [];
            new MutationObserver(() => window.__said.push(region.textContent))
                .observe(region, {childList: true, characterData: true, subtree: true});
        }""",
    )


def _open(browser: Any, served: Served, width: int, scheme: str = "light") -> tuple[Any, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served.base)
    return context, page


def open_search(page: Page) -> None:
    """Open Material's search, its index loaded, nothing typed yet."""
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():
        opener.click()
    else:
        page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => /Type to start/i.test("
        "document.querySelector('.md-search-result__meta')?.textContent ?? '')"
    )


def _chrome_names(page: Page, selector: str) -> list[dict[str, str]]:
    """Each element's accessible name and description as Chromium's own
    accessibility tree has them (not recomputed by the test)."""
    cdp = page.context.new_cdp_session(page)
    try:
        count = page.locator(selector).count()
        found = []
        for index in range(count):
            handle = cdp.send(
                "Runtime.evaluate",
                {"expression": f"document.querySelectorAll({selector!r})[{index}]"},
            )
            tree = cdp.send(
                "Accessibility.getPartialAXTree",
                {"objectId": handle["result"]["objectId"], "fetchRelatives": False},
            )
            node = tree["nodes"][0]
            found.append(
                {
                    "role": node.get("role", {}).get("value", ""),
                    "name": node.get("name", {}).get("value", ""),
                    "description": node.get("description", {}).get("value", ""),
                }
            )
        return found
    finally:
        cdp.detach()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_result_link_is_named_by_its_heading(
    browser: Any, example: Served, width: int
) -> None:
    context, page = _open(browser, example, width)
    try:
        search(page, WORD)
        # Open every "N more on this page", so that the excerpts' results,
        # titled by the stylesheet, are in the accessibility tree too.
        page.eval_on_selector_all(
            ".md-search-result__more", "all => all.forEach(d => { d.open = true; })"
        )
        links = ".md-search-result__list a.md-search-result__link"
        headings: list[str] = page.eval_on_selector_all(
            links,
            """links => links.map(link => {
                const heading = link.querySelector('h1, h2');
                const caption = heading.querySelector('[data-qs-caption]');
                return (heading.textContent
                        + (caption ? caption.getAttribute('data-qs-caption') : ''))
                    .replace(/\\s+/g, ' ').trim();
            })""",
        )
        named = _chrome_names(page, links)
        assert len(named) == len(headings) >= 5
        assert any("Participant" in heading for heading in headings), headings
        for heading, node in zip(headings, named, strict=True):
            assert node["role"] == "link"
            assert heading and " ".join(node["name"].split()) == heading, (heading, node)
        # The snippet is the link's description: a result titled with a
        # participant says, when it is reached, what they said.
        described = [node for node in named if WORD in node["description"].lower()]
        assert described, named
    finally:
        context.close()


def _move_time_on_until_said(page: Page) -> None:
    """Run the page's stopped clock a second at a time until the live region
    has said something, waiting for the search worker in real time between."""
    for _ in range(30):
        page.clock.run_for(1000)
        try:
            page.wait_for_function("() => window.__said.length > 0", timeout=1000)
        except PlaywrightTimeout:
            continue
        return
    raise AssertionError("the count was never said, 30 s after the last key")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_count_is_said_once_the_results_are_in(
    browser: Any, example: Served, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.clock.install()  # time runs, until the test stops it
        page.goto(example.base)
        open_search(page)
        status = page.locator('.md-search [role="status"]')
        assert status.count() == 1
        assert status.get_attribute("aria-live") in (None, "polite")
        record_what_is_said(page)
        # With time stopped, whatever the script waits for does not come:
        # the letters' results are shown, and nothing is said yet.
        page.clock.pause_at(page.evaluate("Date.now()") + 1000)
        page.keyboard.type(WORD)
        page.wait_for_function(
            "w => document.querySelector('input.md-search__input').value === w"
            " && /\\d+ matching/i.test(document.querySelector('.md-search-result__meta')"
            ".textContent) && !!document.querySelector('.md-search-result__list mark')",
            arg=WORD,
        )
        page.wait_for_function(
            "w => [...document.querySelectorAll('.md-search-result__list mark')]"
            ".every(m => m.textContent.toLowerCase().startsWith(w.slice(0, 8)))",
            arg=WORD,
        )
        assert page.evaluate("window.__said") == []
        # The reader stops typing: the count is said, once, as shown. The
        # results above may be an earlier letter's (the marks of
        # "supervisi" and of "supervision" are the same word), with the
        # last query's answer still on its way on a busy machine; its timer
        # is started only when it comes, so time is moved on until it has.
        _move_time_on_until_said(page)
        shown = " ".join(page.locator(".md-search-result__meta").inner_text().split())
        assert re.fullmatch(r"\d+ matching documents?", shown), shown
        said = page.evaluate("window.__said")
        assert [text.strip() for text in said] == [shown], said
        # The region is the count's alone: hidden from sight, but not from
        # the accessibility tree (Material's own line is on screen).
        box = page.evaluate(
            "() => document.querySelector('.md-search [role=\"status\"]')"
            ".getBoundingClientRect().width"
        )
        assert box <= 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_and_the_arrows_move_through_the_results(
    browser: Any, example: Served, width: int
) -> None:
    context, page = _open(browser, example, width)
    try:
        search(page, WORD)
        where = page.evaluate(WHERE)
        assert where["box"] and where["open"] and where["stops"] >= 3, where
        total = where["stops"]

        # Tab: from the box to the first result, then on through each, the
        # results open and shown all the way; past the last, back to the box.
        for index in range(total):
            page.keyboard.press("Tab")
            where = page.evaluate(WHERE)
            assert where["stop"] == index and where["open"] and where["shown"], (index, where)
        page.keyboard.press("Tab")
        assert page.evaluate(WHERE)["box"]

        # Shift+Tab goes back (Shift, pressed first, leaves the result be).
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        where = page.evaluate(WHERE)
        assert where["stop"] == 0 and where["open"], where
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(WHERE)["box"]

        # Down and Up: the same way, one result at a time.
        page.keyboard.press("ArrowDown")
        assert page.evaluate(WHERE)["stop"] == 0
        page.keyboard.press("ArrowDown")
        assert page.evaluate(WHERE)["stop"] == 1
        page.keyboard.press("ArrowUp")
        assert page.evaluate(WHERE)["stop"] == 0
        page.keyboard.press("ArrowUp")
        where = page.evaluate(WHERE)
        assert where["box"] and where["open"], where
        page.keyboard.press("ArrowUp")
        assert page.evaluate(WHERE)["stop"] == total - 1

        # Home and End on a result; Escape goes back to the box, and in the
        # box closes the search.
        page.keyboard.press("Home")
        assert page.evaluate(WHERE)["stop"] == 0
        page.keyboard.press("End")
        assert page.evaluate(WHERE)["stop"] == total - 1
        page.keyboard.press("Escape")
        where = page.evaluate(WHERE)
        assert where["box"] and where["open"], where
        page.keyboard.press("Escape")
        assert not page.evaluate(WHERE)["open"]
    finally:
        context.close()


#: How far the "N more on this page" of an open group, which sticks to the
#: top of the list, lies over the focused result (0: not at all).
UNDER_STICKY = """() => {
    const active = document.activeElement;
    const box = active.getBoundingClientRect();
    let covered = 0;
    for (const summary of document.querySelectorAll('details[open] > summary')) {
        if (summary === active) continue;
        const over = summary.getBoundingClientRect();
        if (over.height && over.top < box.bottom && over.bottom > box.top) {
            covered = Math.max(covered, Math.min(over.bottom, box.bottom) - box.top);
        }
    }
    return covered;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_focused_result_is_not_under_its_groups_sticky_heading(
    browser: Any, example: Served, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 600})
    try:
        page = context.new_page()
        page.goto(example.base)
        search(page, WORD)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # open "N more on this page"
        assert page.evaluate("document.activeElement.parentElement.open") is True
        total = page.evaluate(WHERE)["stops"]
        assert total >= 6
        for key in ["ArrowDown"] * (total - 2) + ["ArrowUp"] * (total - 2):
            page.keyboard.press(key)
            assert page.evaluate(UNDER_STICKY) <= 1, (key, page.evaluate(WHERE))
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_does_not_stop_in_the_closed_search(browser: Any, example: Served, width: int) -> None:
    context, page = _open(browser, example, width)
    try:
        search(page, WORD)
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        assert not page.evaluate(WHERE)["open"]
        # Material's results box takes focus even when closed, where it has
        # no size (or is off a phone's screen).
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const active = document.activeElement;
                const box = active.getBoundingClientRect();
                return {
                    inResults: !!active.closest('.md-search__output'),
                    size: box.width * box.height,
                };
            }"""
        )
        assert not focused["inResults"] and focused["size"] > 0, focused
    finally:
        context.close()


def test_a_letter_typed_on_a_result_refines_the_query(browser: Any, example: Served) -> None:
    context, page = _open(browser, example, 1280)
    try:
        search(page, "peer")
        page.keyboard.press("ArrowDown")
        assert page.evaluate(WHERE)["stop"] == 0
        page.keyboard.type("s")
        assert page.locator("input.md-search__input").input_value() == "peers"
        assert page.evaluate(WHERE)["box"]
    finally:
        context.close()


#: The focused result's outline, and the colours on either side of it: the
#: result's own background (Material tints it) and the list's around it,
#: each laid over what is behind it.
FOCUS_COLOURS = """async () => {
    const link = document.activeElement;
    await Promise.all(link.getAnimations({subtree: true}).map(a => a.finished));
    const rgba = (text) => {
        const parts = text.match(/[\\d.]+/g).map(Number);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, bottom) => [0, 1, 2].map(
        i => top[i] * top[3] + bottom[i] * (1 - top[3]));
    const behind = (element) => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const colour = rgba(getComputedStyle(e).backgroundColor);
            if (colour[3] > 0) layers.push(colour);
            if (colour[3] >= 1) break;
        }
        let colour = [255, 255, 255];
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
    };
    const style = getComputedStyle(link);
    return {
        outline: rgba(style.outlineColor),
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        inside: behind(link.firstElementChild || link),
        around: behind(link.parentElement),
        others: link.matches('.md-search-result__link')
            ? [...document.querySelectorAll('.md-search-result__link')]
                .filter(other => other !== link && other.getClientRects().length)
                .map(other => getComputedStyle(other).outlineStyle)
            : [],
    };
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("palette", SCHEMES)
def test_the_focused_result_is_outlined_at_3_to_1(
    browser: Any, example: Served, width: int, palette: str
) -> None:
    context, page = _open(browser, example, width, palette)
    try:
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[palette]
        search(page, WORD)
        for index in range(2):  # a result link, then "N more on this page"
            page.keyboard.press("Tab")
            assert page.evaluate(WHERE)["stop"] == index
            colours = page.evaluate(FOCUS_COLOURS)
            assert colours["style"] != "none" and colours["width"] >= 2, colours
            assert colours["outline"][3] == 1, colours
            outline = tuple(colours["outline"][:3])
            for side in ("inside", "around"):
                ratio = contrast(outline, tuple(colours[side]))
                assert ratio >= 3.0, (index, side, ratio, colours)
            # Only the focused result is outlined.
            assert set(colours["others"]) <= {"none"}, colours
    finally:
        context.close()
