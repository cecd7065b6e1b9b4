"""The qualsite command, run as a user runs it."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers import REPO, run_qualsite, write_study


def test_check_on_the_example_prints_a_summary(tmp_path: Path) -> None:
    result = run_qualsite("check", cwd=REPO, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "27 categories, 55 excerpts, 10 participants: OK"
    # Its COREQ checklist leaves out what the site does not report: listed,
    # as warnings, and no reason to stop (the example's mkdocs.yml is strict).
    assert lines[0].startswith(
        "codebook/checklist.yml:10: warning: 17 items of COREQ not yet addressed: "
        "1 Interviewer/facilitator; 2 Credentials;"
    )
    # The example has no deny-list, and says why (mkdocs.yml's deny_list_waiver).
    assert lines[1].startswith("No deny-list: the example's excerpts are illustrative")


def test_check_counts_the_identifiers_it_checked_against(suite_deny_list: Path) -> None:
    result = run_qualsite("check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Checked against 2 identifiers of the deny-list." in result.stdout


def test_check_mentions_what_is_held_back(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/participants.yml": """\
                participants:
                  - id: P1
                  - id: P2
                    withdrawn: true
                """,
            "codebook/excerpts/p2.yml": None,
            "codebook/excerpts/p1.yml": """\
                participant: P1
                excerpts:
                  - {id: a, categories: [coping], text: A.}
                  - {id: b, categories: [coping], text: B., publish: false}
                """,
        },
    )
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "3 categories, 1 excerpt, 1 participant "
        "(1 withdrawn participant; 1 excerpt not published): OK"
    )


def test_check_reports_five_mistakes_at_once(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: C}
                  - {id: Extra Theme, name: E, parent: coping}
                  - {id: supervision, name: S, parent: copingg}
                  - {id: peer-support, name: P}
                """,
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - id: a
                    categories: [supervison]
                    text: ""
                """,
            "content/index.md": "# Home\n\n[[category: nowhere]]\n",
        },
    )
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "codebook/categories.yml:3: id: 'Extra Theme' is not a valid category id: use "
        "lowercase letters and digits, with single hyphens or underscores between them "
        "(for example 'peer-support')",
        "codebook/categories.yml:4: unknown parent category 'copingg' (did you mean 'coping'?)",
        "codebook/excerpts/p2.yml:4: unknown category 'supervison' (did you mean 'supervision'?)",
        "codebook/excerpts/p2.yml:5: text: must not be empty",
        "content/index.md:3: unknown category 'nowhere'",
        "5 problems found; nothing was built.",
    ]
    assert "Traceback" not in result.stderr


def test_check_reports_bad_embeds_in_pages(tmp_path: Path) -> None:
    write_study(tmp_path, {"content/index.md": "# Home\n\n[[category: nowhere]]\n"})
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/index.md:3: unknown category 'nowhere'" in result.stderr


def test_check_without_a_config_file(tmp_path: Path) -> None:
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("qualsite: mkdocs.yml: no such file")
    assert "Traceback" not in result.stderr


def test_check_without_the_plugin(tmp_path: Path) -> None:
    write_study(tmp_path, {"mkdocs.yml": "site_name: x\ndocs_dir: content\n"})
    result = run_qualsite("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "the qualsite plugin is not enabled" in result.stderr


def test_build_replaces_the_site_only_when_it_succeeds(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    site = root / "site"
    site.mkdir()
    (site / "old.html").write_text("the last good build")

    write_study(
        root, {"codebook/excerpts/p2.yml": "participant: P2\nexcerpts:\n  - {id: x, text: T}\n"}
    )
    failed = run_qualsite("build", "--strict", cwd=root)
    assert failed.returncode == 1
    assert "codebook/excerpts/p2.yml:3: missing required field 'categories'" in failed.stderr
    assert failed.stderr.splitlines()[-1] == (
        "qualsite: the build stopped at the error above; the site already in site/ is unchanged."
    )
    assert "Aborted" not in failed.stderr and "BuildError" not in failed.stderr
    assert ".site-" not in failed.stderr  # the temporary folder is not the user's business
    assert (site / "old.html").read_text() == "the last good build"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []

    write_study(root)  # fixed
    built = run_qualsite("build", "--strict", cwd=root)
    assert built.returncode == 0, built.stderr
    assert not (site / "old.html").exists()
    assert (site / "categories/peer-support/index.html").is_file()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    assert oct(site.stat().st_mode & 0o777) != oct(0o700)


def test_build_into_another_folder(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    result = run_qualsite("build", "-d", str(tmp_path / "out"), cwd=root)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/categories/index.html").is_file()


def test_new_creates_a_study_that_checks_and_builds(tmp_path: Path) -> None:
    created = run_qualsite("new", "my-study", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    study = tmp_path / "my-study"
    assert (study / "codebook/.schemas/excerpts.schema.json").is_file()
    assert (study / ".gitignore").is_file()
    checked = run_qualsite("check", cwd=study)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip().splitlines()[-1] == "2 categories, 1 excerpt, 2 participants: OK"
    built = run_qualsite("build", "--strict", cwd=study)
    assert built.returncode == 0, built.stderr
    again = run_qualsite("new", "my-study", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists and is not empty" in again.stderr


def test_schemas_command_writes_one_file_per_kind(tmp_path: Path) -> None:
    result = run_qualsite("schemas", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"{kind}.schema.json"
        for kind in sorted(
            [
                "study",
                "participants",
                "categories",
                "excerpts",
                "tables",
                "model",
                "decisions",
                "checklist",
            ]
        )
    ]


def test_usage_errors_exit_with_2(tmp_path: Path) -> None:
    assert run_qualsite("frobnicate", cwd=tmp_path).returncode == 2


# -- regressions found in review ---------------------------------------------------


def test_build_runs_the_plugins_startup_and_shutdown(tmp_path: Path) -> None:
    """Plugins that set up in on_startup (Material's optimize, social...) must work."""
    root = write_study(
        tmp_path,
        {
            "hooks.py": (
                "from pathlib import Path\n"
                "def on_startup(command, dirty):\n"
                "    Path('events.txt').open('a').write(f'startup {command}\\n')\n"
                "def on_shutdown():\n"
                "    Path('events.txt').open('a').write('shutdown\\n')\n"
            ),
        },
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    result = run_qualsite("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "events.txt").read_text() == "startup build\nshutdown\n"


def test_a_failure_late_in_the_build_also_keeps_the_old_site(tmp_path: Path) -> None:
    root = write_study(tmp_path, {"content/index.md": "# Home\n\nSee [this](missing.md).\n"})
    site = root / "site"
    site.mkdir()
    (site / "old.html").write_text("the last good build")
    result = run_qualsite("build", "--strict", cwd=root)
    assert result.returncode == 1
    assert "missing.md" in result.stderr  # MkDocs' own warning, at the end of the build
    assert (site / "old.html").read_text() == "the last good build"
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_check_honours_strict_mode(tmp_path: Path) -> None:
    root = write_study(tmp_path, {"codebook/notes.yml": "a: 1\n"})
    relaxed = run_qualsite("check", cwd=root)
    assert relaxed.returncode == 0
    assert "codebook/notes.yml: warning: qualsite does not read this" in relaxed.stdout
    strict = run_qualsite("check", "--strict", cwd=root)
    assert strict.returncode == 1
    assert "1 warning; in strict mode" in strict.stderr


def test_file_system_errors_are_messages(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (("new", "a-file/study"), ("schemas", "--out", "a-file/schemas")):
        result = run_qualsite(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert result.stderr.startswith("qualsite: "), result.stderr
        assert "Traceback" not in result.stderr


def test_bad_plugin_options_name_mkdocs_yml(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - qualsite\n", "  - qualsite:\n      codebook: 5\n")
    )
    result = run_qualsite("check", cwd=root)
    assert result.returncode == 1
    assert "codebook" in result.stderr and "qualsite: mkdocs.yml: " in result.stderr
    assert "Traceback" not in result.stderr


def test_build_refuses_a_site_folder_that_would_delete_the_codebook(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    result = run_qualsite("build", "-d", "codebook", cwd=root)
    assert result.returncode == 1
    assert "the site folder holds the study's codebook" in result.stderr
    assert (root / "codebook/study.yml").is_file()


def test_new_gives_the_study_and_the_site_one_title(tmp_path: Path) -> None:
    title = 'Resilience: "what keeps us going" in the PWP role'
    created = run_qualsite("new", "study", "--title", title, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    study = tmp_path / "study"
    mkdocs = yaml.safe_load((study / "mkdocs.yml").read_text(encoding="utf-8"))
    meta = yaml.safe_load((study / "codebook/study.yml").read_text(encoding="utf-8"))
    assert mkdocs["site_name"] == meta["title"] == title
    built = run_qualsite("build", cwd=study)
    assert built.returncode == 0, built.stderr
    home = (study / "site/index.html").read_text(encoding="utf-8")
    assert "My study" not in home and "The title of my study" not in home


def test_new_without_a_terminal_writes_one_placeholder_title(tmp_path: Path) -> None:
    created = run_qualsite("new", "study", cwd=tmp_path)  # stdin is not a terminal here
    assert created.returncode == 0, created.stderr
    study = tmp_path / "study"
    mkdocs = yaml.safe_load((study / "mkdocs.yml").read_text(encoding="utf-8"))
    meta = yaml.safe_load((study / "codebook/study.yml").read_text(encoding="utf-8"))
    assert mkdocs["site_name"] == meta["title"] == "The title of my study"


def test_new_refuses_a_title_the_theme_would_read_as_html(tmp_path: Path) -> None:
    refused = run_qualsite("new", "study", "--title", "Coping <b>well</b>", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr == (
        "qualsite: the title 'Coping <b>well</b>' holds < or >, which the theme would read "
        "as HTML; leave them out\n"
    )
    assert not (tmp_path / "study").exists()
