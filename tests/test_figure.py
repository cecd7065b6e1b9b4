"""Figure 1: the model drawn by Graphviz, linked, described in words, downloadable."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pygraphviz
import pytest
from mkdocs.exceptions import Abort

from helpers import REPO, broken_links, build_site, main_text, read_html, resolve_link, write_study
from qualsite.render import figure, figure_page
from qualsite.study import load_study

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
EXAMPLE = load_study(REPO / "codebook")

MODEL = """\
title: How coping works
caption: A small model.
groups:
  - {category: coping, row: true}
nodes:
  - {category: peer-support, group: coping}
  - {category: supervision, group: coping}
  - {id: wellbeing, label: Wellbeing}
edges:
  - {from: coping, to: wellbeing, label: sustains}
  - {from: wellbeing, to: peer-support, label: feeds, style: dashed}
"""


def inline_svg(page: Path) -> ET.Element:
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<svg\b[^>]*class="qs-figure__svg".*?</svg>', html, re.S)
    assert match is not None, f"no inline SVG in {page}"
    text = match.group(0).replace("&#123;", "{").replace("&#125;", "}")
    return ET.fromstring(text)


def svg_links(page: Path) -> set[str]:
    return {a.get(f"{XLINK}href", "") for a in inline_svg(page).iter(f"{SVG}a")}


# -- the example -----------------------------------------------------------------


def test_model_page_has_an_inline_svg_whose_links_all_resolve(example_site: Path) -> None:
    page = example_site / "model/index.html"
    links = svg_links(page)
    linked = {
        target.parent.name
        for link in links
        if (resolved := resolve_link(example_site, page, link)) is not None
        for target, _ in [resolved]
        if target.is_file()
    }
    assert len(links) == len(linked)  # every link resolves to a page of the site
    shown = {c.id for c in figure_page.figure_categories(EXAMPLE, EXAMPLE.model)}  # type: ignore[arg-type]
    assert linked == shown
    assert broken_links(example_site, page) == []


def test_model_page_carries_the_caption_and_downloads(example_site: Path) -> None:
    text = main_text(example_site / "model/index.html")
    assert "Figure 1. A model of resilience-building in the PWP role" in text
    for name in ("figure-1.svg", "figure-1.pdf", "figure-1.png", "figure-1.dot"):
        assert (example_site / "figures" / name).stat().st_size > 0
    assert (example_site / "figures/figure-1.pdf").read_bytes().startswith(b"%PDF")
    dot = (example_site / "figures/figure-1.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph figure1 {")


def test_png_download_is_at_least_300_dpi(example_site: Path) -> None:
    png = (example_site / "figures/figure-1.png").read_bytes()
    width_px = struct.unpack(">I", png[16:20])[0]
    svg = ET.fromstring((example_site / "figures/figure-1.svg").read_bytes())
    width_pt = float(svg.get("width", "0").removesuffix("pt"))
    # The SVG gives the width rounded to a whole point: allow half a point.
    assert width_px >= (width_pt - 0.5) / 72 * 300
    at = png.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    assert unit == 1 and round(per_metre * 0.0254) >= 300


def test_figure_follows_the_published_model() -> None:
    model = EXAMPLE.model
    assert model is not None
    phases = [g.category_id for g in model.groups if g.parent_id is None]
    assert phases == [c.id for c in EXAMPLE.top_categories]
    assert model.core == "connecting-with-values"
    # PWP-MODEL.md: only the four relations the study's text states, and no
    # arrow back into an earlier phase (the study describes no cycle).
    relations = {(e.source, e.label, e.target, e.style.value) for e in model.edges}
    assert relations == {
        ("work-related-challenges", "appraised through values", "connecting-with-values", "solid"),
        (
            "connecting-with-values",
            "meaning and purpose encourage",
            "implementing-proactive-coping",
            "solid",
        ),
        ("implementing-proactive-coping", "overcoming difficulties builds", "resilience", "solid"),
        (
            "connecting-with-values",
            "helps overcome challenges, reaffirming",
            "purpose-and-identity",
            "solid",
        ),
    }
    # Each phase holds its own dimensions (two, two and three), with no
    # "Individual" or "Systemic" side drawn around them.
    assert all(g.parent_id is None for g in model.groups)
    dimensions = {(c.id, c.parent_id) for c in EXAMPLE.categories if c.level == "dimension"}
    assert {(n.category_id, n.group_id) for n in model.nodes if n.category_id} == dimensions


def test_text_alternative_lists_parts_and_relations(example_site: Path) -> None:
    text = main_text(example_site / "model/index.html")
    words = text[text.index("Figure 1 in words") :]
    for category in figure_page.figure_categories(EXAMPLE, EXAMPLE.model):  # type: ignore[arg-type]
        assert category.name in words
    assert (
        "Work-related challenges → appraised through values → Connecting with values and "
        "appraising adversity in relation to those values"
    ) in words
    assert (
        "in relation to those values → helps overcome challenges, reaffirming → Sense of "
        "purpose and identity"
    ) in words
    assert "Implementing proactive coping → overcoming difficulties builds → Resilience" in words
    svg = inline_svg(example_site / "model/index.html")
    assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
    assert svg.get("aria-labelledby") == "figure-1-svg-title"


def test_core_is_drawn_with_emphasis() -> None:
    dot = figure.model_dot(EXAMPLE, EXAMPLE.model)  # type: ignore[arg-type]
    core = re.search(r'subgraph "cluster_connecting-with-values" \{\n(.*?)\n', dot)
    assert core is not None and "penwidth=3" in core.group(1) and "(core category)" in core.group(1)


def test_content_page_embeds_the_figure(example_site: Path) -> None:
    page = example_site / "index.html"
    assert svg_links(page)
    assert "Figure 1. A model of resilience-building" in main_text(page)
    assert broken_links(example_site, page) == []


# -- escaping, rendering, caching --------------------------------------------------

HOSTILE_LABELS = [
    'say "hi"',
    "back\\slash \\n \\l \\N",
    "{braces} and [brackets]",
    "<b>not html</b>",
    "<<double>>",
    "ünïcödé — 🙂",
    "semi; colon -> arrow",
]


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_render_as_written(tmp_path: Path, label: str) -> None:
    study_root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": f"""\
                categories:
                  - {{id: coping, name: {json.dumps(label, ensure_ascii=False)}}}
                  - {{id: peer-support, name: P, parent: coping}}
                  - {{id: supervision, name: S, parent: coping}}
                """,
            "codebook/model.yml": f"""\
                title: T
                nodes:
                  - {{category: coping}}
                  - {{id: free, label: {json.dumps(label, ensure_ascii=False)}}}
                edges:
                  - {{from: coping, to: free, label: {json.dumps(label, ensure_ascii=False)}}}
                """,
        },
    )
    study = load_study(study_root / "codebook")
    dot = figure.model_dot(study, study.model)  # type: ignore[arg-type]
    graph = pygraphviz.AGraph(string=dot)
    assert len(graph.nodes()) == 2 and len(graph.edges()) == 1  # nothing leaked into the syntax
    svg = ET.fromstring(figure.render_figure(dot).svg)
    texts = [
        " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in svg.iter(f"{SVG}g")
        if {"node", "edge"} & set((g.get("class") or "").split())
    ]
    shown = [" ".join(t.split()) for t in texts]
    assert shown.count(" ".join(label.split())) == 3, shown  # two nodes and the edge label


def test_rendering_needs_no_dot_program(tmp_path: Path) -> None:
    root = write_study(tmp_path, {"codebook/model.yml": MODEL})
    bin_dir = Path(sys.executable).parent
    path = os.pathsep.join([str(bin_dir)])
    assert shutil.which("dot", path=path) is None
    result = subprocess.run(
        [sys.executable, "-m", "qualsite", "build", "--strict"],
        cwd=root,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in (root / "site/model/index.html").read_text(encoding="utf-8")


def test_an_unchanged_model_is_not_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = figure._render_uncached

    def counting(dot: str) -> figure.FigureFiles:
        calls.append(dot)
        return original(dot)

    monkeypatch.setattr(figure, "_render_uncached", counting)
    figure.clear_memory_cache()
    root = write_study(tmp_path, {"codebook/model.yml": MODEL})
    build_site(root)
    build_site(root)
    assert len(calls) == 1
    figure.clear_memory_cache()  # a new process: the folder cache still serves it
    build_site(root)
    assert len(calls) == 1
    assert list((root / ".cache/qualsite").glob("*.svg"))
    (root / "codebook/model.yml").write_text(MODEL.replace("sustains", "keeps up"))
    build_site(root)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("overrides", "mount"),
    [
        ({"use_directory_urls": False}, "/"),
        ({"site_url": "https://example.org/studies/pwp/"}, "/studies/pwp/"),
        ({}, "/"),
    ],
)
def test_figure_links_resolve_in_every_url_style(
    tmp_path: Path, overrides: dict[str, object], mount: str
) -> None:
    root = write_study(
        tmp_path,
        {"codebook/model.yml": MODEL, "content/index.md": "# Home\n\n[[figure]]\n"},
    )
    site = build_site(root, **overrides)
    model_page = site / (
        "model.html" if overrides.get("use_directory_urls") is False else "model/index.html"
    )
    for page in (model_page, site / "index.html"):
        links = svg_links(page)
        assert len(links) == 3, links  # the group and its two category nodes
        for link in links:
            resolved = resolve_link(site, page, link, mount)
            assert resolved is not None and resolved[0].is_file(), (page, link)
        assert broken_links(site, page, mount) == []


# -- bad input -------------------------------------------------------------------


def problems_of(root: Path) -> list[str]:
    from qualsite.errors import StudyError

    with pytest.raises(StudyError) as raised:
        load_study(root / "codebook")
    return [
        f"{Path(p.location.path).name}:{p.location.line}: {p.message}"
        for p in raised.value.problems
    ]


def test_unknown_category_in_the_model(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {"codebook/model.yml": MODEL.replace("category: supervision", "category: supervisoin")},
    )
    assert problems_of(tmp_path) == [
        "model.yml:7: unknown category 'supervisoin' (did you mean 'supervision'?)"
    ]


def test_edge_to_a_missing_node(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/model.yml": MODEL.replace("to: wellbeing", "to: wellbeeing")})
    assert problems_of(tmp_path) == [
        "model.yml:10: to: the edge points to a missing node or group 'wellbeeing' "
        "(did you mean 'wellbeing'?)"
    ]


def test_empty_model(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/model.yml": "title: T\nnodes: []\n"})
    assert problems_of(tmp_path) == ["model.yml:2: the model has no nodes; add at least one"]


def test_duplicate_model_ids_and_empty_groups(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/model.yml": """\
                title: T
                groups:
                  - {id: empty, label: Nothing here}
                nodes:
                  - {category: coping}
                  - {id: coping, label: Again}
                edges:
                  - {from: coping, to: empty}
                """
        },
    )
    assert problems_of(tmp_path) == [
        "model.yml:6: duplicate model id 'coping'; it is already used at "
        f"{(tmp_path / 'codebook/model.yml').as_posix()}:5",
        "model.yml:8: to: group 'empty' holds no node, so an arrow cannot be drawn to it",
    ]


def test_a_bad_model_stops_the_build_before_anything_is_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(tmp_path, {"codebook/model.yml": "title: T\nnodes: []\n"})
    (root / "site").mkdir()
    (root / "site/kept.html").write_text("last good build")
    with pytest.raises(Abort):
        build_site(root)
    assert "codebook/model.yml:2: the model has no nodes" in caplog.text
    assert (root / "site/kept.html").is_file()


def test_figure_embed_without_a_model_is_an_error(tmp_path: Path) -> None:
    from qualsite.errors import StudyError
    from qualsite.site import SiteSettings, prepare_site

    root = write_study(tmp_path, {"content/index.md": "# Home\n\n[[figure]]\n"})
    expected = "there is no figure to embed; describe one in the codebook's model.yml"
    with pytest.raises(StudyError, match=re.escape(expected)):
        prepare_site(SiteSettings(root / "codebook", root / "site_templates", root / "content"))


def test_model_page_text_is_the_drawings_text(example_site: Path) -> None:
    page = read_html(example_site / "model/index.html")
    assert "figure-1" in page.ids and "figure-1-words" in page.ids


# -- regressions found in review ---------------------------------------------------


def test_only_boxes_that_show_a_category_are_links(example_site: Path) -> None:
    svg = inline_svg(example_site / "model/index.html")
    anchors = [a for a in svg.iter(f"{SVG}a")]
    shown = figure_page.figure_categories(EXAMPLE, EXAMPLE.model)  # type: ignore[arg-type]
    assert len(anchors) == len(shown) == 10  # 3 phases and 7 dimensions, once each
    core_marked = [
        g.get("id") for g in svg.iter(f"{SVG}g") if "qs-figure-core" in (g.get("class") or "")
    ]
    assert core_marked == ["figure-1-group-connecting-with-values"]
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "figure1" not in titles and not any("->" in (t or "") for t in titles)


def test_downloads_link_to_the_pages_too(example_site: Path) -> None:
    for name in ("figure-1.svg", "figure-1.dot"):
        text = (example_site / "figures" / name).read_text(encoding="utf-8")
        assert "qs:category" not in text
    page = example_site / "figures/figure-1.svg"
    links = {a.get(f"{XLINK}href", "") for a in ET.fromstring(page.read_bytes()).iter(f"{SVG}a")}
    assert links and all(resolve_link(example_site, page, link)[0].is_file() for link in links)  # type: ignore[index]
    assert not any(b"qs:category" in p.read_bytes() for p in example_site.rglob("*") if p.is_file())


def test_the_pdf_is_the_same_from_a_cold_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    figure.clear_memory_cache()
    root = write_study(tmp_path, {"codebook/model.yml": MODEL})
    first = (build_site(root, site_dir=str(tmp_path / "a")) / "figures/figure-1.pdf").read_bytes()
    shutil.rmtree(root / ".cache")
    figure.clear_memory_cache()
    second = (build_site(root, site_dir=str(tmp_path / "b")) / "figures/figure-1.pdf").read_bytes()
    assert first == second
    assert b"/CreationDate (D:20231114221320Z)" in first


def test_dotted_arrows_are_called_dotted(tmp_path: Path) -> None:
    root = write_study(
        tmp_path, {"codebook/model.yml": MODEL.replace("style: dashed", "style: dotted")}
    )
    site = build_site(root)
    assert "Wellbeing → feeds → Peer support (dotted arrow)" in main_text(site / "model/index.html")


def test_control_characters_in_labels_are_refused(tmp_path: Path) -> None:
    write_study(
        tmp_path, {"codebook/model.yml": MODEL.replace("label: Wellbeing", 'label: "bell\\x07"')}
    )
    assert problems_of(tmp_path) == [
        "model.yml:8: label: holds the control character U+0007; delete it "
        "(it is often pasted in with text from a word processor)"
    ]


def test_an_arrow_cannot_join_a_group_and_its_contents(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/model.yml": MODEL + "  - {from: coping, to: supervision}\n"})
    assert problems_of(tmp_path) == [
        "model.yml:12: the edge joins group 'coping' to 'supervision', which sits inside it; "
        "an arrow can only join things side by side"
    ]


def test_a_figure_embedded_twice_or_beside_a_clashing_heading_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from qualsite.errors import StudyError
    from qualsite.site import SiteSettings, prepare_site

    root = write_study(
        tmp_path,
        {
            "codebook/model.yml": MODEL,
            "content/index.md": "# Home\n\n[[figure]]\n\n[[figure: 1]]\n",
        },
    )
    with pytest.raises(StudyError, match=r"index.md:5: '\[\[figure: 1\]\]' is already embedded"):
        prepare_site(SiteSettings(root / "codebook", root / "site_templates", root / "content"))
    (root / "content/index.md").write_text("# Home\n\n## Figure 1\n\n[[figure]]\n")
    with pytest.raises(Abort):
        build_site(root)
    assert "content/index.md: the anchor 'figure-1' is used twice on this page" in caplog.text


ENTITY_LABELS = {
    "coping": "&#79;akwood",
    "peer-support": "&amp;",
    "supervision": "&lt;b&gt;",
}
FREE_LABEL = "AT&T"
EDGE_LABEL = "&#79;akwood &amp; &lt;b&gt;"


def test_character_references_in_labels_are_drawn_as_typed(tmp_path: Path) -> None:
    """Graphviz reads "&#79;" and "&amp;" in a label or tooltip as characters;
    a study's labels are plain text, drawn and described exactly as typed."""
    names = "".join(
        f"  - {{id: {key}, name: {json.dumps(name)}"
        + (", parent: coping" if key != "coping" else "")
        + "}\n"
        for key, name in ENTITY_LABELS.items()
    )
    root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": "categories:\n" + names,
            "codebook/model.yml": f"""\
                title: Model
                groups:
                  - {{category: coping}}
                nodes:
                  - {{category: peer-support, group: coping}}
                  - {{category: supervision, group: coping}}
                  - {{id: free, label: {json.dumps(FREE_LABEL)}}}
                edges:
                  - {{from: coping, to: free, label: {json.dumps(EDGE_LABEL)}}}
                """,
            "content/index.md": "# Home\n",
        },
    )
    site = build_site(root)
    expected = sorted([*ENTITY_LABELS.values(), FREE_LABEL, EDGE_LABEL])

    def drawn(svg: ET.Element) -> list[str]:
        texts = [
            " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
            for g in svg.iter(f"{SVG}g")
            if {"cluster", "node", "edge"} & set((g.get("class") or "").split())
        ]
        return sorted(" ".join(t.split()) for t in texts if t.strip())

    def tooltips(svg: ET.Element) -> set[str]:
        return {a.get(f"{XLINK}title", "") for a in svg.iter(f"{SVG}a")} - {""}

    page = site / "model/index.html"
    for svg in (
        inline_svg(page),
        ET.fromstring((site / "figures/figure-1.svg").read_bytes()),
        # The DOT download, drawn again by Graphviz, says the same.
        ET.fromstring(
            pygraphviz.AGraph(string=(site / "figures/figure-1.dot").read_text("utf-8")).draw(
                format="svg", prog="dot"
            )
        ),
    ):
        assert drawn(svg) == expected
        assert tooltips(svg) <= {*ENTITY_LABELS.values(), FREE_LABEL}
        assert ENTITY_LABELS["coping"] in tooltips(svg)
    # The figure in words, and the title of each shape, say it as typed too.
    text = main_text(page)
    for label in expected:
        assert label in text, label
    assert f"{ENTITY_LABELS['coping']} → {EDGE_LABEL} → {FREE_LABEL}" in text
    titles = {t.text for t in inline_svg(page).iter(f"{SVG}title")}
    assert {*ENTITY_LABELS.values(), FREE_LABEL} <= titles
    # The PDF's text is what was typed, and no file anywhere says "Oakwood".
    import pypdf

    pdf = pypdf.PdfReader(site / "figures/figure-1.pdf").pages[0].extract_text()
    assert "&#79;akwood" in pdf and "Oakwood" not in pdf
    for path in site.rglob("*"):
        if path.is_file():
            assert b"Oakwood" not in path.read_bytes(), path


# -- readable boxes, and the way from the model to the data and back (issue 15) --------


def _place_link(page: Path) -> str | None:
    match = re.search(r'<a class="qs-figure-place__link" href="([^"]*)"', page.read_text("utf-8"))
    return match.group(1) if match else None


def test_every_category_page_links_to_its_box_in_the_figure(example_site: Path) -> None:
    """A reader on any category's page can go to the figure, which opens at
    the box of that category (or of the nearest category above it)."""
    model = EXAMPLE.model
    assert model is not None
    shown = {c.id for c in figure_page.figure_categories(EXAMPLE, model)}
    boxes = {item.category_id: item.id for item in (*model.groups, *model.nodes)}
    model_ids = read_html(example_site / "model/index.html").ids
    for category in EXAMPLE.published().categories:
        page = example_site / "categories" / category.id / "index.html"
        link = _place_link(page)
        assert link is not None, f"{category.id}: no link to the figure"
        target, anchor = resolve_link(example_site, page, link) or (None, "")
        assert target == example_site / "model/index.html", link
        assert anchor in model_ids, f"{category.id}: #{anchor} is not in the figure"
        # Its own box, or the box of the nearest ancestor the figure draws.
        drawn = category.id if category.id in shown else None
        for ancestor in reversed(EXAMPLE.ancestors(category)):
            if drawn is None and ancestor.id in shown:
                drawn = ancestor.id
        assert drawn is not None
        assert anchor.endswith(f"-{boxes[drawn]}"), (category.id, anchor)
        assert broken_links(example_site, page) == []
    sub = main_text(example_site / "categories/finding-meaning-and-purpose/index.html")
    assert "In Figure 1 : part of the box “Individual dimension”, inside “Connecting" in sub
    own = main_text(example_site / "categories/individual-values/index.html")
    assert "In Figure 1 : its own box, inside “Connecting with values" in own


def test_a_category_the_figure_does_not_reach_has_no_figure_link(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {"codebook/model.yml": "title: T\nnodes:\n  - {category: peer-support}\n"},
    )
    site = build_site(root)
    assert (
        _place_link(site / "categories/peer-support/index.html")
        == "../../model/#figure-1-node-peer-support"
    )
    # Neither "Supervision" nor its parent "Coping" is drawn: no link, no sentence.
    for category in ("supervision", "coping"):
        page = site / "categories" / category / "index.html"
        assert _place_link(page) is None
        assert "In Figure 1" not in main_text(page)


def test_boxes_that_link_and_boxes_that_do_not_are_told_apart(example_site: Path) -> None:
    svg = inline_svg(example_site / "model/index.html")
    shapes = [
        g for g in svg.iter(f"{SVG}g") if {"node", "cluster"} & set((g.get("class") or "").split())
    ]
    assert len(shapes) == 12  # 3 phases, 7 dimensions and 2 concepts
    for shape in shapes:
        classes = set((shape.get("class") or "").split())
        links = [a for a in shape.iter(f"{SVG}a") if a.get(f"{XLINK}href")]
        if links:
            assert "qs-figure-link" in classes and "qs-figure-concept" not in classes
        else:
            assert "qs-figure-concept" in classes, shape.get("id")
    concepts = {
        s.get("id") for s in shapes if "qs-figure-concept" in (s.get("class") or "").split()
    }
    assert concepts == {"figure-1-node-purpose-and-identity", "figure-1-node-resilience"}
    text = main_text(example_site / "model/index.html")
    assert "a grey box with a dashed border is a concept of the model, not a category" in text


def test_the_model_page_links_on_to_the_categories_and_the_tables(example_site: Path) -> None:
    page = example_site / "model/index.html"
    html = page.read_text("utf-8")
    section = html[html.index('<ul class="qs-model-links">') :]
    section = section[: section.index("</ul>\n</li>")]
    hrefs = re.findall(r'href="([^"]*)"', section)
    assert hrefs == [
        "../categories/",
        "../tables/#table-1",
        "../tables/#table-2",
        "../tables/#table-3",
    ]
    assert broken_links(example_site, page) == []
    assert "Table 2. Connecting with values and appraising adversity" in main_text(page)


SHORT_LABEL_MODEL = """\
title: How coping works
groups:
  - {category: coping, label: Ways of coping}
  - {id: peers, label: Peer, parent: coping}
nodes:
  - {category: peer-support, group: peers}
  - {category: supervision, group: coping, label: Supervisors}
"""


def test_a_label_that_repeats_its_group_is_warned_about(tmp_path: Path) -> None:
    from qualsite.errors import Problems

    write_study(tmp_path, {"codebook/model.yml": SHORT_LABEL_MODEL})
    problems = Problems()
    load_study(tmp_path / "codebook", problems)
    warned = [
        f"{Path(w.location.path).name}:{w.location.line}: {w.message}" for w in problems.warnings
    ]
    assert warned == [
        "model.yml:6: the node 'peer-support' (\"Peer support\") repeats the words of the "
        "group around it (\"Peer\"); give the node a shorter 'label' for the figure (its "
        "category keeps its name), or leave the group out"
    ]
    # With a shorter label, nothing to warn about.
    fixed = SHORT_LABEL_MODEL.replace(
        "{category: peer-support, group: peers}",
        "{category: peer-support, group: peers, label: Support}",
    )
    (tmp_path / "codebook/model.yml").write_text(fixed)
    problems = Problems()
    load_study(tmp_path / "codebook", problems)
    assert problems.warnings == []


def test_a_shorter_label_is_drawn_and_the_name_kept_everywhere_else(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {
            "codebook/model.yml": SHORT_LABEL_MODEL.replace(
                "group: peers}", "group: peers, label: Support}"
            )
        },
    )
    site = build_site(root)
    page = site / "model/index.html"
    svg = inline_svg(page)
    drawn = {
        g.get("id"): " ".join(" ".join(t.text or "" for t in g.iter(f"{SVG}text")).split())
        for g in svg.iter(f"{SVG}g")
        if g.get("id", "").startswith("figure-1-")
    }
    assert drawn["figure-1-node-supervision"] == "Supervisors"
    assert drawn["figure-1-group-coping"] == "Ways of coping"
    titles = {t.text for t in svg.iter(f"{SVG}title")}
    assert {"Supervision", "Coping", "Peer support"} <= titles
    words = main_text(page)[main_text(page).index("Figure 1 in words") :]
    assert "Supervision" in words and "Supervisors" not in words
    category = main_text(site / "categories/supervision/index.html")
    assert "In Figure 1 : its own box, inside “Ways of coping”." in category


READING_MODEL = """\
title: How coping works
groups:
  - {category: coping}
  - {id: peers, label: Peer, parent: coping}
nodes:
  - {id: start, label: Start}
  - {category: supervision, group: coping}
  - {category: peer-support, group: peers, label: Support}
edges:
  - {from: start, to: supervision, label: leads to}
  - {from: supervision, to: peer-support, style: dashed}
"""


def test_the_svg_reads_group_by_group_and_names_each_arrow(tmp_path: Path) -> None:
    """Issue 20: Graphviz writes every group first and the rest in an order of
    its own; the page's SVG reads (and Tab goes) in the model's order, boxes
    before arrows, and each arrow is named by its ends, its words hidden."""
    site = build_site(write_study(tmp_path, {"codebook/model.yml": READING_MODEL}))
    svg = inline_svg(site / "model/index.html")
    drawn = svg.find(f"{SVG}g")
    assert drawn is not None
    assert [g.get("id") for g in drawn.findall(f"{SVG}g")] == [
        "figure-1-group-coping",
        "figure-1-group-peers",
        "figure-1-node-peer-support",
        "figure-1-node-supervision",
        "figure-1-node-start",
        "figure-1-edge-1",
        "figure-1-edge-2",
    ]
    arrows = [g for g in drawn.findall(f"{SVG}g") if g.get("class") == "edge"]
    assert [(g.get("role"), g.get("aria-label")) for g in arrows] == [
        ("img", "Arrow from Start, leads to, to Supervision"),
        ("img", "Dashed arrow from Supervision to Peer support"),
    ]
    words = list(arrows[0].iter(f"{SVG}text"))
    assert [t.text for t in words] == ["leads to"]
    # Hidden from assistive technology, and written from its start, so that
    # wider text spacing grows it away from its arrow, not over it.
    assert all(t.get("aria-hidden") == "true" and t.get("text-anchor") == "start" for t in words)


def test_the_figure_script_is_shipped_with_the_site(example_site: Path) -> None:
    script = example_site / "assets/qualsite/qualsite.js"
    assert script.is_file()
    text = script.read_text("utf-8")
    assert "document$" in text  # set up again after Material's instant navigation
    assert not re.search(
        r"https?://|import\s*\(|fetch\(|XMLHttpRequest", text
    )  # nothing from anywhere
    for page in ("model/index.html", "categories/peer-support/index.html", "index.html"):
        html = (example_site / page).read_text("utf-8")
        assert re.search(r'<script src="(\.\./)*assets/qualsite/qualsite\.js"></script>', html), (
            page
        )
