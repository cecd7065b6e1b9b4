"""Formatted references: APA 7 and BibTeX entries, and CFF's reference
mapping, for the study's own publication (and the parts the site's own
citation shares: authors' names, BibTeX's escaping).

A reference is built as runs of text, some italic, so that the page can set
the title in italics while the plain-text copies (the bundle's README) read
the same words; every run is escaped where it lands, never before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import N_, _
from ..study.model import Author, Publication, PublicationType
from .text import html

#: The DOIs that CFF 1.2.0 accepts; a DOI may hold characters it does not.
CFF_DOI = re.compile(r"10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-.()\[\]\\]+")

#: What an APA reference calls a thesis whose type study.yml does not give
#: (in the site's language where it is shown; BibTeX's entry type is read
#: from the English).
# Translators: APA, a thesis: "[Doctoral thesis, University of Leeds]".
DEFAULT_THESIS_TYPE = N_("Doctoral thesis")


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference in runs of (text, italic), and the address it ends with."""

    runs: tuple[tuple[str, bool], ...]
    link: str | None

    def html(self) -> Markup:
        words = "".join(
            f"<em>{html(text)}</em>" if italic else str(html(text)) for text, italic in self.runs
        )
        link = f' <a href="{html(self.link)}">{html(self.link)}</a>' if self.link else ""
        return Markup(words + link)

    def text(self) -> str:
        return "".join(text for text, _italic in self.runs) + (f" {self.link}" if self.link else "")


# -- names -----------------------------------------------------------------------------


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


def apa_authors(authors: Sequence[Author]) -> str:
    """APA 7's list of authors: "Family, G. I., Family, G., & Family, G.";
    beyond 20, the first 19, an ellipsis and the last."""
    names = []
    for author in authors:
        family, given = name_parts(author)
        names.append(f"{family}, {_initials(given)}" if given else family)
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    if len(names) > 20:
        return ", ".join(names[:19]) + f", . . . {names[-1]}"
    return ", ".join(names[:-1]) + f", & {names[-1]}"


# -- BibTeX ----------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                   "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}  # fmt: skip


def bib(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def bib_verbatim(address: str) -> str:
    """A DOI or an address, which BibTeX reads verbatim (escaping "_" would
    put a backslash into the link); only a brace could break the entry."""
    return address.replace("{", "%7B").replace("}", "%7D")


def bib_people(authors: Sequence[Author]) -> str:
    return " and ".join(
        f"{bib(family)}, {bib(given)}" if given else f"{{{bib(family)}}}"
        for family, given in map(name_parts, authors)
    )


def bib_key(authors: Sequence[Author], year: str, suffix: str) -> str:
    family = re.sub(r"[^a-z0-9]", "", name_parts(authors[0])[0].lower()) if authors else ""
    return f"{family or 'study'}{year}{suffix}"


def bibtex_entry(kind: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


# -- the study's publication -------------------------------------------------------------


def _sentence(text: str) -> str:
    """A title or a name as a sentence of the reference: ending with one stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _page_range(pages: str, dash: str) -> str:
    return dash.join(part.strip() for part in re.split(r"[-–]", pages))


def publication_link(publication: Publication) -> str | None:
    if publication.doi:
        return f"https://doi.org/{publication.doi}"
    return publication.url


def publication_apa(publication: Publication) -> Reference:
    """The publication's APA 7 reference."""
    # Translators: APA's "no date", in a reference to a publication without a year.
    year = str(publication.year) if publication.year else _("n.d.")
    runs: list[tuple[str, bool]] = [(f"{apa_authors(publication.authors)} ({year}). ", False)]
    title = " ".join(publication.title.split())
    kind = publication.type
    if kind is PublicationType.ARTICLE:
        runs.append((_sentence(title) + " ", False))
        journal = " ".join((publication.journal or "").split())
        if publication.volume:
            runs += [(journal + ", ", True), (publication.volume, True)]
            if publication.issue:
                runs.append((f"({publication.issue})", False))
        else:
            runs.append((journal, True))
        if publication.pages:
            pages = _page_range(publication.pages, "–")
            if pages[0].isalpha():
                # Translators: APA, an article known by its number rather than its pages.
                runs.append((", " + _("Article %(number)s") % {"number": pages}, False))
            else:
                runs.append((f", {pages}", False))
        runs.append((".", False))
    elif kind is PublicationType.THESIS:
        description = publication.thesis_type or _(DEFAULT_THESIS_TYPE)
        runs += [
            (title, True),
            (f" [{' '.join(description.split())}, {publication.institution}].", False),
        ]
    elif kind is PublicationType.REPORT:
        runs.append((title, True))
        if publication.number:
            # Translators: APA, the number of a report: "(Report No. 12)".
            numbered = _("(Report No. %(number)s)") % {"number": publication.number}
            runs.append((f" {numbered}", False))
        runs.append((". ", False))
        if not _issued_by_its_author(publication):
            runs.append((_sentence(publication.institution or ""), False))
    else:
        runs += [(_sentence(title), True), (" " + _sentence(publication.publisher or ""), False)]
    return Reference(tuple(_joined(runs)), publication_link(publication))


def _issued_by_its_author(publication: Publication) -> bool:
    """APA leaves out a report's publisher when it is the report's one author."""
    (first, *rest) = publication.authors
    return not rest and first.organisation and first.name == publication.institution


def _joined(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Runs without a space at the end of the reference."""
    text, italic = runs[-1]
    return [*runs[:-1], (text.rstrip(), italic)]


def publication_bibtex(publication: Publication) -> str:
    """The publication's BibTeX entry."""
    year = str(publication.year) if publication.year else ""
    first_word = next(
        (w for w in re.findall(r"[a-z0-9]+", publication.title.lower()) if w not in _SMALL_WORDS),
        "",
    )
    key = bib_key(publication.authors, year, first_word)
    fields: list[tuple[str, str]] = [
        ("author", bib_people(publication.authors)),
        ("title", f"{{{bib(publication.title)}}}"),
    ]
    kind = publication.type
    if kind is PublicationType.ARTICLE:
        entry = "article"
        fields.append(("journal", bib(publication.journal or "")))
        for name, value in (("volume", publication.volume), ("number", publication.issue)):
            if value:
                fields.append((name, bib(value)))
        if publication.pages:
            fields.append(("pages", _page_range(publication.pages, "--")))
    elif kind is PublicationType.THESIS:
        thesis_type = publication.thesis_type or DEFAULT_THESIS_TYPE
        entry = "mastersthesis" if "master" in thesis_type.lower() else "phdthesis"
        fields.append(("school", bib(publication.institution or "")))
        if publication.thesis_type:
            fields.append(("type", bib(publication.thesis_type)))
    elif kind is PublicationType.REPORT:
        entry = "techreport"
        fields.append(("institution", bib(publication.institution or "")))
        if publication.number:
            fields.append(("number", bib(publication.number)))
    else:
        entry = "book"
        fields.append(("publisher", bib(publication.publisher or "")))
    if year:
        fields.append(("year", year))
    if publication.doi:
        fields.append(("doi", bib_verbatim(publication.doi)))
    link = publication_link(publication)
    if link:
        fields.append(("url", bib_verbatim(link)))
    return bibtex_entry(entry, key, fields)


_SMALL_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "and", "to", "for"})


# -- the Citation File Format --------------------------------------------------------------


def cff_authors(authors: Sequence[Author]) -> list[dict[str, str]]:
    """Authors as CFF names them: an organisation by ``name``, a person by
    family and given names."""
    found = []
    for author in authors:
        family, given = name_parts(author)
        entry: dict[str, str] = (
            {"name": family} if author.organisation else {"family-names": family}
        )
        if given:
            entry["given-names"] = given
        if author.affiliation and not author.organisation:
            entry["affiliation"] = author.affiliation  # CFF's entities have none
        if author.orcid:
            entry["orcid"] = f"https://orcid.org/{author.orcid}"
        if entry not in found:  # CFF wants each author once
            found.append(entry)
    return found


def publication_cff(publication: Publication) -> dict[str, object]:
    """The publication as a CFF 1.2.0 reference (for ``preferred-citation``)."""
    data: dict[str, object] = {
        "type": publication.type.value,
        "title": " ".join(publication.title.split()),
        "authors": cff_authors(publication.authors),
    }
    if publication.year:
        data["year"] = publication.year
    if publication.journal:
        data["journal"] = publication.journal
    for name in ("volume", "issue"):
        value = getattr(publication, name)
        if value:
            data[name] = value
    if publication.pages:
        first, _dash, last = _page_range(publication.pages, "-").partition("-")
        data["start"] = first
        if last:
            data["end"] = last
    if publication.thesis_type:
        data["thesis-type"] = publication.thesis_type
    if publication.institution:
        data["institution"] = {"name": publication.institution}
    if publication.publisher:
        data["publisher"] = {"name": publication.publisher}
    if publication.doi and CFF_DOI.fullmatch(publication.doi):
        data["doi"] = publication.doi
    if publication.url:
        data["url"] = publication.url
    return data
