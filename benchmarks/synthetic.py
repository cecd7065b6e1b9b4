"""Deterministic synthetic studies for the benchmark (and for profiling).

The same size and seed always give the same files: 6 phases of 7 dimensions
of 7 categories (342 categories in all), 100 participants with one excerpt
file each, excerpts of one to three sentences (a fifth of them with
numbers in) coded to one or two lowest-level categories, a model of the
phases and three tables. Its ``mkdocs.yml`` has the theme that ``qualsite
new`` writes (Material, its features and palettes, no web fonts).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

PHASES = 6
DIMENSIONS = 7
LEAVES = 7
PARTICIPANTS = 100

_VOCABULARY = """
    time work team client session week supervision caseload risk support feel help
    manager service values meaning cope break boundary talk colleague listen change
    notes hard day learn train plan rest leave home role purpose care difficult
    remember pressure target waiting list call trust reflect share open honest
"""
_WORDS = tuple(_VOCABULARY.split())


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def write_study(root: Path, excerpts: int, seed: int = 20261128) -> Path:
    """Write a study with ``excerpts`` excerpts under ``root``; returns ``root``."""
    rng = random.Random(seed)
    codebook = root / "codebook"
    (codebook / "excerpts").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(parents=True, exist_ok=True)
    categories: list[dict[str, object]] = []
    leaves: list[str] = []
    for p in range(PHASES):
        phase = f"phase-{p + 1}"
        categories.append(_category(rng, phase, None, "phase", f"Phase {p + 1}", core=p == 1))
        for d in range(DIMENSIONS):
            dimension = f"{phase}-dimension-{d + 1}"
            name = f"Dimension {p + 1}.{d + 1}"
            categories.append(_category(rng, dimension, phase, "dimension", name))
            for leaf in range(LEAVES):
                leaf_id = f"{dimension}-category-{leaf + 1}"
                leaves.append(leaf_id)
                name = f"Category {p + 1}.{d + 1}.{leaf + 1}"
                categories.append(_category(rng, leaf_id, dimension, "category", name))
    _dump(
        codebook / "study.yml",
        {
            "title": f"Synthetic study of {excerpts} excerpts",
            "authors": [{"name": "Benchmark Author"}],
            "version": "1.0",
        },
    )
    _dump(
        codebook / "participants.yml",
        {
            "participants": [
                {"id": f"P{n}", "label": f"Participant {n}"} for n in range(1, PARTICIPANTS + 1)
            ]
        },
    )
    _dump(codebook / "categories.yml", {"categories": categories})
    by_participant: dict[int, list[dict[str, object]]] = {n: [] for n in range(1, PARTICIPANTS + 1)}
    for number in range(excerpts):
        participant = rng.randint(1, PARTICIPANTS)
        coded = rng.sample(leaves, 2 if rng.random() < 0.3 else 1)
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.2:
            # Numbers, as interviews have them: the guard's patterns must
            # look at these excerpts in full.
            text += (
                f" I saw {rng.randint(2, 30)} clients that week, back in {rng.randint(2015, 2024)}."
            )
        by_participant[participant].append({"id": f"x{number}", "categories": coded, "text": text})
    for participant, items in by_participant.items():
        _dump(
            codebook / "excerpts" / f"p{participant:03d}.yml",
            {"participant": f"P{participant}", "kind": "verbatim", "excerpts": items},
        )
    _dump(
        codebook / "model.yml",
        {
            "title": "Synthetic model",
            "direction": "LR",
            "groups": [{"category": f"phase-{p + 1}"} for p in range(PHASES)],
            "nodes": [
                {"category": f"phase-{p + 1}-dimension-{d + 1}", "group": f"phase-{p + 1}"}
                for p in range(PHASES)
                for d in range(2)
            ],
            "edges": [
                {"from": f"phase-{p + 1}", "to": f"phase-{p + 2}", "label": "leads to"}
                for p in range(PHASES - 1)
            ],
        },
    )
    _dump(
        codebook / "tables.yml",
        {
            "tables": [
                {"number": t + 1, "title": f"Phase {t + 1}", "subtree": f"phase-{t + 1}"}
                for t in range(3)
            ]
        },
    )
    (root / "content" / "index.md").write_text(
        f"# Synthetic study\n\nA benchmark study of {excerpts} excerpts.\n", encoding="utf-8"
    )
    # A deny-list as a real study has one, outside the study's folder: the
    # confidentiality guard and the last gate match it on every text.
    deny_list = root.parent / f"{root.name}-deny-list.txt"
    deny_list.write_text("\n".join(deny_list_entries(rng)) + "\n", encoding="utf-8")
    settings = {
        "site_name": "Synthetic study",
        "docs_dir": "content",
        # The theme as ``qualsite new`` writes it: its features (the
        # section indexes, the pruned sidebar) and its palettes.
        "theme": scaffold_theme(),
        "plugins": ["search", {"qualsite": {"deny_list": f"../{deny_list.name}"}}],
    }
    _dump(root / "mkdocs.yml", settings)
    return root


def scaffold_theme() -> dict[str, object]:
    """The ``theme`` of the ``mkdocs.yml`` that ``qualsite new`` writes."""
    from qualsite.scaffold import FILES

    settings = yaml.safe_load((FILES / "mkdocs.yml").read_text(encoding="utf-8"))
    theme: dict[str, object] = settings["theme"]
    return theme


#: Invented names and places for the deny-list (none is in the vocabulary).
_GIVEN = [
    "Aoife",
    "Bartosz",
    "Chidi",
    "Delyth",
    "Eero",
    "Fenella",
    "Gwilym",
    "Hamish",
    "Ingrid",
    "Jolyon",
]
_FAMILY = [
    "Abernethy",
    "Blackwood",
    "Carrow",
    "Dunmore",
    "Ellery",
    "Fairweather",
    "Gillespie",
    "Hartigan",
]
_PLACES = [
    "Ashby",
    "Brackenridge",
    "Coldharbour",
    "Dunsford",
    "Eastwick",
    "Fernhill",
    "Glenmoor",
    "Hollins",
]


def deny_list_entries(rng: random.Random) -> list[str]:
    """200 entries, as a study of 100 participants might list: full names,
    first names, services and places."""
    names = [f"{given} {family}" for given in _GIVEN for family in _FAMILY]
    services = [f"{place} {kind}" for place in _PLACES for kind in ("Talking Therapies", "CMHT")]
    entries = names + services + _GIVEN + _PLACES
    rng.shuffle(entries)
    return entries[:200]


def _category(
    rng: random.Random,
    category_id: str,
    parent: str | None,
    level: str,
    name: str,
    core: bool = False,
) -> dict[str, object]:
    category: dict[str, object] = {"id": category_id, "name": name, "level": level}
    if parent is not None:
        category["parent"] = parent
    if core:
        category["core"] = True
    category["definition"] = _sentence(rng)
    return category


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    # python benchmarks/synthetic.py DIR EXCERPTS: a study to build or profile.
    import sys

    write_study(Path(sys.argv[1]), int(sys.argv[2]))
