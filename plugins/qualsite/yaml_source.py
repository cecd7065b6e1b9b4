"""Reading a YAML file into a node tree that remembers where every value was.

qualsite composes YAML into PyYAML *nodes* (which carry their line numbers)
instead of loading it into plain Python values, so that every later check can
say ``file:line``. Scalars stay as the text the user wrote until a field's
spec decides what they mean; nothing is ever constructed from a YAML tag, so
``!!python/...`` tags are inert.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Location, Problems, display_path
from .yaml_errors import explain_syntax_error

# libyaml's C parser is much faster on large excerpt files; the pure-Python
# parser is the fallback for a PyYAML built without it.
YamlLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest YAML file qualsite reads. A study of 50,000 excerpts kept in one
#: file is about 25 MiB; anything much bigger is a mistake or an attack.
MAX_FILE_BYTES = 32 * 1024 * 1024

#: How many values anchors and aliases may add to a document beyond what is
#: written in it. Reuse through aliases is fine; a "billion laughs" document,
#: whose aliases expand into millions of values, is refused.
MAX_ALIAS_EXPANSION = 10_000

#: How many characters of text aliases may repeat in a document beyond what
#: is written in it. A few aliases to one long text are few values but can
#: make a site many times the size of its codebook (155 KB of YAML built an
#: 83 MB site); reusing a source, a list of ids or a memo in each of a
#: file's excerpts repeats some thousands of characters.
MAX_ALIAS_CHARACTERS = 1_000_000
#: ... and in all the files of a study together.
MAX_ALIAS_CHARACTERS_IN_ALL = 4 * MAX_ALIAS_CHARACTERS

# An anchor (``&name``) can only appear after a space, a flow indicator or at
# the start of a line; if the text holds none, there are no aliases to check.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s&]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed file: its display path and the root node (None when empty)."""

    path: str
    root: yaml.Node | None
    #: No root because the file holds only comments (not because it is empty):
    #: a user who wrote comments expects something else to be wrong.
    only_comments: bool = False
    #: Characters of text its aliases repeat (a study's files are limited
    #: in sum too: MAX_ALIAS_CHARACTERS_IN_ALL).
    alias_characters: int = 0

    def location(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.path)
        return Location(self.path, node.start_mark.line + 1)


#: The last parse of each file, by path, with a digest of the bytes it came
#: from, while :func:`remember_parses` is on: under ``mkdocs serve`` a
#: rebuild after one excerpt file changed parses that file again, not the
#: hundred others. (A digest, not the file's time: two saves within a clock
#: tick have the same time.)
_PARSED: dict[str, tuple[tuple[bytes, str], YamlDocument]] = {}
_remembering = False


def remember_parses(on: bool) -> None:
    """Keep each file's parse for the next build (``mkdocs serve``), or not.

    Off by default: the node trees of 10,000 excerpts hold 29 MiB, more
    than everything else ``prepare_site`` keeps (24 MiB, tracemalloc), for
    nothing when there is no next build.
    """
    global _remembering
    _remembering = on
    if not on:
        _PARSED.clear()


def keep_parses_of(paths: Iterable[Path]) -> None:
    """Forget the parses of every file but ``paths`` (the codebook's files
    as the last read found them: one deleted or renamed since is gone)."""
    kept = {str(path) for path in paths}
    for gone in _PARSED.keys() - kept:
        del _PARSED[gone]


def remembering_parses() -> bool:
    """Whether parses are kept for the next build (:func:`remember_parses`):
    while they are, a file's bytes are unchanged when its parse is the very
    object the last build was given."""
    return _remembering


def read_yaml(path: Path, problems: Problems) -> YamlDocument | None:
    """Parse one YAML file, or record why it cannot be read and return None."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                Location(shown),
                f"file is {size / 2**20:.1f} MiB, more than the limit of "
                f"{MAX_FILE_BYTES // 2**20} MiB; split it into several files",
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.error(Location(shown), f"cannot read the file: {error.strerror}")
        return None
    if not _remembering:
        return parse_yaml(data, shown, problems)
    version = (hashlib.blake2b(data, digest_size=16).digest(), shown)
    cached = _PARSED.get(str(path))
    if cached is not None and cached[0] == version:
        return cached[1]
    document = parse_yaml(data, shown, problems)
    if document is not None:
        _PARSED[str(path)] = (version, document)
    return document


def parse_yaml(data: bytes, shown_path: str, problems: Problems) -> YamlDocument | None:
    """Parse YAML bytes; ``shown_path`` is how errors name the source."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.error(
            Location(shown_path, line),
            "the file is not UTF-8 text; save it with the UTF-8 encoding",
        )
        return None
    try:
        root = yaml.compose(text, Loader=YamlLoader)
    except yaml.reader.ReaderError as error:
        # Control characters (often pasted in from a word processor) are not
        # allowed in YAML; say which one and where.
        line = text.count("\n", 0, error.position) + 1
        problems.error(
            Location(shown_path, line),
            f"the file holds the control character U+{error.character:04X}, which YAML does "
            "not allow; delete it (it is often pasted in with text from a word processor)",
        )
        return None
    except yaml.MarkedYAMLError as error:
        # libyaml's words name its parser's state; say what to change instead.
        explained = explain_syntax_error(error, text)
        problems.error(Location(shown_path, explained.line, explained.column), explained.message)
        return None
    except yaml.YAMLError as error:
        problems.error(Location(shown_path), f"not valid YAML: {error}")
        return None
    except RecursionError:
        # Only the pure-Python parser recurses; libyaml caps the depth itself.
        problems.error(Location(shown_path), "the YAML is nested too deeply")
        return None
    if root is None:
        return YamlDocument(shown_path, None, only_comments=bool(text.strip()))
    document = YamlDocument(shown_path, root)
    if _MAYBE_ANCHOR.search(text):
        repeated = _check_alias_expansion(document, problems)
        if repeated is None:
            return None
        document = YamlDocument(shown_path, root, alias_characters=repeated)
    return document


def _check_alias_expansion(document: YamlDocument, problems: Problems) -> int | None:
    """Refuse documents whose aliases expand into far more than is written:
    more values (a "billion laughs") or more text (aliases to a long text).
    Returns how many characters the aliases repeat, or None when refused.

    Composing does not expand aliases (an alias is the same node object again),
    so this walk measures what expanding would produce, remembering each
    node's size so that the walk itself stays linear.
    """
    assert document.root is not None
    sizes: dict[int, tuple[int, int]] = {}  # id(node): (values, characters)
    in_progress: set[int] = set()
    written_values = written_characters = 0
    # Each node met again through an alias, and how often.
    repeats: dict[int, tuple[yaml.Node, int]] = {}

    def expanded_size(node: yaml.Node) -> tuple[int, int]:
        nonlocal written_values, written_characters
        key = id(node)
        if key in sizes:
            repeated = repeats.get(key)
            repeats[key] = (node, repeated[1] + 1 if repeated else 1)
            return sizes[key]
        if key in in_progress:
            raise _RecursiveAlias(node)
        in_progress.add(key)
        values, characters = 1, 0
        if isinstance(node, yaml.ScalarNode):
            characters = len(node.value)
        else:
            children: list[yaml.Node] = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            for child in children:
                child_values, child_characters = expanded_size(child)
                values += child_values
                characters += child_characters
        written_values += 1
        written_characters += characters if isinstance(node, yaml.ScalarNode) else 0
        in_progress.discard(key)
        sizes[key] = (values, characters)
        return values, characters

    try:
        total_values, total_characters = expanded_size(document.root)
    except _RecursiveAlias as error:
        problems.error(
            document.location(error.node), "an alias refers to the anchor that contains it"
        )
        return None
    except RecursionError:
        problems.error(document.location(document.root), "the YAML is nested too deeply")
        return None
    extra_values = total_values - written_values
    extra_characters = total_characters - written_characters
    if extra_values <= MAX_ALIAS_EXPANSION and extra_characters <= MAX_ALIAS_CHARACTERS:
        return extra_characters
    # Point at the anchored value whose repeats weigh most: the one to fix.
    index = 0 if extra_values > MAX_ALIAS_EXPANSION else 1
    heaviest, _ = max(repeats.values(), key=lambda repeat: sizes[id(repeat[0])][index] * repeat[1])
    location = document.location(heaviest)
    if extra_values > MAX_ALIAS_EXPANSION:
        problems.error(
            location,
            f"anchors and aliases expand this file by {extra_values:,} values, more "
            f"than the limit of {MAX_ALIAS_EXPANSION:,}; write the values out instead",
        )
    else:
        problems.error(
            location,
            f"anchors and aliases repeat {extra_characters:,} characters of text in this "
            f"file, more than the limit of {MAX_ALIAS_CHARACTERS:,} (the anchor on this "
            "line is repeated most); repeat long text less often, or write it out where "
            "it is needed",
        )
    return None


class _RecursiveAlias(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node
