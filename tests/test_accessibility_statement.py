"""The Accessibility page (issue 20): the statement UK public-sector sites
publish, true for the site qualsite built, with a contact from study.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import build_site, main_text, read_html, write_study


def _statement(site: Path) -> str:
    return main_text(site / "accessibility/index.html")


def test_the_example_has_a_statement_in_its_navigation(example_site: Path) -> None:
    text = _statement(example_site)
    assert "WCAG) version 2.2 at level AA" in text and "partially compliant" in text
    assert "Known limits" in text and "How it was tested" in text
    # The example was made by qualsite's developers, who are its contact.
    assert "contact those who made it: The qualsite developers." in text
    assert "accessibility/" in read_html(example_site / "index.html").links


def test_the_contact_comes_from_study_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    write_study(
        tmp_path,
        {
            "codebook/study.yml": """\
                title: A test study
                authors:
                  - name: A. Researcher
                contact: study-team@example.org
                """
        },
    )
    site = build_site(tmp_path)
    html = (site / "accessibility/index.html").read_text(encoding="utf-8")
    assert '<a href="mailto:study-team@example.org">study-team@example.org</a>' in html
    text = _statement(site)
    assert "This statement was prepared on 1 January 2026, when the site was built." in text
    # A study without a model makes no claim about a figure.
    assert "figure" not in text


def test_without_a_contact_the_authors_are_named(tmp_path: Path) -> None:
    write_study(tmp_path)
    text = _statement(build_site(tmp_path))
    assert "contact the study's authors: A. Researcher." in text
