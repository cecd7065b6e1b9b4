"""qualsite history: how the codebook changed between versions, read from
git tags or folders, counting only what the newest version publishes."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from qualsite.cli import main
from qualsite.errors import QualsiteError
from qualsite.history import (
    WORKING_TREE,
    AddedCategory,
    CategoryRef,
    CodebookChanges,
    DefinitionChange,
    Evidence,
    MergedCategory,
    MovedCategory,
    Recoding,
    RemovedCategory,
    RenamedCategory,
    SplitCategory,
    Version,
    compare,
    history_across,
    read_folder,
    read_version,
    tagged_versions,
)

GIT = shutil.which("git")

# Skipped only outside CI: under CI=true a missing git fails the tests.
pytestmark = pytest.mark.skipif(
    GIT is None and os.environ.get("CI") != "true",
    reason="qualsite history reads a study's versions with git, which is not installed",
)

#: What the participant withdrawn in v3 must never leave anywhere: their id,
#: their label, words of their excerpts, and their excerpts' ids.
SECRETS = ("P7", "Quillfeather", "zephyrine", "lantern", "harbour", "p7-")


def ref(category_id: str, name: str) -> CategoryRef:
    return CategoryRef(category_id, name)


COPING, STRESS = ref("coping", "Coping"), ref("stress", "Stress")
PEERS, SELF_CARE = ref("peer-support", "Peer support"), ref("self-care", "Self-care")
CASELOAD, TARGETS = ref("caseload", "Caseload"), ref("targets", "Targets")
PAPERWORK, SYSTEMS = ref("paperwork", "Paperwork"), ref("systems", "Systems")

STUDY = """\
    title: Coping at work
    authors:
      - name: A. Researcher
    """

MKDOCS_YML = """\
    site_name: Coping at work
    docs_dir: content
    plugins:
      - qualsite
    """


def participants(*, withdrawn: bool) -> str:
    return f"""\
        participants:
          - id: P1
            label: Participant 1
          - id: P2
            label: Participant 2
          - id: P7
            label: Quillfeather
            withdrawn: {"true" if withdrawn else "false"}
        """


def excerpts(participant: str, coded: Mapping[str, str], *, hold_back: str = "") -> str:
    """An excerpt file: each excerpt id with its categories (YAML flow list)."""
    lines = [f"participant: {participant}", "excerpts:"]
    for excerpt_id, categories in coded.items():
        lines.append(f"  - id: {excerpt_id}")
        lines.append(f"    categories: {categories}")
        words = "The zephyrine lanterns by the harbour" if participant == "P7" else "Work"
        lines.append(f"    text: {words} helped me, said in excerpt {excerpt_id}.")
        if excerpt_id == hold_back:
            lines.append("    publish: false")
    return "\n".join(lines) + "\n"


V1 = {
    "codebook/participants.yml": participants(withdrawn=False),
    "codebook/categories.yml": """\
        categories:
          - {id: coping, name: Coping, definition: How people cope.}
          - {id: peer-support, parent: coping, name: Peer support}
          - {id: supervision, parent: coping, name: Supervision}
          - {id: team-talk, parent: coping, name: Team talk}
          - {id: humour, parent: coping, name: Humour}
          - {id: breaks, parent: coping, name: Taking breaks}
          - {id: self-care, parent: coping, name: Self-care}
          - {id: stress, name: Stress, definition: Pressure at work.}
          - {id: workload, parent: stress, name: Workload}
          - {id: conflict, parent: stress, name: Conflict}
          - {id: admin, parent: stress, name: Admin}
        """,
    "codebook/excerpts/p1.yml": excerpts(
        "P1",
        {
            "a1": "[peer-support]",
            "a2": "[supervision]",
            "a3": "[workload]",
            "a4": "[breaks]",
            "a5": "[admin]",
            "a6": "[humour]",
            "a9": "[peer-support]",
        },
    ),
    "codebook/excerpts/p2.yml": excerpts(
        "P2", {"b1": "[workload]", "b2": "[team-talk]", "b3": "[admin]", "b4": "[self-care]"}
    ),
    "codebook/excerpts/p7.yml": excerpts(
        "P7", {"p7-z1": "[peer-support]", "p7-z2": "[conflict]", "p7-z3": "[workload]"}
    ),
}

V2 = {
    "codebook/participants.yml": participants(withdrawn=False),
    "codebook/categories.yml": """\
        categories:
          - {id: coping, name: Coping, definition: How people cope.}
          - {id: peer-support, parent: coping, name: Peer support}
          - {id: supervision, parent: coping, name: Using supervision}
          - id: team-conversations
            parent: coping
            name: Team conversations
            renamed_from: team-talk
          - {id: self-care, parent: coping, name: Self-care}
          - {id: venting, parent: coping, name: Venting}
          - {id: stress, name: Stress, definition: Pressure from caseloads and targets.}
          - {id: humour, parent: stress, name: Humour}
          - {id: caseload, parent: stress, name: Caseload}
          - {id: targets, parent: stress, name: Targets}
          - {id: admin, parent: stress, name: Admin}
          - {id: resilience, name: Resilience}
        retired:
          - id: breaks
            name: Taking breaks
            merged_into: self-care
            reason: Breaks were one way of caring for oneself.
        """,
    "codebook/excerpts/p1.yml": excerpts(
        "P1",
        {
            "a1": "[peer-support]",
            "a2": "[supervision, peer-support]",
            "a3": "[caseload]",
            "a4": "[self-care]",
            "a5": "[admin]",
            "a6": "[humour]",
            "a7": "[resilience]",
            "a8": "[venting]",
            "a9": "[peer-support]",
        },
    ),
    "codebook/excerpts/p2.yml": excerpts(
        "P2",
        {
            "b1": "[targets]",
            "b2": "[team-conversations]",
            "b3": "[admin]",
            "b4": "[coping]",
            "b5": "[venting]",
        },
    ),
    # Unfiltered, P7 would turn conflict into a merge into stress, and count
    # a recoding from peer-support to supervision.
    "codebook/excerpts/p7.yml": excerpts(
        "P7",
        {
            "p7-z1": "[supervision]",
            "p7-z2": "[stress]",
            "p7-z3": "[caseload]",
            "p7-z4": "[venting]",
        },
    ),
}

V3 = {
    "codebook/participants.yml": participants(withdrawn=True),
    "codebook/categories.yml": """\
        categories:
          - {id: coping, name: Coping, definition: How people cope.}
          - {id: peer-support, parent: coping, name: Peer support}
          - {id: supervision, parent: coping, name: Using supervision}
          - id: team-conversations
            parent: coping
            name: Team conversations
            renamed_from: [team-talk]
          - {id: self-care, parent: coping, name: Self-care}
          - {id: stress, name: Stress, definition: Pressure from caseloads and targets.}
          - {id: humour, parent: stress, name: Humour}
          - {id: caseload, parent: stress, name: Caseload}
          - {id: targets, parent: stress, name: Targets}
          - {id: paperwork, parent: stress, name: Paperwork}
          - {id: systems, parent: stress, name: Systems}
          - {id: resilience, name: Resilience}
        retired:
          - {id: breaks, merged_into: self-care}
          - id: admin
            split_into: [paperwork, systems]
            reason: Forms and computer systems are different burdens.
        """,
    "codebook/excerpts/p1.yml": excerpts(
        "P1",
        {
            "a1": "[peer-support]",
            "a2": "[supervision, peer-support]",
            "a3": "[caseload]",
            "a4": "[self-care]",
            "a5": "[paperwork]",
            "a6": "[humour]",
            "a7": "[resilience]",
            "a8": "[peer-support]",
            "a9": "[peer-support]",
        },
        hold_back="a9",  # kept back now: counts in no version
    ),
    "codebook/excerpts/p2.yml": excerpts(
        "P2",
        {
            "b1": "[targets]",
            "b2": "[team-conversations]",
            "b3": "[systems]",
            "b4": "[coping]",
            "b5": "[peer-support]",
        },
    ),
    # Unfiltered, venting's excerpts would be spread over peer-support and
    # resilience, and no merge could be inferred.
    "codebook/excerpts/p7.yml": excerpts(
        "P7",
        {
            "p7-z1": "[supervision]",
            "p7-z2": "[stress]",
            "p7-z3": "[caseload]",
            "p7-z4": "[resilience]",
        },
    ),
}


# -- a study repository -----------------------------------------------------------


def git(repo: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> str:
    assert GIT is not None
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(
        [
            GIT,
            "-C",
            str(repo),
            "-c",
            "user.name=Test Researcher",
            "-c",
            "user.email=researcher@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


def write_version(root: Path, files: Mapping[str, str]) -> None:
    """The study as ``files`` has it: the codebook replaced whole."""
    shutil.rmtree(root / "codebook", ignore_errors=True)
    write_files(
        root,
        {
            "mkdocs.yml": MKDOCS_YML,
            "content/index.md": "# Coping at work\n",
            "codebook/study.yml": STUDY,
            **files,
        },
    )


def commit_version(repo: Path, files: Mapping[str, str], tag: str, date: str) -> None:
    write_version(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Version {tag}", date=date)
    git(repo, "tag", tag, date=date)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A study repository with three tagged versions; its working tree is v3."""
    root = tmp_path_factory.mktemp("history") / "study"
    root.mkdir()
    git(root, "init", "-q")
    commit_version(root, V1, "v1", "2024-01-10T09:00:00+00:00")
    commit_version(root, V2, "v2", "2024-02-10T09:00:00+00:00")
    write_version(root, V3)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Version v3", date="2024-03-10T09:00:00+00:00")
    # An annotated tag, dated by the commit it tags.
    git(root, "tag", "-a", "v3", "-m", "Third version", date="2024-03-11T09:00:00+00:00")
    return root


@pytest.fixture(scope="module")
def history(repo: Path) -> list[tuple[Version, Version, CodebookChanges]]:
    codebook = repo / "codebook"
    versions = [read_version(tag, codebook) for tag in ("v1", "v2", "v3")]
    return history_across(versions)


def run(*args: str) -> tuple[int, str, str]:
    """``qualsite history`` in this process: exit status, stdout, stderr.

    The command points MkDocs' loggers at its own stderr; they are put back
    afterwards, so that later tests in this process see MkDocs' logging as
    they would have.
    """
    loggers = [logging.getLogger(name) for name in ("mkdocs", "properdocs")]
    saved_loggers = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["history", *args])
    finally:
        for logger, handlers, level, propagate in saved_loggers:
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
    return status, out.getvalue(), err.getvalue()


# -- the changes ------------------------------------------------------------------------


def test_the_tagged_versions_come_oldest_first(repo: Path) -> None:
    assert tagged_versions(repo / "codebook") == ["v1", "v2", "v3"]


def test_a_version_read_from_git_says_which_commit(repo: Path) -> None:
    version = read_version("v2", repo / "codebook")
    assert version.label == "v2"
    assert version.date == "2024-02-10"
    assert version.commit == git(repo, "rev-parse", "v2^{commit}").strip()
    assert [p.id for p in version.study.participants] == ["P1", "P2", "P7"]


def test_from_v1_to_v2_every_kind_of_change_is_reported(
    history: list[tuple[Version, Version, CodebookChanges]],
) -> None:
    old, new, changes = history[0]
    assert (old.label, new.label) == ("v1", "v2")
    assert changes.added == (
        AddedCategory(ref("venting", "Venting"), COPING, 2),
        AddedCategory(CASELOAD, STRESS, 1),
        AddedCategory(TARGETS, STRESS, 1),
        AddedCategory(ref("resilience", "Resilience"), None, 1),
    )
    # Its only excerpt was the withdrawn participant's: nothing to infer from.
    assert changes.removed == (RemovedCategory(ref("conflict", "Conflict"), STRESS, 0),)
    assert changes.renamed == (
        RenamedCategory(ref("supervision", "Supervision"), ref("supervision", "Using supervision")),
        RenamedCategory(
            ref("team-talk", "Team talk"), ref("team-conversations", "Team conversations")
        ),
    )
    assert changes.moved == (MovedCategory(ref("humour", "Humour"), COPING, STRESS),)
    assert changes.merged == (
        MergedCategory(
            ref("breaks", "Taking breaks"),
            SELF_CARE,
            Evidence.RECORDED,
            1,
            "Breaks were one way of caring for oneself.",
        ),
    )
    assert changes.split == (
        SplitCategory(ref("workload", "Workload"), (CASELOAD, TARGETS), Evidence.INFERRED, 2),
    )
    assert changes.definitions == (
        DefinitionChange(STRESS, "Pressure at work.", "Pressure from caseloads and targets."),
    )
    # a9 is kept back in v3, so it counts in v1 and v2 neither; the renamed
    # team-conversations kept its excerpt, so it is not listed.
    assert changes.recoded == (
        Recoding(COPING, before=0, after=1, gained=1, lost=0),
        Recoding(PEERS, before=1, after=2, gained=1, lost=0),
        Recoding(SELF_CARE, before=1, after=1, gained=1, lost=1),
    )
    assert (changes.excerpts_before, changes.excerpts_after) == (10, 13)
    assert (changes.excerpts_added, changes.excerpts_removed) == (3, 0)


def test_from_v2_to_v3_merges_and_splits_are_found(
    history: list[tuple[Version, Version, CodebookChanges]],
) -> None:
    _, _, changes = history[1]
    assert changes.added == (
        AddedCategory(PAPERWORK, STRESS, 1),
        AddedCategory(SYSTEMS, STRESS, 1),
    )
    assert changes.removed == ()
    assert changes.renamed == changes.moved == changes.definitions == ()
    assert changes.merged == (
        MergedCategory(ref("venting", "Venting"), PEERS, Evidence.INFERRED, 2),
    )
    assert changes.split == (
        SplitCategory(
            ref("admin", "Admin"),
            (PAPERWORK, SYSTEMS),
            Evidence.RECORDED,
            2,
            "Forms and computer systems are different burdens.",
        ),
    )
    assert changes.recoded == (Recoding(PEERS, before=2, after=4, gained=2, lost=0),)
    assert (changes.excerpts_before, changes.excerpts_after) == (13, 13)


def test_a_participant_withdrawn_in_v3_counts_in_no_version(
    history: list[tuple[Version, Version, CodebookChanges]],
) -> None:
    # Compared on their own, v1 and v2 would count P7: the test data is such
    # that their excerpts change what is reported.
    v1, v2, _ = history[0]
    alone = compare(v1.study, v2.study)
    inferred = [m.category.id for m in alone.merged if m.evidence is Evidence.INFERRED]
    assert inferred == ["conflict"]  # from P7's excerpt alone
    assert Recoding(PEERS, before=3, after=3, gained=1, lost=1) in alone.recoded
    assert alone != history[0][2]
    for _, _, changes in history:
        assert not [s for s in _strings(changes) if any(x in s for x in SECRETS)]
        assert not [s for s in _strings(changes) if "a9" in s]  # kept back in v3


def _strings(value: object) -> Iterator[str]:
    """Every string anywhere in a result."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    else:
        yield str(value)


def test_the_command_reports_a_pair_without_the_withdrawn_participant(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    status, out, err = run("v1", "v2")
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == (
        "From v1 (2024-01-10) to v2 (2024-02-10): 10 excerpts before, 13 after (3 new, 0 gone)"
    )
    for line in [
        "Added (4)",
        '  venting "Venting", under coping "Coping": 2 excerpts',
        '  resilience "Resilience", at the top of the tree: 1 excerpt',
        "Removed (1)",
        '  conflict "Conflict", was under stress "Stress": had 0 excerpts',
        "Renamed (2)",
        '  supervision: "Supervision" -> "Using supervision"',
        '  team-talk "Team talk" -> team-conversations "Team conversations" (renamed_from)',
        "Moved (1)",
        '  humour "Humour": from under coping "Coping" to under stress "Stress"',
        "Merged (1)",
        '  breaks "Taking breaks" into self-care "Self-care" (recorded; 1 excerpt): '
        "Breaks were one way of caring for oneself.",
        "Split (1)",
        '  workload "Workload" into caseload "Caseload", targets "Targets" '
        "(inferred from where its 2 excerpts went)",
        "Definition changed (1)",
        '  stress "Stress": was "Pressure at work."; now "Pressure from caseloads and targets."',
        "Excerpts gained and lost (3)",
        '  peer-support "Peer support": 1 -> 2 (gained 1, lost 0)',
        '  self-care "Self-care": 1 -> 1 (gained 1, lost 1)',
    ]:
        assert line in out.splitlines(), line
    assert not [secret for secret in SECRETS if secret in out]


def test_the_command_prints_no_identifier_of_the_deny_list(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the terminal shows ends up in notes and messages: a word of the
    # deny-list is cut out of it, as out of every message qualsite writes.
    deny = tmp_path / "deny-list.txt"
    deny.write_text("caseloads\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(deny))
    status, out, err = run("v1", "v2")
    assert (status, err) == (0, "")
    assert "caseloads" not in out.casefold()
    assert '  stress "Stress": was "Pressure at work."; now "Pressure from […] and targets."' in (
        out.splitlines()
    )
    assert '  venting "Venting", under coping "Coping": 2 excerpts' in out.splitlines()
    # A deny-list that is named but cannot be read stops the command: nothing is shown.
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(tmp_path / "missing.txt"))
    status, out, err = run("v1", "v2")
    assert status != 0 and out == ""
    assert "the deny-list file does not exist" in err
    assert "nothing was shown" in err and "built" not in err


def test_tags_compares_each_version_with_the_next_then_the_working_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    status, out, err = run("--tags")
    assert (status, err) == (0, "")
    headings = [line for line in out.splitlines() if line.startswith("From ")]
    assert [h.split(":")[0] for h in headings] == [
        "From v1 (2024-01-10) to v2 (2024-02-10)",
        "From v2 (2024-02-10) to v3 (2024-03-10)",
        f"From v3 (2024-03-10) to {WORKING_TREE}",
    ]
    assert headings[-1] == f"From v3 (2024-03-10) to {WORKING_TREE}: no changes (13 excerpts)"
    assert (
        '  venting "Venting" into peer-support "Peer support" (inferred from where its 2 '
        "excerpts went)" in out.splitlines()
    )
    assert not [secret for secret in SECRETS if secret in out]


def test_new_defaults_to_the_codebook_that_mkdocs_yml_names(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    status, out, _ = run("v3")
    assert (status, out) == (
        0,
        f"From v3 (2024-03-10) to {WORKING_TREE}: no changes (13 excerpts)\n",
    )
    status, out, _ = run("v1", "-f", "mkdocs.yml")
    assert status == 0
    assert out.startswith(f"From v1 (2024-01-10) to {WORKING_TREE}: 10 excerpts before, 13 after")
    # Straight from v1 to v3: team-talk is followed through its new id.
    assert (
        '  team-talk "Team talk" -> team-conversations "Team conversations" (renamed_from)'
        in out.splitlines()
    )


def test_folders_are_versions_too(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A codebook folder holding v1, and a study folder holding codebook/ as v2.
    write_version(tmp_path / "first", V1)
    write_version(tmp_path / "second", V2)
    first = read_folder(tmp_path / "first" / "codebook")
    second = read_version(str(tmp_path / "second"), None)
    tagged = [read_version(tag, repo / "codebook") for tag in ("v1", "v2", "v3")]
    across = history_across([first, second, tagged[2]])
    assert across[0][2] == history_across(tagged)[0][2]
    assert compare(first.study, tagged[0].study).unchanged
    monkeypatch.chdir(tmp_path)
    status, out, err = run("first/codebook", "second")
    assert (status, err) == (0, "")
    # No study is at hand to withdraw anyone: the newer folder rules alone.
    assert out.splitlines()[0] == (
        "From first/codebook to second: 14 excerpts before, 18 after (4 new, 0 gone)"
    )


# -- mistakes ------------------------------------------------------------------------


def _one_paragraph(status: int, out: str, err: str) -> str:
    assert status == 1
    assert out == ""
    assert err.startswith("qualsite: ")
    assert "Traceback" not in err
    assert "\n\n" not in err.strip()
    return err


def test_an_unknown_tag_is_named_with_the_tags_there_are(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    err = _one_paragraph(*run("v9"))
    assert "'v9' is neither a folder nor a revision" in err
    assert "its tags are v1, v2, v3" in err


def test_a_codebook_outside_git_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_version(tmp_path / "plain", V1)
    # git looks no further up than the test's own folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path / "plain")
    err = _one_paragraph(*run("v1"))
    assert "'v1' is not a folder, so it was taken for a git revision" in err
    assert "codebook is not in a git repository" in err


def test_a_folder_without_a_codebook_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("Ask about the interviews.\n")
    monkeypatch.chdir(tmp_path)
    err = _one_paragraph(*run("notes", "--codebook", str(repo / "codebook")))
    assert "notes holds no codebook" in err
    with pytest.raises(QualsiteError, match="holds no codebook"):
        read_folder(tmp_path / "notes")


def test_an_old_version_that_does_not_load_lists_its_first_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "study"
    root.mkdir()
    git(root, "init", "-q")
    broken = {
        **V1,
        "codebook/participants.yml": "participants:\n  - id: P1\n  - id: P2\n",
        "codebook/categories.yml": V1["codebook/categories.yml"].replace(
            "parent: stress, name: Admin", "parent: stres, name: Admin"
        ),
    }
    commit_version(root, broken, "v0", "2023-12-01T09:00:00+00:00")
    write_version(root, V3)
    monkeypatch.chdir(root)
    err = _one_paragraph(*run("v0"))
    assert "version 'v0' does not load as a codebook of today's qualsite" in err
    assert "v0:codebook/categories.yml:" in err
    assert "unknown parent category 'stres'" in err
    assert "git worktree add" in err
    # Read from a temporary folder, but never named by it; and the participant
    # withdrawn in the working tree is not quoted from the old version.
    assert "qualsite-history-" not in err
    assert not [secret for secret in SECRETS if secret in err]
    assert "[withdrawn participant]" in err
    # Nor is a word of the deny-list, in the error as in a report; and the
    # deny-list is read before any version.
    deny = tmp_path / "deny-list.txt"
    deny.write_text("stres\n", encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(deny))
    err = _one_paragraph(*run("v0"))
    assert "unknown parent category '[…]'" in err and "stres'" not in err
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(tmp_path / "missing.txt"))
    status, out, err = run("v0")
    assert status == 1 and out == ""
    assert "the deny-list file does not exist" in err and "does not load" not in err


def test_tags_are_ordered_by_date_then_name_and_need_the_codebook(tmp_path: Path) -> None:
    root = tmp_path / "study"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("Before the codebook.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "No codebook yet", date="2023-01-01T09:00:00+00:00")
    git(root, "tag", "aaa-no-codebook")
    commit_version(root, V1, "release-b", "2023-02-01T09:00:00+00:00")
    git(root, "tag", "release-a10")
    git(root, "tag", "release-a9")
    commit_version(root, V2, "release-a", "2023-03-01T09:00:00+00:00")
    assert tagged_versions(root / "codebook") == [
        "release-a9",
        "release-a10",
        "release-b",
        "release-a",
    ]
    with pytest.raises(QualsiteError, match="has no codebook in its folder codebook/"):
        read_version("aaa-no-codebook", root / "codebook")


def test_without_git_a_revision_cannot_be_read_and_says_so(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qualsite.history.versions.shutil.which", lambda name: None)
    monkeypatch.chdir(repo)
    err = _one_paragraph(*run("v1"))
    assert "reading version 'v1' needs git, which is not installed" in err


def test_tags_and_named_versions_do_not_go_together(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    err = _one_paragraph(*run("--tags", "v1"))
    assert "either --tags or OLD [NEW]" in err
