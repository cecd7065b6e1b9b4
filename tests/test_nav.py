"""Generated sections land in the navigation where the user asks, or at the end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import write_study
from qualsite.errors import QualsiteError
from qualsite.render.nav import (
    generated_sections,
    navigation_advice,
    place_sections,
    section_index_pages,
)
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
    assert placed[3:] == [
        {"How to cite": "cite.md"},
        {"Accessibility": "accessibility.md"},
        {"Print": "print.md"},
    ]


def test_sections_without_a_marker_are_appended(sections) -> None:  # type: ignore[no-untyped-def]
    placed = place_sections(["index.md"], sections)
    assert [next(iter(item)) if isinstance(item, dict) else item for item in placed] == [
        "index.md",
        "Categories",
        "Participants",
        "How to cite",
        "Accessibility",
        "Print",
    ]


def test_unknown_marker_is_an_error(sections) -> None:  # type: ignore[no-untyped-def]
    expected = "unknown navigation marker 'qualsite:categores' in mkdocs.yml (did you mean"
    with pytest.raises(QualsiteError, match=re.escape(expected)):
        place_sections(["qualsite:categores"], sections)


# -- a category with sub-categories is its own section's page (issue 15) ------------------

NESTED_CATEGORIES = """\
    categories:
      - {id: coping, name: Coping, definition: How people cope.}
      - {id: peer-support, parent: coping, name: Peer support}
      - {id: supervision, parent: coping, name: Supervision}
      - {id: challenges, name: Challenges, definition: What is hard.}
      - {id: workload, parent: challenges, name: Workload}
      - {id: time-pressure, parent: workload, name: Time pressure}
    """
NESTED_EXCERPTS = """\
    participant: P1
    excerpts:
      - {id: a, categories: [peer-support], text: Colleagues help.}
      - {id: b, categories: [time-pressure], text: No time at all.}
    """
NAVIGATION_FEATURES = "  features:\n    - navigation.indexes\n    - navigation.prune\n"


def nested_study(root: Path, features: str = NAVIGATION_FEATURES) -> Path:
    from helpers import MKDOCS_YML

    return write_study(
        root,
        {
            "mkdocs.yml": MKDOCS_YML.replace("  font: false\n", "  font: false\n" + features),
            "codebook/categories.yml": NESTED_CATEGORIES,
            "codebook/excerpts/p1.yml": NESTED_EXCERPTS,
            "codebook/excerpts/p2.yml": None,
        },
    )


def sidebar(page: Path) -> list[tuple[str, str]]:
    """The primary sidebar's entries as a reader sees them, in order: each
    link or section title with its words, and its address ("" for a title
    that is no link)."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start)
    entries = []
    for _tag, attributes, inner in re.findall(
        r'<(a|label)\b([^>]*class="md-nav__link[^"]*"[^>]*)>(.*?)</\1>', html[start:end], re.S
    ):
        words = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        href = re.search(r'href="([^"]*)"', attributes)
        if words:
            entries.append((words, href.group(1) if href else ""))
    return entries


def test_categories_with_sub_categories_open_their_own_sections() -> None:
    from helpers import REPO

    study = load_study(REPO / "codebook")
    opening = section_index_pages(study)
    assert "categories/implementing-proactive-coping.md" in opening
    assert "categories/individual-coping.md" in opening
    assert "categories/peer-support.md" not in opening  # a leaf opens no section


def test_a_section_is_its_category_page_never_repeated_as_its_first_child(
    tmp_path: Path,
) -> None:
    from helpers import build_site

    site = build_site(nested_study(tmp_path))
    links = sidebar(site / "categories/time-pressure/index.html")
    names = [name for name, _ in links]
    # Each section once, as the link to its category's page (the page being
    # read is shown twice by the theme: its link, and the toggle of its contents).
    for name in ("Challenges", "Workload"):
        assert names.count(name) == 1, links
    assert ("Workload", "../workload/") in links
    assert ("Challenges", "../challenges/") in links


def test_with_prune_a_page_carries_only_its_own_branch_of_the_tree(tmp_path: Path) -> None:
    from helpers import build_site

    pruned = build_site(nested_study(tmp_path / "pruned"))
    whole = build_site(nested_study(tmp_path / "whole", features=""))
    page = "categories/time-pressure/index.html"
    pruned_names = [name for name, _ in sidebar(pruned / page)]
    whole_names = [name for name, _ in sidebar(whole / page)]
    # The other branch's leaves are in every page without prune, and only
    # its section's own link with it.
    assert {"Peer support", "Supervision"} <= set(whole_names)
    assert not {"Peer support", "Supervision"} & set(pruned_names)
    assert "Coping" in pruned_names
    assert (pruned / page).stat().st_size < (whole / page).stat().st_size


def configured_features(config: Path) -> list[str]:
    import yaml

    return list(yaml.safe_load(config.read_text(encoding="utf-8"))["theme"]["features"])


def test_new_imported_and_example_studies_turn_the_features_on(tmp_path: Path) -> None:
    from helpers import REPO, run_qualsite
    from qualsite.refi import import_file
    from test_refi_import import fixture_qdpx

    made = run_qualsite("new", "made", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    import_file(fixture_qdpx(tmp_path), tmp_path / "imported")
    for config in (
        tmp_path / "made/mkdocs.yml",
        tmp_path / "imported/mkdocs.yml",
        REPO / "mkdocs.yml",
    ):
        features = configured_features(config)
        assert {"navigation.indexes", "navigation.prune"} <= set(features), config
        assert "navigation.expand" not in features, config  # Material: prune excludes it


def test_check_advises_the_features_a_study_lacks(tmp_path: Path) -> None:
    from helpers import run_qualsite

    lacking = run_qualsite("check", cwd=nested_study(tmp_path / "lacking", features=""))
    assert lacking.returncode == 0, lacking.stderr
    assert "mkdocs.yml: theme: features lacks navigation.indexes" in lacking.stdout
    assert "theme: features lacks navigation.prune" in lacking.stdout
    complete = run_qualsite("check", cwd=nested_study(tmp_path / "complete"))
    assert complete.returncode == 0, complete.stderr
    assert "features lacks" not in complete.stdout
    assert navigation_advice("mkdocs", []) == []  # another theme: no advice
