"""What the site's search finds, read from the index a built study ships
(search/search_index.json, which the theme's search reads)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO, build_site, write_study
from qualsite.study import load_study
from test_confidentiality import UNPUBLISHED, WITHDRAWN, canary_study

EXAMPLE = load_study(REPO / "codebook")

LABELLED = {
    "codebook/study.yml": """\
        title: A test study
        authors:
          - name: A. Researcher
        excerpt_labels:
          paraphrase: Paraphrase written for this site, not a participant's words
        """,
    "codebook/excerpts/p1.yml": """\
        participant: P1
        kind: paraphrase
        excerpts:
          - id: p1-peers
            categories: [peer-support]
            text: |-
              My colleagues get me through the week.

              Without them & their <jokes> I would not stay.
          - id: p1-supervision
            categories: [supervision, peer-support]
            text: Supervision and the team both help.
        """,
}


def index_of(site: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (site / "search/search_index.json").read_text(encoding="utf-8")
    )["docs"]
    return entries


def words(markup: str) -> str:
    """What a reader sees of an entry's title or text (tags taken out)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def caption(entry: dict[str, Any]) -> str:
    """An excerpt result's caption: shown by the stylesheet from an attribute."""
    found = re.search(r'data-qs-caption="([^"]*)"', entry["title"])
    return html.unescape(found.group(1)) if found else ""


@pytest.fixture(scope="module")
def labelled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(write_study(tmp_path_factory.mktemp("labelled"), LABELLED))


def test_an_excerpt_is_found_once_with_its_participant_and_label(labelled_site: Path) -> None:
    entries = index_of(labelled_site)
    found = [e for e in entries if e["location"].endswith("#excerpt-p1-supervision")]
    # Once, where its first category shows it, although two pages show it.
    assert [e["location"] for e in found] == ["categories/supervision/#excerpt-p1-supervision"]
    (entry,) = found
    assert caption(entry) == (
        "Participant 1 · Paraphrase written for this site, not a participant's words"
    )
    assert entry["text"] == "<p>Supervision and the team both help.</p>"
    # The caption is shown, not searched: no word of it is in the title's text.
    assert words(entry["title"]) == ""
    # The excerpt's words appear in no other entry (the pages that show it
    # leave it out of search).
    others = [e for e in entries if e is not entry]
    assert not any("Supervision and the team both help" in e["text"] for e in others)


def test_an_excerpt_keeps_its_paragraphs_and_its_text_escaped(labelled_site: Path) -> None:
    (entry,) = [e for e in index_of(labelled_site) if e["location"].endswith("#excerpt-p1-peers")]
    assert entry["text"] == (
        "<p>My colleagues get me through the week.</p>"
        "<p>Without them &amp; their &lt;jokes&gt; I would not stay.</p>"
    )


def test_a_category_result_leads_with_its_definition(labelled_site: Path) -> None:
    entries = index_of(labelled_site)
    by_location = {e["location"]: e for e in entries}
    coping = by_location["categories/coping/"]
    assert (coping["title"], coping["text"]) == ("Coping", "<p>How people cope.</p>")
    leaf = by_location["categories/peer-support/"]
    assert leaf["text"].startswith("<p>Turning to colleagues.</p>")
    # The heading's own section (level, counts) is not a second result.
    assert not [e for e in entries if e["location"] == "categories/coping/#coping"]


def test_no_snippet_is_a_breadcrumb_or_a_flattened_tree(labelled_site: Path) -> None:
    entries = index_of(labelled_site)
    names = ("Coping", "Peer support", "Supervision")
    for entry in entries:
        if not entry["location"].startswith("categories/") or "#excerpt-" in entry["location"]:
            continue  # (an excerpt may name a category in its own words)
        assert "<ol>" not in entry["text"], entry  # the breadcrumbs
        own = entry["title"]
        # No entry lists other categories: no tree, no breadcrumb trail.
        assert not [n for n in names if n != own and n in words(entry["text"])], entry
    (overview,) = [e for e in entries if e["location"] == "categories/"]
    assert overview["text"].startswith("<p>The study's 3 categories")


def test_withdrawn_and_unpublished_words_are_not_in_the_index(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = canary_study(tmp_path_factory.mktemp("canary"), leaks=False)
    site = build_site(root)
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "p1-peers" in index  # the published excerpt is found
    for word in (WITHDRAWN, UNPUBLISHED):
        assert word.lower() not in index.lower()


def test_the_example_labels_every_excerpt_result(example_site: Path) -> None:
    entries = index_of(example_site)
    excerpts = {e["location"].split("#")[1]: e for e in entries if "#excerpt-" in e["location"]}
    assert len(excerpts) == len(EXAMPLE.published().excerpts)
    for excerpt in EXAMPLE.published().excerpts:
        entry = excerpts[excerpt.anchor]
        participant = EXAMPLE.participant(excerpt.participant_id).label
        assert caption(entry) == (
            f"{participant} · Illustrative paraphrase, not a participant's words"
        ), entry
    # Your own pages are indexed as the theme indexes them.
    assert any(e["location"] == "method/#ethics" for e in entries)
