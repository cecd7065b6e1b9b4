"""How to cite the site: APA and BibTeX on a page, CITATION.cff in the site's
root (for reference managers, and for the root of the study's repository,
where GitHub and Zenodo read it), and a footer line with the version, the
date and the DOI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from markupsafe import Markup

from ..study.model import Author, StudyMeta
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
#: The DOIs that CFF 1.2.0 accepts; a DOI may hold characters it does not.
_CFF_DOI = re.compile(r"10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-.()\[\]\\]+")


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
    if meta.doi and not _CFF_DOI.fullmatch(meta.doi):
        left_out.append(
            f"CITATION.cff leaves out the DOI '{meta.doi}': the Citation File Format does not "
            "accept some of its characters; the site shows and links it as written"
        )
    return left_out


def name_parts(author: Author) -> tuple[str, str]:
    """(family, given): as written in study.yml, or else the last word of the
    name as the family name (write ``family:`` for "van der Berg" and the like)."""
    if author.organisation:
        return author.name, ""
    if author.family:
        return author.family, author.given or ""
    words = author.name.split()
    return (words[-1], " ".join(words[:-1])) if len(words) > 1 else (author.name, "")


def _initials(given: str) -> str:
    names = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        names.append("-".join(f"{p[0]}." for p in parts))
    return " ".join(names)


def site_authors(meta: StudyMeta) -> tuple[Author, ...]:
    return meta.site_authors or meta.authors


def year_of(meta: StudyMeta, when: datetime) -> str:
    if meta.date:
        return meta.date[:4]
    return str(meta.year or when.year)


def link_of(meta: StudyMeta) -> str | None:
    return f"https://doi.org/{meta.doi}" if meta.doi else meta.url


@dataclass(frozen=True, slots=True)
class Apa:
    """An APA 7 reference, in parts, so that the title can be italic."""

    authors: str
    year: str
    title: str
    details: str  # "(Version 1.0) [Website]"
    link: str | None

    def html(self) -> Markup:
        link = f' <a href="{html(self.link)}">{html(self.link)}</a>' if self.link else ""
        return Markup(
            f"{html(self.authors)} ({html(self.year)}). <em>{html(self.title)}</em> "
            f"{html(self.details)}.{link}"
        )

    def text(self) -> str:
        return f"{self.authors} ({self.year}). {self.title} {self.details}." + (
            f" {self.link}" if self.link else ""
        )


def apa(meta: StudyMeta, when: datetime) -> Apa:
    names = []
    for author in site_authors(meta):
        family, given = name_parts(author)
        names.append(f"{family}, {_initials(given)}" if given else family)
    if len(names) == 1:
        authors = names[0]
    elif len(names) == 2:
        authors = f"{names[0]}, & {names[1]}"
    else:
        authors = ", ".join(names[:-1]) + f", & {names[-1]}"
    version = f"(Version {meta.version}) " if meta.version else ""
    return Apa(authors, year_of(meta, when), meta.title, f"{version}[Website]", link_of(meta))


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                   "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}  # fmt: skip


def _bib(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def _verbatim(address: str) -> str:
    return address.replace("{", "%7B").replace("}", "%7D")


def bibtex(meta: StudyMeta, when: datetime) -> str:
    authors = site_authors(meta)
    family = re.sub(r"[^a-z0-9]", "", name_parts(authors[0])[0].lower()) or "study"
    key = f"{family}{year_of(meta, when)}"
    people = " and ".join(
        f"{_bib(f)}, {_bib(g)}" if g else f"{{{_bib(f)}}}" for f, g in map(name_parts, authors)
    )
    fields = [
        ("author", people),
        ("title", f"{{{_bib(meta.title)}}}"),
        ("year", year_of(meta, when)),
    ]
    if meta.version:
        fields.append(("version", _bib(meta.version)))
    # BibTeX reads a DOI and a URL verbatim (escaping "_" would put a
    # backslash into the link); only a brace could break the entry.
    if meta.doi:
        fields.append(("doi", _verbatim(meta.doi)))
    if link_of(meta):
        fields.append(("url", _verbatim(link_of(meta) or "")))
    fields.append(("howpublished", "Website"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def citation_cff(meta: StudyMeta, when: datetime) -> str:
    authors = []
    for author in site_authors(meta):
        family, given = name_parts(author)
        # CFF names an organisation with `name`, a person with family and given names.
        entry: dict[str, str] = (
            {"name": family} if author.organisation else {"family-names": family}
        )
        if given:
            entry["given-names"] = given
        if author.affiliation and not author.organisation:
            entry["affiliation"] = author.affiliation  # CFF's entities have none
        if author.orcid:
            entry["orcid"] = f"https://orcid.org/{author.orcid}"
        authors.append(entry)
    data: dict[str, object] = {
        "cff-version": "1.2.0",
        "message": "If you use this site, please cite it as below.",
        "type": "dataset",
        "title": meta.title,
        "authors": authors,
    }
    if meta.version:
        data["version"] = meta.version
    data["date-released"] = meta.date or when.strftime("%Y-%m-%d")
    if meta.doi and _CFF_DOI.fullmatch(meta.doi):
        data["doi"] = meta.doi
    if meta.url:
        data["url"] = meta.url
    licence = spdx_licence(meta.licence) if meta.licence else None
    if licence:
        data["license"] = licence
    if meta.abstract:
        data["abstract"] = " ".join(meta.abstract.split())
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def footer(meta: StudyMeta, when: datetime) -> Markup:
    """The footer line: version and date, and the DOI as a badge (HTML and
    CSS only: a badge image from a badge service would be a third-party
    request)."""
    date = meta.date or when.strftime("%Y-%m-%d")
    parts = [f"Version {html(meta.version)}" if meta.version else "", f"published {html(date)}"]
    line = ", ".join(p for p in parts if p)
    if meta.doi:
        line += (
            f' <a class="qs-doi" href="https://doi.org/{html(meta.doi)}">'
            '<span class="qs-doi__label">DOI</span>'
            f'<span class="qs-doi__value">{html(meta.doi)}</span></a>'
        )
    return Markup(line)
