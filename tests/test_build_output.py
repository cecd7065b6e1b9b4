"""What `qualsite build` says, in qualsite's words rather than MkDocs'.

A researcher reads these lines, not MkDocs' internals: no temporary
folder, no "Aborted with a BuildError!", a site "left as it was" only when
there was one, and counts whose nouns agree with their numbers.
"""

from __future__ import annotations

from pathlib import Path

from helpers import main_text, run_qualsite, write_study


def test_a_good_build_names_the_site_and_no_temporary_folder(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    built = run_qualsite("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[-1] == "Site written to site"
    assert ".site-" not in built.stderr
    assert "Building documentation to directory" not in built.stderr
    assert "Cleaning site directory" not in built.stderr
    assert any(line.startswith("INFO    -  Built in ") for line in built.stderr.splitlines())


def test_verbose_keeps_mkdocs_own_lines(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    built = run_qualsite("build", "--verbose", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "Building documentation to directory" in built.stderr


def test_a_failed_first_build_says_no_site_was_written(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {"codebook/excerpts/p2.yml": "participant: P2\nexcerpts:\n  - {id: x, text: T}\n"},
    )
    failed = run_qualsite("build", cwd=root)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-2:] == [
        "1 problem found; nothing was built.",
        "qualsite: the build stopped at the error above; no site was written.",
    ]
    assert "left as it was" not in failed.stderr and "unchanged" not in failed.stderr
    assert not (root / "site").exists()


def test_warnings_that_stop_a_strict_build_are_counted_in_words(tmp_path: Path) -> None:
    # A broken link in the researcher's own page: MkDocs warns, strict stops.
    root = write_study(tmp_path, {"content/index.md": "# Home\n\nSee [the method](method.md).\n"})
    failed = run_qualsite("build", "--strict", cwd=root)
    assert failed.returncode == 1
    assert "method.md" in failed.stderr
    assert failed.stderr.splitlines()[-1] == (
        "qualsite: the build stopped at 1 warning (above), as strict mode "
        "(mkdocs.yml or --strict) asks; no site was written."
    )
    assert "Aborted" not in failed.stderr


def test_a_bundle_that_cannot_be_built_says_so(tmp_path: Path) -> None:
    root = write_study(
        tmp_path,
        {"codebook/excerpts/p2.yml": "participant: P2\nexcerpts:\n  - {id: x, text: T}\n"},
    )
    failed = run_qualsite("bundle", cwd=root)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == (
        "qualsite: the build stopped at the error above; no bundle was written."
    )
    assert not (root / "dist").exists()


def test_counts_agree_with_their_numbers(tmp_path: Path) -> None:
    # One participant, one excerpt, one category: every noun singular.
    root = write_study(
        tmp_path,
        {
            "codebook/participants.yml": "participants:\n  - {id: P1, label: Participant 1}\n",
            "codebook/categories.yml": (
                "categories:\n  - {id: coping, name: Coping, definition: How people cope.}\n"
            ),
            "codebook/excerpts/p1.yml": (
                "participant: P1\nexcerpts:\n  - {id: a, categories: [coping], text: A.}\n"
            ),
            "codebook/excerpts/p2.yml": None,
        },
    )
    deny_list = tmp_path / "deny-list.txt"
    deny_list.write_text("Zebedee Realname\n", encoding="utf-8")
    checked = run_qualsite("check", cwd=root, env={"QUALSITE_DENY_LIST": str(deny_list)})
    assert checked.returncode == 0, checked.stderr
    assert "Checked against 1 identifier of the deny-list." in checked.stdout.splitlines()
    assert checked.stdout.splitlines()[-1] == "1 category, 1 excerpt, 1 participant: OK"
    built = run_qualsite("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = main_text(root / "site/categories/coping/index.html")
    assert "1 excerpt from 1 of 1 participant" in page
    assert "1 of 1 participants" not in page
    overview = main_text(root / "site/categories/index.html")
    assert "The study's 1 category, as a tree." in overview
    assert "1 excerpt from 1 participant in all" in overview
