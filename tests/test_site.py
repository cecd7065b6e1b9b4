"""Whole builds through MkDocs: the pages a reader gets and the links between them."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from helpers import REPO, broken_links, build_site, html_pages, main_text, read_html, write_study
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook")


# -- the example study -----------------------------------------------------------


def test_every_category_has_a_page(example_site: Path) -> None:
    for category in EXAMPLE.categories:
        page = example_site / "categories" / category.id / "index.html"
        assert page.is_file(), category.id
        assert read_html(page).text.count(category.name) >= 1


def test_overview_and_content_pages_exist(example_site: Path) -> None:
    for page in (
        "index.html",
        "categories/index.html",
        "method/index.html",
        "discussion/index.html",
        "about/index.html",
    ):
        assert (example_site / page).is_file(), page


def test_every_link_on_every_page_resolves(example_site: Path) -> None:
    problems = {
        page.relative_to(example_site).as_posix(): broken
        for page in html_pages(example_site)
        if (broken := broken_links(example_site, page))
    }
    assert problems == {}


def test_overview_lists_the_whole_tree_with_counts(example_site: Path) -> None:
    text = main_text(example_site / "categories/index.html")
    for category in EXAMPLE.categories:
        assert category.name in text
    core = EXAMPLE.category("connecting-with-values")
    excerpts = EXAMPLE.subtree_excerpts(core)
    people = len({e.participant_id for e in excerpts})
    assert f"{len(excerpts)} excerpts from {people} of 10 participants" in text


def test_category_page_shows_every_coded_excerpt_with_a_stable_anchor(example_site: Path) -> None:
    for category in EXAMPLE.categories:
        page = read_html(example_site / "categories" / category.id / "index.html")
        for excerpt in EXAMPLE.subtree_excerpts(category):
            assert f"excerpt-{excerpt.id}" in page.ids, (category.id, excerpt.id)


def test_each_excerpt_appears_once_per_page(example_site: Path) -> None:
    for page in (example_site / "categories").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        anchors = re.findall(r'<figure class="qs-excerpt[^"]*" id="([^"]+)"', html)
        assert len(anchors) == len(set(anchors)), page


def test_every_excerpt_is_labelled_as_an_illustrative_paraphrase(example_site: Path) -> None:
    for page in (example_site / "categories").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        figures = html.count('<figure class="qs-excerpt')
        labels = html.count(
            '<span class="qs-kind qs-kind--paraphrase">Illustrative paraphrase, '
            "not a participant&#39;s words</span>"
        )
        assert figures == labels, page


def test_breadcrumbs_lead_up_the_tree(example_site: Path) -> None:
    html = (example_site / "categories/peer-support/index.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="qs-breadcrumbs".*?</nav>', html, re.S)
    assert crumbs is not None
    assert re.findall(r'href="([^"]+)"', crumbs.group(0)) == [
        "../",
        "../implementing-proactive-coping/",
        "../systemic-relational-coping/",
    ]
    assert '<li aria-current="page">Peer support</li>' in crumbs.group(0)


def test_parent_page_groups_excerpts_by_child_category(example_site: Path) -> None:
    html = (example_site / "categories/systemic-relational-coping/index.html").read_text()
    starts = [
        html.index('id="using-clinical-and-case-management-supervision"'),
        html.index('id="peer-support"'),
    ]
    bounds = [*starts, len(html)]
    spans = zip(["using-supervision", "peer-support"], itertools.pairwise(bounds), strict=True)
    for child, (start, end) in spans:
        for excerpt in EXAMPLE.excerpts_coded_to(EXAMPLE.category(child)):
            anchor = html.find(f'id="excerpt-{excerpt.id}"')
            if child == "peer-support" and "using-supervision" in excerpt.category_ids:
                continue  # shown once, in the first group that holds it
            assert start < anchor < end, (child, excerpt.id)


def test_other_categories_of_an_excerpt_link_to_it_there(example_site: Path) -> None:
    html = (example_site / "categories/peer-support/index.html").read_text(encoding="utf-8")
    assert (
        'Also coded to: <a href="../sharing-vulnerability/#excerpt-p4-peer-support-1">'
        "Sharing vulnerability with colleagues</a>" in html
    )


def test_content_page_embeds_resolve(example_site: Path) -> None:
    html = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="categories/work-related-challenges/">Work-related challenges</a>' in html
    discussion = read_html(example_site / "discussion/index.html")
    assert any(i.startswith("excerpt-") for i in discussion.ids)


def test_findings_section_sits_where_the_marker_is(example_site: Path) -> None:
    html = (example_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    order = [nav.index(label) for label in ("Method", "Findings", "Discussion")]
    assert order == sorted(order)


def test_no_codebook_file_reaches_the_site(example_site: Path) -> None:
    assert not list(example_site.rglob("*.yml")) and not list(example_site.rglob("*.yaml"))
    codebook = {p.read_bytes() for p in (REPO / "codebook").rglob("*") if p.is_file()}
    for path in example_site.rglob("*"):
        if path.is_file():
            assert path.read_bytes() not in codebook, path


def test_participant_pages_are_off_by_default(example_site: Path) -> None:
    assert not (example_site / "participants").exists()
    assert "Participant 4" in main_text(example_site / "categories/peer-support/index.html")


def test_search_index_holds_excerpt_text(example_site: Path) -> None:
    index = json.loads((example_site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    sample = EXAMPLE.excerpts[0].text
    assert " ".join(sample.split()[:8]) in text


def test_stylesheet_is_served_and_linked(example_site: Path) -> None:
    assert (example_site / "assets/qualsite/qualsite.css").is_file()
    html = (example_site / "categories/peer-support/index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/qualsite/qualsite.css"' in html


# -- other studies ---------------------------------------------------------------

HOSTILE = {
    "excerpt": (
        "<script>alert('x')</script> *sigh* {{ config.site_name }} [[category: coping]] & done"
    ),
    "name": "Coping <b>bold</b> *really* {% raw %} & co",
    "definition": "A [link](http://example.org) and `code` and # hash {{ 1 + 1 }}",
    "memo": '<img src=x onerror=alert(1)> --8<-- "/etc/passwd"',
    "label": "<i>P</i> {{ 7 * 7 }}",
}


def hostile_study(root: Path) -> Path:
    return write_study(
        root,
        {
            "codebook/participants.yml": f"""\
                participants:
                  - id: P1
                    label: {json.dumps(HOSTILE["label"])}
                  - id: P2
                """,
            "codebook/categories.yml": f"""\
                categories:
                  - id: coping
                    name: {json.dumps(HOSTILE["name"])}
                    definition: {json.dumps(HOSTILE["definition"])}
                    memo: {json.dumps(HOSTILE["memo"])}
                  - id: peer-support
                    parent: coping
                    name: Peers
                  - id: supervision
                    parent: coping
                    name: Supervision
                """,
            "codebook/excerpts/p1.yml": f"""\
                participant: P1
                excerpts:
                  - id: hostile
                    categories: [peer-support, coping]
                    text: {json.dumps(HOSTILE["excerpt"])}
                """,
        },
    )


def test_hostile_text_renders_exactly_as_written(tmp_path: Path) -> None:
    site = build_site(hostile_study(tmp_path))
    for page in ("categories/coping/index.html", "categories/peer-support/index.html"):
        text = main_text(site / page)
        assert HOSTILE["excerpt"] in text
        assert HOSTILE["label"] in text
    coping = main_text(site / "categories/coping/index.html")
    for key in ("name", "definition", "memo"):
        assert HOSTILE[key] in coping, key
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "<b>bold</b>" not in html and "<i>P</i>" not in html, path
    html = (site / "categories/coping/index.html").read_text(encoding="utf-8")
    assert "49" not in coping  # {{ 7 * 7 }} was not evaluated
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and title.group(1).startswith(
        "Coping &lt;b&gt;bold&lt;/b&gt; *really*"
    )
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    assert "<b>bold</b>" not in nav and "Coping &lt;b&gt;bold&lt;/b&gt;" in nav


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_resolve_with_and_without_directory_urls(
    tmp_path: Path, directory_urls: bool
) -> None:
    site = build_site(write_study(tmp_path), use_directory_urls=directory_urls)
    suffix = "index.html" if directory_urls else ""
    overview = site / "categories" / "index.html"
    leaf = (
        site / "categories" / ("peer-support/index.html" if directory_urls else "peer-support.html")
    )
    assert overview.is_file() and leaf.is_file(), suffix
    for page in html_pages(site):
        assert broken_links(site, page) == [], page


def test_site_url_with_a_sub_path_keeps_links_relative(tmp_path: Path) -> None:
    site = build_site(write_study(tmp_path), site_url="https://example.org/studies/pwp/")
    for page in html_pages(site):
        assert broken_links(site, page, mount="/studies/pwp/") == [], page


def test_navigation_without_a_nav_lists_own_pages_then_generated(tmp_path: Path) -> None:
    site = build_site(write_study(tmp_path, {"content/method.md": "# Method\n"}))
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    assert nav.index("Method") < nav.index("Categories") < nav.index("Peer support")


def test_participant_pages_when_switched_on(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - qualsite\n", "  - qualsite:\n      participant_pages: true\n"
        )
    )
    site = build_site(root)
    assert (site / "participants/index.html").is_file()
    page = main_text(site / "participants/p1/index.html")
    assert "My colleagues get me through the week." in page
    assert "Participant 1" in main_text(site / "participants/index.html")
    for path in html_pages(site):
        assert broken_links(site, path) == [], path


def test_a_study_overrides_a_template_and_the_stylesheet(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {
            "site_templates/categories.md.j2": (
                "---\ntitle: Codebook\n---\n# Our codebook\n\n{{ tree | length }} top categories\n"
            ),
            "site_templates/qualsite.css": "/* our own */\n",
        },
    )
    site = build_site(root)
    assert "Our codebook 1 top categories" in main_text(site / "categories/index.html")
    assert (site / "assets/qualsite/qualsite.css").read_text() == "/* our own */\n"
    # Templates the study does not override still come from qualsite.
    assert "My colleagues get me through the week." in main_text(
        site / "categories/coping/index.html"
    )


def test_broken_template_override_is_reported_with_its_line(tmp_path: Path) -> None:
    root = write_study(tmp_path, {"site_templates/categories.md.j2": "# x\n\n{% if %}\n"})
    with pytest.raises(Abort):
        build_site(root)


def test_a_bad_embed_stops_the_build_before_anything_is_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(tmp_path, {"content/index.md": "# Home\n\nSee [[category: copin]].\n"})
    site = root / "site"
    site.mkdir()
    (site / "previous.html").write_text("the last good build")
    with pytest.raises(Abort):
        build_site(root)
    assert (site / "previous.html").read_text() == "the last good build"
    assert "content/index.md:3: unknown category 'copin' (did you mean 'coping'?)" in caplog.text


def test_a_page_at_a_generated_path_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(tmp_path, {"content/categories/coping.md": "# Mine\n"})
    with pytest.raises(Abort):
        build_site(root)
    assert (
        "content/categories/coping.md: this file would be published at "
        "categories/coping/index.html, where qualsite puts its generated categories/coping.md"
    ) in caplog.text


def test_unknown_nav_marker_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = write_study(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - qualsite:categoris\n")
    with pytest.raises(Abort):
        build_site(root)
    assert "unknown navigation marker 'qualsite:categoris'" in caplog.text


# -- regressions found in review ---------------------------------------------------


def test_hostile_text_everywhere_survives_a_second_jinja_pass(tmp_path: Path) -> None:
    """mkdocs-macros renders every page as a Jinja template after qualsite:
    study text must reach the reader unevaluated, in every field."""
    evil = "{{ 7 * 7 }} <b>x</b> *y*"
    root = write_study(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: T\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
                "plugins:\n  - search\n  - qualsite:\n      participant_pages: true\n  - macros\n"
            ),
            "codebook/study.yml": f"""\
                title: T
                authors: [{{name: A}}]
                excerpt_labels: {{paraphrase: {json.dumps(evil)}}}
                """,
            "codebook/participants.yml": f"""\
                participants:
                  - id: P1
                    label: {json.dumps(evil)}
                    attributes: {{{json.dumps(evil)}: {json.dumps(evil)}}}
                  - id: P2
                """,
            "codebook/categories.yml": f"""\
                categories:
                  - {{id: coping, name: C, level: {json.dumps(evil)}}}
                  - {{id: peer-support, name: P, parent: coping}}
                  - {{id: supervision, name: S, parent: coping}}
                """,
            "codebook/excerpts/p1.yml": f"""\
                participant: P1
                kind: paraphrase
                excerpts:
                  - id: a
                    categories: [peer-support]
                    source: {{interview: {json.dumps(evil)}}}
                    text: {json.dumps(evil)}
                """,
        },
    )
    site = build_site(root)
    for page in (
        "categories/peer-support/index.html",
        "participants/p1/index.html",
        "participants/index.html",
        "categories/index.html",
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert "49" not in main_text(site / page), page
        assert "<b>x</b>" not in html, page
        assert evil in main_text(site / page), page


def test_template_errors_name_the_template_and_line(tmp_path: Path) -> None:
    from qualsite.errors import StudyError
    from qualsite.site import SiteSettings, prepare_site

    cases = {
        "category.md.j2": ("# x\n\n{{ 1/0 }}\n", ":3: template error: ZeroDivisionError"),
        "categories.md.j2": ('# x\n{{ study.category("nope") }}\n', ":2: template error: KeyError"),
        "macros.html.j2": (
            (REPO / "site_templates/macros.html.j2")
            .read_text()
            .replace("{{ x.text | excerpt }}", "{{ view.nope }}"),
            "template error: UndefinedError",
        ),
    }
    for name, (template, expected) in cases.items():
        root = write_study(tmp_path / name, {f"site_templates/{name}": template})
        settings = SiteSettings(
            codebook=root / "codebook", templates=root / "site_templates", docs_dir=root / "content"
        )
        with pytest.raises(StudyError) as raised:
            prepare_site(settings)
        (problem,) = raised.value.problems
        assert str(problem).startswith(f"{(root / 'site_templates' / name).as_posix()}"), problem
        assert expected in str(problem), problem


def test_a_template_that_is_not_utf8_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(tmp_path)
    (root / "site_templates").mkdir()
    (root / "site_templates" / "category.md.j2").write_bytes(b"caf\xe9 {{ title }}\n")
    with pytest.raises(Abort):
        build_site(root)
    assert "site_templates/category.md.j2:1: the template is not UTF-8 text" in caplog.text


def test_embeds_are_checked_in_every_page_mkdocs_builds_and_only_those(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(
        tmp_path,
        {
            "content/other.markdown": "# Other\n\n[[category: nope]]\n",
            "content/drafts/wip.md": "[[category: not-checked]]\n",
            "content/.notes/x.md": "[[category: not-checked-either]]\n",
        },
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: drafts/\n")
    site = root / "site"
    site.mkdir()
    (site / "kept.html").write_text("last good build")
    with pytest.raises(Abort):
        build_site(root)
    assert "content/other.markdown:3: unknown category 'nope'" in caplog.text
    assert "not-checked" not in caplog.text
    assert (site / "kept.html").is_file()  # stopped before MkDocs cleaned the site


def test_user_pages_cannot_take_the_place_of_generated_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(
        tmp_path,
        {
            "content/categories.md": "# Mine\n",
            "content/tables/table-9.csv": "not a clash\n",
        },
    )
    with pytest.raises(Abort):
        build_site(root)
    assert (
        "content/categories.md: this file would be published at categories/index.html, "
        "where qualsite puts its generated categories/index.md"
    ) in caplog.text
    assert "table-9" not in caplog.text


def test_participant_id_index_is_reserved(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = write_study(
        tmp_path,
        {"codebook/participants.yml": "participants:\n  - id: INDEX\n  - id: P1\n  - id: P2\n"},
    )
    with pytest.raises(Abort):
        build_site(root)
    assert "codebook/participants.yml:2: the participant id 'INDEX' is reserved" in caplog.text


def test_a_site_folder_that_would_delete_the_study_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_study(tmp_path)
    with pytest.raises(Abort):
        build_site(root, site_dir=str(root / "codebook"))
    assert "the site folder holds the study's codebook" in caplog.text
    assert (root / "codebook/study.yml").is_file()
