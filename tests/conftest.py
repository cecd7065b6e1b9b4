from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import REPO, build_site

# Material's banner about MkDocs 2.0 is noise in test output (see Makefile).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example study, built once with --strict."""
    site = tmp_path_factory.mktemp("example") / "site"
    return build_site(REPO, site_dir=str(site))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example study that a test may edit."""
    root = tmp_path / "study"
    root.mkdir()
    for name in ("mkdocs.yml",):
        shutil.copy2(REPO / name, root / name)
    for folder in ("codebook", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root
