"""Embeds in a study's own pages: found outside code only, checked with page and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_study
from qualsite.content import discover_content
from qualsite.render.embeds import (
    EmbedError,
    EmbedTargets,
    check_embeds,
    check_pages,
    expand_embeds,
    find_embeds,
)
from qualsite.study import load_study


@pytest.fixture
def study(tmp_path: Path) -> EmbedTargets:
    loaded = load_study(write_study(tmp_path) / "codebook")
    return EmbedTargets(frozenset(loaded.categories_by_id), frozenset(loaded.excerpts_by_id))


def test_embeds_in_code_are_left_alone() -> None:
    page = """\
Link [[category: a]] here.
`[[category: in-span]]` and ``[[category: double]]``
```
[[category: in-fence]]
```
~~~~python
[[category: tilde-fence]]
```
still in the fence
~~~~
\\[[category: escaped]]
[[excerpt: x]]
"""
    found = [(e.kind, e.argument, e.line, e.whole_line) for e in find_embeds(page)]
    assert found == [("category", "a", 1, False), ("excerpt", "x", 12, True)]


def test_labels_and_spaces() -> None:
    (embed,) = find_embeds("[[ category :  peer-support  |  my peers ]]")
    assert (embed.kind, embed.argument, embed.label) == ("category", "peer-support", "my peers")


def test_problems_name_page_and_line(study) -> None:  # type: ignore[no-untyped-def]
    page = (
        "# Title\n\n[[category: peer-suport]]\n\nText [[excerpt: p1-peers]] inline.\n"
        "[[tabel: 2]]\n[[excerpt]]\n[[excerpt: nope]]\n"
    )
    problems = [str(p) for p in check_embeds(page, "content/x.md", study)]
    assert problems == [
        "content/x.md:3: unknown category 'peer-suport' (did you mean 'peer-support'?)",
        "content/x.md:5: '[[excerpt: p1-peers]]' must stand on a line of its own, not indented",
        "content/x.md:6: unknown embed '[[tabel: 2]]' (did you mean 'table'?); "
        "qualsite knows categories, category, excerpt, figure, table",
        "content/x.md:7: '[[excerpt]]' needs an id, as in [[excerpt: <id>]]",
        "content/x.md:8: unknown excerpt 'nope' (or it is not published)",
    ]


def test_check_pages_reads_every_page_in_path_order(tmp_path: Path, study) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    (docs / "b").mkdir(parents=True)
    (docs / "b" / "page.md").write_text("[[category: zz]]\n")
    (docs / "a.md").write_text("---\ntitle: A\n---\n\n[[category: yy]]\n")
    problems = check_pages(discover_content(docs), study)
    assert [p.message for p in problems] == ["unknown category 'yy'", "unknown category 'zz'"]
    assert [p.location.line for p in problems] == [5, 1]


def test_expansion_replaces_each_embed(study) -> None:  # type: ignore[no-untyped-def]
    page = "A [[category: coping]] and [[category: supervision | sup]].\n[[excerpt: p1-peers]]\n"
    rendered = expand_embeds(
        page,
        shown_path="x.md",
        first_line=1,
        targets=study,
        render=lambda e: f"<{e.kind}:{e.argument}:{e.label}>",
    )
    assert (
        rendered
        == "A <category:coping:None> and <category:supervision:sup>.\n\n<excerpt:p1-peers:None>\n\n"
    )


def test_expansion_refuses_an_unknown_id(study) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EmbedError, match=r"^x.md:4: unknown category 'nope'"):
        expand_embeds(
            "[[category: nope]]", shown_path="x.md", first_line=4, targets=study, render=str
        )


def test_code_blocks_at_any_indentation_are_left_alone() -> None:
    page = """\
1. To link a category, write:

    ```text
    [[category: in-fence]]
    ```

    [[category: continuation]]

        [[category: code-in-list]]

A paragraph.

    [[category: indented-code]]
    more code [[category: indented-code-2]]
back [[category: outside]]
"""
    assert [e.argument for e in find_embeds(page)] == ["continuation", "outside"]
