"""How to cite: the page, CITATION.cff, the footer and the DOI badge."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import broken_links, build_site, main_text, run_qualsite, write_study
from qualsite.render.citation import name_parts, spdx_licence
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
    # The site is cited as the website it is, under its own name (site_name).
    assert (
        "van der Berg, A., Sartre, J.-P., & The Research Unit (2025). Test study "
        "(Version 2.1) [Website]. https://doi.org/10.5281/zenodo.1234567"
    ) in text
    page = html.unescape((site / "cite/index.html").read_text(encoding="utf-8"))
    bibtex = re.search(r"@misc\{vanderberg2025site,.*?\n\}", page, re.S)
    assert bibtex is not None
    assert (
        "author = {van der Berg, Ada and Sartre, Jean-Paul and {The Research Unit}}"
        in bibtex.group(0)
    )
    assert "title = {{Test study}}" in bibtex.group(0)
    assert broken_links(site, site / "cite/index.html") == []


def test_citation_cff_in_the_site_root(tmp_path: Path) -> None:
    site = build_site(cited_study(tmp_path))
    cff = yaml.safe_load((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "Test study"
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
    from test_publication import references

    text = main_text(example_site / "cite/index.html")
    assert "Please cite the original publication of this research" in text
    # The study's publication, with only what is known of it: no year (n.d.),
    # no DOI, no journal; the site under its own name and makers.
    study, site = references(example_site / "cite/index.html")
    assert study == (
        "Vivolo, M., Owen, J., & Fisher, P. (n.d.). Building resilience in the Psychological "
        "Wellbeing Practitioner role [Doctoral research, Doctorate in Clinical Psychology, "
        "University of East Anglia]."
    )
    assert re.fullmatch(
        r"The qualsite developers \(\d{4}\)\. Resilience in the PWP role \(Version 1\.0\) "
        r"\[Website\]\.",
        site,
    ), site
    assert "doi.org" not in text


def test_name_parts() -> None:
    assert name_parts(Author("Marco Vivolo")) == ("Vivolo", "Marco")
    assert name_parts(Author("Plato")) == ("Plato", "")
    assert name_parts(Author("Ada van der Berg", given="Ada", family="van der Berg")) == (
        "van der Berg",
        "Ada",
    )
    assert name_parts(Author("NHS Trust R&D", organisation=True)) == ("NHS Trust R&D", "")


AWKWARD_STUDY = """\
    title: Coping at work
    date: 2025-06-30
    url: https://example.org/my_study/~ada/a%20b#x
    doi: 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0
    licence: {licence}
    authors:
      - {{name: The Research Unit, organisation: true, affiliation: A University}}
      - {{name: Ada Lovelace, affiliation: A University}}
    """


def _cff(root: Path, licence: str) -> tuple[dict[str, object], str]:
    study = AWKWARD_STUDY.format(licence=licence)
    write_study(root, {"codebook/study.yml": study})
    result = run_qualsite("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load((root / "site/CITATION.cff").read_text(encoding="utf-8")), result.stderr


def test_citation_cff_holds_only_what_the_format_accepts(tmp_path: Path) -> None:
    cff, log = _cff(tmp_path, "All rights reserved")
    # An organisation has no affiliation in CFF; a person keeps theirs.
    assert cff["authors"] == [
        {"name": "The Research Unit"},
        {"family-names": "Lovelace", "given-names": "Ada", "affiliation": "A University"},
    ]
    assert "license" not in cff and "doi" not in cff
    assert cff["url"] == "https://example.org/my_study/~ada/a%20b#x"
    assert "codebook/study.yml:1: CITATION.cff leaves out the licence 'All rights reserved'" in log
    assert "CITATION.cff leaves out the DOI" in log


def test_licences_as_people_write_them_become_spdx_identifiers() -> None:
    assert spdx_licence("CC BY-NC-ND 4.0") == "CC-BY-NC-ND-4.0"
    assert spdx_licence("cc-by-4.0") == "CC-BY-4.0"
    assert spdx_licence("CC0") == "CC0-1.0"
    assert spdx_licence("MIT") == "MIT"
    assert spdx_licence("All rights reserved") is None
    assert spdx_licence("Public domain") is None  # CC0 is a different legal instrument
    # An SPDX identifier newer than CFF 1.2.0, which the format's schema refuses.
    assert spdx_licence("CC BY-NC-SA 3.0 IGO") is None


def test_bibtex_keeps_addresses_as_written(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/study.yml": AWKWARD_STUDY.format(licence="CC BY 4.0")})
    site = build_site(tmp_path)
    page = html.unescape((site / "cite/index.html").read_text(encoding="utf-8"))
    assert "doi = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0}" in page
    assert "url = {https://doi.org/10.1002/" in page


def cffconvert() -> str:
    found = os.environ.get("QUALSITE_CFFCONVERT") or shutil.which("cffconvert")
    if found is None:
        hint = (
            "cffconvert not found: pip install cffconvert (in its own venv), "
            "or name it with QUALSITE_CFFCONVERT"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{hint} (CI=true: CITATION.cff must be validated)", pytrace=False)
        pytest.skip(hint)
    return found


@pytest.mark.parametrize(
    "licence", ["CC BY-NC-ND 4.0", "All rights reserved", "CC BY-NC-SA 3.0 IGO", "ODbL-1.0"]
)
def test_citation_cff_is_valid_for_the_citation_file_format(tmp_path: Path, licence: str) -> None:
    validator = cffconvert()
    _cff(tmp_path, licence)
    result = subprocess.run(
        [validator, "--validate", "--infile", str(tmp_path / "site/CITATION.cff")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_addresses_and_dates_that_cannot_be_used_are_refused(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/study.yml": """\
                title: Coping at work
                date: 2025-13-45
                url: www.example.org/x
                authors:
                  - name: A. Researcher
                """
        },
    )
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "codebook/study.yml:2: date: '2025-13-45' is not a day of the calendar" in result.stderr
    assert "study.yml:3: url: 'www.example.org/x' is not a valid web address" in result.stderr
    assert not (tmp_path / "site").exists()
