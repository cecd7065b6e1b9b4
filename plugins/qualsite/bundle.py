"""A study site as one zip file that opens anywhere: for a thesis appendix or
a repository deposit. The zip is reproducible (sorted entries, fixed dates)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from .dates import build_date
from .render.citation import apa
from .study.model import ExcerptKind, Study


def bundle_name(study: Study) -> str:
    """The top folder of the zip: the study's title and version. Letters,
    marks (Hindi's and Tamil's vowel signs) and digits of any script stay
    (zip names are UTF-8); anything else becomes a hyphen."""
    text = unicodedata.normalize("NFC", study.meta.title).lower()
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else "-" for c in text)
    slug = re.sub(r"-+", "-", kept).strip("-")
    if len(slug) > 48:
        slug = slug[:49].rsplit("-", 1)[0]  # at a word's end
    slug = slug or "study"
    version = re.sub(r"[^A-Za-z0-9.]+", "-", study.meta.version or "").strip("-")
    return f"{slug}-{version}" if version else slug


def readme(study: Study) -> str:
    meta = study.meta
    when = build_date()
    lines = [meta.title]
    if meta.subtitle:
        lines.append(" ".join(meta.subtitle.split()))
    lines.append("by " + ", ".join(a.name for a in meta.authors))
    # The same version and date as the site's footer and CITATION.cff.
    published = meta.date or when.strftime("%Y-%m-%d")
    lines += [
        "",
        f"{'Version ' + meta.version + ', p' if meta.version else 'P'}ublished {published}. "
        "Made with qualsite.",
        "",
        "HOW TO OPEN IT",
        "Unzip this folder anywhere, then open index.html in a web browser",
        "(Firefox, Chrome, Edge or Safari). Everything works without a network",
        "connection, search included. Nothing is sent anywhere.",
    ]
    if any(e.kind is not ExcerptKind.VERBATIM for e in study.excerpts):
        lines += [
            "",
            "Excerpts labelled as paraphrases or composites are not participants' words.",
        ]
    lines += ["", "HOW TO CITE THIS SITE", apa(meta, when).text()]
    if meta.citation:
        lines += ["", "HOW TO CITE THE STUDY", " ".join(meta.citation.split())]
    if meta.licence:
        lines += ["", f"Licence of the content: {meta.licence}"]
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
