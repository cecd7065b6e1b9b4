"""What is installed: the plugin under MkDocs and ProperDocs, templates in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from helpers import REPO, broken_links, html_pages

BIN = Path(sys.executable).parent


def test_plugin_and_command_are_registered() -> None:
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        plugins = {ep.name: ep.value for ep in entry_points(group=group)}
        assert plugins["qualsite"] == "qualsite.plugin:QualsitePlugin", group
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["qualsite"] == "qualsite.cli:main"


def test_example_builds_under_properdocs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (site / "categories/peer-support/index.html").is_file()
    assert broken_links(site, site / "categories/peer-support/index.html") == []


def test_wheel_ships_the_templates_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("qualsite-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.name for p in (REPO / "site_templates").iterdir() if p.is_file()}
    assert templates
    for name in templates:
        assert f"qualsite/site_templates/{name}" in names
    for schema in ("study", "participants", "categories", "excerpts"):
        assert f"qualsite/schemas/{schema}.schema.json" in names
    assert "qualsite/scaffold/files/mkdocs.yml" in names
    # The format reference, which messages point to (`qualsite format`).
    assert "qualsite/FORMAT.md" in names
    assert "qualsite/scaffold/files/gitignore" in names
    # Data read at run time: CFF's licences, and the offline bundle's shim with its notice.
    assert "qualsite/render/cff-licences.txt" in names
    shim = "qualsite/vendor/iframe-worker"
    assert {f"{shim}/shim.js", f"{shim}/LICENSE"} <= names
    assert not any(n.startswith(("codebook/", "content/", "tests/")) for n in names)

    # Installed from the wheel (unpacked here), qualsite uses its packaged copy.
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qualsite.render.templates import builtin_templates_dir as d; print(d())",
        ],
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == unpacked / "qualsite" / "site_templates"

    # ...and its packaged format reference, which `qualsite format` prints.
    reference = subprocess.run(
        [sys.executable, "-m", "qualsite", "format", "model"],
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert reference.stdout.startswith("## The model: `model.yml`\n")
    located = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qualsite.reference import reference_path; print(reference_path())",
        ],
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(located.stdout.strip()) == unpacked / "qualsite" / "FORMAT.md"


def test_strict_build_of_the_example_prints_no_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    for page in html_pages(tmp_path / "site"):
        assert broken_links(tmp_path / "site", page) == [], page


#: The core's packages, and the adapters over it.
CORE = [
    "qualsite.study",
    "qualsite.guard",
    "qualsite.render",
    "qualsite.history",
    "qualsite.exports",
    "qualsite.refi",
    "qualsite.i18n",
    "qualsite.checklists",
    "qualsite.site",
]
ADAPTERS = ["qualsite.plugin", "qualsite.cli", "qualsite.serve"]


@pytest.mark.parametrize("module", CORE + ADAPTERS)
def test_each_package_imports_first_in_a_fresh_python(module: str) -> None:
    # A cycle between the packages shows only when the right one is
    # imported first (the guard once imported the renderer, which imports
    # the study's format, which imports the guard): each is, here. The
    # core imports no MkDocs, so that it can be used and tested alone.
    check = f"import sys, {module}; print('mkdocs' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    if module in CORE:
        assert result.stdout.strip() == "False", f"{module} imports MkDocs"
