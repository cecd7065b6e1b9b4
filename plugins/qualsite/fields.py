"""Declarative field specs: one description of each field drives both the
validation of a user's YAML (with ``file:line`` messages) and the JSON Schema
published for editors, so the two cannot drift apart.

A spec reads a PyYAML node and returns a Python value, or :data:`INVALID`
after recording a problem. Messages say what was expected and what was found,
in the words of the format reference (FORMAT.md), not of YAML's internals.
"""

from __future__ import annotations

import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Generic, TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .errors import Location, Problems, did_you_mean
from .yaml_source import YamlDocument

T = TypeVar("T")

JsonSchema = dict[str, Any]

_TAG = "tag:yaml.org,2002:"
_NULL = _TAG + "null"
_STR = _TAG + "str"
_INT = _TAG + "int"
_FLOAT = _TAG + "float"
_BOOL = _TAG + "bool"
_TIMESTAMP = _TAG + "timestamp"
_SCALAR_TAGS = frozenset({_NULL, _STR, _INT, _FLOAT, _BOOL, _TIMESTAMP})

# What each tag's values look like in YAML 1.1, from PyYAML's own resolver:
# a plain scalar gets a tag only when it looks so, but a tag written out
# (``!!bool junk``, ``!!int ""``) forces one on any text, and PyYAML's
# constructors raise KeyError or IndexError on what does not fit.
_TAG_FORMS: dict[str, re.Pattern[str]] = {
    tag: regexp
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, regexp in resolvers
    if tag in _SCALAR_TAGS
}
_BOOL_VALUES: Mapping[str, bool] = SafeConstructor.bool_values

#: Largest whole number a field takes: years, orders and table numbers are
#: far smaller, and a number of thousands of digits (or sexagesimal
#: ``1:59:59:...``) cannot even be printed by Python.
_MAX_DIGITS = 18
_MAX_INTEGER = 10**_MAX_DIGITS

_constructor = SafeConstructor()

# C0 controls other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What a "\uFFFE" or "\uD800" escape in a quoted string can make, and no
# XML document (Word, the REFI-QDA codebook, the SVG) may hold.
_NOT_A_CHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")


class _Invalid:
    """Marks a value that failed its spec (the problem is already recorded)."""

    _instance: _Invalid | None = None

    def __new__(cls) -> _Invalid:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID: Final = _Invalid()


@dataclass(slots=True)
class ReadContext:
    """Where values come from and where problems go.

    ``field_name`` is the record field being read, so that a message about a
    value names its field ("text: must not be empty").
    """

    document: YamlDocument
    problems: Problems
    field_name: str | None = None

    def location(self, node: yaml.Node) -> Location:
        return self.document.location(node)

    def error(self, node: yaml.Node, message: str) -> _Invalid:
        prefix = f"{self.field_name}: " if self.field_name else ""
        self.problems.error(self.location(node), prefix + message)
        return INVALID


def describe_node(node: yaml.Node) -> str:
    """What the user wrote, in plain words, for "expected X, found Y"."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (field: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if not fits_tag(node):
        written = f"'{_shorten(node.value)}'" if node.value.strip() else "nothing"
        return f"{written} tagged {_tag_name(node.tag)}, which it is not; remove the tag"
    if node.tag == _NULL:
        return "nothing"
    if node.tag in (_INT, _FLOAT):
        return f"the number {_shorten(node.value)}"
    if node.tag == _BOOL:
        return f"'{_shorten(node.value)}' (a yes/no value)"
    return f"'{_shorten(node.value)}'"


def fits_tag(node: yaml.Node) -> bool:
    """False for a scalar whose tag was written out and does not fit its text
    (``!!bool junk``); True for everything else."""
    if not isinstance(node, yaml.ScalarNode):
        return True
    form = _TAG_FORMS.get(node.tag)
    if form is None:
        return True
    # YAML 1.1 lets underscores stand anywhere among a number's digits, but
    # "0b_" (no digit at all) is not a number.
    return all(form.fullmatch(text) for text in {node.value, node.value.replace("_", "")})


def _tag_name(tag: str) -> str:
    """A tag as the user wrote it: ``!!bool`` rather than its full name."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else _shorten(tag)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Spec(ABC, Generic[T]):
    """How one value is read and described."""

    #: Words for "expected ..." in messages.
    expected: str = "a value"

    @abstractmethod
    def read(self, node: yaml.Node, ctx: ReadContext) -> T | _Invalid: ...

    @abstractmethod
    def json_schema(self) -> JsonSchema: ...

    def _scalar(self, node: yaml.Node, ctx: ReadContext) -> yaml.ScalarNode | _Invalid:
        """The node if it is one value (not a list, a mapping or nothing)
        whose tag, if any, fits its text."""
        if isinstance(node, yaml.ScalarNode) and node.tag not in _SCALAR_TAGS:
            return ctx.error(
                node, f"unsupported YAML tag '{_tag_name(node.tag)}'; write {self.expected}"
            )
        if isinstance(node, yaml.ScalarNode) and node.tag != _NULL and fits_tag(node):
            return node
        return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")


class Text(Spec[str]):
    """Free text, taken exactly as the user wrote it (``No`` stays "No")."""

    expected = "text"

    def __init__(self, *, allow_empty: bool = False, max_length: int | None = None) -> None:
        self.allow_empty = allow_empty
        self.max_length = max_length

    def read(self, node: yaml.Node, ctx: ReadContext) -> str | _Invalid:
        scalar = self._scalar(node, ctx)
        if isinstance(scalar, _Invalid):
            return scalar
        value = str(scalar.value).strip()
        if not value and not self.allow_empty:
            return ctx.error(node, "must not be empty")
        control = _CONTROL.search(value)
        if control:
            # A "\x07" escape in a quoted string: invisible, and it breaks
            # the SVG and PDF of anything that draws it.
            return ctx.error(
                node,
                f"holds the control character U+{ord(control.group(0)):04X}; delete it "
                "(it is often pasted in with text from a word processor)",
            )
        wrong = _NOT_A_CHARACTER.search(value)
        if wrong:
            return ctx.error(
                node,
                f"holds U+{ord(wrong.group(0)):04X}, which is not a character (an escape "
                "such as \\uFFFE in quotes makes it); delete it",
            )
        if self.max_length is not None and len(value) > self.max_length:
            return ctx.error(
                node, f"is {len(value)} characters long, more than the limit of {self.max_length}"
            )
        return value

    def json_schema(self) -> JsonSchema:
        schema: JsonSchema = {"type": "string"}
        if not self.allow_empty:
            schema["minLength"] = 1
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


class Pattern(Text):
    """Text that must match a regular expression, such as an id or a range."""

    def __init__(self, pattern: str, *, what: str, rule: str, example: str) -> None:
        super().__init__(max_length=200)
        self.regex = re.compile(pattern)
        self.what = what
        self.rule = rule
        self.example = example
        self.expected = f"an {what}" if what[0] in "aeiou" else f"a {what}"

    def read(self, node: yaml.Node, ctx: ReadContext) -> str | _Invalid:
        value = super().read(node, ctx)
        if isinstance(value, _Invalid):
            return value
        if not self.regex.fullmatch(value):
            return ctx.error(
                node,
                f"'{_shorten(value)}' is not a valid {self.what}: "
                f"{self.rule} (for example '{self.example}')",
            )
        # Ids and references to them recur throughout a study: keep one copy.
        return sys.intern(value)

    def json_schema(self) -> JsonSchema:
        return {"type": "string", "pattern": f"^(?:{self.regex.pattern})$"}


class CalendarDate(Pattern):
    """A day that exists, written YYYY-MM-DD (the pattern alone lets 2025-13-45 by)."""

    def __init__(self) -> None:
        super().__init__(
            r"\d{4}-\d{2}-\d{2}", what="date", rule="write YYYY-MM-DD", example="2026-11-28"
        )

    def read(self, node: yaml.Node, ctx: ReadContext) -> str | _Invalid:
        value = super().read(node, ctx)
        if isinstance(value, _Invalid):
            return value
        try:
            date.fromisoformat(value)
        except ValueError:
            return ctx.error(node, f"'{value}' is not a day of the calendar: write YYYY-MM-DD")
        return value

    def json_schema(self) -> JsonSchema:
        return {**super().json_schema(), "format": "date"}


class Integer(Spec[int]):
    expected = "a whole number"

    def __init__(self, *, minimum: int | None = None) -> None:
        self.minimum = minimum

    def read(self, node: yaml.Node, ctx: ReadContext) -> int | _Invalid:
        scalar = self._scalar(node, ctx)
        if isinstance(scalar, _Invalid):
            return scalar
        if scalar.tag != _INT:
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        if len(scalar.value) > 100:  # int() of thousands of digits is slow, and refused
            return ctx.error(node, f"is too large a number: write at most {_MAX_DIGITS} digits")
        try:
            # The text fits the tag (checked above), so the constructor does not
            # raise KeyError or IndexError; ValueError is kept as a last guard.
            value = int(_constructor.construct_yaml_int(scalar))
        except (ConstructorError, ValueError):
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        if abs(value) >= _MAX_INTEGER:
            return ctx.error(node, f"is too large a number: write at most {_MAX_DIGITS} digits")
        if self.minimum is not None and value < self.minimum:
            return ctx.error(node, f"must be at least {self.minimum}, found {value}")
        return value

    def json_schema(self) -> JsonSchema:
        schema: JsonSchema = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        return schema


class Boolean(Spec[bool]):
    expected = "true or false"

    def read(self, node: yaml.Node, ctx: ReadContext) -> bool | _Invalid:
        scalar = self._scalar(node, ctx)
        if isinstance(scalar, _Invalid):
            return scalar
        if scalar.tag != _BOOL:
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        # The text fits the tag (yes, No, TRUE...), so it is one of these words.
        return _BOOL_VALUES[scalar.value.lower()]

    def json_schema(self) -> JsonSchema:
        return {"type": "boolean"}


class Choice(Spec[str]):
    def __init__(self, options: Sequence[str]) -> None:
        self.options = tuple(options)
        self.expected = "one of " + ", ".join(f"'{o}'" for o in self.options)

    def read(self, node: yaml.Node, ctx: ReadContext) -> str | _Invalid:
        scalar = self._scalar(node, ctx)
        if isinstance(scalar, _Invalid):
            return scalar
        value = str(scalar.value).strip()
        if value not in self.options:
            return ctx.error(
                node,
                f"'{_shorten(value)}' is not {self.expected}{did_you_mean(value, self.options)}",
            )
        return value

    def json_schema(self) -> JsonSchema:
        return {"enum": list(self.options)}


class ListOf(Spec[list[T]], Generic[T]):
    """A list; with ``allow_single``, one bare value also counts as a list of one."""

    def __init__(self, item: Spec[T], *, allow_single: bool = False, min_items: int = 0) -> None:
        self.item = item
        self.allow_single = allow_single
        self.min_items = min_items
        self.expected = f"a list of {_plural(item.expected)}"

    def read(self, node: yaml.Node, ctx: ReadContext) -> list[T] | _Invalid:
        if self.allow_single and isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
            nodes: list[yaml.Node] = [node]
        elif isinstance(node, yaml.SequenceNode):
            nodes = node.value
        else:
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        if len(nodes) < self.min_items:
            return ctx.error(node, f"needs at least {self.min_items} item(s), found {len(nodes)}")
        values: list[T] = []
        for item_node in nodes:
            value = self.item.read(item_node, ctx)
            if not isinstance(value, _Invalid):
                values.append(value)
        return values

    def json_schema(self) -> JsonSchema:
        array: JsonSchema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            array["minItems"] = self.min_items
        if self.allow_single:
            return {"anyOf": [self.item.json_schema(), array]}
        return array


class MapOf(Spec[dict[str, T]], Generic[T]):
    """A mapping from free-form names to values (such as attributes)."""

    def __init__(self, value: Spec[T]) -> None:
        self.value = value
        self.expected = f"a mapping of names to {_plural(value.expected)}"

    def read(self, node: yaml.Node, ctx: ReadContext) -> dict[str, T] | _Invalid:
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        result: dict[str, T] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _read_key(key_node, ctx, seen)
            if key is None:
                continue
            seen[key] = key_node.start_mark.line + 1
            outer = ctx.field_name
            ctx.field_name = f"{outer}.{key}" if outer else key
            value = self.value.read(value_node, ctx)
            ctx.field_name = outer
            if not isinstance(value, _Invalid):
                result[key] = value
        return result

    def json_schema(self) -> JsonSchema:
        return {"type": "object", "additionalProperties": self.value.json_schema()}


@dataclass(frozen=True, slots=True)
class Field:
    spec: Spec[Any]
    description: str
    required: bool = False


class FieldLines(Mapping[str, int]):
    """Each field's line in a record, kept small: a big study has a record
    for each of its tens of thousands of excerpts (at 50,000, the study
    kept 8 MiB more with a dict of lines for each). Records with the same
    fields share one index of their names, and the lines are kept as steps
    from the record's first, small numbers that Python keeps once for all."""

    __slots__ = ("_first", "_index", "_steps")

    #: Each set of field names met, in order, with each name's place.
    _INDEXES: dict[tuple[str, ...], dict[str, int]] = {}  # noqa: RUF012 - shared on purpose

    def __init__(self, lines: Mapping[str, int], first: int) -> None:
        names = tuple(lines)
        index = self._INDEXES.get(names)
        if index is None:
            index = self._INDEXES.setdefault(names, {n: i for i, n in enumerate(names)})
        self._index = index
        self._first = first
        self._steps = tuple(line - first for line in lines.values())

    def __getitem__(self, name: str) -> int:
        return self._first + self._steps[self._index[name]]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._steps)

    def __repr__(self) -> str:
        return f"FieldLines({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FieldLines, (dict(self), self._first))

    def with_line(self, name: str, line: int) -> FieldLines:
        """These lines, and ``name``'s."""
        return FieldLines({**self, name: line}, self._first)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was written: its file, its first line and each field's line."""

    path: str
    line: int
    field_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)

    def at(self, name: str, index: int | None = None) -> Location:
        """The location of a field's value, or of one item of a list field."""
        if index is not None:
            line = self.field_lines.get(f"{name}[{index}]")
            if line is not None:
                return Location(self.path, line)
        return Location(self.path, self.field_lines.get(name, self.line))


@dataclass(frozen=True, slots=True)
class RecordValue:
    """The valid fields of a record; ``complete`` is False when any field failed."""

    values: Mapping[str, Any]
    origin: Origin
    complete: bool

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


class Record(Spec[RecordValue]):
    """A mapping with known fields: required ones, optional ones, no others."""

    def __init__(self, fields: Mapping[str, Field], *, title: str, what: str) -> None:
        self.fields = dict(fields)
        self.title = title
        self.expected = what

    def read(self, node: yaml.Node, ctx: ReadContext) -> RecordValue | _Invalid:
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, f"expected {self.expected}, found {describe_node(node)}")
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        seen: dict[str, int] = {}
        complete = True
        outer_field, ctx.field_name = ctx.field_name, None
        for key_node, value_node in node.value:
            name = _read_key(key_node, ctx, seen)
            if name is None:
                complete = False
                continue
            seen[name] = key_node.start_mark.line + 1
            spec_field = self.fields.get(name)
            if spec_field is None:
                ctx.error(
                    key_node,
                    f"unknown field '{_shorten(name)}' in {self.expected}"
                    f"{did_you_mean(name, self.fields)}",
                )
                complete = False
                continue
            lines[name] = value_node.start_mark.line + 1
            if isinstance(value_node, yaml.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines[sys.intern(f"{name}[{index}]")] = item.start_mark.line + 1
            ctx.field_name = name
            value = spec_field.spec.read(value_node, ctx)
            ctx.field_name = None
            if isinstance(value, _Invalid):
                complete = False
                continue
            if isinstance(value, RecordValue) and not value.complete:
                complete = False
            values[name] = value
        first = node.start_mark.line + 1
        origin = Origin(ctx.document.path, first, FieldLines(lines, first))
        for name, spec_field in self.fields.items():
            if spec_field.required and name not in seen:
                ctx.error(node, f"missing required field '{name}' in {self.expected}")
                complete = False
        ctx.field_name = outer_field
        return RecordValue(values, origin, complete)

    def json_schema(self) -> JsonSchema:
        properties: JsonSchema = {}
        for name, spec_field in self.fields.items():
            property_schema = dict(spec_field.spec.json_schema())
            property_schema["description"] = spec_field.description
            properties[name] = property_schema
        schema: JsonSchema = {
            "type": "object",
            "title": self.title,
            "properties": properties,
            "additionalProperties": False,
        }
        required = [name for name, spec_field in self.fields.items() if spec_field.required]
        if required:
            schema["required"] = required
        return schema


class ShortOrLong(Spec[Any]):
    """A value written either in short form (one scalar) or in full (a mapping),
    such as a table column: ``category`` or ``{kind: category, heading: Code}``."""

    def __init__(self, short: Spec[Any], long: Record) -> None:
        self.short = short
        self.long = long
        self.expected = f"{short.expected}, or {long.expected}"

    def read(self, node: yaml.Node, ctx: ReadContext) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self.long.read(node, ctx)
        return self.short.read(node, ctx)

    def json_schema(self) -> JsonSchema:
        return {"anyOf": [self.short.json_schema(), self.long.json_schema()]}


def _read_key(key_node: yaml.Node, ctx: ReadContext, seen: Mapping[str, int]) -> str | None:
    """A mapping key as text; records a problem for non-text or repeated keys."""
    if key_node.tag == _TAG + "merge":
        ctx.error(key_node, "YAML merge keys (<<) are not supported; write the fields out")
        return None
    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL or not fits_tag(key_node):
        ctx.error(key_node, f"expected a field name, found {describe_node(key_node)}")
        return None
    # Interned: the same few field names come back in every one of a big
    # study's records, and each record keeps them (in its origin's lines).
    name = sys.intern(str(key_node.value))
    if name in seen:
        ctx.error(
            key_node, f"'{_shorten(name)}' is given twice (first on line {seen[name]}); keep one"
        )
        return None
    return name


def _plural(expected: str) -> str:
    for article in ("a ", "an "):
        if expected.startswith(article):
            noun = expected[len(article) :]
            if noun.endswith("s"):
                return noun
            if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
                return noun[:-1] + "ies"
            return noun + "s"
    return expected
