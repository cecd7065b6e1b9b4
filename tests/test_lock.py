"""requirements.lock: the exact versions a new or imported study was made
with, and a rebuild of a new study from it in a fresh virtual environment."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
from datetime import date
from importlib.metadata import (
    Distribution,
    PackageNotFoundError,
    PathDistribution,
    requires,
    version,
)
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

import qualsite.lock
from helpers import REPO, run_qualsite
from qualsite import cli
from qualsite.errors import QualsiteError
from qualsite.lock import LOCK_FILE, lock_text, pinned_versions, rebuild_command

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest brings tomli on Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: Made by `make test` (see the Makefile): wheels of what qualsite needs, at
#: the versions installed in .venv, and of its build backend.
WHEELHOUSE = REPO / ".cache" / "wheelhouse"

#: A day for the header, so that two texts made across midnight still match.
DAY = date(2026, 1, 2)


def pins(text: str) -> dict[str, str]:
    """The lock's ``name==version`` lines, by name, in the file's order."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==" and requirement.marker is None, line
            assert not requirement.extras and requirement.url is None, line
            found[requirement.name] = specifier.version
    return found


def project() -> dict[str, list[str]]:
    """pyproject.toml's requirements: "" for the runtime ones, and each extra's."""
    with (REPO / "pyproject.toml").open("rb") as handle:
        table = tomllib.load(handle)["project"]
    return {"": table["dependencies"], **table["optional-dependencies"]}


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in requirements}


# -- the lock's text -----------------------------------------------------------


def test_the_lock_pins_qualsite_and_each_runtime_dependency_as_installed() -> None:
    pinned = pins(lock_text("qualsite new", today=DAY))
    assert pinned["qualsite"] == version("qualsite")
    assert names(project()[""]) <= set(pinned)
    for name, pinned_version in pinned.items():
        assert pinned_version == version(name), name
    assert list(pinned) == sorted(pinned)
    assert "pip" not in pinned


def test_the_lock_holds_what_the_build_needs_and_nothing_else() -> None:
    """Closed (every requirement of a pinned package that holds here is
    pinned) and no larger: each pin is qualsite or needed by another pin,
    so the test and dev tools that share the environment stay out."""
    pinned = set(pins(lock_text("qualsite new", today=DAY)))
    # Each pin's requirements that hold, with the extras it was asked for
    # (pypdf[crypto] brings cryptography): followed until nothing changes.
    asked: dict[str, set[str]] = {name: {""} for name in pinned}
    needed: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        for name in pinned:
            for line in requires(name) or []:
                requirement = Requirement(line)
                marker = requirement.marker
                if marker is None or any(marker.evaluate({"extra": e}) for e in asked[name]):
                    dependency = canonicalize_name(requirement.name)
                    needed.setdefault(dependency, set()).add(name)
                    more = set(requirement.extras) - asked.get(dependency, set())
                    if dependency in asked and more:
                        asked[dependency] |= more
                        changed = True
    assert set(needed) - {"pip"} <= pinned
    assert pinned - {"qualsite"} <= set(needed)
    assert not {"pytest", "playwright", "hypothesis", "ruff", "mypy"} & pinned
    # A test or dev tool is pinned only when a build needs it anyway.
    tools = set().union(*(names(lines) for extra, lines in project().items() if extra))
    tools -= {"qualsite"}  # dev asks for qualsite[test]
    assert pinned & tools <= set(needed)


def test_markers_and_extras_decide_what_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dependency asked for with an extra brings that extra's packages;
    the root's own extras, and packages for another Python, stay out."""
    made: dict[str, Distribution] = {}
    for name, requirements in {
        "root": ["Dep_A[X]>=1", 'tool; extra == "test"', 'old; python_version < "3"', "pip"],
        "dep-a": ['with-x; extra == "x"', 'with-y; extra == "y"', "plain"],
        "with-x": [],
        "plain": [],
    }.items():
        info = tmp_path / f"{name}-1.0.dist-info"
        info.mkdir()
        lines = [f"Name: {name}", "Version: 1.0", *(f"Requires-Dist: {r}" for r in requirements)]
        (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
        made[name] = PathDistribution(info)

    def distribution(name: str) -> Distribution:
        if canonicalize_name(name) not in made:
            raise PackageNotFoundError(name)
        return made[canonicalize_name(name)]

    monkeypatch.setattr(qualsite.lock, "distribution", distribution)
    assert pinned_versions("root") == {
        "dep-a": "1.0",
        "plain": "1.0",
        "root": "1.0",
        "with-x": "1.0",
    }


def test_the_lock_is_the_same_text_each_time() -> None:
    assert lock_text("qualsite new", today=DAY) == lock_text("qualsite new", today=DAY)
    assert pinned_versions() == pinned_versions()


def test_the_header_says_what_made_it_when_and_how_to_rebuild() -> None:
    text = lock_text("qualsite import", today=DAY)
    header = [line for line in text.splitlines() if line.startswith("#")]
    said = " ".join(line.lstrip("# ") for line in header)
    qualsite_version = version("qualsite")
    assert f"Written by `qualsite import` (qualsite {qualsite_version}) on 2026-01-02" in said
    assert f"Python {platform.python_version()}" in said
    assert f"#   {rebuild_command()}" in header
    assert "--find-links DIR" in said and f"qualsite-{qualsite_version}-py3-none-any.whl" in said
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.skipif(os.name == "nt", reason="the command for POSIX shells")
def test_the_rebuild_command_uses_the_python_it_was_made_with() -> None:
    python = f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert rebuild_command() == (
        f"{python} -m venv .venv && .venv/bin/pip install -r requirements.lock "
        "&& .venv/bin/qualsite build --strict"
    )


# -- what is missing -----------------------------------------------------------


def without(missing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the package ``missing`` look uninstalled to the lock."""
    real = importlib.metadata.distribution

    def distribution(name: str) -> Distribution:
        if canonicalize_name(name) == missing:
            raise PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(qualsite.lock, "distribution", distribution)


def test_a_missing_dependency_is_named_with_what_needs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without("defusedxml", monkeypatch)  # needed by qualsite alone
    with pytest.raises(QualsiteError) as raised:
        pinned_versions()
    message = str(raised.value)
    assert message.startswith("qualsite needs defusedxml, which is not installed in this Python")
    assert "pip install defusedxml" in message


def test_a_package_without_its_own_metadata_says_how_to_install_it() -> None:
    with pytest.raises(QualsiteError, match="own package information is missing"):
        pinned_versions("qualsite-no-such-package")


def test_metadata_without_a_version_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = tmp_path / "defusedxml-0.7.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: defusedxml\n", encoding="utf-8")
    real = importlib.metadata.distribution
    monkeypatch.setattr(
        qualsite.lock,
        "distribution",
        lambda name: PathDistribution(info) if name == "defusedxml" else real(name),
    )
    with pytest.raises(QualsiteError, match=r"package information of defusedxml .* has no version"):
        pinned_versions()


def test_new_stops_with_a_message_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    without("defusedxml", monkeypatch)
    folder = tmp_path / "study"
    assert cli.main(["new", str(folder), "--title", "A study"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("qualsite: qualsite needs defusedxml")
    assert "Traceback" not in said
    assert not folder.exists()


# -- the commands --------------------------------------------------------------

CODEBOOK = (
    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Tool"><Codes>'
    '<Code guid="a0000000-0000-4000-8000-000000000001" name="Coping" isCodable="true">'
    '<Code guid="a0000000-0000-4000-8000-000000000002" name="Peers" isCodable="true"/>'
    "</Code></Codes><Sets/></CodeBook>"
)


def test_import_writes_a_lock_and_keeps_the_one_already_there(tmp_path: Path) -> None:
    (tmp_path / "codes.qdc").write_text(CODEBOOK, encoding="utf-8")
    imported = run_qualsite("import", "codes.qdc", "--into", "study", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert f"  study/{LOCK_FILE}\n" in imported.stdout
    lock = tmp_path / "study" / LOCK_FILE
    text = lock.read_text(encoding="utf-8")
    assert "Written by `qualsite import`" in text
    assert pins(text) == pinned_versions()
    # The study's own record of its versions: a later import leaves it be.
    lock.write_text(text + "# kept\n", encoding="utf-8")
    again = run_qualsite("import", "codes.qdc", "--into", "study", "--force", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert lock.read_text(encoding="utf-8") == text + "# kept\n"


def wheelhouse() -> Path:
    """The wheels to install a lock from with no network, or a skip (a
    failure in CI) that says how to make them."""
    if (WHEELHOUSE / ".complete").is_file():
        return WHEELHOUSE
    hint = (
        "no wheels in .cache/wheelhouse to install a study's lock from without the "
        "network; make test makes them"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{hint} (CI=true: the lock must be installed)", pytrace=False)
    pytest.skip(hint)


def offline() -> dict[str, str]:
    """The environment for pip and the new study's qualsite: no pip settings
    of this machine (an index, extra find-links), no source on PYTHONPATH."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PIP_") and name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    environment.update(
        PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1"
    )
    return environment


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=offline(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def installed(python: Path, cwd: Path) -> dict[str, str]:
    probe = (
        "import importlib.metadata as m\n"
        "for d in m.distributions(): print(d.metadata['Name'], d.version)\n"
    )
    lines = run(python, "-c", probe, cwd=cwd).stdout.splitlines()
    return {canonicalize_name(name): found for name, found in (line.split() for line in lines)}


@pytest.mark.skipif(os.name == "nt", reason="the POSIX layout of a virtual environment")
def test_a_new_study_rebuilds_from_its_lock_in_a_fresh_environment(tmp_path: Path) -> None:
    """The header's command, with the wheelhouse (and qualsite's wheel,
    built from this source) standing in for PyPI."""
    wheels = wheelhouse()
    created = run_qualsite("new", "study", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    study = tmp_path / "study"
    text = (study / LOCK_FILE).read_text(encoding="utf-8")
    assert "Written by `qualsite new`" in text
    pinned = pins(text)
    assert pinned == pinned_versions()
    there = {parse_wheel_filename(p.name)[:2] for p in wheels.glob("*.whl")}
    stale = [
        f"{n}=={v}" for n, v in pinned.items() if n != "qualsite" and (n, Version(v)) not in there
    ]
    if stale:
        hint = (
            f"the wheels in .cache/wheelhouse are not .venv's (no {', '.join(stale[:3])}); "
            "make them again: rm .cache/wheelhouse/.complete && make test"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(hint, pytrace=False)
        pytest.skip(hint)

    own = tmp_path / "qualsite-wheel"
    run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
        "--find-links", wheels, "--wheel-dir", own, REPO,
        cwd=tmp_path,
    )  # fmt: skip
    run(sys.executable, "-m", "venv", ".venv", cwd=study)
    python = study / ".venv" / "bin" / "python"
    before = installed(python, study)  # pip, and setuptools before Python 3.12
    run(
        study / ".venv" / "bin" / "pip", "install", "--quiet", "--no-index",
        "--find-links", wheels, "--find-links", own, "-r", LOCK_FILE,
        cwd=study,
    )  # fmt: skip
    after = installed(python, study)
    assert {n: v for n, v in after.items() if n not in before} == pinned

    where = run(python, "-c", "import qualsite; print(qualsite.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(study / ".venv")
    built = run(study / ".venv" / "bin" / "qualsite", "build", "--strict", cwd=study)
    assert "Site written to site" in built.stdout
    assert (study / "site" / "categories" / "index.html").is_file()
