"""The search index is shaped entry by entry, and written out the same as
when it is read whole (qualsite.render.search): a big study's index is
tens of megabytes, read while the whole site is in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualsite.render.search import (
    CategoryLead,
    SearchPlan,
    shape_search_index,
    shape_search_index_file,
)

PLAN = SearchPlan(
    generated=frozenset({"categories/coping/"}),
    leads={"categories/coping/": CategoryLead("Coping", "<p>How people cope.</p>", "Coping")},
    excerpts={},
    entry=lambda page, excerpt: {},
)

ENTRIES = [
    {"location": "", "title": "Home", "text": "<p>Welcome \u00b7 caf\u00e9</p>"},
    {"location": "categories/coping/", "title": "Coping", "text": "<p>Level: phase</p>"},
    {"location": "categories/coping/#coping", "title": "Coping", "text": "<p>x</p>"},
    {"location": "categories/coping/#empty", "title": "Empty", "text": ""},
    {"location": "about/#more", "title": "More", "text": '<p>1.5 \\ "quoted"</p>'},
]
MATERIAL_CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [], "fields": {}}

LAYOUTS = [
    pytest.param(
        json.dumps({"config": MATERIAL_CONFIG, "docs": ENTRIES}, separators=(",", ":")),
        id="as-material-writes-it",
    ),
    pytest.param(json.dumps({"config": MATERIAL_CONFIG, "docs": ENTRIES}, indent=2), id="indented"),
    pytest.param(
        json.dumps({"config": MATERIAL_CONFIG, "docs": ENTRIES, "extra": [1, {"a": None}]}),
        id="another-key-after",
    ),
    pytest.param(json.dumps({"config": MATERIAL_CONFIG, "docs": []}), id="no-entries"),
    pytest.param(json.dumps({"docs": ENTRIES, "config": MATERIAL_CONFIG}), id="config-last"),
    pytest.param(json.dumps({"config": {"lang": ["en"]}, "docs": ENTRIES}), id="mkdocs-own-search"),
    pytest.param(
        '{"config":'
        + json.dumps(MATERIAL_CONFIG)
        + ',"docs":[],"docs":'
        + json.dumps(ENTRIES)
        + "}",
        id="a-key-twice",
    ),
    pytest.param(json.dumps({"config": MATERIAL_CONFIG}), id="no-docs"),
    pytest.param(
        json.dumps({"config": MATERIAL_CONFIG, "docs": ENTRIES}) + "\n", id="a-line-break-after"
    ),
]


@pytest.mark.parametrize("index", LAYOUTS)
def test_the_index_shaped_as_it_is_written_is_the_index_shaped_whole(
    index: str, tmp_path: Path
) -> None:
    path = tmp_path / "search_index.json"
    path.write_text(index, encoding="utf-8")
    shape_search_index_file(path, PLAN)
    assert path.read_text(encoding="utf-8") == shape_search_index(index, PLAN)
    assert [p.name for p in tmp_path.iterdir()] == ["search_index.json"]


def test_the_index_is_shaped() -> None:
    index = json.dumps({"config": MATERIAL_CONFIG, "docs": ENTRIES})
    shaped = json.loads(shape_search_index(index, PLAN))["docs"]
    coping = [e for e in shaped if e["location"].startswith("categories/coping/")]
    # The category's entry leads with its definition; its heading and an
    # empty section are dropped.
    assert coping == [
        {"location": "categories/coping/", "title": "Coping", "text": "<p>How people cope.</p>"}
    ]
