"""Rewriting links in finished HTML: the Print page and the PDF rely on it."""

from __future__ import annotations

from qualsite.render.html_links import (
    Address,
    relative_to,
    repeated_ids,
    resolve,
    rewrite_srcset,
    without_links_inside,
)


def test_links_to_other_files_lose_their_link_in_a_pdf() -> None:
    html = (
        '<p><a href="../categories/a.html" class="x">A</a> and '
        '<a href="#here">here</a> and <a href="https://doi.org/10.1/x">DOI</a></p>'
        '<svg><a xlink:href="categories/b.html"><text>B</text></a></svg>'
    )
    assert without_links_inside(html) == (
        '<p><span class="x">A</span> and <a href="#here">here</a> and '
        '<a href="https://doi.org/10.1/x">DOI</a></p><svg><g><text>B</text></g></svg>'
    )


def test_rooted_and_protocol_relative_links_are_no_links_in_a_pdf() -> None:
    # From a file, "/x" is file:///x and "//host/x" is file://host/x: dead.
    html = (
        '<a href="/abs/path">a</a> <a href="//cdn.example.org/x">b</a> '
        '<a href="mailto:a@b.org">c</a>'
    )
    assert without_links_inside(html) == (
        '<span>a</span> <span>b</span> <a href="mailto:a@b.org">c</a>'
    )


def test_each_address_of_a_srcset_is_rewritten() -> None:
    moved = rewrite_srcset("a.png 1x, b.png 2x,c.png", lambda v: f"../{v}")
    assert moved == "../a.png 1x, ../b.png 2x, ../c.png"


def test_text_comments_and_scripts_are_left_exactly_as_they_were() -> None:
    html = (
        "<!-- <a href='x.html'>old</a> --><script>var s = '<a href=\"y.html\">';</script>"
        "<pre><code>&lt;a href=&quot;z.html&quot;&gt;</code></pre>"
        "<p title='a &amp; b' data-x=1>Text &amp; more</p>"
    )
    assert without_links_inside(html) == html


def test_addresses_resolve_as_a_browser_would() -> None:
    assert resolve("../index.md", "sub/notes/") is not None
    assert resolve("../", "sub/notes/") == Address("sub/", "", "")
    assert resolve("../../", "sub/notes/") == Address("", "", "")
    assert resolve("#x", "sub/notes.html") == Address("sub/notes.html", "", "x")
    assert resolve("a.csv?v=1#top", "sub/notes.html") == Address("sub/a.csv", "v=1", "top")
    assert resolve("https://example.org/a", "") is None
    assert resolve("mailto:a@example.org", "") is None
    assert resolve("/absolute/path", "") is None


def test_addresses_are_rewritten_for_another_page() -> None:
    assert relative_to(Address("downloads/a.csv", "", ""), "print/") == "../downloads/a.csv"
    assert relative_to(Address("downloads/a.csv", "", "x"), "print.html") == "downloads/a.csv#x"
    assert relative_to(Address("sub/", "", ""), "print/") == "../sub/"


def test_repeated_ids_are_found() -> None:
    assert repeated_ids('<h2 id="a">x</h2><p id="b"></p><div id=\'a\'></div>') == ["a"]
