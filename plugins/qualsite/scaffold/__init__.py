"""``qualsite new``: a small, valid study to start from."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import QualsiteError, display_path
from ..lock import LOCK_FILE, lock_text
from ..render.text import markdown_inline
from ..study.schema import write_schemas

FILES = Path(__file__).resolve().parent / "files"


#: The title a new study has until its researcher gives it one.
PLACEHOLDER_TITLE = "The title of my study"


def _yaml_string(title: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any title, quoted safely.
    return json.dumps(title, ensure_ascii=False)


#: The line of each starter file that holds the title, as shipped, and the
#: line that takes its place.
_TITLE_LINES: dict[str, tuple[str, Callable[[str], str]]] = {
    "mkdocs.yml": ("site_name: My study", lambda t: f"site_name: {_yaml_string(t)}"),
    "codebook/study.yml": (
        f"title: {PLACEHOLDER_TITLE}",
        lambda t: f"title: {_yaml_string(t)}",
    ),
    "content/index.md": (f"# {PLACEHOLDER_TITLE}", lambda t: f"# {markdown_inline(t)}"),
}


#: The workflows that build and publish a study on a repository host.
PUBLISH_FILES = (".github/workflows/publish.yml", ".gitlab-ci.yml")
#: The Python they are written for, as shipped; a study's are written for
#: the Python that made its lock, which pins versions for that Python.
_SHIPPED_PYTHON = "3.12"


def publish_file_text(relative: str) -> str:
    """A publishing workflow, for the Python that runs this command."""
    text = (FILES / relative).read_text(encoding="utf-8")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return text.replace(
        f'python-version: "{_SHIPPED_PYTHON}"', f'python-version: "{running}"'
    ).replace(f"image: python:{_SHIPPED_PYTHON}", f"image: python:{running}")


def create_study(folder: Path, title: str = PLACEHOLDER_TITLE) -> list[Path]:
    """Copy the starter study into ``folder``, which must be new or empty,
    with ``title`` as both the study's title and the site's name."""
    title = " ".join(title.split())
    problem = title_problem(title)
    if problem:
        raise QualsiteError(problem)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise QualsiteError(
            f"{display_path(folder)} already exists and is not empty; choose a new folder"
        )
    # Worked out before anything is copied: a broken installation stops the
    # command with no half-made study left behind.
    lock = lock_text("qualsite new")
    shutil.copytree(FILES, folder, dirs_exist_ok=True)
    (folder / "gitignore").rename(folder / ".gitignore")
    for relative, (shipped, titled) in _TITLE_LINES.items():
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(shipped, titled(title), 1), encoding="utf-8")
    for relative in PUBLISH_FILES:
        (folder / relative).write_text(publish_file_text(relative), encoding="utf-8")
    # The schemas travel with the study so that the editor hints in its
    # files work without qualsite's source at hand.
    write_schemas(folder / "codebook" / ".schemas")
    (folder / LOCK_FILE).write_text(lock, encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def title_problem(title: str) -> str | None:
    """Why ``title`` cannot be a new study's title, or None."""
    if not title:
        return "the title is empty; give the study's title, as it will head every page"
    if "<" in title or ">" in title:
        # The theme writes the site's name into every page as it is, unescaped.
        return (
            f"the title {title!r} holds < or >, which the theme would read as HTML; leave them out"
        )
    return None
