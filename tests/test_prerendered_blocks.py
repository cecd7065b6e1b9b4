"""qualsite's HTML blocks go to Markdown as they are: the same HTML as
Python-Markdown's own reading gives, and the same anchors for MkDocs."""

from __future__ import annotations

import filecmp
from collections.abc import Callable, Collection
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import _HTMLHandler

from helpers import build_site, replace_in_file
from qualsite.plugin import prerendered_blocks
from qualsite.plugin.prerendered_blocks import PrerenderedBlocks, anchor_ids, set_aside, whole_block

FIGURE = (
    '<figure class="qs-excerpt" id="excerpt-x1">\n<blockquote><p>I said *no* &amp; left.</p>'
    "</blockquote>\n<figcaption>Participant 2</figcaption>\n</figure>"
)
SECTION_OPENED = '<section class="qs-tree-block">\n<ul>\n<li>a</li>'
SECTION_CLOSED = "</ul>\n</section>"
FENCE_OPENED = "```\n<div>in a fence</div>"
FENCE_CLOSED = "```"

#: Pieces of a generated page: qualsite's own blocks, and what a study's
#: template override may write around or instead of them.
PIECES = [
    FIGURE,
    '<div class="outer"><div class="inner">nested</div>\n</div>',
    "<div>one</div>\n<div>two *sibling*</div>",
    "<div>a block\nthat goes on",
    "</div>",
    SECTION_OPENED,
    SECTION_CLOSED,
    "<ul>\n<li><a href='../x/'>X</a></li>\n</ul>",
    "<p>A paragraph with *stars* and `ticks`.</p>",
    '<div markdown="1">*rendered* as Markdown</div>',
    "<div>\n<!-- a comment -->\n</div>",
    '<div><script>var closing = "</div>";</script></div>',
    "<details><summary>More</summary>\n<p>hidden</p>\n</details>",
    "<table><tr><td>1</td></tr></table>",
    "<div>x</div> and a tail of *Markdown*",
    "<div>x</div>\nthen a *lazy* line",
    "<span>inline</span> at the start of a paragraph",
    "<svg><g><text>a figure</text></g></svg>",
    "  <div>indented two spaces</div>",
    "    <div>indented code</div>",
    FENCE_OPENED,
    FENCE_CLOSED,
    "# A heading",
    "## In the tree {#tree}",
    "Some *text* with <b>inline</b> HTML.",
    "- a list item\n- <div>in a list</div>",
    "> a quote\n> <p>quoted</p>",
    "<div>trailing spaces</div>   ",
    "<p>Also coded to: <a href='#a'>A</a></p>\n",
    "<p>a paragraph never closed",
    "<hr>",
    "<DIV class='upper'>opened in capitals",
    "</DIV>",
    "<div/>",
    "<pre>code with a blank line",
    "</pre>",
    "<a href='x'>a link</a> opening a paragraph",
    "<ul><li>closed</li></ul>\n<figure><p>then another</p></figure>",
    '<div title="a>b" markdown="1">\n*x*\n</div>',
    '<details title="x>y" markdown>\n*y*\n</details>',
    '<div><div title="</div>">a</div>',
    "<div>a</div><pre>",
    "</div> text <section>",
    "<p>&#169 2024 &#x41x</p>",
    "<p>&copy 2024 &amp text &amp; more</p>",
    "<p>A & B</p>",
    '<figure ID="x"><a NAME="y">z</a></figure>',
    '<figure data-note="n > 2" id="excerpt-2">x</figure>',
    '<p title="x"id="y">z</p>',
    "<p title='<a id=\"q\">'>z</p>",
    "<div>\r\nwith CRLF\r\n</div>",
    "<div>\ta tab</div>",
    # What a second review found: the parser's stack, its held-back text,
    # and what it reads as a tag.
    "<div>x</div> &copy; 2024",
    "<div>x</div><img src='a.png'/>",
    "<hr>&copy;",
    "<figure class='qs-excerpt'/></figure><figure>",
    "The *coded* words",
    "<div><div a=b/></div>",
    "<div><p><div></p></div>*x*</div>",
    "<p><section><p></section></p>",
    "<div\xa0class=x>a *b*</div>",
    "<div>\n<div `x>\n</div>\n*a*</div>",
    "<p s=/></p>",
    "<table></TABLE>",
]
EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]
#: Without md_in_html, where a markdown attribute is one like any other.
FEWER_EXTENSIONS = ["toc", "attr_list", "tables"]


def _convert(
    source: str, *, set_aside_blocks: bool, extensions_used: list[str] = EXTENSIONS
) -> str:
    extensions: list[object] = list(extensions_used)
    if set_aside_blocks:
        extensions.append(PrerenderedBlocks(lambda: True))
    return markdown.Markdown(extensions=extensions).convert(source)


@given(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from(["\n\n", "\n", "\n\n\n"])), max_size=12
    )
)
@example([(FIGURE, "\n\n"), (SECTION_OPENED, "\n\n"), (FIGURE, "\n\n"), (SECTION_CLOSED, "\n\n")])
@example([(FENCE_OPENED, "\n\n"), (FIGURE, "\n\n"), (FENCE_CLOSED, "\n\n")])
def test_the_html_is_what_markdown_makes_of_the_page(pieces: list[tuple[str, str]]) -> None:
    source = "".join(piece + separator for piece, separator in pieces)
    for used in (EXTENSIONS, FEWER_EXTENSIONS):
        fast = _convert(source, set_aside_blocks=True, extensions_used=used)
        assert fast == _convert(source, set_aside_blocks=False, extensions_used=used)


def test_a_generated_page_has_its_blocks_set_aside() -> None:
    """What the property above compares is worth comparing: on a page as
    qualsite writes one, every excerpt is set aside, one inside a section
    opened and closed around it too."""
    stored: list[str] = []

    def store(block: str) -> str:
        stored.append(block)
        return f"PLACEHOLDER{len(stored)}"

    page = "\n\n".join(
        ["# Trust", FIGURE, "## Excerpts", FIGURE, SECTION_OPENED, FIGURE, SECTION_CLOSED, FIGURE]
    )
    _, blocks = set_aside(page, store, markdown.Markdown().block_level_elements)
    assert blocks == [FIGURE] * 4
    # Inside the section, the placeholder stands for the text alone.
    assert stored == [FIGURE + "\n", FIGURE + "\n", FIGURE, FIGURE + "\n"]


class _ForeignStep(Preprocessor):
    """Another extension's step that reads the lines just before the
    HTML-block reader: it must see the HTML, so nothing is set aside."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.seen: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        self.seen.append("\n".join(lines))
        return lines


class _ForeignReader(HtmlBlockPreprocessor):
    """Another extension's HTML-block reader, in Python-Markdown's place."""


def test_nothing_is_set_aside_beside_another_extensions_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorded: list[str] = []
    real_set_aside = prerendered_blocks.set_aside

    def recording(source: str, *arguments: object, **options: object) -> tuple[str, list[str]]:
        recorded.append(source)
        return real_set_aside(source, *arguments, **options)  # type: ignore[arg-type]  # a spy

    monkeypatch.setattr(prerendered_blocks, "set_aside", recording)
    page = f"# Trust\n\n{FIGURE}\n"
    parser = markdown.Markdown(extensions=[PrerenderedBlocks(lambda: True)])
    parser.convert(page)
    assert len(recorded) == 1  # Python-Markdown's own reading: set aside

    foreign = _ForeignStep(parser)
    parser.preprocessors.register(foreign, "foreign", 21.2)
    html = parser.reset().convert(page)
    assert len(recorded) == 1 and FIGURE in foreign.seen[-1]
    assert html == markdown.Markdown().convert(page)

    replaced = markdown.Markdown(extensions=[PrerenderedBlocks(lambda: True)])
    replaced.preprocessors.register(_ForeignReader(replaced), "html_block", 20)
    replaced.convert(page)
    assert len(recorded) == 1


def test_only_whole_blocks_are_set_aside() -> None:
    stored: list[str] = []

    def store(block: str) -> str:
        stored.append(block)
        return f"PLACEHOLDER{len(stored)}"

    figure, siblings = FIGURE, "<div>one</div>\n<div>two *sibling*</div>"
    with_markdown = '<div markdown="1">*rendered* as Markdown</div>'
    block_level = markdown.Markdown().block_level_elements
    page = f"# Title\n\n{figure}\n\n{siblings}\n\n{with_markdown}\n"
    source, blocks = set_aside(page, store, block_level)
    assert blocks == [figure]
    assert stored == [figure + "\n"]  # as Python-Markdown stores a block before a blank line
    assert "PLACEHOLDER1" in source and figure not in source
    assert siblings in source and with_markdown in source
    # In a page with a fenced code block, nothing is set aside.
    assert set_aside(f"{figure}\n\n```\ncode\n```\n", store, block_level)[1] == []


@pytest.mark.parametrize(
    ("chunk", "whole"),
    [
        ("<figure>\n<p>x</p>\n</figure>", True),
        ("<div><div>a</div><div>b</div></div>", True),
        ("<div>a</div><div>b</div>", False),  # two elements
        ("<span>a</span>", False),  # not a block
        ("<div>a</div> tail", False),
        ("<div><!-- c --></div>", False),
        ("<div markdown>x</div>", False),
        ("<div><style>p{}</style></div>", False),
        ("<figure/></figure><figure>", False),  # opened empty, then one left open
        ("<div><p><div></p></div>x</div>", False),  # "</p>" closes the inner div too
        ("<div><br><img src='a.png'></div>", True),
    ],
)
def test_whole_block(chunk: str, whole: bool) -> None:
    assert whole_block(chunk) is whole


ANCHOR_BLOCKS = [
    '<figure id="excerpt-x1" data-id="not-an-anchor"><a name="old">a</a></figure>',
    "<div id='single'><span name=\"not-on-a-span\" id=bare-&amp;>x</span></div>",
    '<figure ID="upper"><a NAME="upper-name">z</a></figure>',
    '<figure data-note="n &gt; 2" title="cf. id=excerpt-9" id="excerpt-2">x</figure>',
    '<p title="x" id="y" class=z>z</p>',
    '<dl id ID="b"></dl>',
]
#: Left for MkDocs' own reading: a ">" or "<" in a value, no space between,
#: a backtick or a no-break space where the parser reads a tag otherwise.
UNCLEAR_BLOCKS = [
    '<figure `x id="a">x</figure>',
    '<figure\xa0id="a">x</figure>',
    '<p title="x"id="y">z</p>',
    '<figure data-note="n > 2" id="excerpt-3">x</figure>',
    "<p title='<a id=\"q\">'>z</p>",
]


@pytest.mark.parametrize("block", ANCHOR_BLOCKS)
def test_anchor_ids_are_read_as_mkdocs_reads_them(block: str) -> None:
    assert whole_block(block)
    reader = _HTMLHandler()
    reader.feed(block)
    reader.close()
    # (A bare "id", with no value, is recorded as None: no link can name it.)
    assert anchor_ids([block]) == reader.present_anchor_ids - {None}


@pytest.mark.parametrize("block", UNCLEAR_BLOCKS)
def test_blocks_whose_tags_a_parser_may_read_otherwise_are_left_to_it(block: str) -> None:
    assert not whole_block(block)


def test_anchor_ids_of_qualsite_blocks() -> None:
    assert anchor_ids(ANCHOR_BLOCKS[:4]) == {
        "excerpt-x1",
        "old",
        "single",
        "bare-&",
        "upper",
        "upper-name",
        "excerpt-2",
    }


def _record_set_aside(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Each page's Markdown that set_aside is given in the builds to come,
    with the blocks it sets aside."""
    real_set_aside = prerendered_blocks.set_aside
    calls: list[tuple[str, list[str]]] = []

    def recorded(
        source: str, store: Callable[[str], str], block_level: Collection[str], **options: bool
    ) -> tuple[str, list[str]]:
        result = real_set_aside(source, store, block_level, **options)
        calls.append((source, result[1]))
        return result

    monkeypatch.setattr(prerendered_blocks, "set_aside", recorded)
    return calls


#: The extensions Material's documentation sets up, read from the page or
#: from its own settings alone (Snippets reads files: no page of qualsite's
#: holds its syntax).
MATERIAL_EXTENSIONS = """markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.betterem
  - pymdownx.caret
  - pymdownx.critic
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.keys
  - pymdownx.mark
  - pymdownx.smartsymbols
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist
  - pymdownx.tilde
"""


@pytest.mark.parametrize("extensions", ["the example's", "Material's"])
def test_a_site_is_the_same_to_the_byte_as_through_markdown(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extensions: str
) -> None:
    if extensions == "Material's":
        replace_in_file(
            example_copy / "mkdocs.yml",
            "markdown_extensions:\n  - toc:\n      permalink: true\n",
            MATERIAL_EXTENSIONS,
        )
    calls = _record_set_aside(monkeypatch)
    # A page of the study's own with a block of HTML, which is the user's
    # to shape with other Markdown extensions, and so is never set aside.
    (example_copy / "content" / "notes.md").write_text(
        '# Notes for the teams\n\n<div class="note">\n<p>A note.</p>\n</div>\n', "utf-8"
    )
    fast = build_site(example_copy, site_dir=str(tmp_path / "fast"))
    set_aside_pages = [source for source, blocks in calls if blocks]
    # Every category page, the tables, the model, the Print page's sections...
    assert len(set_aside_pages) > 30
    # ... and none of the study's own pages, which other extensions may shape.
    for page in sorted((example_copy / "content").glob("*.md")):
        heading = next(
            line for line in page.read_text("utf-8").splitlines() if line.startswith("#")
        )
        assert not any(heading in source.splitlines() for source in set_aside_pages), page
    # Nothing set aside: Python-Markdown reads every block, as before.
    monkeypatch.setattr(
        prerendered_blocks, "set_aside", lambda source, store, tags, **options: (source, [])
    )
    slow = build_site(example_copy, site_dir=str(tmp_path / "slow"))
    files = sorted(p.relative_to(fast).as_posix() for p in fast.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(slow).as_posix() for p in slow.rglob("*") if p.is_file())
    assert any(name.startswith("categories/") for name in files)
    _, differing, errors = filecmp.cmpfiles(fast, slow, files, shallow=False)
    assert differing == [] and errors == []


ANCHOR_TARGET = (
    "categories/balancing-admin-and-clinical-work.md#excerpt-p2-balancing-admin-and-clinical-work-1"
)


def test_a_link_to_an_excerpt_on_a_generated_page_is_validated(
    example_copy: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _record_set_aside(monkeypatch)
    replace_in_file(
        example_copy / "mkdocs.yml", "site_name:", "validation:\n  anchors: warn\nsite_name:"
    )
    page = example_copy / "content" / "about.md"
    page.write_text(
        page.read_text(encoding="utf-8") + f"\n\nSee [the first excerpt]({ANCHOR_TARGET}).\n",
        encoding="utf-8",
    )
    site = build_site(example_copy)  # strict: a warning would stop it
    # The excerpt was set aside: its id reached MkDocs from qualsite's record.
    target_id = f'id="{ANCHOR_TARGET.partition("#")[2]}"'
    assert any(target_id in block for _, blocks in calls for block in blocks)
    assert 'href="../categories/balancing-admin-and-clinical-work/#excerpt-p2-' in (
        site / "about" / "index.html"
    ).read_text(encoding="utf-8")
    # And a link to an anchor that is not there is still found.
    replace_in_file(page, ANCHOR_TARGET, ANCHOR_TARGET + "99")
    with pytest.raises(Abort):
        build_site(example_copy)
    assert "does not contain an anchor '#excerpt-p2-balancing-admin-and-clinical-work-199'" in (
        caplog.text
    )
