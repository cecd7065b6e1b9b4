"""Hostile YAML: tags that force a scalar's type, and aliases that repeat big
values. Each gets qualsite's own error naming the file and line, never a
traceback, and never a site many times the size of its codebook."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_study
from qualsite import yaml_source
from qualsite.errors import Problems, StudyError
from qualsite.fields import ListOf, MapOf, Record, ShortOrLong, Spec
from qualsite.study import load_study
from qualsite.study.format import FILE_KINDS
from qualsite.yaml_source import parse_yaml

# -- tags that force a scalar's type -------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "withdrawn: !!bool junk",
            "participants.yml:4: withdrawn: expected true or false, found 'junk' "
            "tagged !!bool, which it is not; remove the tag",
        ),
        (
            'withdrawn: !!int ""',
            "participants.yml:4: withdrawn: expected true or false, found nothing "
            "tagged !!int, which it is not; remove the tag",
        ),
        (
            "label: !!null P one",
            "participants.yml:4: label: expected text, found 'P one' "
            "tagged !!null, which it is not; remove the tag",
        ),
        (
            "withdrawn: !!int 12",
            "participants.yml:4: withdrawn: expected true or false, found the number 12",
        ),
    ],
)
def test_a_tag_that_does_not_fit_its_value_is_a_located_error(
    tmp_path: Path, line: str, expected: str
) -> None:
    write_study(
        tmp_path,
        {
            "codebook/participants.yml": f"""\
                participants:
                  - id: P1
                  - id: P2
                    {line}
                  - id: P3
                """
        },
    )
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    assert [str(p).split("codebook/", 1)[1] for p in raised.value.problems] == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('!!int ""', "order: expected a whole number, found nothing tagged !!int"),
        ("!!int 0b_", "order: expected a whole number, found '0b_' tagged !!int"),
        ("!!int " + "9" * 5000, "order: is too large a number"),
        ("!!int 1" + ":59" * 3000, "order: is too large a number"),
        ("!!float 1.5", "order: expected a whole number, found the number 1.5"),
        ("!!timestamp soon", "order: expected a whole number, found 'soon' tagged !!timestamp"),
    ],
)
def test_a_whole_number_that_is_not_one_is_a_located_error(
    tmp_path: Path, value: str, expected: str
) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": f"""\
                categories:
                  - id: coping
                    name: Coping
                    order: {value}
                  - {{id: peer-support, name: Peers, parent: coping}}
                  - {{id: supervision, name: Supervision, parent: coping}}
                """
        },
    )
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    (problem,) = raised.value.problems
    assert problem.location.path.endswith("codebook/categories.yml")
    assert problem.location.line == 4
    assert problem.message.startswith(expected), problem.message
    assert len(problem.message) < 200


def test_tags_that_fit_their_values_still_load(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/study.yml": """\
                title: !!str 2025
                year: !!int 2_025
                version: !!float 1.0
                date: !!timestamp 2025-11-28
                authors:
                  - {name: A. Researcher, organisation: !!bool no}
                """,
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: !!str yes, order: !!int 0x1F}
                  - {id: peer-support, name: Peers, parent: coping, core: !!bool True}
                  - {id: supervision, name: Supervision, parent: coping, order: !!int -3}
                """,
        },
    )
    study = load_study(tmp_path / "codebook")
    assert study.meta.title == "2025"
    assert study.meta.year == 2025
    names = {c.id: c.name for c in study.categories}
    assert names["coping"] == "yes"


# The hypothesis test below puts a tagged scalar in place of every field of
# every record kind (FILE_KINDS, nested records too), of the first item of
# every list or mapping field, and of a field's name.

#: One small valid study, as data: one record of every kind, nested ones too.
BASE: dict[str, Any] = {
    "study": {
        "title": "T",
        "authors": [{"name": "A. Researcher"}],
        "site_authors": [{"name": "B. Maker"}],
        "excerpt_labels": {"paraphrase": "Paraphrase"},
    },
    "participants": {"participants": [{"id": "P1"}, {"id": "P2"}]},
    "categories": {
        "categories": [
            {"id": "coping", "name": "Coping"},
            {
                "id": "peer-support",
                "name": "Peers",
                "parent": "coping",
                "renamed_from": ["peers"],
                "memo": [{"text": "M", "date": "2024-03-01"}],
            },
        ],
        "retired": [{"id": "support", "name": "S", "merged_into": "coping", "reason": "R"}],
    },
    "excerpts": {
        "participant": "P1",
        "excerpts": [
            {
                "id": "p1-a",
                "categories": ["peer-support"],
                "text": "Words.",
                "source": {"interview": "I1"},
            }
        ],
    },
    "tables": {
        "tables": [
            {"number": 1, "title": "T", "categories": ["coping"], "columns": [{"kind": "category"}]}
        ]
    },
    "model": {
        "title": "M",
        "groups": [{"category": "coping"}],
        "nodes": [
            {"category": "peer-support", "group": "coping"},
            {"id": "resilience", "label": "Resilience"},
        ],
        "edges": [{"from": "peer-support", "to": "resilience", "label": "builds"}],
    },
    "decisions": {
        "decisions": [
            {
                "date": "2024-03-01",
                "decided": "D",
                "why": "W",
                "by": "the team",
                "stage": "open coding",
                "categories": ["coping"],
            }
        ]
    },
    "checklist": {
        "standard": "COREQ",
        "items": [{"item": 1, "answer": "A"}, {"item": 2, "category": "coping"}],
    },
}
FILES = {"excerpts": "excerpts/p1.yml"}

HOLE = "qualsite-hole-7f3a"
#: In a place: the hole is a key of the mapping there, not a value.
KEY = ("key",)


def _records(spec: Spec[Any]) -> Iterator[Record]:
    if isinstance(spec, Record):
        yield spec
    elif isinstance(spec, ListOf):
        yield from _records(spec.item)
    elif isinstance(spec, ShortOrLong):
        yield from _records(spec.long)


def holes(spec: Record, value: dict[str, Any], path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Every place in ``value`` (read with ``spec``) where a field's value, or
    a field's name, can go."""
    yield (*path, KEY)
    for name, field in spec.fields.items():
        yield (*path, name)
        inner = field.spec
        if isinstance(inner, ListOf):
            yield (*path, name, 0)
        if isinstance(inner, MapOf):
            yield (*path, name, "key")
            yield (*path, name, KEY)
        for record in _records(inner):
            found = value.get(name)
            item = found[0] if isinstance(found, list) and found else found
            if isinstance(item, dict):
                at = (*path, name, 0) if isinstance(found, list) else (*path, name)
                yield from holes(record, item, at)


TARGETS = [
    (kind.stem, place) for kind in FILE_KINDS for place in holes(kind.spec, BASE[kind.stem], ())
]


def with_hole(document: Any, place: tuple[Any, ...]) -> Any:
    """A copy of ``document`` with HOLE at ``place`` (made if missing)."""
    if not place:
        return HOLE
    head, rest = place[0], place[1:]
    if head == KEY:
        return {**(document if isinstance(document, dict) else {}), HOLE: "x"}
    if isinstance(head, int):
        items = list(document) if isinstance(document, list) else []
        if items:
            items[0] = with_hole(items[0], rest)
        else:
            items = [with_hole(None, rest)]
        return items
    mapping = dict(document) if isinstance(document, dict) else {}
    mapping[head] = with_hole(mapping.get(head), rest)
    return mapping


TAGS = ["!!bool", "!!int", "!!float", "!!timestamp", "!!null", "!!str", "!!binary", "!local"]
ODD_VALUES = [
    "",
    " ",
    "junk",
    "0b",
    "0b_",
    "0x",
    "0x_",
    "_",
    "-",
    "+",
    "1:",
    "08",
    "0o7",
    "1_000",
    "1:30",
    "yes",
    "yEs",
    "~",
    "null",
    ".inf",
    "-.inf",
    ".nan",
    "1e400",
    "2025-13-45",
    "2025-02-30",
    "2025-1-1 25:61:61",
    "١٢٣",
    "9" * 5000,
    "1" + ":59" * 2000,
    "x" * 300,
]
tagged_values = st.tuples(
    st.sampled_from(TAGS),
    st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40)),
    st.sampled_from(["double", "single", "plain"]),
)


def written(tag: str, value: str, style: str) -> str:
    if style == "single":
        return f"{tag} '" + value.replace("'", "''").replace("\n", " ") + "'"
    if (
        style == "plain"
        and value
        and set(value) <= set(string.ascii_letters + string.digits + "_.:+-")
    ):
        return f"{tag} {value}"
    return f"{tag} {json.dumps(value)}"


def assert_short_messages(problems: tuple[Any, ...], value: str) -> None:
    """No message echoes more than a short piece of a long value."""
    for problem in problems:
        for start in range(max(0, len(value) - 40)):
            assert value[start : start + 41] not in problem.message, problem


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), tagged=tagged_values)
def test_any_tagged_scalar_in_any_field_loads_or_gives_a_located_error(
    tmp_path_factory: pytest.TempPathFactory,
    target: tuple[str, tuple[Any, ...]],
    tagged: tuple[str, str, str],
) -> None:
    kind, place = target
    tag, value, style = tagged
    root = write_study(tmp_path_factory.mktemp("tagged"))
    codebook = root / "codebook"
    for stem, document in BASE.items():
        text = yaml.safe_dump(
            with_hole(document, place) if stem == kind else document,
            allow_unicode=True,
            width=10_000,
        )
        text = text.replace(HOLE, written(tag, value, style))
        (codebook / FILES.get(stem, f"{stem}.yml")).write_text(text, encoding="utf-8")
    (codebook / "excerpts/p2.yml").unlink()
    try:
        load_study(codebook)
    except StudyError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.location.path and problem.location.line > 0, problem
            assert "Traceback" not in problem.message
        assert_short_messages(error.problems, value)


def test_the_fuzzed_base_study_is_valid(tmp_path: Path) -> None:
    """The study the fuzzing starts from loads, so its errors come from the tags."""
    root = write_study(tmp_path)
    for stem, document in BASE.items():
        path = root / "codebook" / FILES.get(stem, f"{stem}.yml")
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
    (root / "codebook/excerpts/p2.yml").unlink()
    load_study(root / "codebook")
    assert len(TARGETS) > 80


# -- aliases that repeat big values ---------------------------------------------------


def test_a_few_aliases_to_a_huge_scalar_are_refused(tmp_path: Path) -> None:
    """150 KB of YAML whose aliases repeat one 100 KB text 500 times: 50 MB."""
    big = "word " * 20_000
    lines = ["participants:", "  - id: P1", f"    label: &big {json.dumps(big)}"]
    lines += [f"  - {{id: X{n}, label: *big}}" for n in range(500)]
    write_study(tmp_path, {"codebook/participants.yml": "\n".join(lines) + "\n"})
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    (problem,) = raised.value.problems
    assert problem.location.path.endswith("codebook/participants.yml")
    assert problem.location.line >= 1
    assert "anchors and aliases repeat" in problem.message
    assert f"more than the limit of {yaml_source.MAX_ALIAS_CHARACTERS:,}" in problem.message
    assert problem.location.line == 3  # the anchor
    assert "repeat long text less often, or write it out where it is needed" in problem.message


def test_a_realistic_file_reusing_short_anchors_is_accepted() -> None:
    """A participant's excerpts file that reuses a source, a list of
    categories and a memo in each of its 300 excerpts is read."""
    lines = [
        "defaults:",
        "  source: &source {interview: I1, lines: 1-20}",
        "  categories: &cats [peer-support, supervision, coping, boundaries]",
        "  memo: &memo " + "Checked against the transcript by the second coder. " * 8,
        "excerpts:",
    ]
    for n in range(300):
        lines.append(f"  - {{id: p1-{n}, text: Words {n}., categories: *cats, source: *source,")
        lines.append("     memo: *memo}")
    problems = Problems()
    document = parse_yaml("\n".join(lines).encode(), "x.yml", problems)
    assert document is not None and not list(problems), list(problems)
