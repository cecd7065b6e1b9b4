"""The study's objects, set aside from Python's cycle collector for the
build, and collected between the builds of ``mkdocs serve``.

A big study is a million small objects: made with the collector paused,
they do not set off collection after collection (``prepare_site`` of 10,000
excerpts: 2.0 s, 1.75 s paused); frozen, the full collections while MkDocs
renders the pages skip them (whole builds, median of five: 11.3 s, 11.1 s
frozen, within this machine's noise). Objects that nothing refers to any
more are still freed when their last reference goes.

A full collection before freezing frees the cycles the last build left
(so that ``mkdocs serve`` does not keep every build's garbage), but it
reads every object, the new study's too: 0.2 s of a 10,000-excerpt
rebuild. Under ``mkdocs serve`` it runs instead a moment after each build,
while the preview waits for the next save, with whatever else readies the
next build (:func:`between_builds`); a build that starts first cancels it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds from a preview's build to the work between builds: the browser
#: has the rebuilt page by then (bench_serve.py: 0.15 s after the build),
#: and does not share the machine's cores with that work while it draws it.
BETWEEN_BUILDS_DELAY = 0.5

_lock = threading.Lock()
_pending: threading.Timer | None = None
#: Whether the cycles the last build left have been collected (a save that
#: comes before the collection between builds cancels it).
_collected = True


@contextmanager
def long_lived_objects(*, previewing: bool = False) -> Iterator[None]:
    """Run a block that makes objects meant to last the whole build (the
    study, its pages), with the cycle collector paused, then set them aside
    from it: after a full collection, or, ``previewing``, with the
    collection left to :func:`between_builds` (unless the last build's was
    cancelled: a build's garbage is never frozen for a second build)."""
    global _collected
    with _lock:
        _cancel_pending()
        collecting = gc.isenabled()
        gc.unfreeze()  # the last build's, which this block may replace
        gc.disable()
        try:
            yield
        finally:
            if collecting:  # else whoever runs the build turned it off: leave it so
                gc.enable()
        if not previewing or not _collected:
            gc.collect()
        gc.freeze()
        _collected = not previewing


def between_builds(ready_next: Callable[[], None] | None = None) -> None:
    """BETWEEN_BUILDS_DELAY seconds from now, unless a build starts first
    (whose own end calls this again): call ``ready_next``, then free what
    the last builds left."""
    global _pending
    with _lock:
        _cancel_pending()
        _pending = threading.Timer(BETWEEN_BUILDS_DELAY, _between, args=(ready_next,))
        _pending.name = "qualsite-between-builds"
        _pending.daemon = True
        _pending.start()


def _between(ready_next: Callable[[], None] | None) -> None:
    global _collected
    # Not while a build makes its long-lived objects (the lock), nor once
    # a build has cancelled this while it waited for the lock.
    with _lock:
        if _pending is not threading.current_thread():
            return
        if ready_next is not None:
            ready_next()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _collected = True


def cancel_between_builds() -> None:
    """A build starts: the work between builds that is not running yet is
    not to run (its own end schedules the next)."""
    with _lock:
        _cancel_pending()


def wait_between_builds() -> None:
    """Wait for the work between builds that is due, if any (for tests)."""
    pending = _pending
    if pending is not None:
        pending.join()


def _cancel_pending() -> None:
    global _pending
    if _pending is not None:
        _pending.cancel()
        _pending = None
