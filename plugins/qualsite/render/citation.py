"""How to cite: the study's publication and the site, each apart (APA and
BibTeX on a page), CITATION.cff in the site's root (for reference managers,
and for the root of the study's repository, where GitHub and Zenodo read
it), and a footer line with the version, the date and the DOI."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from markupsafe import Markup

from ..i18n import _
from ..study.model import Author, StudyMeta
from .reference import (
    CFF_DOI,
    Reference,
    apa_authors,
    bib,
    bib_key,
    bib_people,
    bib_verbatim,
    bibtex_entry,
    cff_authors,
    name_parts,
    publication_cff,
)
from .text import html

CITATION_FILE = "CITATION.cff"
CITE_PAGE = "cite.md"

#: The identifiers CFF 1.2.0 accepts (SPDX's, as the format froze them), by
#: their lower-case form: "cc-by-nc-nd-4.0" for "CC-BY-NC-ND-4.0", which
#: people write "CC BY-NC-ND 4.0".
_SPDX = {
    line.strip().lower(): line.strip()
    for line in (Path(__file__).parent / "cff-licences.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
_SPDX_ALIASES = {"cc0": "CC0-1.0"}

#: Re-exported: who an author is in a reference (tests and exports use it here).
__all__ = ["apa", "bibtex", "citation_cff", "footer", "name_parts", "spdx_licence"]


def spdx_licence(licence: str) -> str | None:
    """The SPDX identifier of a licence as people write it, when CFF 1.2.0
    accepts it, or None."""
    written = " ".join(licence.split()).lower()
    return _SPDX_ALIASES.get(written) or _SPDX.get(written.replace(" ", "-"))


def cff_omissions(meta: StudyMeta) -> list[str]:
    """What CITATION.cff must leave out of ``study.yml``, and why."""
    left_out = []
    if meta.licence and spdx_licence(meta.licence) is None:
        left_out.append(
            f"CITATION.cff leaves out the licence '{meta.licence}': the Citation File Format "
            "1.2.0 takes one of the SPDX identifiers of its day, such as CC-BY-4.0 or "
            "CC-BY-NC-ND-4.0; the site shows the licence as written"
        )
    if meta.doi and not CFF_DOI.fullmatch(meta.doi):
        left_out.append(
            f"CITATION.cff leaves out the DOI '{meta.doi}': the Citation File Format does not "
            "accept some of its characters; the site shows and links it as written"
        )
    return left_out


def site_authors(meta: StudyMeta) -> tuple[Author, ...]:
    return meta.site_authors or meta.authors


def year_of(meta: StudyMeta, when: datetime) -> str:
    if meta.date:
        return meta.date[:4]
    return str(meta.year or when.year)


def link_of(meta: StudyMeta) -> str | None:
    return f"https://doi.org/{meta.doi}" if meta.doi else meta.url


# -- the site, cited as a website under its own name --------------------------------------
#
# The site has a name of its own (mkdocs.yml's site_name, in every page's
# header) and makers who may not be the study's authors; citing it under the
# study's title would make a reference that looks like the study's
# publication with the wrong authors.


def apa(meta: StudyMeta, when: datetime, site_name: str) -> Reference:
    """The site's APA 7 reference, as a website."""
    if meta.version:
        # Translators: the end of the site's APA reference, after its name.
        kind = _("(Version %(version)s) [Website].") % {"version": meta.version}
    else:
        # Translators: the end of the site's APA reference, after its name.
        kind = _("[Website].")
    runs = (
        (f"{apa_authors(site_authors(meta))} ({year_of(meta, when)}). ", False),
        (" ".join(site_name.split()), True),
        (f" {kind}", False),
    )
    return Reference(runs, link_of(meta))


def bibtex(meta: StudyMeta, when: datetime, site_name: str) -> str:
    """The site's BibTeX entry: a website, under the site's name, with a key
    of its own (``...site``) beside the study's."""
    authors = site_authors(meta)
    year = year_of(meta, when)
    fields = [
        ("author", bib_people(authors)),
        ("title", f"{{{bib(site_name)}}}"),
        ("year", year),
    ]
    if meta.version:
        fields.append(("version", bib(meta.version)))
    if meta.doi:
        fields.append(("doi", bib_verbatim(meta.doi)))
    if link_of(meta):
        fields.append(("url", bib_verbatim(link_of(meta) or "")))
    # Translators: the site's BibTeX entry says how it is published: "howpublished = {Website}".
    fields.append(("howpublished", bib(_("Website"))))
    return bibtex_entry("misc", bib_key(authors, year, "site"), fields)


def citation_cff(meta: StudyMeta, when: datetime, site_name: str) -> str:
    """CITATION.cff: the site, as the dataset it is, under its own name and
    its makers; the study's publication, when study.yml gives it, as the
    ``preferred-citation`` for the study's findings."""
    # Translators: the message of CITATION.cff, which reference managers show.
    message = _("If you use this site, please cite it as below.")
    if meta.publication is not None:
        # Translators: the message of CITATION.cff; "preferred-citation" is the
        # name of the file's field, which stays as it is.
        message = _(
            "For the study's findings, please cite its publication (preferred-citation). "
            "To cite this website itself, use the title, authors and version below."
        )
    data: dict[str, object] = {
        "cff-version": "1.2.0",
        "message": message,
        "type": "dataset",
        "title": " ".join(site_name.split()),
        "authors": cff_authors(site_authors(meta)),
    }
    if meta.version:
        data["version"] = meta.version
    data["date-released"] = meta.date or when.strftime("%Y-%m-%d")
    if meta.doi and CFF_DOI.fullmatch(meta.doi):
        data["doi"] = meta.doi
    if meta.url:
        data["url"] = meta.url
    licence = spdx_licence(meta.licence) if meta.licence else None
    if licence:
        data["license"] = licence
    if meta.abstract:
        data["abstract"] = " ".join(meta.abstract.split())
    if meta.publication is not None:
        data["preferred-citation"] = publication_cff(meta.publication)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def footer(meta: StudyMeta, when: datetime) -> Markup:
    """The footer line: version and date, and the DOI as a badge (HTML and
    CSS only: a badge image from a badge service would be a third-party
    request)."""
    date = meta.date or when.strftime("%Y-%m-%d")
    # Translators: the footer of every page; date: YYYY-MM-DD.
    said = _("Version %(version)s, published %(date)s")
    if not meta.version:
        # Translators: the footer of every page, for a study without a version.
        said = _("published %(date)s")
    line = str(html(said % {"version": meta.version, "date": date}))
    if meta.doi:
        line += (
            f' <a class="qs-doi" href="https://doi.org/{html(meta.doi)}">'
            '<span class="qs-doi__label">DOI</span>'
            f'<span class="qs-doi__value">{html(meta.doi)}</span></a>'
        )
    return Markup(line)
