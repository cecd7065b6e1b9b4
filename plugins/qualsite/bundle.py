"""A study site as one zip file that opens anywhere: for a thesis appendix or
a repository deposit. The zip is reproducible (sorted entries, fixed dates)."""

from __future__ import annotations

import re
import textwrap
import unicodedata
import zipfile
from pathlib import Path

from .dates import build_date
from .i18n import _
from .render.citation import apa
from .render.reference import publication_apa
from .study.model import ExcerptKind, Study

#: Most bytes (of UTF-8) in a bundle's name. The zip (and its ".partial"
#: while written), the PDF and the folder in the zip are named with it, and
#: file systems take 255 bytes in a name; a letter of Hindi or Chinese takes
#: three of them.
MAX_NAME_BYTES = 120

#: Most bytes of the version in the name, so that a long one leaves the title room.
MAX_VERSION_BYTES = 40


def bundle_name(study: Study) -> str:
    """The top folder of the zip: the study's title and version. Letters,
    marks (Hindi's and Tamil's vowel signs) and digits of any script stay
    (zip names are UTF-8); anything else becomes a hyphen. Long ones are cut
    between words, to at most :data:`MAX_NAME_BYTES` in all."""
    text = unicodedata.normalize("NFC", study.meta.title).lower()
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else "-" for c in text)
    slug = re.sub(r"-+", "-", kept).strip("-")
    if len(slug) > 48:
        slug = slug[:49].rsplit("-", 1)[0]  # at a word's end
    version = re.sub(r"[^A-Za-z0-9.]+", "-", study.meta.version or "").strip("-")
    version = _cut(version, MAX_VERSION_BYTES)
    room = MAX_NAME_BYTES - (len(version) + 1 if version else 0)
    slug = _cut(slug, room) or "study"
    return f"{slug}-{version}" if version else slug


def _cut(slug: str, limit: int) -> str:
    """``slug`` in at most ``limit`` bytes of UTF-8: cut at a hyphen when one
    is close enough, else between two letters (never between a letter and its
    mark, such as a Hindi vowel sign)."""
    if len(slug.encode("utf-8")) <= limit:
        return slug
    end = size = 0
    while end < len(slug) and size + len(slug[end].encode("utf-8")) <= limit:
        size += len(slug[end].encode("utf-8"))
        end += 1
    hyphen = slug.rfind("-", 0, end + 1)  # a hyphen just after the cut counts
    if hyphen > end // 2:
        end = hyphen
    else:
        while end > 0 and unicodedata.category(slug[end])[0] == "M":
            end -= 1  # back to the letter the mark belongs to, which goes too
    # No trailing dot either: Windows drops it from a folder's name.
    return slug[:end].lstrip("-").rstrip("-.")


def readme(study: Study, site_name: str) -> str:
    """README.txt of the zip, in the site's language."""
    meta = study.meta
    when = build_date()
    lines = [meta.title]
    if meta.subtitle:
        lines.append(" ".join(meta.subtitle.split()))
    # Translators: the bundle's README: the study's authors' names.
    lines.append(_("by %(authors)s") % {"authors": ", ".join(a.name for a in meta.authors)})
    # The same version and date as the site's footer and CITATION.cff.
    published = meta.date or when.strftime("%Y-%m-%d")
    if meta.version:
        made = _("Version %(version)s, published %(date)s. Made with qualsite.") % {
            "version": meta.version,
            "date": published,
        }
    else:
        made = _("Published %(date)s. Made with qualsite.") % {"date": published}
    lines += [
        "",
        made,
        "",
        # Translators: a heading of the bundle's plain-text README, in capitals.
        _("HOW TO OPEN IT"),
        textwrap.fill(
            _(
                "Unzip this folder anywhere, then open index.html in a web browser "
                "(Firefox, Chrome, Edge or Safari). Everything works without a network "
                "connection, search included. Nothing is sent anywhere."
            ),
            width=70,
        ),
    ]
    if any(e.kind is not ExcerptKind.VERBATIM for e in study.excerpts):
        lines += [
            "",
            _("Excerpts labelled as paraphrases or composites are not participants' words."),
        ]
    if meta.citation or meta.publication:
        lines += ["", _("HOW TO CITE THE STUDY")]
        if meta.citation:
            lines.append(" ".join(meta.citation.split()))
        if meta.publication:
            lines.append(publication_apa(meta.publication).text())
    lines += ["", _("HOW TO CITE THIS SITE"), apa(meta, when, site_name).text()]
    if meta.licence:
        lines += ["", _("Licence of the content: %(licence)s") % {"licence": meta.licence}]
    return "\n".join(lines) + "\n"


def write_bundle(site: Path, out: Path, name: str, readme_text: str) -> Path:
    when = build_date()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [(f"{name}/README.txt", readme_text.encode("utf-8"))]
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            entries.append((f"{name}/{path.relative_to(site).as_posix()}", path.read_bytes()))
        for entry, data in sorted(entries):
            info = zipfile.ZipInfo(entry, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(out)  # never a half-written zip under the final name
    return out
