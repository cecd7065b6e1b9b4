"""Rules the test suite keeps so that it never flakes on a busy machine."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).resolve().parent


def test_hypothesis_has_no_deadline() -> None:
    assert settings.default.deadline is None


def test_no_test_sets_a_hypothesis_deadline_of_its_own() -> None:
    # A deadline written on one test would override the profile.
    timed = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            untimed = isinstance(node, ast.keyword) and (
                isinstance(node.value, ast.Constant) and node.value.value is None
            )
            if isinstance(node, ast.keyword) and node.arg == "deadline" and not untimed:
                timed.append(f"{path.relative_to(TESTS)}:{node.value.lineno}")
    assert timed == []
