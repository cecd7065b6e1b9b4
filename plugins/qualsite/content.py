"""The study's own files in ``docs_dir``: the pages whose embeds qualsite
expands, and every file whose output path a generated page must not take."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The suffixes MkDocs reads as Markdown pages.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


@dataclass(frozen=True, slots=True)
class ContentFile:
    src_uri: str  # relative to docs_dir, with "/"
    path: Path

    @property
    def is_page(self) -> bool:
        return self.path.suffix.lower() in MARKDOWN_SUFFIXES


def discover_content(docs_dir: Path) -> tuple[ContentFile, ...]:
    """The files MkDocs would publish from ``docs_dir`` by default.

    The MkDocs adapter asks MkDocs itself (which also applies the user's
    ``exclude_docs``); this is the same rule for use without MkDocs:
    dot-files and a top-level ``templates/`` folder are not part of the site.
    """
    if not docs_dir.is_dir():
        return ()
    found = []
    for path in docs_dir.rglob("*"):
        relative = path.relative_to(docs_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.parts[0] == "templates":
            continue
        found.append(ContentFile(relative.as_posix(), path))
    return tuple(sorted(found, key=lambda f: f.src_uri))
