"""Dates of the study's git history on its pages, for the plugins that print
them (git-revision-date-localized, mkdocs-rss-plugin).

git-revision-date-localized stamps a generated page with the time of the
build, so two builds of the same study differ; qualsite's pages are made
from the codebook, so they take the dates of the codebook's commits (the
last for "updated", the first for "created"), else ``SOURCE_DATE_EPOCH``,
else the build's day. The output gate refuses a full date it was not told
of (it may be a date of birth): with such a plugin, the days of the
repository's commits are dates the site prints by design.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from ..dates import build_date

REVISION_DATES = "git-revision-date-localized"
#: Plugins that print a commit's date on the site's pages or feeds.
_PRINTING_COMMIT_DATES = (REVISION_DATES, "rss", "git-committers", "git-authors")


def prints_commit_dates(config: MkDocsConfig) -> bool:
    return any(name in config.plugins for name in _PRINTING_COMMIT_DATES)


def _git(folder: Path, *arguments: str) -> list[str]:
    git = shutil.which("git")
    if git is None:
        return []
    try:
        done = subprocess.run(
            [git, *arguments], cwd=folder, capture_output=True, text=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return []  # not a repository, or no commit yet
    return [line for line in done.stdout.splitlines() if line.strip()]


def commit_days(project: Path) -> frozenset[str]:
    """Each day (YYYY-MM-DD) a commit of the repository was authored or
    committed, with the days either side (a plugin prints it in its own
    time zone)."""
    days: set[str] = set()
    for line in _git(project, "log", "--format=%as %cs"):
        for day in line.split():
            when = date.fromisoformat(day)
            days |= {(when + timedelta(days=shift)).isoformat() for shift in (-1, 0, 1)}
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class CodebookDates:
    """When the codebook was first and last committed: (hash, Unix time)."""

    created: tuple[str, int]
    updated: tuple[str, int]

    @classmethod
    def of(cls, codebook: Path) -> CodebookDates:
        commits = _git(codebook, "log", "--format=%H %at", "--", ".")
        if commits:
            last, first = commits[0].split(), commits[-1].split()
            return cls((first[0], int(first[1])), (last[0], int(last[1])))
        # Not committed: the build's own day (SOURCE_DATE_EPOCH when set).
        stamp = ("", int(build_date().timestamp()))
        return cls(stamp, stamp)


def restamp(page: Page, markdown: str, config: MkDocsConfig, dates: CodebookDates) -> None:
    """Give a generated page the codebook's dates in place of the build's
    time, formatted by the plugin itself; or no date, if the plugin cannot
    be asked (a version without the method)."""
    plugin: Any = config.plugins.get(REVISION_DATES)
    if plugin is None:
        return
    for variable, (commit, stamp) in (
        ("git_revision_date_localized", dates.updated),
        ("git_creation_date_localized", dates.created),
    ):
        if variable not in page.meta:
            continue
        render = getattr(plugin, "_render_date", None)
        locale = getattr(plugin, "_get_locale", None)
        if render is None or locale is None:
            for key in [k for k in page.meta if k.startswith(variable)]:
                del page.meta[key]  # no date rather than the time of the build
            continue
        render(
            markdown=markdown,
            page=page,
            locale=locale(page),
            variable=variable,
            commit_hash=commit,
            commit_timestamp=stamp,
        )
