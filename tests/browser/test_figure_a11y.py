"""Figure 1 beyond what axe sees (issue 20): it reads, and Tab reaches its
links, in the model's order, phase by phase, boxes before arrows; each arrow
is named with its two ends and its drawn words are not read as loose text;
its labels stay in their boxes under WCAG text spacing; and a group's whole
box opens the group's page. At a phone's width and a desktop's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import Served
from helpers import REPO
from qualsite.study import load_study
from qualsite.study.model import Model, ModelGroup, ModelNode, Study

Page = Any  # playwright.sync_api.Page

STUDY: Study = load_study(REPO / "codebook")
MODEL = STUDY.model
assert MODEL is not None
WIDTHS = [360, 1280]

#: WCAG 2.2, 1.4.12: the spacing a reader may set, as the W3C's own test
#: (a bookmarklet of the same rules) sets it.
TEXT_SPACING = """
* {
    line-height: 1.5 !important;
    letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
"""


def _context(browser: Any, width: int, scheme: str = "light") -> Any:
    return browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)


def _shape_id(model: Model, item: ModelGroup | ModelNode) -> str:
    kind = "group" if isinstance(item, ModelGroup) else "node"
    return f"figure-{model.number}-{kind}-{item.id}"


def _name(item: ModelGroup | ModelNode) -> str:
    if item.category_id is not None:
        return STUDY.category(item.category_id).name
    return item.label or item.id


def _in_the_models_order(model: Model) -> list[ModelGroup | ModelNode]:
    """What model.yml gives, group by group: each group in its order, then
    the groups and boxes inside it; the boxes in no group last."""

    def within(group_id: str | None) -> list[ModelGroup | ModelNode]:
        found: list[ModelGroup | ModelNode] = []
        for group in model.groups:
            if group.parent_id == group_id:
                found += [group, *within(group.id)]
        found += [node for node in model.nodes if node.group_id == group_id]
        return found

    return within(None)


def _phase_of(model: Model, item: ModelGroup | ModelNode) -> str | None:
    """The top group (the phase) the item is drawn in, if any."""
    groups = {g.id: g for g in model.groups}
    current = item.id if isinstance(item, ModelGroup) else item.group_id
    while current is not None and groups[current].parent_id is not None:
        current = groups[current].parent_id
    return current


# -- the order it is read and tabbed through ---------------------------------------------

FOCUSED = """() => {
    const focused = document.activeElement;
    const shape = focused && focused.closest(
        'svg.qs-figure__svg g.node, svg.qs-figure__svg g.cluster');
    if (!shape) return {id: null, tag: focused ? focused.tagName : null};
    const box = focused.getBoundingClientRect();
    return {
        id: shape.id,
        inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_goes_through_the_figure_phase_by_phase(
    browser: Any, example: Served, width: int
) -> None:
    linked = [item for item in _in_the_models_order(MODEL) if item.category_id is not None]
    expected = [_shape_id(MODEL, item) for item in linked]
    phases = [g.id for g in MODEL.groups if g.parent_id is None]
    assert len(phases) == 3 and len(expected) == 10
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        # The control just before the drawing; Tab goes on into it.
        page.get_by_role("button", name="Enlarge Figure 1").focus()
        reached = []
        for _ in expected:
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            assert focused["id"] is not None, f"Tab left the figure after {reached}"
            assert focused["inView"], f"{focused['id']} is focused off the screen"
            reached.append(focused["id"])
        assert reached == expected
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["id"] is None  # and then on out of it
    finally:
        context.close()
    # Phase by phase: once Tab leaves a phase it does not come back to it,
    # and the phases come in the model's order.
    in_turn = [_phase_of(MODEL, item) for item in linked]
    changes = [phase for i, phase in enumerate(in_turn) if i == 0 or phase != in_turn[i - 1]]
    assert changes == phases


def _accessibility_tree(page: Page) -> list[dict[str, Any]]:
    """The figure as Chromium gives it to assistive technology: each object
    that is not ignored, in reading order, with its role, its name and the
    roles of the objects around it."""
    session = page.context.new_cdp_session(page)
    session.send("Accessibility.enable")
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}

    def value(node: dict[str, Any], key: str) -> str:
        return str(node.get(key, {}).get("value", ""))

    (figure,) = [
        node
        for node in nodes
        if value(node, "role") == "group" and value(node, "name").startswith("Figure 1.")
    ]
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], around: tuple[str, ...]) -> None:
        role = value(node, "role")
        if not node.get("ignored"):
            found.append({"role": role, "name": value(node, "name"), "around": around})
            around = (*around, role)
        for child in node.get("childIds", []):
            if child in by_id:
                walk(by_id[child], around)

    for child in figure.get("childIds", []):
        walk(by_id[child], ())
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_boxes_are_read_before_the_arrows_and_each_arrow_names_its_ends(
    browser: Any, example: Served, width: int
) -> None:
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        tree = _accessibility_tree(page)
        drawn_on_arrows = page.evaluate(
            "() => [...document.querySelectorAll('svg.qs-figure__svg .edge text')].map(t =>"
            " ({text: t.textContent, hidden: !!t.closest('[aria-hidden=\"true\"]')}))"
        )
    finally:
        context.close()
    items = {item.id: item for item in [*MODEL.groups, *MODEL.nodes]}
    # Every box in the model's order (its name, as the box's group says it) ...
    boxes = [n["name"] for n in tree if n["role"] == "group"]
    assert boxes == [_name(item) for item in _in_the_models_order(MODEL)]
    links = [n["name"] for n in tree if n["role"] == "link"]
    assert links == [_name(i) for i in _in_the_models_order(MODEL) if i.category_id is not None]
    # ... then every relation, named from its start, by its words, to its end.
    arrows = [n["name"] for n in tree if n["role"] == "image"]
    assert arrows == [
        f"Arrow from {_name(items[e.source])}, {e.label}, to {_name(items[e.target])}"
        for e in MODEL.edges
    ]
    first_arrow = next(i for i, n in enumerate(tree) if n["role"] == "image")
    assert all(n["role"] != "group" for n in tree[first_arrow:])
    # The words drawn beside an arrow are hidden: not read as loose text.
    assert drawn_on_arrows and all(line["hidden"] for line in drawn_on_arrows)
    read = [n["name"] for n in tree if n["role"] == "StaticText"]
    for line in drawn_on_arrows:
        assert line["text"] not in read
    assert all("image" not in n["around"] for n in tree)  # nothing read inside an arrow


# -- text spacing ---------------------------------------------------------------------

LABELS = """() => {
    const svg = document.querySelector('svg.qs-figure__svg');
    const out = [];
    for (const shape of svg.querySelectorAll('g.node, g.cluster')) {
        const box = shape.querySelector('path, polygon').getBBox();
        for (const text of shape.querySelectorAll('text')) {
            const t = text.getBBox();
            out.push({
                id: shape.id, text: text.textContent,
                left: t.x - box.x, right: box.x + box.width - (t.x + t.width),
                top: t.y - box.y, bottom: box.y + box.height - (t.y + t.height),
                spacing: getComputedStyle(text).letterSpacing,
                size: parseFloat(getComputedStyle(text).fontSize),
            });
        }
    }
    return out;
}"""

#: Points along each arrow (every 2 units) that fall inside one of its own
#: label's lines: an arrow drawn over its words.
ARROW_OVER_ITS_WORDS = """() => {
    const svg = document.querySelector('svg.qs-figure__svg');
    let count = 0;
    for (const edge of svg.querySelectorAll('g.edge')) {
        const boxes = [...edge.querySelectorAll('text')].map(t => t.getBBox());
        for (const line of edge.querySelectorAll('path')) {
            const length = line.getTotalLength();
            for (let at = 0; at <= length; at += 2) {
                const p = line.getPointAtLength(at);
                count += boxes.some(b => p.x > b.x + 1 && p.x < b.x + b.width - 1
                    && p.y > b.y + 1 && p.y < b.y + b.height - 1) ? 1 : 0;
            }
        }
    }
    return count;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_labels_stay_in_their_boxes_with_wcag_text_spacing(
    browser: Any, example: Served, width: int
) -> None:
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        as_drawn = page.evaluate(ARROW_OVER_ITS_WORDS)
        page.add_style_tag(content=TEXT_SPACING)
        labels = page.evaluate(LABELS)
        spaced_arrows = page.evaluate(ARROW_OVER_ITS_WORDS)
    finally:
        context.close()
    nodes = {_shape_id(MODEL, n) for n in MODEL.nodes}
    assert nodes <= {label["id"] for label in labels}
    for label in labels:
        # The spacing is on: the test would prove nothing without it.
        assert float(label["spacing"].removesuffix("px")) == pytest.approx(0.12 * label["size"])
    outside = [
        (label["id"], label["text"], side, round(label[side], 1))
        for label in labels
        for side in ("left", "right", "top", "bottom")
        if label[side] < 0
    ]
    assert outside == [], "labels outside their boxes with text spacing"
    # An arrow's words grow away from it, never over it.
    assert spaced_arrows <= as_drawn


# -- a group's box ---------------------------------------------------------------------

#: A point on the group's box away from everything drawn in it (its boxes,
#: its words, the arrows), nearest the box's middle; and what a pointer
#: there would reach.
FREE_POINT = """(id) => {
    const group = document.getElementById(id);
    const svg = group.closest('svg');
    const box = group.querySelector('path, polygon').getBoundingClientRect();
    const taken = [...svg.querySelectorAll('g.node, g.edge, text')]
        .map(e => e.getBoundingClientRect());
    const near = (r, x, y) =>
        x > r.left - 3 && x < r.right + 3 && y > r.top - 3 && y < r.bottom + 3;
    const middle = {x: box.left + box.width / 2, y: box.top + box.height / 2};
    let best = null;
    for (let x = box.left + 6; x < box.right - 6; x += 2) {
        for (let y = box.top + 6; y < box.bottom - 6; y += 2) {
            if (taken.some(r => near(r, x, y))) continue;
            const d = Math.hypot(x - middle.x, y - middle.y);
            if (!best || d < best.d) best = {x, y, d};
        }
    }
    if (!best) return null;
    const hit = document.elementFromPoint(best.x, best.y);
    const link = hit && hit.closest('a');
    return {x: best.x, y: best.y, href: link ? link.getAttribute('xlink:href') : null};
}"""

#: What a pointer in the middle of each box reaches.
BOX_MIDDLES = """() => [...document.querySelectorAll('svg.qs-figure__svg g.node')].map(node => {
    const r = node.querySelector('path, polygon').getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const link = hit && hit.closest('a');
    return {id: node.id, reached: link ? link.closest('g.node, g.cluster').id : null};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_groups_whole_box_opens_its_page(browser: Any, example: Served, width: int) -> None:
    groups = [g for g in MODEL.groups if g.category_id is not None]
    assert groups
    context = _context(browser, width)
    try:
        page = context.new_page()
        for group in groups:
            page.goto(example.base + "model/")
            shape = _shape_id(MODEL, group)
            page.locator(f"#{shape}").scroll_into_view_if_needed()
            point = page.evaluate(FREE_POINT, shape)
            assert point is not None, f"no free point in {shape}"
            assert point["href"] is not None, f"the inside of {shape} is no link"
            page.mouse.click(point["x"], point["y"])
            page.wait_for_url(re.compile(rf"/categories/{group.category_id}/$"))
        # The boxes inside a group keep their own clicks.
        page.goto(example.base + "model/")
        reached = page.evaluate(BOX_MIDDLES)
    finally:
        context.close()
    linked = {_shape_id(MODEL, n) for n in MODEL.nodes if n.category_id is not None}
    assert {r["id"] for r in reached if r["reached"] == r["id"]} == linked
    assert all(r["reached"] is None for r in reached if r["id"] not in linked)


# -- and axe still finds nothing ---------------------------------------------------------


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_the_model_page(
    browser: Any, example: Served, width: int, palette: str
) -> None:
    context = _context(browser, width, palette)
    try:
        page = context.new_page()
        page.goto(example.base + "model/")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
