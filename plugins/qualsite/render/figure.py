"""The model drawn as a figure: DOT, layout, and SVG/PDF/PNG (how a page
shows it, and says it in words, is :mod:`.figure_page`).

The DOT is built with the ``graphviz`` package, whose quoting (with
:func:`graphviz.escape`) keeps quotes, backslashes and ``<...>`` in a label
as text. It is laid out once, in-process, by pygraphviz's bundled Graphviz
(no ``dot`` program is needed), and the results are cached by the DOT text's
hash. The words qualsite adds to a box ("(core category)") are written into
the DOT in the site's language, so a figure laid out in one language is
never reused for another. Links in the DOT are placeholders
(``qs:category:<id>``) that each page replaces with its own relative
address, so one layout serves every page.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import itertools
import json
import math
import os
import re
import struct
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import cast

import graphviz

from ..i18n import _
from ..study.model import Model, ModelEdge, ModelGroup, ModelNode, Study

FIGURES_DIR = "figures"
#: A link in the DOT, before a page makes it relative to itself.
LINK_PLACEHOLDER = "qs:category:"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Registered once for the process: SVG is written with its namespace as the
# default one. Nothing else in qualsite may register "" (see exports.codebook).
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: Resolution of the PNG download (print quality).
PNG_DPI = 300

#: SVG classes, styled by qualsite.css: the core node or group; a box that
#: links to its category; a node that is a concept of the model, not a
#: category, and so links nowhere (it must not look like a link).
CORE_CLASS = "qs-figure-core"
LINK_CLASS = "qs-figure-link"
CONCEPT_CLASS = "qs-figure-concept"

_FONT = "Helvetica,Arial,sans-serif"
_INK = "#1f2937"
_ACCENT = "#3949ab"


@dataclass(frozen=True, slots=True)
class FigureFiles:
    """One laid-out figure in every format it is offered in, and what
    Graphviz said while drawing it."""

    dot: str
    svg: bytes
    pdf: bytes
    png: bytes
    messages: tuple[str, ...] = ()


# -- DOT ------------------------------------------------------------------------


def _literal(text: str) -> str:
    """Text for a Graphviz string, every character literal.

    Graphviz reads character references (``&#79;``, ``&amp;``, ``&lt;``) in
    labels and tooltips, so ``&#79;akwood`` would be drawn "Oakwood": every
    ``&`` is written ``&amp;``, which Graphviz draws (and writes into the
    SVG) as the ``&`` it stands for. ``graphviz.escape`` then doubles
    backslashes; quotes are escaped when the value is quoted.
    """
    return cast(str, graphviz.escape(text.replace("&", "&amp;")))


def _lines(text: str, width: int) -> list[str]:
    """The lines a label is drawn in: wrapped at ``width`` characters."""
    words = " ".join(text.split())
    lines = textwrap.wrap(words, width=width, break_on_hyphens=False, break_long_words=False)
    return lines or [""]


def _label(text: str, width: int) -> str:
    """A DOT label: wrapped at ``width`` characters, with every character literal
    (:func:`_literal`), never read as an HTML-like label. Our own line breaks
    are DOT's ``\\n`` escape.
    """
    lines = _lines(text, width)
    # cast, not str(): the NoHtml type is what keeps "<...>" from being HTML.
    return cast(str, graphviz.nohtml("\\n".join(_literal(line) for line in lines)))


#: The text spacing a reader may set (WCAG 2.2, 1.4.12): letters 0.12 em
#: further apart, words 0.16 em more. Line height and paragraph spacing do
#: not move SVG text, whose lines Graphviz places one by one.
LETTER_SPACING_EM = 0.12
WORD_SPACING_EM = 0.16
#: A box's margin around its label (inches, Graphviz's unit), across and down.
_NODE_MARGIN = (0.14, 0.07)
_NODE_FONTSIZE = 11
#: A box's label is wrapped at this many characters: lines a little shorter
#: than the room for text spacing would otherwise need keep the figure
#: about as wide, and its words as large on the page.
_NODE_WRAP = 20


def _node_margin(lines: list[str], fontsize: float) -> str:
    """A box's margin, with room across for its label to grow by the text
    spacing a reader may set (:data:`LETTER_SPACING_EM`).

    The browser adds the spacing after every character (and every space
    again), which makes a line of Helvetica about a quarter wider; Graphviz
    sizes the box for the text as drawn. The growth is known from the
    characters alone, whatever the font: the longest-growing line's half on
    each side, in inches.
    """
    grows = max(LETTER_SPACING_EM * len(line) + WORD_SPACING_EM * line.count(" ") for line in lines)
    across = _NODE_MARGIN[0] + grows * fontsize / 2 / 72
    return f"{math.ceil(across * 1000) / 1000:g},{_NODE_MARGIN[1]:g}"


def _plain(text: str) -> str:
    """A DOT attribute that is not a label (tooltips): literal and on one line."""
    return _literal(" ".join(text.split()))


def node_name(model_id: str) -> str:
    return model_id


def cluster_name(group_id: str) -> str:
    return f"cluster_{group_id}"


def shape_id(model: Model, item: ModelGroup | ModelNode) -> str:
    """The id of a group's or node's shape in the SVG: a page links to
    ``model/#<id>`` to show the figure with that shape highlighted."""
    kind = "group" if isinstance(item, ModelGroup) else "node"
    return f"figure-{model.number}-{kind}-{item.id}"


def edge_id(model: Model, index: int) -> str:
    """The id of an arrow in the SVG: the model's ``index``-th edge (from 0)."""
    return f"figure-{model.number}-edge-{index + 1}"


class Drawing:
    """The model's groups and nodes as the figure nests them, and the words
    each box shows."""

    def __init__(self, study: Study, model: Model) -> None:
        self.study = study
        self.model = model
        self.children: dict[str | None, list[ModelGroup]] = {}
        for group in model.groups:
            self.children.setdefault(group.parent_id, []).append(group)
        self.members: dict[str | None, list[ModelNode]] = {}
        for node in model.nodes:
            self.members.setdefault(node.group_id, []).append(node)

    def label_of(self, item: ModelGroup | ModelNode) -> str:
        """The words drawn in the box: its own label (a concept's name, or a
        shorter label for a category's box), else its category's name."""
        if item.label is not None:
            return item.label
        return self.name_of(item)

    def name_of(self, item: ModelGroup | ModelNode) -> str:
        """The box's full name: its category's (which its link leads to),
        for tooltips and the figure in words."""
        if item.category_id is not None:
            return self.study.category(item.category_id).name
        return item.label or item.id

    def reading_order(self, group_id: str | None = None) -> list[ModelGroup | ModelNode]:
        """The groups and nodes in the order the model gives them, group by
        group: each group, then what it holds (its own groups, each with its
        contents, then its nodes); the nodes in no group last. The figure
        in words lists them so, and the page's SVG is read (and tabbed
        through) so, whatever order Graphviz drew them in."""
        found: list[ModelGroup | ModelNode] = []
        for group in self.children.get(group_id, []):
            found.append(group)
            found.extend(self.reading_order(group.id))
        found.extend(self.members.get(group_id, []))
        return found

    def first_node(self, group_id: str) -> ModelNode:
        """A node inside the group, where arrows to the group attach (the
        loader has made sure that every group an arrow reaches holds one)."""
        return self.nodes_within(group_id)[0]

    def dot(self) -> str:
        model = self.model
        graph = graphviz.Digraph(
            name=f"figure{model.number}",
            graph_attr={
                "rankdir": model.direction.value,
                "compound": "true",
                "fontname": _FONT,
                "fontsize": "12",
                "fontcolor": _INK,
                "nodesep": "0.35",
                "ranksep": "0.55",
                "pad": "0.2",
                "bgcolor": "white",
                "newrank": "true",
            },
            node_attr={
                "shape": "box",
                "style": "rounded,filled",
                "fillcolor": "white",
                "color": _ACCENT,
                "fontcolor": _INK,
                "fontname": _FONT,
                "fontsize": str(_NODE_FONTSIZE),
                "margin": f"{_NODE_MARGIN[0]:g},{_NODE_MARGIN[1]:g}",
            },
            edge_attr={
                "color": _INK,
                "fontcolor": _INK,
                "fontname": _FONT,
                "fontsize": "10",
                "arrowsize": "0.8",
            },
        )
        self._add_members(graph, None)
        for group in model.groups:
            if group.row:
                # One rank for every node inside the group, across its sub-groups.
                with graph.subgraph() as row:
                    row.attr(rank="same")
                    for node in self.nodes_within(group.id):
                        row.node(node_name(node.id))
        for index, edge in enumerate(model.edges):
            self._add_edge(graph, edge, edge_id(model, index))
        return str(graph.source)

    def nodes_within(self, group_id: str) -> list[ModelNode]:
        found = list(self.members.get(group_id, []))
        for child in self.children.get(group_id, []):
            found.extend(self.nodes_within(child.id))
        return found

    def _add_members(self, graph: graphviz.Digraph, group_id: str | None) -> None:
        for group in self.children.get(group_id, []):
            with graph.subgraph(name=cluster_name(group.id)) as cluster:
                core = group.id == self.model.core
                link = LINK_PLACEHOLDER + group.category_id if group.category_id else ""
                # Every attribute is set on every cluster, empty when unused:
                # Graphviz passes a cluster's attributes down to the clusters
                # inside it, which would otherwise link "Individual" to its
                # phase's page.
                cluster.attr(
                    label=_label(self._drawn_words(group), 40),
                    id=shape_id(self.model, group),
                    style="rounded,bold" if core else "rounded",
                    penwidth="3" if core else "1",
                    color=_ACCENT if core else "#9ca3af",
                    fontsize="12" if group.parent_id is None else "10",
                    URL=link,
                    tooltip=_plain(self.name_of(group)) if link else "",
                    **{"class": _classes(core=core, link=bool(link), concept=False)},
                )
                self._add_members(cluster, group.id)
        for node in self.members.get(group_id, []):
            core = node.id == self.model.core
            linked = node.category_id is not None
            words = self._drawn_words(node)
            attributes = {
                "label": _label(words, _NODE_WRAP),
                "margin": _node_margin(_lines(words, _NODE_WRAP), _NODE_FONTSIZE),
                "id": shape_id(self.model, node),
                "tooltip": _plain(self.name_of(node)),
                "class": _classes(core=core, link=linked, concept=not linked),
            }
            if node.category_id is not None:
                attributes["URL"] = LINK_PLACEHOLDER + node.category_id
            else:
                attributes.update(style="rounded,filled,dashed", fillcolor="#f3f4f6")
            if core:
                attributes.update(penwidth="3", fontname=f"{_FONT} bold")
            graph.node(node_name(node.id), **attributes)

    def _drawn_words(self, item: ModelGroup | ModelNode) -> str:
        """The words drawn in the box: its label, and for the core what it is."""
        label = self.label_of(item)
        if item.id != self.model.core:
            return label
        if item.category_id is not None:
            # Translators: drawn in the figure's box of the study's core category.
            return _("%(category)s (core category)") % {"category": label}
        # Translators: drawn in the figure's box of the model's core concept
        # (a box that is not a category).
        return _("%(name)s (core)") % {"name": label}

    def _add_edge(self, graph: graphviz.Digraph, edge: ModelEdge, identifier: str) -> None:
        groups = {g.id for g in self.model.groups}
        attributes: dict[str, str] = {"id": identifier, "style": edge.style.value}
        if edge.label:
            attributes["label"] = _label(edge.label, 24)
        tail, head = edge.source, edge.target
        if tail in groups:
            attributes["ltail"] = cluster_name(tail)
            tail = self.first_node(tail).id
        if head in groups:
            attributes["lhead"] = cluster_name(head)
            head = self.first_node(head).id
        graph.edge(node_name(tail), node_name(head), **attributes)


def _classes(*, core: bool, link: bool, concept: bool) -> str:
    chosen = [
        CORE_CLASS if core else "",
        LINK_CLASS if link else "",
        CONCEPT_CLASS if concept else "",
    ]
    return " ".join(name for name in chosen if name)


def model_dot(study: Study, model: Model) -> str:
    """The model as DOT source (deterministic: same model, same text)."""
    return Drawing(study, model).dot()


# -- layout and rendering ---------------------------------------------------------

_memory_cache: dict[str, FigureFiles] = {}


#: Raised whenever qualsite changes what it makes of a layout (formats,
#: resolution, post-processing), so that caches from older versions are not used.
RENDERING_VERSION = 3  # 3: arrows' labels drawn from their start (_labels_from_their_start)


def _cache_key(dot: str) -> str:
    # The DOT holds every word drawn, in the site's language (the core's
    # note is translated into it), so the key differs wherever the drawing
    # would: a language whose words are the same lays out the same figure.
    # pygraphviz's version is part of the key too: each release bundles its
    # Graphviz, and another Graphviz may lay the same DOT out differently.
    key = f"{RENDERING_VERSION}\n{PNG_DPI}\n{_layout_engine_version()}\n{dot}"
    return hashlib.sha256(key.encode()).hexdigest()


@lru_cache(maxsize=1)
def _layout_engine_version() -> str:
    # Read from the installed package's metadata: importing pygraphviz loads
    # Graphviz's libraries (8 MB), which a build whose figure is cached never
    # needs.
    return importlib.metadata.version("pygraphviz")


def render_figure(dot: str, cache_dir: Path | None = None) -> FigureFiles:
    """Lay out and render ``dot``, or reuse an earlier rendering of the same text.

    The memory cache serves ``mkdocs serve`` rebuilds; the folder cache serves
    separate builds of an unchanged model.
    """
    key = _cache_key(dot)
    cached = _memory_cache.get(key)
    if cached is not None:
        return cached
    if cache_dir is not None:
        cached = _read_cache(cache_dir, key, dot)
    if cached is None:
        cached = _render_uncached(dot)
        if cache_dir is not None:
            _write_cache(cache_dir, key, cached)
    _memory_cache[key] = cached
    return cached


class FigureError(Exception):
    """Graphviz could not draw the model (the message says what it reported)."""


def _render_uncached(dot: str) -> FigureFiles:
    import pygraphviz

    with _c_stderr() as said:
        try:
            graph = pygraphviz.AGraph(string=dot)
            graph.layout(prog="dot")  # once; each draw below reuses these positions
            svg = _labels_from_their_start(graph.draw(format="svg"), graph.draw(format="json"))
            pdf = graph.draw(format="pdf")
            graph.graph_attr["dpi"] = str(PNG_DPI)
            png = with_resolution(graph.draw(format="png"), PNG_DPI)
        except (ValueError, pygraphviz.DotError) as error:
            failure: Exception | None = error
        else:
            failure = None
    if failure is not None:
        reported = " ".join(
            line for line in said.text.splitlines() if not line.startswith("Fontconfig")
        )
        raise FigureError(f"Graphviz could not draw the model: {reported or failure}")
    messages = tuple(
        line.strip()
        for line in said.text.splitlines()
        # The fontconfig bundled in pygraphviz's wheel complains about system
        # configuration it cannot parse (or find); that concerns the machine,
        # not the study, and would read as a problem with the model.
        if line.strip() and not line.startswith("Fontconfig")
    )
    return FigureFiles(dot=dot, svg=svg, pdf=pdf, png=png, messages=messages)


_SHAPE_START = re.compile(rb'<g id="([^"]*)"')
_CENTRED_TEXT = re.compile(rb'(<text\b[^>]*?)text-anchor="middle" x="(-?[0-9.]+)"')


def _labels_from_their_start(svg: bytes, layout: bytes) -> bytes:
    """The SVG with each arrow's label written from where its line starts,
    not from its middle.

    Graphviz keeps room for an arrow's label beside the arrow, and centres
    each line in it. A reader who sets wider text spacing (WCAG 1.4.12)
    makes every line about a quarter wider: from its middle it would grow
    over the arrow beside it; from its start it grows away from it. The
    start is the middle less half the line's width as Graphviz measured it
    (its JSON output, from the same layout): the words stay where Graphviz
    drew them, but for the point or two by which a browser's measure of
    the font differs. Only the arrows' labels change, and only their
    position attributes: everything else stays as Graphviz wrote it.
    """
    widths: dict[str, list[float]] = {}
    for edge in json.loads(layout).get("edges", []):
        drawn = [op for op in edge.get("_ldraw_", []) if op.get("op") == "T"]
        if edge.get("id") and drawn and all(op.get("align") == "c" for op in drawn):
            widths[str(edge["id"])] = [float(op["width"]) for op in drawn]
    if not widths:
        return svg
    # The SVG in pieces, one for each shape (``<g id=...>``, which no text
    # can hold: Graphviz writes "<" in a label as "&lt;").
    starts = [m.start() for m in _SHAPE_START.finditer(svg)] + [len(svg)]
    pieces = [svg[: starts[0]]]
    for begin, end in itertools.pairwise(starts):
        piece = svg[begin:end]
        shape = _SHAPE_START.match(piece)
        # Graphviz writes an id's "-" as "&#45;".
        measured = widths.get(html.unescape(shape.group(1).decode())) if shape else None
        if measured is not None and len(_CENTRED_TEXT.findall(piece)) == len(measured):
            piece = _from_start(piece, iter(measured))
        pieces.append(piece)
    return b"".join(pieces)


def _from_start(piece: bytes, widths: Iterator[float]) -> bytes:
    """The piece of SVG with each centred line of text written from its
    start, given each line's width in turn."""

    def line(text: re.Match[bytes]) -> bytes:
        start = float(text.group(2)) - next(widths) / 2
        return text.group(1) + b'text-anchor="start" x="%.2f"' % start

    return _CENTRED_TEXT.sub(line, piece)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}(Z|[+-]\d\d'\d\d')\)")


def with_date(pdf: bytes, when: datetime) -> bytes:
    """The PDF with its creation date set to ``when``.

    The cairo inside pygraphviz's wheel and Chromium stamp the current time
    and ignore SOURCE_DATE_EPOCH. The new date (``when``, in UTC) has the
    same length as the old, so the byte offsets in the PDF's cross-reference
    table stay right.
    """
    stamp = when.strftime("%Y%m%d%H%M%S").encode()

    def restamp(match: re.Match[bytes]) -> bytes:
        zone = b"Z" if match.group(2) == b"Z" else b"+00'00'"
        return b"/" + match.group(1) + b" (D:" + stamp + zone + b")"

    return _PDF_DATE.sub(restamp, pdf)


def with_resolution(png: bytes, dpi: int) -> bytes:
    """The PNG with its resolution recorded (a ``pHYs`` chunk).

    Graphviz draws the pixels at the requested dpi but does not say so in
    the file, and Word or an image viewer then assumes 96 dpi and shows the
    figure three times too large.
    """
    header_end = 8 + 25  # signature, then the IHDR chunk (4 + 4 + 13 + 4 bytes)
    if png[12:16] != b"IHDR" or b"pHYs" in png[: header_end + 64]:
        return png
    per_metre = round(dpi / 0.0254)
    data = struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data
    chunk += struct.pack(">I", zlib.crc32(b"pHYs" + data) & 0xFFFFFFFF)
    return png[:header_end] + chunk + png[header_end:]


class _Captured:
    text = ""


@contextmanager
def _c_stderr() -> Iterator[_Captured]:
    """Collect what C libraries write to file descriptor 2 while drawing.

    Graphviz reports layout warnings on stderr, not through Python; they are
    collected here and reported as the study's warnings instead.
    """
    captured = _Captured()
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.text = sink.read().decode("utf-8", "replace")


_CACHED_FORMATS = ("svg", "pdf", "png")


def _read_cache(cache_dir: Path, key: str, dot: str) -> FigureFiles | None:
    paths = {fmt: cache_dir / f"{key}.{fmt}" for fmt in (*_CACHED_FORMATS, "log")}
    if not all(p.is_file() for p in paths.values()):
        return None
    try:
        data = {fmt: p.read_bytes() for fmt, p in paths.items()}
    except OSError:
        return None
    messages = tuple(data["log"].decode("utf-8").splitlines())
    return FigureFiles(dot, data["svg"], data["pdf"], data["png"], messages)


def _write_cache(cache_dir: Path, key: str, files: FigureFiles) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        contents = {fmt: getattr(files, fmt) for fmt in _CACHED_FORMATS}
        contents["log"] = "\n".join(files.messages).encode("utf-8")
        for fmt, content in contents.items():
            # Written under a temporary name and renamed, so that a build
            # interrupted half-way never leaves a truncated file to reuse; a
            # name of its own, so that two builds of the same study at once
            # (two terminals, parallel tests) never write into each other's.
            handle, temporary = tempfile.mkstemp(prefix=f".{key}.{fmt}.", dir=cache_dir)
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, cache_dir / f"{key}.{fmt}")
    except OSError:
        pass  # a cache that cannot be written only costs time


def clear_memory_cache() -> None:
    _memory_cache.clear()


def download_name(model: Model, suffix: str) -> str:
    return f"{FIGURES_DIR}/figure-{model.number}.{suffix}"
