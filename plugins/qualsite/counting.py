"""Counts in words: "1 excerpt", "2 excerpts".

English only for now: every message and page qualsite writes is in
English, and a count's noun follows its number. (Languages with other
plural rules need a message catalogue, not more branches here.)
"""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun that goes with ``count``: ``singular`` for exactly one,
    else ``plural_form`` (by default the singular with an "s")."""
    if count == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def counted(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` followed by its noun: "1 excerpt", "0 excerpts"."""
    return f"{count} {plural(count, singular, plural_form)}"
