"""The figure on a page: the SVG placed inline with its links, the figure
in words, and where each category sits in it.

Drawing the figure is :mod:`.figure`; this module takes its SVG and the model
and prepares what a page shows, with links relative to that page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import _
from ..study.model import Category, Model, ModelGroup, ModelNode, Study, Table
from .figure import (
    LINK_PLACEHOLDER,
    SVG_NS,
    XLINK_NS,
    Drawing,
    FigureFiles,
    edge_id,
    shape_id,
)
from .urls import MODEL_PAGE, PageLinks

# -- the SVG inside a page ------------------------------------------------------------


def inline_svg(
    files: FigureFiles, study: Study, model: Model, links: PageLinks, *, title: str
) -> Markup:
    """The SVG to place inside a page: links made relative to that page, fixed
    sizes removed (it scales to the width), and a title and description for
    assistive technology."""
    root = ET.fromstring(files.svg)
    number = model.number
    natural_width = root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("class", "qs-figure__svg")
    if natural_width:
        # Scales down to narrow screens, never up beyond its drawn size.
        root.set("style", f"max-width: {natural_width}")
    root.set("role", "group")
    root.set("aria-labelledby", f"figure-{number}-svg-title")
    root.set("aria-describedby", f"figure-{number}-svg-desc")
    for old in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old)
    title_element = ET.Element(f"{{{SVG_NS}}}title", id=f"figure-{number}-svg-title")
    title_element.text = title
    description = ET.Element(f"{{{SVG_NS}}}desc", id=f"figure-{number}-svg-desc")
    if has_concepts(model):
        # Translators: read by screen readers as the description of the figure.
        description.text = _(
            "Each box that names a category links to its page; a dashed box is a "
            "concept of the model and links nowhere. The text below the figure "
            "lists its parts and every relation."
        )
    else:
        # Translators: read by screen readers as the description of the figure.
        description.text = _(
            "Each box that names a category links to its page. The text below the "
            "figure lists its parts and every relation."
        )
    root.insert(0, description)
    root.insert(0, title_element)
    names = _names(study, model)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        # Graphviz titles each shape with its DOT name (an id); a reader is
        # better served by its name.
        shape_title = group.find(f"{{{SVG_NS}}}title")
        if shape_title is not None:
            shown = names.get((shape_title.text or "").removeprefix("cluster_"))
            if shown is None:
                group.remove(shape_title)  # the graph's DOT name, or an arrow's
            else:
                shape_title.text = shown
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        href = anchor.get(f"{{{XLINK_NS}}}href", "")
        if not href:
            # Graphviz wraps a tooltip-only shape in <a> without a target;
            # it is no link, and assistive technology should not call it one.
            anchor.tag = f"{{{SVG_NS}}}g"
            anchor.attrib.pop(f"{{{XLINK_NS}}}title", None)
            continue
        if href.startswith(LINK_PLACEHOLDER):
            category = study.category(href[len(LINK_PLACEHOLDER) :])
            anchor.set(f"{{{XLINK_NS}}}href", links.category(category))
    drawn = root.find(f"{{{SVG_NS}}}g")
    if drawn is not None:
        _name_arrows(drawn, study, model)
        _in_reading_order(drawn, study, model)
    text = ET.tostring(root, encoding="unicode")  # the parser has dropped comments
    # Braces are escaped so that no later Jinja pass sees "{{" in a label.
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def _name_arrows(drawn: ET.Element, study: Study, model: Model) -> None:
    """Each arrow named as one relation, with both its ends ("Arrow from
    Challenges, appraised through values, to Values"); the words drawn
    beside it are hidden from assistive technology, which would otherwise
    read them as loose text between two boxes."""
    sentences = {
        edge_id(model, index): relation.spoken()
        for index, relation in enumerate(relations(study, model))
    }
    for shape in drawn.findall(f"{{{SVG_NS}}}g"):
        sentence = sentences.get(shape.get("id", ""))
        if sentence is None:
            continue
        shape.set("role", "img")
        shape.set("aria-label", sentence)
        for text in shape.iter(f"{{{SVG_NS}}}text"):
            text.set("aria-hidden", "true")


def _in_reading_order(drawn: ET.Element, study: Study, model: Model) -> None:
    """The shapes of the drawing put in the order the model reads, which is
    the order a screen reader reads them and Tab reaches their links: group
    by group as the model gives them (each group, then its boxes), then the
    boxes in no group, then the arrows.

    Graphviz writes every group first, then boxes and arrows in an order of
    its own, which jumped between the phases. Moving the shapes does not
    move what is drawn: groups are drawn before the boxes inside them (which
    stay on top, and keep their clicks), and no group overlaps another's
    boxes. Anything else keeps its place (the background first).
    """
    order = [shape_id(model, item) for item in Drawing(study, model).reading_order()]
    order += [edge_id(model, index) for index in range(len(model.edges))]
    children = list(drawn)
    shapes = {child.get("id"): child for child in children}
    placed = [shapes[name] for name in order if name in shapes]
    if not placed:
        return
    ordered = {name for name in order if name in shapes}
    first = min(children.index(shape) for shape in placed)
    before = [c for c in children[:first] if c.get("id") not in ordered]
    after = [c for c in children[first:] if c.get("id") not in ordered]
    for child in children:
        drawn.remove(child)
    drawn.extend([*before, *placed, *after])


_PLACEHOLDER_LINK = re.compile(re.escape(LINK_PLACEHOLDER) + r"([a-z0-9_-]+)")


def with_links(text: str, study: Study, links: PageLinks) -> str:
    """A download (SVG, DOT) with its placeholder links made relative to
    where the download itself is published."""
    return _PLACEHOLDER_LINK.sub(lambda m: links.category(study.category(m.group(1))), text)


def has_concepts(model: Model) -> bool:
    """Whether the figure has a box that is not a category (and links nowhere)."""
    return any(node.category_id is None for node in model.nodes)


def _names(study: Study, model: Model) -> Mapping[str, str]:
    drawing = Drawing(study, model)
    names = {g.id: drawing.name_of(g) for g in model.groups}
    names.update({n.id: drawing.name_of(n) for n in model.nodes})
    return names


# -- the text alternative ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A group or node of the figure, as the text alternative lists it."""

    label: str
    url: str | None
    core: bool
    parts: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    source: str
    label: str | None
    target: str
    style: str  # solid, dashed or dotted, as drawn

    def sentence(self) -> str:
        middle = f" → {self.label} → " if self.label else " → "
        return f"{self.source}{middle}{self.target}"

    def spoken(self) -> str:
        """The relation in words alone, for the arrow's accessible name:
        a screen reader says "→" as "right arrow", or not at all."""
        named = {"source": self.source, "target": self.target, "label": self.label}
        if self.style == "dashed":
            if self.label:
                # Translators: an arrow of the figure, as a screen reader names
                # it; label: the words drawn beside it ("appraised through values").
                return _("Dashed arrow from %(source)s, %(label)s, to %(target)s") % named
            return _("Dashed arrow from %(source)s to %(target)s") % named
        if self.style == "dotted":
            if self.label:
                return _("Dotted arrow from %(source)s, %(label)s, to %(target)s") % named
            return _("Dotted arrow from %(source)s to %(target)s") % named
        if self.label:
            return _("Arrow from %(source)s, %(label)s, to %(target)s") % named
        return _("Arrow from %(source)s to %(target)s") % named

    @property
    def drawn_as(self) -> str:
        """How a marked arrow is drawn, in words ("dashed arrow"), for the
        figure in words; empty for a plain (solid) one."""
        if self.style == "dashed":
            # Translators: after a relation in the figure in words: "(dashed arrow)".
            return _("dashed arrow")
        if self.style == "dotted":
            # Translators: after a relation in the figure in words: "(dotted arrow)".
            return _("dotted arrow")
        return ""

    @property
    def marked(self) -> bool:
        """Drawn differently from the plain arrows, so the words say how."""
        return self.style != "solid"


def text_alternative(
    study: Study, model: Model, links: PageLinks
) -> tuple[tuple[Part, ...], tuple[Relation, ...]]:
    """The figure in words: its parts, by group, and every relation. Each part
    is named in full (a box may show a shorter label)."""
    drawing = Drawing(study, model)

    def url(item: ModelGroup | ModelNode) -> str | None:
        if item.category_id is None:
            return None
        return links.category(study.category(item.category_id))

    def parts(group_id: str | None) -> tuple[Part, ...]:
        found = [
            Part(drawing.name_of(g), url(g), g.id == model.core, parts(g.id))
            for g in drawing.children.get(group_id, [])
        ]
        found += [
            Part(drawing.name_of(n), url(n), n.id == model.core, ())
            for n in drawing.members.get(group_id, [])
        ]
        return tuple(found)

    return parts(None), relations(study, model)


def relations(study: Study, model: Model) -> tuple[Relation, ...]:
    """Every arrow of the figure, in the model's order, its ends named in full."""
    names = _names(study, model)
    return tuple(
        Relation(names[e.source], e.label, names[e.target], e.style.value) for e in model.edges
    )


def figure_categories(study: Study, model: Model) -> list[Category]:
    """The categories the figure links to, in drawing order."""
    ids = [g.category_id for g in model.groups] + [n.category_id for n in model.nodes]
    return [study.category(i) for i in ids if i is not None]


# -- where a category sits in the figure ---------------------------------------------


@dataclass(frozen=True, slots=True)
class FigurePlace:
    """Where a category sits in the figure, as its page says it: the box that
    shows it or, for a category the figure does not draw, the box of the
    nearest category above it; and a link to the figure with that box
    highlighted (the link's fragment is the box's id in the SVG)."""

    number: int  # the figure's
    box: str  # the words drawn in the box
    exact: bool  # the box shows this category itself, not one above it
    within: tuple[str, ...]  # the groups around the box, outermost first
    url: str


class FigurePlaces:
    """Every category's place in one figure, worked out once for all pages."""

    def __init__(self, study: Study, model: Model) -> None:
        self.study = study
        self.model = model
        self.drawing = Drawing(study, model)
        self.groups = {g.id: g for g in model.groups}
        # A category drawn twice is placed at its first box, in drawing order.
        self.boxes: dict[str, ModelGroup | ModelNode] = {}
        drawn: list[ModelGroup | ModelNode] = [*model.groups, *model.nodes]
        for item in drawn:
            if item.category_id is not None:
                self.boxes.setdefault(item.category_id, item)

    def box_of(self, category: Category) -> tuple[ModelGroup | ModelNode, bool] | None:
        """The box that shows the category, or else the nearest one above it
        (and whether it is the category's own); None when neither is drawn."""
        own = self.boxes.get(category.id)
        if own is not None:
            return own, True
        for ancestor in reversed(self.study.ancestors(category)):
            box = self.boxes.get(ancestor.id)
            if box is not None:
                return box, False
        return None

    def place(self, category: Category, links: PageLinks) -> FigurePlace | None:
        found = self.box_of(category)
        if found is None:
            return None
        box, exact = found
        return FigurePlace(
            number=self.model.number,
            box=self.drawing.label_of(box),
            exact=exact,
            within=tuple(self.drawing.label_of(g) for g in self._groups_around(box)),
            url=links.page(MODEL_PAGE, shape_id(self.model, box)),
        )

    def _groups_around(self, box: ModelGroup | ModelNode) -> list[ModelGroup]:
        around: list[ModelGroup] = []
        outer_id = box.parent_id if isinstance(box, ModelGroup) else box.group_id
        while outer_id is not None and outer_id in self.groups:
            outer = self.groups[outer_id]
            around.insert(0, outer)
            outer_id = outer.parent_id
        return around


def tables_showing(study: Study, model: Model, tables: Sequence[Table]) -> list[Table]:
    """The tables with a row for a category the figure draws, or one below it."""
    places = FigurePlaces(study, model)
    return [
        table
        for table in tables
        if any(places.box_of(study.category(row)) is not None for row in table.rows)
    ]
