from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from helpers import REPO, build_site
from qualsite import i18n

# Material's banner about MkDocs 2.0 is noise in test output (see Makefile).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# No test may depend on the machine's speed: on a busy 2-core CI machine a
# Hypothesis example took 202 ms against the default 200 ms deadline and
# failed the suite. The properties are what is tested, not how fast.
settings.register_profile("qualsite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qualsite")


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


#: Names no test study holds: every build of the suite is checked against a
#: real deny-list, as a published study should be. Tests of the deny-list
#: itself set their own, or unset this one.
SUITE_DENY_LIST = "# The test suite's deny-list\nBartholomew Quince\nZebedee Oakhanger\n"


def pytest_configure(config: pytest.Config) -> None:
    # Set for the whole session (module and session fixtures build sites
    # too), in a folder outside every test study.
    folder = Path(tempfile.mkdtemp(prefix="qualsite-suite-"))
    path = folder / "deny-list.txt"
    path.write_text(SUITE_DENY_LIST, encoding="utf-8")
    os.environ["QUALSITE_DENY_LIST"] = str(path)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture
def suite_deny_list() -> Path:
    """The deny-list every build of the suite is checked against."""
    return Path(os.environ["QUALSITE_DENY_LIST"])


@pytest.fixture(autouse=True)
def english_between_tests() -> Iterator[None]:
    """A build makes its language the process's (qualsite.i18n.activate);
    a test that renders without building must not inherit the last one."""
    yield
    i18n.activate(i18n.english())
