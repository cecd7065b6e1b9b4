"""The reporting checklists of qualitative health research, as data.

Journals and examiners ask for one of two: COREQ (interviews and focus
groups) or SRQR (any qualitative study). Each lives in a YAML file beside
this module, with the published item numbers, domains and topics; what each
item asks for is said in qualsite's own short words, not the papers'.

A study answers the items with :class:`ChecklistRow`\\ s: where each one is
reported, or why it does not apply. The exports lay those rows out as a
table for a thesis appendix or a journal submission.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from importlib import resources
from typing import Any

import yaml

from ..i18n import SiteLanguage, _, active

#: The standards qualsite ships, in the order a menu lists them.
STANDARD_KEYS: tuple[str, ...] = ("COREQ", "SRQR")

# libyaml's parser where PyYAML was built with it; the files are small, so
# the pure-Python one is only a little slower.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class StandardItem:
    """One item of a checklist: its published number and place, and what it
    asks a report to say."""

    number: int
    domain: str  # COREQ's domain, or SRQR's section of the paper
    topic: str  # the item's short name in the standard ("Data saturation")
    asks: str  # one sentence: what to report
    subdomain: str | None = None  # COREQ groups its domains' items further


@dataclass(frozen=True, slots=True)
class Standard:
    key: str  # "COREQ", as people cite it
    title: str  # the full name
    reference: str  # the defining paper, APA style, with its DOI
    items: tuple[StandardItem, ...]

    def item(self, number: int) -> StandardItem | None:
        """The item numbered ``number``, or None when the standard has none."""
        return next((item for item in self.items if item.number == number), None)

    @property
    def domains(self) -> tuple[str, ...]:
        """The domains (or sections), each once, in the standard's order."""
        return tuple(dict.fromkeys(item.domain for item in self.items))


class ChecklistStatus(str, Enum):
    REPORTED = "reported"
    NOT_APPLICABLE = "not applicable"
    NOT_ADDRESSED = "not addressed"


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """A study's answer to one item. ``where`` is text for a document: a web
    address, "Print page: <section>", or the short answer itself when the
    item is reported; the reason when it does not apply; empty when it is
    not addressed yet."""

    item: StandardItem
    status: ChecklistStatus
    where: str


def standard(key: str) -> Standard | None:
    """The standard called ``key`` ("coreq" as well as "COREQ"), or None
    when qualsite does not ship it, in the site's language."""
    wanted = key.strip().upper()
    return _in_language(wanted, active()) if wanted in STANDARD_KEYS else None


def standard_in_english(key: str) -> Standard | None:
    """The standard as its file words it, for messages to the researcher
    (which are in English, whatever the site's language)."""
    wanted = key.strip().upper()
    return _load(wanted) if wanted in STANDARD_KEYS else None


#: The fields of the checklists' files that are published as written in
#: English and translated by qualsite's catalogues (i18n.extract finds them).
TRANSLATED_FIELDS = ("title", "domain", "subdomain", "topic", "asks")


@functools.lru_cache(maxsize=8)
def _in_language(key: str, language: SiteLanguage) -> Standard:
    # The files hold the English wording, which is also each message's id.
    # The reference is a citation, and the key a name: neither is translated.
    # (``language`` is the active one, which _() reads; it keys the cache.)
    found = _load(key)
    return replace(
        found,
        title=_(found.title),
        items=tuple(
            replace(
                item,
                domain=_(item.domain),
                topic=_(item.topic),
                asks=_(item.asks),
                subdomain=_(item.subdomain) if item.subdomain else None,
            )
            for item in found.items
        ),
    )


def messages() -> list[tuple[str, int, str]]:
    """Each published text of the shipped checklists, with its file and
    line, for the message catalogue."""
    found: list[tuple[str, int, str]] = []
    for key in STANDARD_KEYS:
        name = f"{key.lower()}.yml"
        source = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
        node = yaml.compose(source, Loader=_LOADER)
        if node is None:
            continue
        found.extend((name, line, text) for line, text in _texts(node))
    return found


def _texts(node: yaml.Node) -> list[tuple[int, str]]:
    """The translated fields' values under ``node``, with their lines."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in TRANSLATED_FIELDS and isinstance(value, yaml.ScalarNode):
                found.append((value.start_mark.line + 1, " ".join(str(value.value).split())))
            else:
                found.extend(_texts(value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(_texts(item))
    return found


@functools.cache
def _load(key: str) -> Standard:
    # Read through importlib.resources, so that the files are found inside a
    # wheel or a zip as well as in a source checkout.
    source = resources.files(__name__).joinpath(f"{key.lower()}.yml")
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER)
    name = f"{key.lower()}.yml"
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise ValueError(f"{name}: expected a mapping with a list of items")
    return Standard(
        key=_text(data, "key", name),
        title=_text(data, "title", name),
        reference=_text(data, "reference", name),
        items=tuple(_item(entry, name) for entry in data["items"]),
    )


def _item(entry: Any, name: str) -> StandardItem:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{name}: every item must be a mapping, not {entry!r}")
    number = entry.get("number")
    # bool is an int to Python; "number: yes" is a mistake all the same.
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValueError(f"{name}: an item's number must be a whole number, not {number!r}")
    where = f"{name}, item {number}"
    return StandardItem(
        number=number,
        domain=_text(entry, "domain", where),
        topic=_text(entry, "topic", where),
        asks=_text(entry, "asks", where),
        subdomain=_text(entry, "subdomain", where) if "subdomain" in entry else None,
    )


def _text(mapping: Mapping[str, Any], field: str, where: str) -> str:
    # The files are qualsite's own: a mistake in them is a bug, stopped
    # here with its place rather than shown as a blank cell in a table.
    value = mapping.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {field} must be non-empty text, not {value!r}")
    return " ".join(value.split())


__all__ = [
    "STANDARD_KEYS",
    "ChecklistRow",
    "ChecklistStatus",
    "Standard",
    "StandardItem",
    "standard",
    "standard_in_english",
]
