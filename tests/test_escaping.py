"""Study text is plain text: it reaches the reader exactly as written."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest

from helpers import MKDOCS_YML, build_site, main_text, read_html, write_study
from qualsite.render import text

HOSTILE = [
    "<script>alert('x')</script>",
    "*sigh* and _so_ and **so** ~~much~~",
    "{{ config.site_name }} {% if x %}y{% endif %} {# c #}",
    "[a link](http://example.org) ![img](x.png) <http://auto.link>",
    "# not a heading",
    "1. not a list",
    "> not a quote",
    "`code` and \\backslash\\ and &amp; & &lt;",
    "a | b | c",
    'Tom & Jerry\'s "quotes"',
    '--8<-- "/etc/passwd"',
    "ünïcödé — ✓ 🙂",
]


def _markdown_to_text(source: str) -> str:
    html = markdown.markdown(source, extensions=["toc", "tables"])
    from html.parser import HTMLParser

    chunks: list[str] = []

    class Collect(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

    parser = Collect(convert_charrefs=True)
    parser.feed(html)
    return "".join(chunks)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_inline_text_renders_literally_in_a_heading(hostile: str) -> None:
    rendered = markdown.markdown(f"## {text.markdown_inline(hostile)}")
    assert rendered.startswith("<h2>")
    assert "<script" not in rendered and "<a " not in rendered and "<em>" not in rendered
    assert _markdown_to_text(f"## {text.markdown_inline(hostile)}") == " ".join(hostile.split())


@pytest.mark.parametrize("hostile", HOSTILE)
def test_paragraphs_pass_through_markdown_untouched(hostile: str) -> None:
    block = f'<div class="x">{text.paragraphs(hostile)}</div>'
    rendered = markdown.markdown(f"Intro\n\n{block}\n\nOutro")
    assert rendered.replace("\n", "") == f"<p>Intro</p>{block}<p>Outro</p>"
    assert _markdown_to_text(block) == " ".join(hostile.split())


def test_html_escape_also_neutralises_template_braces() -> None:
    escaped = str(text.html("{{ x }} {% y %}"))
    assert "{" not in escaped and "}" not in escaped
    assert escaped == "&#123;&#123; x &#125;&#125; &#123;% y %&#125;"


def test_paragraphs_split_on_blank_lines_and_join_lines() -> None:
    assert str(text.paragraphs("one\ntwo\n\n  three  \n")) == "<p>one two</p><p>three</p>"


def test_yaml_string_is_safe_front_matter() -> None:
    import yaml

    for hostile in HOSTILE:
        value = yaml.safe_load(f"title: {text.yaml_string(hostile)}")["title"]
        assert value == " ".join(hostile.split())


def test_the_escape_filters_print_what_jinja_would_for_any_value() -> None:
    # A study's own template may escape a count, a missing value or a list.
    from qualsite.render.templates import make_environment

    template = make_environment([]).from_string(
        "{{ 5|e }} {{ none|e }} {{ [1, '<b>']|escape }} {{ '{{ x }}'|e }}"
    )
    assert template.render() == "5 None [1, &#39;&lt;b&gt;&#39;] &#123;&#123; x &#125;&#125;"


# What pymdownx.arithmatex reads as math: $...$, \(...\), $$...$$, \[...\]
# and \begin{..}...\end{..}; and plain parentheses, which an escape for
# Markdown must not turn into "\(".
MATH_LIKE = {
    "coping": "Costs of $5 and $6 (each)",
    "peer-support": "Peers \\(x\\) and $x$",
    "supervision": "Supervision $$ a $$ \\[y\\] \\begin{a}b\\end{a}",
}


@pytest.mark.parametrize(
    "options",
    ["", ":\n      generic: true", ":\n      smart_dollar: false"],
    ids=["default", "generic", "plain-dollars"],
)
def test_math_extensions_leave_study_text_as_written(tmp_path: Path, options: str) -> None:
    """With pymdownx.arithmatex on, a category name holding dollars,
    backslashes and brackets is still shown exactly as written, never as math."""
    categories = "categories:\n" + "".join(
        f"  - {{id: {key}, name: {json.dumps(name)}"
        + (", parent: coping" if key != "coping" else "")
        + f", definition: {json.dumps('Means ' + name)}}}\n"
        for key, name in MATH_LIKE.items()
    )
    write_study(
        tmp_path,
        {
            "mkdocs.yml": MKDOCS_YML
            + f"markdown_extensions:\n  - md_in_html\n  - pymdownx.arithmatex{options}\n",
            "codebook/categories.yml": categories,
            "codebook/tables.yml": (
                "tables:\n  - {number: 1, title: 'Costs: $1 and $2 \\(z\\)', "
                "categories: [coping, peer-support, supervision]}\n"
            ),
            "content/index.md": (
                "# Home\n\nSee [[category: coping]] and [[category: peer-support]].\n"
            ),
        },
    )
    site = build_site(tmp_path)
    pages = [
        site / "categories/coping/index.html",
        site / "categories/peer-support/index.html",
        site / "categories/supervision/index.html",
        site / "categories/index.html",
        site / "tables/index.html",
        site / "index.html",
    ]
    for page in pages:
        assert "arithmatex" not in page.read_text(encoding="utf-8"), page
        assert "&#" not in read_html(page).text, page  # no reference shown as such
    for key, name in MATH_LIKE.items():
        page = site / f"categories/{key}/index.html"
        shown = main_text(page)
        assert name in shown, shown
        assert f"Means {name}" in shown
        assert name in read_html(page).text  # the navigation and the page's contents too
        assert name in main_text(site / "categories/index.html")
        assert name in main_text(site / "tables/index.html")
    assert "Costs: $1 and $2 \\(z\\)" in main_text(site / "tables/index.html")
    home = main_text(site / "index.html")  # link texts of [[category: ...]]
    assert MATH_LIKE["coping"] in home and MATH_LIKE["peer-support"] in home
