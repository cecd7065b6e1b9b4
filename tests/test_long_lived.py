"""A build sets its study's objects aside from Python's cycle collector; under
``mkdocs serve`` the collection runs between builds, with the work that
readies the next build (qualsite.plugin.long_lived)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from qualsite.plugin import long_lived


class _Node:
    """An object in a cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    long_lived.wait_between_builds()
    gc.unfreeze()
    gc.collect()
    long_lived._collected = True
    if enabled:
        gc.enable()


def _garbage_made_in_a_build(*, previewing: bool) -> weakref.ref[_Node]:
    with long_lived.long_lived_objects(previewing=previewing):
        ref = weakref.ref(_Node())  # a cycle the build left behind
    return ref


def test_a_build_collects_what_it_left_before_it_freezes_the_rest() -> None:
    assert _garbage_made_in_a_build(previewing=False)() is None
    assert gc.get_freeze_count() > 0


def test_a_preview_collects_between_builds_after_readying_the_next() -> None:
    ref = _garbage_made_in_a_build(previewing=True)
    assert ref() is not None  # not collected yet: the rebuild did not wait for it
    done: list[bool] = []
    long_lived.between_builds(lambda: done.append(ref() is not None))
    long_lived.wait_between_builds()
    assert done == [True]  # the next build readied first
    assert ref() is None  # then collected
    assert gc.get_freeze_count() > 0  # and what lives is set aside again


def test_a_build_that_starts_first_cancels_the_work_between_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(long_lived, "BETWEEN_BUILDS_DELAY", 60.0)
    done: list[bool] = []
    long_lived.between_builds(lambda: done.append(True))
    pending = long_lived._pending
    assert pending is not None and pending.is_alive()
    _garbage_made_in_a_build(previewing=True)  # a save came first
    pending.join(timeout=30)
    assert not pending.is_alive() and done == []


def test_a_build_that_came_before_the_collection_collects_the_last_builds_garbage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Saves in a row (an editor's autosave): no collection between builds
    # runs, and no build's garbage may be frozen for the next.
    monkeypatch.setattr(long_lived, "BETWEEN_BUILDS_DELAY", 60.0)
    first = _garbage_made_in_a_build(previewing=True)
    long_lived.between_builds()
    second = _garbage_made_in_a_build(previewing=True)  # cancels the collection
    assert first() is None  # collected by the second build
    long_lived.between_builds()
    _garbage_made_in_a_build(previewing=True)
    assert second() is None
