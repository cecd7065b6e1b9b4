"""The same input gives a byte-identical site, whatever the hash seed, the
order the file system lists files in, or whether the figure was cached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def build(root: Path, site: Path, seed: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env={
            **os.environ,
            "PYTHONHASHSEED": seed,
            "SOURCE_DATE_EPOCH": "1764288000",
            "NO_MKDOCS_2_WARNING": "1",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(example_copy: Path, tmp_path: Path) -> None:
    config = example_copy / "mkdocs.yml"
    # No figure cache: both builds lay the figure out and render it themselves.
    config.write_text(
        config.read_text().replace(
            "      templates: site_templates\n",
            '      templates: site_templates\n      cache_dir: ""\n',
        )
    )
    assert 'cache_dir: ""' in config.read_text()
    build(example_copy, tmp_path / "one", seed="1")
    build(example_copy, tmp_path / "two", seed="2")
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert {
        "figures/figure-1.pdf",
        "tables/table-1.csv",
        "search/search_index.json",
        "sitemap.xml.gz",
    } <= set(first)
