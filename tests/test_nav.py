"""Generated sections land in the navigation where the user asks, or at the end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import write_study
from qualsite.errors import QualsiteError
from qualsite.render.nav import generated_sections, place_sections
from qualsite.study import load_study


@pytest.fixture
def sections(tmp_path: Path):  # type: ignore[no-untyped-def]
    study = load_study(write_study(tmp_path) / "codebook")
    return generated_sections(study, participant_pages=True)


def test_tree_follows_the_category_tree(sections) -> None:  # type: ignore[no-untyped-def]
    assert sections["categories"].items == [
        "categories/index.md",
        {
            "Coping": [
                "categories/coping.md",
                "categories/peer-support.md",
                "categories/supervision.md",
            ]
        },
    ]
    assert sections["participants"].items[0] == "participants/index.md"


def test_markers_are_replaced_in_place_with_their_titles(sections) -> None:  # type: ignore[no-untyped-def]
    nav = [
        "index.md",
        {"Findings": "qualsite:categories"},
        {"More": ["qualsite:participants", "x.md"]},
    ]
    placed = place_sections(nav, sections)
    assert placed[0] == "index.md"
    assert list(placed[1]) == ["Findings"]
    assert placed[1]["Findings"][0] == "categories/index.md"
    assert list(placed[2]["More"][0]) == ["Participants"]
    assert placed[2]["More"][1] == "x.md"
    # The sections without a marker follow, in order.
    assert placed[3:] == [{"How to cite": "cite.md"}, {"Print": "print.md"}]


def test_sections_without_a_marker_are_appended(sections) -> None:  # type: ignore[no-untyped-def]
    placed = place_sections(["index.md"], sections)
    assert [next(iter(item)) if isinstance(item, dict) else item for item in placed] == [
        "index.md",
        "Categories",
        "Participants",
        "How to cite",
        "Print",
    ]


def test_unknown_marker_is_an_error(sections) -> None:  # type: ignore[no-untyped-def]
    expected = "unknown navigation marker 'qualsite:categores' in mkdocs.yml (did you mean"
    with pytest.raises(QualsiteError, match=re.escape(expected)):
        place_sections(["qualsite:categores"], sections)
