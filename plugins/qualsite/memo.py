"""What one build made, kept for the next in the same process (``mkdocs
serve``), under keys that hold everything it was made from.

A memo keeps what the last build that used it made, and only that: a value
the next build does not ask for is gone after it. Values are kept under a
context (a template's source, a language, a deny-list), and a build in
another context keeps nothing of the last. Each memo's module says what
its keys hold and why that is all its values are made from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, cast

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class BuildMemo(Generic[K, V]):
    """Values made by the last build that made any, under one context."""

    def __init__(self) -> None:
        self._context: Hashable = None
        self._kept: dict[K, V] = {}
        self._made: dict[K, V] = {}

    def start(self, context: Hashable) -> None:
        """A new build, in ``context``: what the last one made is kept for
        it if its context was the same."""
        if self._made:
            self._kept, self._made = self._made, {}
        if context != self._context:
            self._kept.clear()
            self._context = context

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value under ``key``: as made before in this context, or ``make()``."""
        # One look-up each (a key is hashed once per look-up, and a big
        # study's pages ask for tens of thousands).
        found = self._made.get(key, _MISSING)
        if found is _MISSING:
            found = self._kept.get(key, _MISSING)
            if found is _MISSING:
                found = make()
            self._made[key] = cast(V, found)
        return cast(V, found)

    def __len__(self) -> int:
        return len(self._made)
