"""How to cite: the page, CITATION.cff, the footer and the DOI badge."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from helpers import broken_links, build_site, main_text, write_study
from qualsite.render.citation import name_parts
from qualsite.study.model import Author


def cited_study(root: Path) -> Path:
    return write_study(
        root,
        {
            "codebook/study.yml": """\
                title: Coping at work
                version: "2.1"
                date: 2025-06-30
                doi: 10.5281/zenodo.1234567
                licence: CC BY 4.0
                citation: Cite the thesis, please.
                authors:
                  - name: Ada van der Berg
                    given: Ada
                    family: van der Berg
                    orcid: 0000-0002-1825-0097
                  - {name: Jean-Paul Sartre}
                  - {name: The Research Unit, organisation: true}
                """
        },
    )


def test_the_cite_page_gives_apa_and_bibtex(tmp_path: Path) -> None:
    site = build_site(cited_study(tmp_path))
    text = main_text(site / "cite/index.html")
    assert "Cite the thesis, please." in text
    assert (
        "van der Berg, A., Sartre, J.-P., & The Research Unit (2025). Coping at work "
        "(Version 2.1) [Website]. https://doi.org/10.5281/zenodo.1234567"
    ) in text
    page = html.unescape((site / "cite/index.html").read_text(encoding="utf-8"))
    bibtex = re.search(r"@misc\{vanderberg2025,.*?\n\}", page, re.S)
    assert bibtex is not None
    assert (
        "author = {van der Berg, Ada and Sartre, Jean-Paul and {The Research Unit}}"
        in bibtex.group(0)
    )
    assert broken_links(site, site / "cite/index.html") == []


def test_citation_cff_in_the_site_root(tmp_path: Path) -> None:
    site = build_site(cited_study(tmp_path))
    cff = yaml.safe_load((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "Coping at work"
    assert cff["authors"] == [
        {
            "family-names": "van der Berg",
            "given-names": "Ada",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
        },
        {"family-names": "Sartre", "given-names": "Jean-Paul"},
        {"name": "The Research Unit"},
    ]
    assert (cff["version"], cff["date-released"], cff["doi"], cff["license"]) == (
        "2.1",
        "2025-06-30",
        "10.5281/zenodo.1234567",
        "CC-BY-4.0",
    )


def test_footer_shows_version_date_and_a_doi_badge_without_an_image(tmp_path: Path) -> None:
    site = build_site(cited_study(tmp_path))
    page = (site / "categories/coping/index.html").read_text(encoding="utf-8")
    footer = page[page.index('class="md-copyright"') :]
    assert "Version 2.1, published 2025-06-30" in footer
    assert '<a class="qs-doi" href="https://doi.org/10.5281/zenodo.1234567">' in footer
    assert "<img" not in footer.split("</footer>")[0]


def test_the_example_is_cited_as_the_developers_site(example_site: Path) -> None:
    text = main_text(example_site / "cite/index.html")
    assert "Please cite the original publication of this research" in text
    assert "The qualsite developers (" in text and "Vivolo, M." not in text


def test_name_parts() -> None:
    assert name_parts(Author("Marco Vivolo")) == ("Vivolo", "Marco")
    assert name_parts(Author("Plato")) == ("Plato", "")
    assert name_parts(Author("Ada van der Berg", given="Ada", family="van der Berg")) == (
        "van der Berg",
        "Ada",
    )
    assert name_parts(Author("NHS Trust R&D", organisation=True)) == ("NHS Trust R&D", "")
