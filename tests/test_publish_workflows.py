"""The publishing workflows that `qualsite new` writes: GitHub Actions and GitLab CI.

The files are read as the hosts read them (YAML), their steps are checked,
and the shell they run is run here as the host would run it, so that what
the README promises (a strict build, the deny-list from a secret that never
reaches the log, the site in the folder the host publishes) is tested, not
only written down.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import run_qualsite

GITHUB = Path(".github/workflows/publish.yml")
GITLAB = Path(".gitlab-ci.yml")

#: Names no test study holds, with a quote and an accent, which a deny-list
#: pasted into a script (rather than passed through the environment) breaks on.
DENIED = "Saoirse O'Dubhghaill\nZoë Pennyfeather\n"

BASH = shutil.which("bash")
# Skipped only outside CI: under CI=true a missing bash fails the tests.
needs_bash = pytest.mark.skipif(
    BASH is None and os.environ.get("CI") != "true", reason="the workflows' scripts run in bash"
)

Step = dict[str, Any]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A study made by `qualsite new`, as a researcher starts one."""
    parent = tmp_path_factory.mktemp("publish")
    made = run_qualsite("new", "study", "--title", "A study to publish", cwd=parent)
    assert made.returncode == 0, made.stderr
    return parent / "study"


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _workflow(study: Path) -> dict[Any, Any]:
    return _load(study / GITHUB)


def _steps(study: Path) -> list[Step]:
    steps = _workflow(study)["jobs"]["build"]["steps"]
    assert isinstance(steps, list)
    return steps


def _index(steps: list[Step], found: str) -> int:
    """The position of the first step that uses ``found`` or runs it."""
    for number, step in enumerate(steps):
        if found in str(step.get("uses", "")) or found in str(step.get("run", "")):
            return number
    raise AssertionError(f"no step uses or runs {found!r}")


def _secret_step(steps: list[Step]) -> Step:
    (step,) = [s for s in steps if "secrets." in str(s.get("env", {}))]
    return step


def _option(command: str, *names: str) -> str:
    """The value of a command line's option, given under any of ``names``."""
    words = shlex.split(command)
    for number, word in enumerate(words[:-1]):
        if word in names:
            return words[number + 1]
    raise AssertionError(f"{command!r} has none of {names}")


def _build_line(script: str) -> str:
    (line,) = [line.strip() for line in script.splitlines() if "qualsite build" in line]
    return line


def _bash(
    script: str, cwd: Path, env: Mapping[str, str | None]
) -> subprocess.CompletedProcess[str]:
    """Run a step's script as the hosts do: bash, stopping at the first error."""
    assert BASH is not None
    environment = {**os.environ, **env}
    return subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={name: value for name, value in environment.items() if value is not None},
        timeout=60,
    )


def _install(script: str, tmp_path: Path, files: Mapping[str, str]) -> tuple[int, str, str]:
    """Run an install script in a folder holding ``files``, with python and
    pip replaced by stand-ins that record how they were called (nothing is
    downloaded); returns the exit status, what it printed, and the calls."""
    folder = tmp_path / "repository"
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    folder.mkdir(exist_ok=True)
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    calls = tmp_path / "calls"
    for name in ("python", "pip"):
        stand_in = stand_ins / name
        stand_in.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\n', encoding="utf-8")
        stand_in.chmod(0o755)
    ran = _bash(script, folder, {"PATH": f"{stand_ins}{os.pathsep}{os.environ['PATH']}"})
    called = calls.read_text(encoding="utf-8") if calls.exists() else ""
    return ran.returncode, ran.stdout + ran.stderr, called


# -- GitHub Actions ----------------------------------------------------------


def test_github_workflow_runs_on_push_and_by_hand(study: Path) -> None:
    workflow = _workflow(study)
    # YAML 1.1, which PyYAML reads, takes the key `on` for true.
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    assert "push" in triggers
    assert "workflow_dispatch" in triggers
    # The build itself may only read the repository.
    assert workflow["permissions"] == {"contents": "read"}


def test_github_build_installs_from_the_lock_and_builds_strictly(study: Path) -> None:
    steps = _steps(study)
    order = [
        _index(steps, "actions/checkout@v4"),
        _index(steps, "actions/setup-python@v5"),
        _index(steps, "pip install -r requirements.lock"),
        steps.index(_secret_step(steps)),
        _index(steps, "qualsite build --strict"),
        _index(steps, "actions/upload-pages-artifact@v3"),
    ]
    assert order == sorted(order), "the build's steps are out of order"
    python = steps[order[1]]["with"]["python-version"]
    assert str(python) in {"3.11", "3.12"}
    # The artifact is the folder the build writes.
    build = _build_line(steps[order[4]]["run"])
    assert steps[order[5]]["with"]["path"] == _option(build, "-d", "--site-dir")


def test_github_deploys_only_after_the_build_with_pages_permissions(study: Path) -> None:
    workflow = _workflow(study)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(
        str(s.get("uses", "")).startswith("actions/deploy-pages@v4") for s in deploy["steps"]
    )
    # Only the default branch is published; its artifact is made only there.
    published = "github.ref_name == github.event.repository.default_branch"
    assert deploy["if"] == published
    upload = _steps(study)[_index(_steps(study), "actions/upload-pages-artifact")]
    assert upload["if"] == published
    # Runs of one branch queue rather than overtake one another.
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_github_workflow_never_puts_the_secret_in_a_script(study: Path) -> None:
    for job in _workflow(study)["jobs"].values():
        for step in job["steps"]:
            # A secret pasted into a script is both a way to break it (a quote
            # in a name) and a way to print it; it comes in through env only.
            assert "secrets." not in str(step.get("run", "")), step.get("name")
            # Tracing would print each command with the secret expanded.
            assert "set -x" not in str(step.get("run", "")), step.get("name")
    step = _secret_step(_steps(study))
    (variable,) = step["env"]
    for line in step["run"].splitlines():
        if f"${variable}" in line and line.strip().startswith(("echo", "printf")):
            assert '> "$RUNNER_TEMP/' in line, f"a line may print the secret: {line.strip()}"


def _secret_environment(tmp_path: Path) -> tuple[dict[str, str | None], Path]:
    """What the runner gives the deny-list step (its temporary folder, and the
    file that carries variables to later steps), with the suite's own
    deny-list unset so that only what the step writes counts."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    github_env = tmp_path / "github-env"
    github_env.write_text("", encoding="utf-8")
    return {
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_ENV": str(github_env),
        "QUALSITE_DENY_LIST": None,
    }, github_env


def _carried(github_env: Path) -> dict[str, str]:
    lines = github_env.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line)


@needs_bash
@pytest.mark.parametrize(
    ("files", "called"),
    [
        ({"requirements.lock": "qualsite==0.1.0\n"}, "-m pip install -r requirements.lock"),
        # While qualsite is not on PyPI, its wheel can be committed in wheels/.
        (
            {"requirements.lock": "qualsite==0.1.0\n", "wheels/README": ""},
            "-m pip install --find-links wheels -r requirements.lock",
        ),
    ],
)
def test_github_installs_from_the_lock(
    study: Path, tmp_path: Path, files: dict[str, str], called: str
) -> None:
    steps = _steps(study)
    script = steps[_index(steps, "requirements.lock")]["run"]
    status, said, calls = _install(script, tmp_path, files)
    assert status == 0, said
    assert calls == f"python {called}\n"


@needs_bash
def test_github_stops_and_says_what_to_commit_without_a_lock(study: Path, tmp_path: Path) -> None:
    steps = _steps(study)
    status, said, calls = _install(steps[_index(steps, "requirements.lock")]["run"], tmp_path, {})
    assert status == 1
    assert said.startswith("::error title=No requirements.lock::")
    assert "commit it" in said
    assert calls == ""


@needs_bash
def test_github_secret_becomes_a_deny_list_outside_the_study_and_the_build_uses_it(
    study: Path, tmp_path: Path
) -> None:
    steps = _steps(study)
    step = _secret_step(steps)
    (variable,) = step["env"]
    env, github_env = _secret_environment(tmp_path)
    wrote = _bash(step["run"], study, {**env, variable: DENIED})
    assert wrote.returncode == 0, wrote.stderr
    for name in ("O'Dubhghaill", "Pennyfeather"):
        assert name not in wrote.stdout + wrote.stderr
    carried = _carried(github_env)
    deny_list = Path(carried["QUALSITE_DENY_LIST"])
    # A blank line more or less is nothing to the deny-list.
    assert deny_list.read_text(encoding="utf-8").split() == DENIED.split()
    assert study.resolve() not in deny_list.resolve().parents
    assert deny_list.stat().st_mode & 0o077 == 0, "the deny-list is readable by others"

    # Later steps read it through QUALSITE_DENY_LIST...
    checked = run_qualsite("check", cwd=study, env=carried)
    assert checked.returncode == 0, checked.stderr
    assert "Checked against 2 identifiers of the deny-list." in checked.stdout
    # ...and the build step, run as written, puts the site where the upload looks.
    build = shlex.split(_build_line(steps[_index(steps, "qualsite build")]["run"]))
    assert build[:2] == ["qualsite", "build"]
    built = run_qualsite(*build[1:], cwd=study, env=carried)
    assert built.returncode == 0, built.stderr
    site = study / steps[_index(steps, "upload-pages-artifact")]["with"]["path"]
    assert (site / "index.html").is_file()


@needs_bash
def test_github_without_the_secret_warns_and_the_strict_build_stops(
    study: Path, tmp_path: Path
) -> None:
    steps = _steps(study)
    step = _secret_step(steps)
    (variable,) = step["env"]
    env, github_env = _secret_environment(tmp_path)
    wrote = _bash(step["run"], study, {**env, variable: ""})
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.startswith("::warning title=No deny-list::")
    assert "Settings > Secrets and variables > Actions" in wrote.stdout
    assert _carried(github_env) == {}
    # A new study has no waiver: with no deny-list, nothing is published.
    line = _build_line(steps[_index(steps, "qualsite build")]["run"])
    site = tmp_path / "site"
    built = run_qualsite(
        *shlex.split(line)[1:-1], str(site), cwd=study, env={"QUALSITE_DENY_LIST": None}
    )
    assert built.returncode == 1
    assert "no deny-list was given" in built.stderr
    assert not site.exists()


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint_passes_the_github_workflow(study: Path) -> None:
    linted = subprocess.run(
        ["actionlint", "-no-color", str(GITHUB)],
        cwd=study,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


# -- GitLab CI ---------------------------------------------------------------


def _pages(study: Path) -> dict[str, Any]:
    job = _load(study / GITLAB)["pages"]
    assert isinstance(job, dict)
    return job


def _script(job: dict[str, Any]) -> str:
    return "\n".join(job["script"])


def test_gitlab_pages_job_builds_strictly_into_public_on_the_default_branch(
    study: Path,
) -> None:
    job = _pages(study)
    assert str(job["image"]).startswith("python:3.1")
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    script = _script(job)
    assert script.index("pip install -r requirements.lock") < script.index("qualsite build")
    build = _build_line(script)
    assert build.startswith("qualsite build --strict")
    # GitLab Pages publishes the folder `public`, and only as an artifact.
    assert _option(build, "-d", "--site-dir") == "public"
    assert job["artifacts"]["paths"] == ["public"]


def test_gitlab_reads_the_deny_list_from_a_file_variable_and_never_prints_it(
    study: Path,
) -> None:
    script = _script(_pages(study))
    assert '[ ! -f "$QUALSITE_DENY_LIST" ]' in script
    for line in script.splitlines():
        if line.strip().startswith(("echo", "printf")):
            assert "$QUALSITE_DENY_LIST" not in line, line
    assert "set -x" not in script


@needs_bash
@pytest.mark.parametrize(
    ("files", "status", "called"),
    [
        ({"requirements.lock": "qualsite==0.1.0\n"}, 0, "pip install -r requirements.lock\n"),
        (
            {"requirements.lock": "qualsite==0.1.0\n", "wheels/README": ""},
            0,
            "pip install --find-links wheels -r requirements.lock\n",
        ),
        ({}, 1, ""),
    ],
)
def test_gitlab_installs_from_the_lock(
    study: Path, tmp_path: Path, files: dict[str, str], status: int, called: str
) -> None:
    (install,) = [part for part in _pages(study)["script"] if "requirements.lock" in part]
    ran, said, calls = _install(install, tmp_path, files)
    assert ran == status, said
    assert calls == called
    if status:
        assert "no requirements.lock" in said


@needs_bash
@pytest.mark.parametrize(
    ("given", "stops", "said"),
    [
        # A File variable: GitLab gives the path of a file that holds the list.
        ("file", False, ""),
        # No variable: the build goes on and qualsite stops it (no waiver).
        (None, False, "Warning: the project has no CI/CD variable QUALSITE_DENY_LIST"),
        # An ordinary variable holds the list itself: stop, without printing it.
        ("text", True, "is not of type File"),
    ],
)
def test_gitlab_deny_list_check(
    study: Path, tmp_path: Path, given: str | None, stops: bool, said: str
) -> None:
    (check,) = [part for part in _pages(study)["script"] if "QUALSITE_DENY_LIST" in part]
    deny_list = tmp_path / "QUALSITE_DENY_LIST"
    deny_list.write_text(DENIED, encoding="utf-8")
    value = {"file": str(deny_list), "text": DENIED, None: None}[given]
    ran = _bash(check, study, {"QUALSITE_DENY_LIST": value})
    assert (ran.returncode != 0) is stops
    assert said in ran.stdout
    for name in ("O'Dubhghaill", "Pennyfeather"):
        assert name not in ran.stdout + ran.stderr


def test_gitlab_build_writes_the_folder_pages_publishes(study: Path, tmp_path: Path) -> None:
    deny_list = tmp_path / "QUALSITE_DENY_LIST"
    deny_list.write_text(DENIED, encoding="utf-8")
    build = shlex.split(_build_line(_script(_pages(study))))
    built = run_qualsite(*build[1:], cwd=study, env={"QUALSITE_DENY_LIST": str(deny_list)})
    assert built.returncode == 0, built.stderr
    assert (study / "public" / "index.html").is_file()
