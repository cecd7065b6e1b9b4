"""Helpers shared by the tests: small studies on disk, builds, and HTML reading."""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Test study
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - qualsite
"""

#: A small valid study; tests replace or add files to make it wrong.
MINIMAL_STUDY: dict[str, str] = {
    "mkdocs.yml": MKDOCS_YML,
    "codebook/study.yml": """\
        title: A test study
        authors:
          - name: A. Researcher
        """,
    "codebook/participants.yml": """\
        participants:
          - id: P1
            label: Participant 1
          - id: P2
            label: Participant 2
          - id: P3
            label: Participant 3
        """,
    "codebook/categories.yml": """\
        categories:
          - id: coping
            name: Coping
            level: phase
            definition: How people cope.
          - id: peer-support
            parent: coping
            name: Peer support
            definition: Turning to colleagues.
          - id: supervision
            parent: coping
            name: Supervision
            definition: Using supervision.
        """,
    "codebook/excerpts/p1.yml": """\
        participant: P1
        excerpts:
          - id: p1-peers
            categories: [peer-support]
            text: My colleagues get me through the week.
          - id: p1-supervision
            categories: [supervision, peer-support]
            text: Supervision and the team both help.
        """,
    "codebook/excerpts/p2.yml": """\
        participant: P2
        excerpts:
          - id: p2-supervision
            categories: supervision
            text: I bring the hard cases to supervision.
        """,
    "content/index.md": "# Home\n\nSee [[category: coping]].\n",
}


def write_study(root: Path, changes: Mapping[str, str | None] | None = None) -> Path:
    """Write the minimal study into ``root`` with ``changes`` applied
    (a path mapped to None removes that file). Text is dedented."""
    files: dict[str, str | None] = {**MINIMAL_STUDY, **(changes or {})}
    for relative, content in files.items():
        path = root / relative
        if content is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Edit a test study's file; the text to replace must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_site(root: Path, *, strict: bool = True, **overrides: object) -> Path:
    """Build the study at ``root`` in this process with MkDocs; returns site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(root / "mkdocs.yml"), strict=strict, **overrides)
    build(config)
    return Path(config.site_dir)


def run_qualsite(
    *args: str, cwd: Path, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would; a variable given as None
    is left out of its environment."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "qualsite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={name: value for name, value in environment.items() if value is not None},
        timeout=300,
    )


@dataclass
class HtmlPage:
    path: Path
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # href and src values
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.page.ids.add(value)
            if name in ("href", "src", "xlink:href") and value is not None:
                self.page.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join(" ".join(self._text).split())


def read_html(path: Path) -> HtmlPage:
    page = HtmlPage(path)
    collector = _Collector(page)
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return page


def main_text(path: Path) -> str:
    """The text of the page's article only (no navigation), as a reader sees it."""
    html = path.read_text(encoding="utf-8")
    start = html.index('<article class="md-content__inner md-typeset">')
    end = html.index("</article>", start)
    page = HtmlPage(path)
    collector = _Collector(page)
    collector.feed(html[start:end])
    collector.close()
    return page.text


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def resolve_link(site: Path, page: Path, link: str, mount: str = "/") -> tuple[Path, str] | None:
    """The file and anchor a link points at, or None for links off the site.

    ``mount`` is the path the site is served under: MkDocs' 404 page uses
    links from the server's root, since it is shown at any address.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
        return None
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):
        assert parts.path.startswith(mount), f"{link} is outside the site's path {mount}"
        base, path = "", unquote(parts.path[len(mount) :])
    else:
        base, path = posixpath.dirname(page.relative_to(site).as_posix()), unquote(parts.path)
    target = posixpath.normpath(posixpath.join(base, path))
    path = site / target
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def broken_links(site: Path, page: Path, mount: str = "/") -> list[str]:
    """Links of ``page`` that point at a missing file or a missing anchor."""
    html = read_html(page)
    broken = []
    for link in html.links:
        resolved = resolve_link(site, page, link, mount)
        if resolved is None:
            continue
        target, anchor = resolved
        if not target.is_file():
            shown = target.relative_to(site) if target.is_relative_to(site) else target
            broken.append(f"{link} -> missing {shown}")
        elif anchor and target.suffix == ".html" and anchor not in read_html(target).ids:
            broken.append(f"{link} -> no #{anchor} in {target.relative_to(site)}")
    return broken
