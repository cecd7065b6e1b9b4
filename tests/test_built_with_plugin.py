"""A study's site is only ever made with qualsite's plugin running (issue
19): `qualsite build` refuses a configuration without it and a site without
its marker, and a site that some other tool built from the study's
mkdocs.yml tells its readers so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO, build_site, main_text, run_qualsite, write_study
from qualsite import __version__, cli
from qualsite.marker import BUILT_WITH, made_by_qualsite
from qualsite.render.notices import WITHOUT_PLUGIN_NOTE, without_plugin_notes_removed

NOTE = "This site was built without qualsite."


def _without_the_plugin(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - qualsite\n", ""), encoding="utf-8"
    )


def test_build_refuses_a_configuration_without_the_plugin_and_says_why(tmp_path: Path) -> None:
    write_study(tmp_path)
    _without_the_plugin(tmp_path)
    result = run_qualsite("build", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "qualsite: mkdocs.yml: the qualsite plugin is not enabled, so a build would publish "
        "only your "
        "own pages: none of the study's categories, excerpts, tables or figure, and nothing "
        "checked for confidentiality; add '- qualsite' under 'plugins:'"
    )
    assert not (tmp_path / "site").exists()


def test_a_site_built_with_the_plugin_carries_its_marker(tmp_path: Path) -> None:
    write_study(tmp_path)
    result = run_qualsite("build", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert made_by_qualsite(site)
    marker = json.loads((site / BUILT_WITH).read_text(encoding="utf-8"))
    assert marker == {"generator": "qualsite", "version": __version__}


def test_build_refuses_a_finished_site_without_the_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As when a tool loads the plugin but never calls it: the build ends
    and the site has none of what the plugin makes."""
    write_study(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the last good site", encoding="utf-8")

    def build_without_the_plugin(config: object, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text("a site of the user's pages only", encoding="utf-8")

    monkeypatch.setattr(cli, "_build_into", build_without_the_plugin)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUALSITE_DENY_LIST", raising=False)
    assert cli.main(["build"]) == 1
    said = capsys.readouterr().err
    assert "qualsite's plugin did not run in it" in said
    assert "MkDocs 2 and Zensical do not" in said
    assert "the site already in site/ is unchanged" in said
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "the last good site"


def test_a_site_built_by_a_tool_that_ignores_the_plugin_says_so(tmp_path: Path) -> None:
    """MkDocs itself with the plugin left out stands for any tool that builds
    mkdocs.yml's pages without running plugins."""
    root = tmp_path / "study"
    result = run_qualsite("new", str(root), "--title", "A study", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _without_the_plugin_listed(root)
    plain = build_site(root, strict=False, site_dir=str(tmp_path / "plain"))
    assert NOTE in main_text(plain / "index.html")
    assert not made_by_qualsite(plain)


def _without_the_plugin_listed(root: Path) -> None:
    config = root / "mkdocs.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["plugins"] = [
        p
        for p in settings["plugins"]
        if not (p == "qualsite" or (isinstance(p, dict) and "qualsite" in p))
    ]
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")


def test_the_note_is_gone_from_every_site_qualsite_builds(example_site: Path) -> None:
    home = main_text(example_site / "index.html")
    assert "Building resilience" in home and NOTE not in home
    printed = main_text(example_site / "print/index.html")
    assert NOTE not in printed
    index = (example_site / "search/search_index.json").read_text(encoding="utf-8")
    assert "built without qualsite" not in index


def test_new_studies_and_the_example_carry_the_same_note() -> None:
    for page in (
        REPO / "content/index.md",
        REPO / "plugins/qualsite/scaffold/files/content/index.md",
    ):
        text = page.read_text(encoding="utf-8")
        assert WITHOUT_PLUGIN_NOTE in text, page
        assert NOTE not in without_plugin_notes_removed(text)


def test_an_unclosed_note_is_left_as_written() -> None:
    text = "# Home\n\n<!-- qualsite: shown only without the plugin -->\nA note.\n"
    assert without_plugin_notes_removed(text) == text


def test_properdocs_finds_the_plugin_under_its_own_name() -> None:
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from properdocs.plugins import get_plugins; print(get_plugins()['qualsite'].value)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "qualsite.plugin:QualsitePlugin"
