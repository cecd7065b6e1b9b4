"""The import's verdict is the verdict of ``qualsite check``.

An import ends by saying what ``qualsite check`` will say of the study it
leaves. Here each way a person may have set up the study's mkdocs.yml is
imported into, and the import's word is compared with what ``qualsite
check``, run afterwards in the study, actually says: the same outcome and
the same lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import run_qualsite
from test_refi_positions import COUNTED_AS, project, qdpx

NO_DENY_LIST = {"QUALSITE_DENY_LIST": None, "QS_VERDICT_STRICT": None}


def not_strict(config: str) -> str:
    return config.replace("strict: true", "strict: false")


def strict_from_the_environment(config: str) -> str:
    # Unset, the variable's default (true) holds.
    return config.replace("strict: true", "strict: !ENV [QS_VERDICT_STRICT, true]")


def plugins_as_a_mapping_that_require_a_deny_list(config: str) -> str:
    plugins = re.search(r"^plugins:\n(?:[ #].*\n|\n)*", config, flags=re.MULTILINE)
    assert plugins is not None
    mapping = "plugins:\n  search: {}\n  qualsite:\n    deny_list_required: true\n"
    return not_strict(config.replace(plugins.group(0), mapping))


def a_deny_list_beside_the_study(config: str) -> str:
    # Relative to mkdocs.yml, outside the study's folder, as the README
    # advises; it names a word of the interview, so the check must stop.
    return not_strict(config).replace(
        "# deny_list: ../my-study-deny-list.txt", "deny_list: ../private/deny-list.txt"
    )


def another_docs_dir(config: str) -> str:
    return not_strict(config).replace("docs_dir: content", "docs_dir: pages")


VARIANTS: dict[str, Callable[[str], str]] = {
    "as the import writes it": lambda config: config,
    "not strict": not_strict,
    "strict from the environment": strict_from_the_environment,
    "plugins as a mapping": plugins_as_a_mapping_that_require_a_deny_list,
    "a deny-list beside the study": a_deny_list_beside_the_study,
    "another docs_dir": another_docs_dir,
}


def verdict_of(import_md: str) -> list[str]:
    """The verdict's lines, as IMPORT.md records them."""
    section = import_md.split("## What qualsite check will say", 1)[1]
    return [
        line.strip() for line in section.split("```text\n", 1)[1].split("\n```")[0].splitlines()
    ]


def same_place(line: str) -> str:
    """A line with the deny-list's path shown as one name: each command
    shows it from the folder it ran in (the import from above the study,
    the check from inside it)."""
    return re.sub(r"of [^ ]*deny-list\.txt\)", "of deny-list.txt)", line)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_imports_verdict_is_what_qualsite_check_then_says(tmp_path: Path, variant: str) -> None:
    export = qdpx(tmp_path / "p.qdpx", project("QualCoder 3.5", COUNTED_AS["code points"]))
    first = run_qualsite("import", str(export), "--into", "study", cwd=tmp_path, env=NO_DENY_LIST)
    assert first.returncode == 0, first.stderr
    study = tmp_path / "study"
    config = study / "mkdocs.yml"
    config.write_text(VARIANTS[variant](config.read_text(encoding="utf-8")), encoding="utf-8")
    if variant == "another docs_dir":
        (study / "content").rename(study / "pages")
    (tmp_path / "private").mkdir()
    (tmp_path / "private/deny-list.txt").write_text("csapat\n", encoding="utf-8")

    again = run_qualsite(
        "import", str(export), "--into", "study", "--force", cwd=tmp_path, env=NO_DENY_LIST
    )
    assert again.returncode == 0, again.stderr
    said = verdict_of((study / "codebook/IMPORT.md").read_text(encoding="utf-8"))
    check = run_qualsite("check", cwd=study, env=NO_DENY_LIST)

    will_pass = " will pass" in said[0]
    assert will_pass == (check.returncode == 0), (said, check.stdout, check.stderr)
    shown = [same_place(line) for line in (check.stdout + check.stderr).splitlines()]
    said = [same_place(line) for line in said]
    assert said[1:], "every variant here has something to say"
    assert [line for line in shown if line in said[1:]] == said[1:], (said, shown)
    if not will_pass:
        (count_line,) = [line for line in shown if re.match(r"\d+ problems? found", line)]
        errors = int(count_line.split()[0])
        assert f"{errors} error(s)" in said[0] or f"{errors} warning(s)" in said[0]
    expected = {
        "as the import writes it": False,
        "not strict": True,
        "strict from the environment": False,
        "plugins as a mapping": False,
        "a deny-list beside the study": False,
        "another docs_dir": True,
    }[variant]
    assert will_pass is expected
    if variant == "a deny-list beside the study":
        assert any("deny-list" in line for line in said[1:])
        assert not any("no such file" in line.lower() for line in said[1:])


@pytest.mark.parametrize(
    ("written", "environment", "read"),
    [
        ("strict: true", {}, {"strict": "true"}),
        ("strict: !ENV [QS_VERDICT_STRICT, true]", {}, {"strict": "true"}),
        (
            "strict: !ENV [QS_VERDICT_STRICT, true]",
            {"QS_VERDICT_STRICT": "false"},
            {"strict": "false"},
        ),
        ("strict: !ENV QS_VERDICT_STRICT", {}, {}),
        (
            "plugins:\n  search: {}\n  qualsite:\n    deny_list_required: true",
            {},
            {"deny_list_required": "true"},
        ),
        (
            "plugins:\n  - search\n  - qualsite:\n      deny_list: ../d.txt",
            {},
            {"deny_list": "../d.txt"},
        ),
    ],
)
def test_the_cores_own_reading_of_mkdocs_yml(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    written: str,
    environment: dict[str, str],
    read: dict[str, str],
) -> None:
    # Without the command line (import_file called from Python), the core
    # reads mkdocs.yml's plain options itself, the forms above among them.
    from qualsite.refi.verdict import _mkdocs_options

    monkeypatch.delenv("QS_VERDICT_STRICT", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\n{written}\n", encoding="utf-8")
    assert _mkdocs_options(tmp_path / "mkdocs.yml") == read


def test_a_dry_run_writes_nothing_and_leaves_no_working_copy(tmp_path: Path) -> None:
    export = qdpx(tmp_path / "p.qdpx", project("QualCoder 3.5", COUNTED_AS["code points"]))
    result = run_qualsite("import", str(export), "--into", "study", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Would write" in result.stdout
    assert "Nothing was written (--dry-run)" in result.stdout
    assert "Next:" not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.qdpx"]
