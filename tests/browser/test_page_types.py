"""Every page type as a reader sees it, on a phone and on a desktop, in both
palettes: nothing wider than the screen outside a container made to scroll,
every tap target big enough (or far enough from the next), and a
screenshot of each kept for a person to look at.

The screenshots go to ``test-screenshots/`` at the top of the repository
(or the folder QUALSITE_SCREENSHOTS names), one file a page type, width and
palette; the README says so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Served
from helpers import REPO

SCREENSHOTS = Path(os.environ.get("QUALSITE_SCREENSHOTS") or REPO / "test-screenshots")

#: A page of each kind the example publishes (the URL, relative to the site).
PAGE_TYPES = {
    "home": "",
    "content page": "method/",
    "model page": "model/",
    "tables page": "tables/",
    "categories overview": "categories/",
    "category with sub-categories": "categories/implementing-proactive-coping/",
    "category page": "categories/peer-support/",
    "participants by category": "matrices/participants/",
    "categories coded together": "matrices/co-occurrence/",
    "a matrix cell's excerpts": "matrices/participant-excerpts/1/",
    "reporting checklist": "checklist/",
    "audit trail": "audit-trail/",
    "how to cite": "cite/",
    "accessibility statement": "accessibility/",
    "print page": "print/",
    "page not found": "404.html",
}
WIDTHS = {"phone": 360, "desktop": 1280}
SCHEMES = {"light": "default", "dark": "slate"}

#: Elements wider than the screen, outside any ancestor that scrolls (or
#: clips) sideways on purpose. Invisible elements (Material's closed drawer
#: and search, visually hidden labels) are left out: nobody sees them.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = (element) => {
        for (let e = element.parentElement; e; e = e.parentElement) {
            const overflow = getComputedStyle(e).overflowX;
            if (overflow !== 'visible') return true;
        }
        return false;
    };
    const found = [];
    for (const element of document.querySelectorAll('body *')) {
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if ((box.right > width + 1 || box.left < -1) && !clipped(element)) {
            found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`
                + ` (${Math.round(box.left)} to ${Math.round(box.right)})`);
        }
    }
    return {scroll: document.documentElement.scrollWidth - width, found: found.slice(0, 10)};
}"""

#: Tap targets of the page's own content and of the header, as WCAG 2.2's
#: 2.5.8 (Target Size, Minimum) judges them: a target is big enough at 24
#: by 24 CSS px; a smaller one passes when a 24 px circle on its centre
#: touches no other target's circle, when it sits in a sentence (a link
#: in running text, whose size the line height sets), or when the page
#: offers the same link elsewhere as a target that passes (a box of the
#: figure, whose outline in words links to the same category).
SMALL_TARGETS = """() => {
    const visible = (e) => {
        const style = getComputedStyle(e);
        const box = e.getBoundingClientRect();
        return style.visibility !== 'hidden' && style.display !== 'none'
            && box.width > 0 && box.height > 0 && box.bottom > 0
            && box.right > 0 && box.left < document.documentElement.clientWidth;
    };
    const inSentence = (e) => {
        const block = e.closest('p, li, dd, td, figcaption, blockquote');
        if (!block) return false;
        const own = e.textContent.trim();
        const all = block.textContent.replace(/\\s+/g, ' ').trim();
        return own.length > 0 && all.length > own.length + 1 && !e.matches('button, input');
    };
    const targets = [...document.querySelectorAll(
        '.md-header a, .md-header button, .md-header label[for], .md-content a[href],'
        + ' .md-content button, .md-content summary, .md-content input, svg a'
    )].filter(visible).filter(e => !e.closest('.md-header__inner .md-search__inner'));
    const boxes = targets.map(e => e.getBoundingClientRect());
    const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
    const big = (b) => b.width >= 23.5 && b.height >= 23.5;
    const href = (e) => e.getAttribute('href') || e.getAttribute('xlink:href');
    const passing = new Set(targets.filter((e, i) => href(e) && (big(boxes[i]) || inSentence(e)))
        .map(e => new URL(href(e), document.baseURI).href));
    const small = [];
    targets.forEach((e, i) => {
        const b = boxes[i];
        if (big(b) || inSentence(e)) return;
        if (href(e) && passing.has(new URL(href(e), document.baseURI).href)) return;
        const [x, y] = centre(b);
        const crowded = boxes.some((other, j) => {
            if (j === i) return false;
            const [ox, oy] = centre(other);
            const otherSmall = other.width < 23.5 || other.height < 23.5;
            if (otherSmall) return Math.hypot(ox - x, oy - y) < 24;
            // The distance from the circle's centre to the other's box.
            const dx = Math.max(other.left - x, 0, x - other.right);
            const dy = Math.max(other.top - y, 0, y - other.bottom);
            return Math.hypot(dx, dy) < 12;
        });
        if (crowded) {
            const label = (e.getAttribute('aria-label') || e.textContent || e.tagName).trim();
            small.push(`${label.slice(0, 40)} (${Math.round(b.width)}x${Math.round(b.height)})`);
        }
    });
    return small.slice(0, 10);
}"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.mark.parametrize("palette", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_fits_the_screen_with_targets_big_enough(
    browser: Any, example: Served, page_type: str, width: str, palette: str
) -> None:
    context = browser.new_context(
        viewport={"width": WIDTHS[width], "height": 900}, color_scheme=palette
    )
    try:
        page = context.new_page()
        page.goto(example.base + PAGE_TYPES[page_type])
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[palette]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"{_slug(page_type)}-{WIDTHS[width]}-{palette}.png"),
            full_page=True,
        )
        overflow = page.evaluate(OVERFLOWING)
        assert overflow["scroll"] <= 0, f"the page scrolls sideways by {overflow['scroll']}px"
        assert not overflow["found"], f"wider than the screen: {overflow['found']}"
        small = page.evaluate(SMALL_TARGETS)
        assert not small, f"tap targets under 24 by 24 px, too close to another: {small}"
    finally:
        context.close()
