"""The published JSON Schemas: current, valid, and in agreement with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import REPO
from qualsite.study.format import FILE_KINDS, FileKind
from qualsite.study.loader import kind_files
from qualsite.study.schema import SCHEMAS_DIR, schema_filename, schema_text


class _DatesAsText(yaml.SafeLoader):
    """YAML as editors read it (YAML 1.2, as yaml-language-server does) and
    as qualsite does: ``date: 2024-03-01`` is text, which PyYAML's YAML 1.1
    would make a date."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, rule) for tag, rule in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.stem)
def test_committed_schema_is_up_to_date(kind: FileKind) -> None:
    committed = (SCHEMAS_DIR / schema_filename(kind)).read_text(encoding="utf-8")
    assert committed == schema_text(kind), "run `make schemas` and commit the result"


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.stem)
def test_schema_is_a_valid_json_schema(kind: FileKind) -> None:
    schema = json.loads((SCHEMAS_DIR / schema_filename(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.stem)
def test_example_study_validates_against_the_schemas(kind: FileKind) -> None:
    schema = json.loads((SCHEMAS_DIR / schema_filename(kind)).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    paths = list(kind_files(REPO / "codebook", kind))
    assert paths
    for path in paths:
        document = yaml.load(path.read_text(), Loader=_DatesAsText)
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], path


def test_schemas_reject_what_the_loader_rejects() -> None:
    schema = json.loads((SCHEMAS_DIR / "excerpts.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    bad = {
        "participant": "../P1",
        "excerpts": [{"id": "a/b", "text": "", "categories": [], "kind": "quote", "x": 1}],
    }
    failing = {tuple(e.absolute_path) for e in validator.iter_errors(bad)}
    assert ("participant",) in failing
    assert ("excerpts", 0, "id") in failing
    assert ("excerpts", 0, "text") in failing
    assert ("excerpts", 0, "kind") in failing
    assert ("excerpts", 0) in failing  # the unknown field x, and the empty category list


def test_schema_files_are_referenced_by_the_example_files() -> None:
    for path in (REPO / "codebook").rglob("*.yml"):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first_line.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path} points at a missing schema {target}"
        assert target.parent == Path(SCHEMAS_DIR).resolve()
