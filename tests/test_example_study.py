"""The example study says what the published study says (PWP-MODEL.md).

The example presents a real grounded theory, so its figure, its pages and its
excerpts must not add to the study's claims: the coping phase has the three
dimensions the study names, the arrows are the relations the study states,
no page calls the process a cycle, and "all participants reflected on
work-related boundaries" holds for the example's excerpts too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, read_html
from qualsite.checklists import standard
from qualsite.study import load_study
from qualsite.study.model import ModelGroup, ModelNode, Study

EXAMPLE = load_study(REPO / "codebook")

#: PWP-MODEL.md, Tables 1 to 3: each phase with its own dimensions, as named.
PHASE_DIMENSIONS = {
    "work-related-challenges": {
        "individual-challenges": "Individual challenges",
        "systemic-pressures": "Systemic pressures and demands",
    },
    "connecting-with-values": {
        "individual-values": "Individual dimension",
        "systemic-values": "Systemic dimension",
    },
    "implementing-proactive-coping": {
        "individual-coping": "Individual coping strategies",
        "work-related-boundaries": "Developing work-related boundaries",
        "systemic-relational-coping": "Systemic and relational strategies",
    },
}

#: Sides the study never draws a phase's dimensions under.
UNNAMED_SIDES = {"individual", "systemic", "individual side", "systemic side"}

RESILIENCE = "a free node for resilience"
PURPOSE = "a free node for the sense of purpose and identity"

#: PWP-MODEL.md, "What the study's text says of the relations": the only
#: arrows the figure may draw, each with a word its label must carry.
STATED_RELATIONS = {
    # challenges are appraised in relation to the practitioner's values
    ("work-related-challenges", "connecting-with-values"): "apprais",
    # finding meaning and purpose encourages practitioners to cope
    ("connecting-with-values", "implementing-proactive-coping"): "encourag",
    # coping helps overcome barriers, fostering resilience over time
    ("implementing-proactive-coping", RESILIENCE): "overcom",
    # awareness of values helps overcome the challenges, reaffirming purpose and identity
    ("connecting-with-values", PURPOSE): "reaffirm",
}

#: What no page may say of the process (PWP-MODEL.md: no cycle, no repeated passes).
CYCLE_WORDS = re.compile(r"cycl|repeat|again and again|recur", re.IGNORECASE)


def label_of(study: Study, item: ModelGroup | ModelNode) -> str:
    if item.category_id is not None:
        return study.category(item.category_id).name
    return item.label or item.id


def phase_group(study: Study, phase: str) -> ModelGroup:
    assert study.model is not None
    groups = [g for g in study.model.groups if g.category_id == phase and g.parent_id is None]
    assert len(groups) == 1, f"the figure draws the phase {phase!r} as {len(groups)} groups"
    return groups[0]


def direct_members(study: Study, group: ModelGroup) -> list[ModelGroup | ModelNode]:
    assert study.model is not None
    return [
        *(g for g in study.model.groups if g.parent_id == group.id),
        *(n for n in study.model.nodes if n.group_id == group.id),
    ]


def nested_groups(study: Study, group: ModelGroup) -> list[ModelGroup]:
    assert study.model is not None
    found: list[ModelGroup] = []
    stack = [group.id]
    while stack:
        parent = stack.pop()
        for child in study.model.groups:
            if child.parent_id == parent:
                found.append(child)
                stack.append(child.id)
    return found


def concept(study: Study, item_id: str) -> str:
    """What a node or group of the figure stands for: its category, or one of
    the free concepts the study's relations name."""
    assert study.model is not None
    item = next(i for i in (*study.model.groups, *study.model.nodes) if i.id == item_id)
    if item.category_id is not None:
        return item.category_id
    words = (item.label or "").lower()
    if "resilience" in words:
        return RESILIENCE
    if "purpose" in words and "identity" in words:
        return PURPOSE
    return item.label or item.id


# -- (1) the model draws what the study names, and only the relations it states --------


def test_the_category_tree_gives_each_phase_its_own_dimensions() -> None:
    for phase, dimensions in PHASE_DIMENSIONS.items():
        children = EXAMPLE.children(EXAMPLE.category(phase))
        assert {c.id: c.name for c in children} == dimensions, phase
        assert all(c.level == "dimension" for c in children), phase


@pytest.mark.parametrize("phase", list(PHASE_DIMENSIONS))
def test_each_phase_draws_its_dimensions_directly_as_the_study_names_them(phase: str) -> None:
    group = phase_group(EXAMPLE, phase)
    members = direct_members(EXAMPLE, group)
    drawn = {label_of(EXAMPLE, m) for m in members}
    expected = PHASE_DIMENSIONS[phase]
    # Two, two and three: each dimension a box of its own, directly inside its
    # phase, and nothing else there (no "Individual" or "Systemic" side).
    assert drawn == set(expected.values()), drawn
    assert len(members) == len(expected)
    for member in members:
        assert member.category_id in expected, member.id


def test_the_coping_phase_has_three_dimensions_and_no_side_the_study_does_not_name() -> None:
    group = phase_group(EXAMPLE, "implementing-proactive-coping")
    members = direct_members(EXAMPLE, group)
    assert len(members) == 3
    boundaries = [m for m in members if m.category_id == "work-related-boundaries"]
    assert len(boundaries) == 1, "work-related boundaries is not a box of its own in the phase"
    for inner in nested_groups(EXAMPLE, group):
        assert label_of(EXAMPLE, inner).strip().lower() not in UNNAMED_SIDES, inner.id
    assert EXAMPLE.model is not None
    for node in EXAMPLE.model.nodes:
        if node.category_id == "work-related-boundaries":
            assert node.group_id == group.id, f"boundaries are drawn inside {node.group_id!r}"


def test_every_arrow_is_a_relation_the_study_states() -> None:
    model = EXAMPLE.model
    assert model is not None
    drawn: dict[tuple[str, str], str] = {}
    for edge in model.edges:
        pair = (concept(EXAMPLE, edge.source), concept(EXAMPLE, edge.target))
        assert pair in STATED_RELATIONS, f"an arrow the study does not state: {pair}"
        assert pair not in drawn, f"drawn twice: {pair}"
        assert STATED_RELATIONS[pair] in (edge.label or "").lower(), (pair, edge.label)
        drawn[pair] = edge.label or ""
    assert set(drawn) == set(STATED_RELATIONS)


def test_the_arrows_draw_no_cycle() -> None:
    model = EXAMPLE.model
    assert model is not None
    following: dict[str, set[str]] = {}
    for edge in model.edges:
        following.setdefault(concept(EXAMPLE, edge.source), set()).add(
            concept(EXAMPLE, edge.target)
        )

    def reaches(start: str, goal: str) -> bool:
        seen: set[str] = set()
        stack = list(following.get(start, ()))
        while stack:
            current = stack.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(following.get(current, ()))
        return False

    for start in following:
        assert not reaches(start, start), f"the arrows lead from {start} back to it"


# -- (2) no page claims a cycle ----------------------------------------------------------


def site_texts(site: Path) -> dict[str, str]:
    """Every page's text as a reader gets it, and the text downloads."""
    texts = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative.startswith("assets/"):
            continue  # the theme's own scripts and styles are not the study's words
        if path.suffix == ".html":
            texts[relative] = read_html(path).text
        elif path.suffix in (".svg", ".dot", ".csv", ".cff", ".txt", ".json", ".tex", ".bib"):
            texts[relative] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def _without_the_standards_wording(text: str) -> str:
    """The text without COREQ's item names and qualsite's summaries of them
    (the checklist's "Repeat interviews" says nothing about the model)."""
    coreq = standard("COREQ")
    assert coreq is not None
    for item in coreq.items:
        text = text.replace(item.topic, "").replace(item.asks, "")
    return text


def test_no_page_says_the_process_is_a_cycle_or_repeats(example_site: Path) -> None:
    texts = {
        name: _without_the_standards_wording(text)
        for name, text in site_texts(example_site).items()
    }
    assert "index.html" in texts and "model/index.html" in texts
    claims = {
        name: sorted({m.group(0).lower() for m in CYCLE_WORDS.finditer(text)})
        for name, text in texts.items()
        if CYCLE_WORDS.search(text)
    }
    assert claims == {}


def test_the_study_fields_claim_no_cycle() -> None:
    meta = EXAMPLE.meta
    assert EXAMPLE.model is not None
    for text in (meta.abstract, meta.subtitle, EXAMPLE.model.caption, EXAMPLE.model.title):
        assert not CYCLE_WORDS.search(text or ""), text


# -- (3) "all participants reflected on work-related boundaries" -------------------------


def test_every_participant_has_an_excerpt_on_work_related_boundaries() -> None:
    study = EXAMPLE.published()
    boundaries = study.category("work-related-boundaries")
    coded = study.participant_ids(study.subtree_excerpts(boundaries))
    everyone = {p.id for p in study.participants}
    assert len(everyone) == 10
    assert sorted(everyone - coded) == []


def test_every_excerpt_is_an_illustrative_paraphrase() -> None:
    assert {e.kind.value for e in EXAMPLE.excerpts} == {"paraphrase"}


def test_participant_10_gives_the_annual_leave_example() -> None:
    leave = [e for e in EXAMPLE.excerpts if "annual leave" in e.text.lower()]
    assert leave and {e.participant_id for e in leave} == {"P10"}
    assert any("self-care-and-wellbeing" in e.illustrates for e in leave)
