"""The study's own publication: its references (APA 7, BibTeX, CFF), kept
apart from the citation of the site, and precise errors for a bad one."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import build_site, main_text, run_qualsite, write_study
from qualsite.fields import Origin
from qualsite.render.reference import publication_apa, publication_bibtex
from qualsite.study.model import Author, Publication, PublicationType
from test_citation import cffconvert

ORIGIN = Origin("codebook/study.yml", 1)


def publication(kind: PublicationType, **fields: object) -> Publication:
    values: dict[str, object] = {
        "title": "Coping at work",
        "authors": (Author("Ada Lovelace"), Author("Jean-Paul Sartre")),
        **fields,
    }
    return Publication(type=kind, origin=ORIGIN, **values)  # type: ignore[arg-type]


def test_an_article() -> None:
    article = publication(
        PublicationType.ARTICLE,
        title="Coping at work: a grounded theory",
        year=2024,
        journal="Journal of Things",
        volume="12",
        issue="3",
        pages="117-131",
        doi="10.1234/jot.2024.5",
    )
    reference = publication_apa(article)
    assert reference.text() == (
        "Lovelace, A., & Sartre, J.-P. (2024). Coping at work: a grounded theory. "
        "Journal of Things, 12(3), 117–131. https://doi.org/10.1234/jot.2024.5"
    )
    # The journal and the volume in italics, as APA sets them.
    assert "<em>Journal of Things, </em><em>12</em>(3)" in reference.html()
    assert publication_bibtex(article) == (
        "@article{lovelace2024coping,\n"
        "  author = {Lovelace, Ada and Sartre, Jean-Paul},\n"
        "  title = {{Coping at work: a grounded theory}},\n"
        "  journal = {Journal of Things},\n"
        "  volume = {12},\n"
        "  number = {3},\n"
        "  pages = {117--131},\n"
        "  year = {2024},\n"
        "  doi = {10.1234/jot.2024.5},\n"
        "  url = {https://doi.org/10.1234/jot.2024.5}\n"
        "}\n"
    )


def test_an_article_by_its_number() -> None:
    article = publication(
        PublicationType.ARTICLE, year=2021, journal="PLOS ONE", volume="16", pages="e0245123"
    )
    assert "PLOS ONE, 16, Article e0245123." in publication_apa(article).text()


def test_a_thesis_without_a_year_says_no_date_and_invents_none() -> None:
    thesis = publication(
        PublicationType.THESIS,
        authors=(Author("Marco Vivolo"),),
        institution="University of East Anglia",
    )
    assert publication_apa(thesis).text() == (
        "Vivolo, M. (n.d.). Coping at work [Doctoral thesis, University of East Anglia]."
    )
    entry = publication_bibtex(thesis)
    assert entry.startswith("@phdthesis{vivolocoping,\n")
    assert "school = {University of East Anglia}" in entry
    assert "year" not in entry and "type =" not in entry


def test_a_masters_thesis() -> None:
    thesis = publication(
        PublicationType.THESIS, year=2019, institution="A University", thesis_type="Master's thesis"
    )
    assert "[Master's thesis, A University]." in publication_apa(thesis).text()
    entry = publication_bibtex(thesis)
    assert entry.startswith("@mastersthesis{") and "type = {Master's thesis}" in entry


def test_a_report_issued_by_its_author_names_it_once() -> None:
    unit = Author("NHS Research Unit", organisation=True)
    report = publication(
        PublicationType.REPORT,
        title="Staff wellbeing",
        authors=(unit,),
        year=2023,
        number="12",
        institution="NHS Research Unit",
        url="https://example.org/report",
    )
    assert publication_apa(report).text() == (
        "NHS Research Unit (2023). Staff wellbeing (Report No. 12). https://example.org/report"
    )
    other = publication(
        PublicationType.REPORT, title="Staff wellbeing", year=2023, institution="NHS England"
    )
    assert publication_apa(other).text().endswith("Staff wellbeing. NHS England.")
    entry = publication_bibtex(report)
    assert entry.startswith("@techreport{nhsresearchunit2023staff,\n")
    assert "author = {{NHS Research Unit}}" in entry and "number = {12}" in entry


def test_a_book() -> None:
    book = publication(PublicationType.BOOK, title="On coping", year=2020, publisher="Oxford Press")
    assert publication_apa(book).text() == (
        "Lovelace, A., & Sartre, J.-P. (2020). On coping. Oxford Press."
    )
    assert "<em>On coping.</em> Oxford Press." in publication_apa(book).html()
    assert "publisher = {Oxford Press}" in publication_bibtex(book)


def test_apa_lists_twenty_authors_then_an_ellipsis_and_the_last() -> None:
    many = tuple(Author(f"Author Number{n}") for n in range(1, 23))
    text = publication_apa(publication(PublicationType.BOOK, authors=many, publisher="P")).text()
    assert "Number19, A., . . . Number22, A. (n.d.)" in text
    assert "Number20" not in text and "&" not in text


def test_bibtex_escapes_what_latex_reads_and_keeps_addresses() -> None:
    book = publication(
        PublicationType.BOOK,
        title="Stress & coping: 100% {real} $costs_1 #2 ~ ^ \\",
        publisher="R&D Press",
        url="https://example.org/a_b{c}",
    )
    entry = publication_bibtex(book)
    assert (
        "title = {{Stress \\& coping: 100\\% \\{real\\} \\$costs\\_1 \\#2 \\textasciitilde{} "
        "\\textasciicircum{} \\textbackslash{}}}"
    ) in entry
    assert "publisher = {R\\&D Press}" in entry
    assert "url = {https://example.org/a_b%7Bc%7D}" in entry


# -- the study's publication in a built site ------------------------------------------------

PUBLISHED = """\
    title: Coping at work
    version: "2.1"
    date: 2025-06-30
    doi: 10.5281/zenodo.1234567
    authors:
      - {name: Ada Lovelace, affiliation: A University, orcid: 0000-0002-1825-0097}
    site_authors:
      - {name: The Web Team, organisation: true}
    publication:
      type: article
      title: "<b>Coping</b> & {{ work }}"
      year: 2024
      journal: Journal of Things
      volume: 12
      issue: 3
      pages: 117-131
      doi: 10.1234/jot.2024.5
    """


def references(page: Path) -> list[str]:
    """The references on a Cite page, as a reader reads them (the study's
    first, then the site's)."""
    found = re.findall(r'<p class="qs-reference">(.*?)</p>', page.read_text("utf-8"), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", r)).split()) for r in found]


def test_the_cite_page_gives_the_study_and_the_site_apart(tmp_path: Path) -> None:
    site = build_site(write_study(tmp_path, {"codebook/study.yml": PUBLISHED}))
    # The study's reference, its title shown as written (escaped, never
    # markup); then the site's: its own name, makers and DOI.
    assert references(site / "cite/index.html") == [
        "Lovelace, A. (2024). <b>Coping</b> & {{ work }}. Journal of Things, 12(3), 117–131. "
        "https://doi.org/10.1234/jot.2024.5",
        "The Web Team (2025). Test study (Version 2.1) [Website]. "
        "https://doi.org/10.5281/zenodo.1234567",
    ]
    assert "To cite this website itself rather than the study" in main_text(
        site / "cite/index.html"
    )
    page = (site / "cite/index.html").read_text(encoding="utf-8")
    assert "<b>Coping</b>" not in page  # not markup in the page
    bibtex = html.unescape(page)
    study_entry = re.search(r"@article\{lovelace2024b,.*?\n\}", bibtex, re.S)
    site_entry = re.search(r"@misc\{thewebteam2025site,.*?\n\}", bibtex, re.S)
    assert study_entry is not None and site_entry is not None
    assert "title = {{<b>Coping</b> \\& \\{\\{ work \\}\\}}}" in study_entry.group(0)
    assert "title = {{Test study}}" in site_entry.group(0)


def test_citation_cff_is_the_site_with_the_study_preferred(tmp_path: Path) -> None:
    site = build_site(write_study(tmp_path, {"codebook/study.yml": PUBLISHED}))
    cff = yaml.safe_load((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["type"], cff["title"], cff["authors"]) == (
        "dataset",
        "Test study",
        [{"name": "The Web Team"}],
    )
    assert cff["doi"] == "10.5281/zenodo.1234567"  # the site's own
    assert cff["preferred-citation"] == {
        "type": "article",
        "title": "<b>Coping</b> & {{ work }}",
        "authors": [
            {
                "family-names": "Lovelace",
                "given-names": "Ada",
                "affiliation": "A University",
                "orcid": "https://orcid.org/0000-0002-1825-0097",
            }
        ],
        "year": 2024,
        "journal": "Journal of Things",
        "volume": "12",
        "issue": "3",
        "start": "117",
        "end": "131",
        "doi": "10.1234/jot.2024.5",
    }


PUBLICATIONS = {
    "article": "type: article\n  journal: J\n  volume: 2\n  issue: 1\n  pages: e12\n  year: 2020",
    "thesis": "type: thesis\n  institution: A University\n  thesis_type: Master's thesis",
    "report": "type: report\n  institution: NHS England\n  number: R-7\n  url: https://example.org/r",
    "book": "type: book\n  publisher: Oxford Press\n  title: Another title\n  doi: 10.1000/xyz",
}


@pytest.mark.parametrize("kind", list(PUBLICATIONS))
def test_citation_cff_with_each_type_is_valid(tmp_path: Path, kind: str) -> None:
    validator = cffconvert()
    study = (
        f"title: Coping\nauthors:\n  - name: Ada Lovelace\npublication:\n  {PUBLICATIONS[kind]}\n"
    )
    site = build_site(write_study(tmp_path, {"codebook/study.yml": study}))
    cff = yaml.safe_load((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["preferred-citation"]["type"] == kind
    result = subprocess.run(
        [validator, "--validate", "--infile", str(site / "CITATION.cff")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_names_its_publication_with_only_what_is_known(example_site: Path) -> None:
    cff = yaml.safe_load((example_site / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == "Resilience in the PWP role"
    assert cff["authors"] == [{"name": "The qualsite developers"}]
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "thesis"
    assert [a["family-names"] for a in preferred["authors"]] == ["Vivolo", "Owen", "Fisher"]
    assert preferred["institution"] == {"name": "University of East Anglia"}
    assert not {"year", "doi", "journal", "start", "url"} & set(preferred)


# -- errors ------------------------------------------------------------------------------


def check(tmp_path: Path, publication_yaml: str) -> str:
    study = "title: Coping\nauthors:\n  - name: Ada Lovelace\npublication:\n" + publication_yaml
    write_study(tmp_path, {"codebook/study.yml": study})
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert not (tmp_path / "site").exists()
    return result.stderr


def test_a_field_the_type_does_not_take_is_named_at_its_line(tmp_path: Path) -> None:
    errors = check(
        tmp_path, "  type: thesis\n  institution: A University\n  journal: Nature\n  volume: 3\n"
    )
    assert (
        "codebook/study.yml:7: publication: a thesis has no journal; a thesis takes type, "
        "title, authors, year, doi, url, institution, thesis_type (or change its type)"
    ) in errors
    assert "codebook/study.yml:8: publication: a thesis has no volume" in errors


def test_what_a_type_needs_is_asked_for(tmp_path: Path) -> None:
    errors = check(tmp_path, "  type: article\n  year: 2020\n")
    assert (
        "codebook/study.yml:5: publication: an article needs its journal (journal: ...)" in errors
    )


def test_bad_values_are_refused_all_at_once(tmp_path: Path) -> None:
    errors = check(
        tmp_path,
        "  type: book\n  publisher: P\n  pages: twelve\n  year: 20\n  doi: doi:10.1/x\n"
        "  editor: Someone\n",
    )
    assert "study.yml:7: pages: 'twelve' is not a valid page range" in errors
    assert "study.yml:8: year: must be at least 1900, found 20" in errors
    assert "study.yml:9: doi: 'doi:10.1/x' is not a valid DOI" in errors
    assert "study.yml:10: unknown field 'editor' in a publication" in errors


def test_an_unknown_type_suggests_one(tmp_path: Path) -> None:
    errors = check(tmp_path, "  type: thesys\n  institution: A University\n")
    assert (
        "study.yml:5: type: 'thesys' is not one of 'article', 'thesis', 'report', 'book' "
        "(did you mean 'thesis'?)"
    ) in errors
