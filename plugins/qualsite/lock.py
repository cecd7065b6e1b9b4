"""A study's dependency lock: the exact versions it was made with.

``qualsite new`` and ``qualsite import`` write ``requirements.lock`` at the
root of the study: qualsite and every package it needs, recursively, pinned
to the version installed in the Python that runs the command, in pip's
requirements-file format. A rebuild years later then gets the same MkDocs,
the same theme and the same Markdown extensions, not whatever is newest.

The versions come from the installed packages' own metadata (what pip
recorded when it installed them), walked from qualsite's Requires-Dist:
only what a build needs is pinned, never the test or development tools that
happen to share the environment.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import date
from importlib.metadata import Distribution, PackageNotFoundError, distribution

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .errors import QualsiteError

#: The lock's name, at the root of the study.
LOCK_FILE = "requirements.lock"

#: The package whose needs the lock records.
ROOT = "qualsite"

#: Never pinned even when something asks for it: every virtual environment
#: brings its own pip, and a pin would have pip replace itself mid-install.
#: (setuptools is pinned when a package needs it at run time: Python 3.12's
#: environments no longer bring it, and a newer one has dropped modules that
#: old packages import.)
NOT_PINNED = frozenset({"pip"})

_SYSTEMS = {"Darwin": "macOS"}


def pinned_versions(root: str = ROOT) -> dict[str, str]:
    """The installed version of ``root`` and of every package it needs at
    run time, recursively, by normalised name (PEP 503), sorted by name.

    A requirement counts when its environment marker holds for this Python on
    this system, for the extras it was asked for with (``pkg[extra]``); the
    root's own extras (qualsite's test and dev tools) are never followed.
    """
    versions: dict[str, str] = {}
    # The extras of each package whose requirements have been followed; ""
    # stands for its plain requirements, which every visit follows.
    followed: dict[str, set[str]] = {}
    pending: list[tuple[str, frozenset[str], str | None]] = [(root, frozenset(), None)]
    while pending:
        name, extras, wanted_by = pending.pop()
        key = canonicalize_name(name)
        wanted = {""} | {canonicalize_name(extra) for extra in extras}
        new = wanted - followed.get(key, set())
        if not new:
            continue
        followed.setdefault(key, set()).update(new)
        if key in NOT_PINNED:
            continue
        installed = _installed(name, wanted_by)
        versions[key] = _version(installed, key)
        for requirement in _requirements(installed, key):
            if _applies(requirement.marker, new):
                pending.append((requirement.name, frozenset(requirement.extras), key))
    return dict(sorted(versions.items()))


def lock_text(made_by: str, *, today: date | None = None) -> str:
    """The text of ``requirements.lock`` for a study that ``made_by`` (the
    command, ``qualsite new``) is writing with this Python.

    ``today`` is the date the header gives (the day the versions were
    current, which helps whoever reads it years later); only the date, so
    that two studies made the same day with the same packages get the same
    file, and a file rewritten in the same state does not change.
    """
    versions = pinned_versions()
    qualsite = versions[ROOT]
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    made_on = (today or date.today()).isoformat()
    system = platform.system() or "an unknown system"
    header = f"""\
# The versions this study was made with: qualsite and every package it needs,
# exactly as they were installed, so that the site can be built again the
# same way years from now. pip installs from this file (pip install -r).
#
# Written by `{made_by}` (qualsite {qualsite}) on {made_on},
# with Python {sys.version.split()[0]} on {_SYSTEMS.get(system, system)}.
#
# To rebuild the site with these versions, in this folder, with Python {python}
# (a newer Python may find no installable copy of an older package):
#
#   {rebuild_command()}
#
# If pip finds no qualsite {qualsite} (it may not be on PyPI), add
# --find-links DIR to the pip command, DIR being a folder that holds its
# wheel (qualsite-{qualsite}-py3-none-any.whl), or install it from its source
# folder: pip install PATH -r {LOCK_FILE}
#
# Only what this system needed is listed: on another system pip may add a
# package that only it needs, at that package's newest version.
"""
    return header + "".join(f"{name}=={version}\n" for name, version in versions.items())


def rebuild_command() -> str:
    """The one command that makes a fresh environment from the lock and
    builds the study with it, for this system and this Python."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    if os.name == "nt":
        # Windows has no python3.X on its PATH: the py launcher picks one.
        interpreter, scripts = f"py -{python}", ".venv\\Scripts\\"
    else:
        interpreter, scripts = f"python{python}", ".venv/bin/"
    return (
        f"{interpreter} -m venv .venv && {scripts}pip install -r {LOCK_FILE} "
        f"&& {scripts}qualsite build --strict"
    )


def _installed(name: str, wanted_by: str | None) -> Distribution:
    try:
        return distribution(name)
    except PackageNotFoundError:
        pass
    if wanted_by is None:
        raise QualsiteError(
            f"{name}'s own package information is missing from this Python ({sys.prefix}), "
            f"so the versions it runs with cannot be written to {LOCK_FILE}; install "
            f"{name} with pip (pip install PATH, PATH being its wheel or source folder) "
            "and run the command again"
        )
    raise QualsiteError(
        f"{wanted_by} needs {name}, which is not installed in this Python ({sys.prefix}), "
        f"so {LOCK_FILE} cannot record its version; install it (pip install {name}), or "
        f"reinstall {ROOT}, and run the command again"
    )


def _version(installed: Distribution, name: str) -> str:
    # A half-removed package can leave a metadata folder with no version in it.
    # (get_all, not [...]: Python 3.12 warns that [...] will raise for a missing field.)
    found = installed.metadata.get_all("Version") or [""]
    if not found[0]:
        raise QualsiteError(
            f"the package information of {name} in this Python ({sys.prefix}) has no "
            f"version, so {LOCK_FILE} cannot pin it; reinstall it "
            f"(pip install --force-reinstall {name}) and run the command again"
        )
    return str(found[0])


def _requirements(installed: Distribution, name: str) -> list[Requirement]:
    found = []
    for line in installed.requires or []:
        try:
            found.append(Requirement(line))
        except InvalidRequirement as error:
            raise QualsiteError(
                f"the package information of {name} in this Python ({sys.prefix}) names a "
                f"requirement pip could not read ({line!r}: {error}), so {LOCK_FILE} cannot "
                f"be written; reinstall {name} (pip install --force-reinstall {name})"
            ) from None
    return found


def _applies(marker: Marker | None, extras: set[str]) -> bool:
    """Does a requirement with ``marker`` hold here, for a package installed
    with ``extras`` ("" for none)?"""
    if marker is None:
        return True
    return any(marker.evaluate({"extra": extra}) for extra in sorted(extras))
