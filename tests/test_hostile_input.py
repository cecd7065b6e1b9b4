"""Hostile input: every text is escaped for where it lands, and no file, however
made, gets anything but qualsite's own error with a location."""

from __future__ import annotations

import csv
import io
import json
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import build_site, main_text, write_study
from qualsite.errors import Problems, StudyError
from qualsite.study import load_study
from qualsite.study.format import FILE_KINDS
from qualsite.yaml_source import MAX_ALIAS_EXPANSION, MAX_FILE_BYTES, parse_yaml

EVIL = '=HYPERLINK("http://x") <script>x</script> {{ 6 * 7 }} *a* [b](c) \\ " \''


def test_every_output_context_escapes_the_same_hostile_text(tmp_path: Path) -> None:
    """The same text as a category name and an excerpt: literal in HTML and its
    Markdown headings, never evaluated by Jinja, literal in DOT/SVG, inert in CSV."""
    root = write_study(
        tmp_path,
        {
            "codebook/categories.yml": f"""\
                categories:
                  - {{id: coping, name: {json.dumps(EVIL)}}}
                  - {{id: peer-support, name: Peers, parent: coping}}
                  - {{id: supervision, name: Supervision, parent: coping}}
                """,
            "codebook/excerpts/p2.yml": f"""\
                participant: P2
                excerpts:
                  - {{id: evil, categories: [peer-support], allow: url,
                     text: {json.dumps("+" + EVIL)}}}
                """,
            "codebook/tables.yml": (
                "tables:\n  - {number: 1, title: T, categories: [coping, peer-support]}\n"
            ),
            "codebook/model.yml": "title: M\nnodes: [{category: coping}]\n",
        },
    )
    site = build_site(root)
    # HTML and Markdown: the heading and the page text show it as written.
    assert EVIL in main_text(site / "categories/coping/index.html")
    assert "+" + EVIL in main_text(site / "categories/peer-support/index.html")
    # Jinja: never evaluated on any page.
    for page in site.rglob("*.html"):
        assert "42" not in main_text(page), page
        assert "<script>x</script>" not in page.read_text(encoding="utf-8"), page
    # DOT and SVG: the figure's box says it exactly.
    assert EVIL.replace("  ", " ") in main_text(site / "model/index.html")
    svg = (site / "figures/figure-1.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    # CSV: no cell can start a formula in a spreadsheet.
    rows = list(csv.reader(io.StringIO((site / "tables/table-1.csv").read_text("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{EVIL}" in cells
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)


# -- limits ------------------------------------------------------------------------


def billion_laughs(depth: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, depth):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append("participants: []")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/participants.yml": billion_laughs()})
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    messages = [p.message for p in raised.value.problems]
    assert any(
        m.startswith("anchors and aliases expand this file by") and f"{MAX_ALIAS_EXPANSION:,}" in m
        for m in messages
    ), messages


def test_modest_reuse_of_anchors_is_fine() -> None:
    problems = Problems()
    document = parse_yaml(b"a: &x {k: v}\nb: *x\nc: *x\n", "x.yml", problems)
    assert document is not None and not list(problems)


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    problems = Problems()
    assert parse_yaml(b"participants: &p [*p]\n", "x.yml", problems) is None
    assert [str(p) for p in problems] == ["x.yml:1: an alias refers to the anchor that contains it"]


def test_files_over_the_size_limit_are_refused_unread(tmp_path: Path) -> None:
    write_study(tmp_path)
    big = tmp_path / "codebook/excerpts/huge.yml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: the limit is checked before reading
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    (problem,) = raised.value.problems
    assert problem.location.path.endswith("codebook/excerpts/huge.yml")
    assert "more than the limit of 32 MiB; split it into several files" in problem.message


def test_deep_nesting_is_refused() -> None:
    problems = Problems()
    assert parse_yaml(b"a: " + b"[" * 2000 + b"]" * 2000, "x.yml", problems) is None
    assert [p.message for p in problems] == [
        "the YAML is nested too deeply (more than 1000 levels)"
    ]


# -- fuzzing -----------------------------------------------------------------------

FIELD_NAMES = sorted(
    {name for kind in FILE_KINDS for name in kind.spec.fields}
    | {"id", "name", "text", "categories", "parent", "label", "participant", "number"}
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["P1", "coping", "peer-support", "../x", "", "a/b", "paraphrase", "<b>"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_loads_or_reports(codebook: Path) -> None:
    try:
        load_study(codebook)
    except StudyError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.location.path, problem
            assert problem.message and "Traceback" not in problem.message


@FUZZ
@given(
    kind=st.sampled_from([k.stem for k in FILE_KINDS]),
    document=documents,
)
def test_any_yaml_document_loads_or_gives_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, kind: str, document: object
) -> None:
    root = write_study(tmp_path_factory.mktemp("fuzz"))
    target = root / "codebook" / (f"{kind}.yml" if kind != "excerpts" else "excerpts/p1.yml")
    target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert_loads_or_reports(root / "codebook")


@FUZZ
@given(text=st.text(alphabet=string.printable + "&*!|>'\"%@`{}[]-:#?~ü🙂\x07\x00", max_size=200))
def test_any_text_at_all_loads_or_gives_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    root = write_study(tmp_path_factory.mktemp("fuzz"))
    (root / "codebook/categories.yml").write_text(
        "categories:\n  - id: coping\n    name: C\n" + text, encoding="utf-8"
    )
    assert_loads_or_reports(root / "codebook")


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_at_all_load_or_give_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    root = write_study(tmp_path_factory.mktemp("fuzz"))
    (root / "codebook/participants.yml").write_bytes(data)
    assert_loads_or_reports(root / "codebook")
