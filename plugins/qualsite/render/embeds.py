"""Embeds: ``[[kind: argument | label]]`` in a study's own Markdown pages.

Embeds are checked for every page before the build writes anything (so a typo
stops the build with the page and line), then expanded page by page. Text in
fenced code blocks and code spans is never touched, and ``\\[[`` is Markdown's
own escape for a literal bracket, so it is left alone too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..content import ContentFile
from ..errors import Location, Problem, QualsiteError, did_you_mean, display_path

_EMBED = re.compile(
    r"(?<!\\)\[\[\s*(?P<kind>[A-Za-z_-]+)\s*"
    r"(?::\s*(?P<argument>[^\]|]*?)\s*)?"
    r"(?:\|\s*(?P<label>[^\]]*?)\s*)?\]\]"
)
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_CODE_SPAN = re.compile(r"(?P<ticks>`+)(?:.+?)(?P=ticks)")

#: Embeds that become a block of HTML and must stand on a line of their own.
BLOCK_KINDS = frozenset({"excerpt", "categories", "table", "figure"})
INLINE_KINDS = frozenset({"category"})
KINDS = BLOCK_KINDS | INLINE_KINDS
_NEEDS_ARGUMENT = frozenset({"excerpt", "category"})


@dataclass(frozen=True, slots=True)
class Embed:
    kind: str
    argument: str | None
    label: str | None
    line: int  # 1-based, in the page as written (front matter included)
    start: int  # offsets in that line
    end: int
    whole_line: bool


@dataclass(frozen=True, slots=True)
class EmbedTargets:
    """The ids an embed may name: the published categories and excerpts.

    When the codebook itself has errors, the ids that were read are used
    instead, leniently, so that a page is not blamed for the codebook's mistake.
    """

    categories: frozenset[str]
    excerpts: frozenset[str]
    tables: frozenset[int] = frozenset()
    figures: frozenset[int] = frozenset()
    lenient: bool = False
    #: Kinds of codebook file (``categories``, ``excerpts``...) of which a
    #: file could not be read: what it defines is unknown, so an embed of
    #: that kind is not checked (the file's own error says why).
    unreadable: frozenset[str] = frozenset()


#: The kind of codebook file that defines what each embed names.
_DEFINED_IN = {
    "category": "categories",
    "excerpt": "excerpts",
    "table": "tables",
    "figure": "model",
}


class EmbedError(QualsiteError):
    """An embed that cannot be expanded (the pre-build check reports these first)."""


def find_embeds(markdown: str, first_line: int = 1) -> Iterator[Embed]:
    """Every embed outside code, in order. ``first_line`` is the number of the
    first line of ``markdown`` in its file (MkDocs strips front matter).

    Code is: fenced blocks at any indentation (fences inside list items, as
    SuperFences allows), indented code blocks (four spaces after a blank
    line, eight inside a list, where four only continue the item) and code
    spans.
    """
    fence: str | None = None
    after_blank = True
    in_list = False
    in_indented_code = False
    for offset, line in enumerate(markdown.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening["fence"][0] == fence[0] and len(opening["fence"]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening["fence"]
            continue
        if not line.strip():
            after_blank = True
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if _LIST_ITEM.match(line):
            in_list = True
        elif indent == 0:
            in_list = False
        code_indent = 8 if in_list else 4
        in_indented_code = indent >= code_indent and (after_blank or in_indented_code)
        after_blank = False
        if in_indented_code:
            continue
        code = [m.span() for m in _CODE_SPAN.finditer(line)]
        for match in _EMBED.finditer(line):
            if any(start <= match.start() < end for start, end in code):
                continue
            yield Embed(
                kind=match["kind"].lower(),
                argument=match["argument"] or None,
                label=match["label"] or None,
                line=first_line + offset,
                start=match.start(),
                end=match.end(),
                whole_line=line.rstrip() == match.group(0),
            )


def check_embeds(
    markdown: str, shown_path: str, targets: EmbedTargets, first_line: int = 1
) -> list[Problem]:
    """Problems with the embeds of one page: unknown kinds and unknown ids."""
    problems: list[Problem] = []
    placed: dict[tuple[str, str], int] = {}  # block embed -> line of its first use
    for embed in find_embeds(markdown, first_line):
        message = _problem(embed, targets)
        if message:
            problems.append(Problem(Location(shown_path, embed.line), message))
            continue
        if embed.kind in BLOCK_KINDS:
            # Each block carries HTML ids (its anchor); twice on a page, they clash.
            key = (embed.kind, _identity(embed, targets))
            if key in placed:
                problems.append(
                    Problem(
                        Location(shown_path, embed.line),
                        f"'[[{embed.kind}{': ' + embed.argument if embed.argument else ''}]]' "
                        f"is already embedded on this page (line {placed[key]}); "
                        "embed it once and link to it elsewhere",
                    )
                )
            else:
                placed[key] = embed.line
    return problems


def _identity(embed: Embed, targets: EmbedTargets) -> str:
    """What a block embed shows: [[figure]] is [[figure: 1]] when there is one."""
    argument = (embed.argument or "").strip()
    if embed.kind in ("table", "figure") and not argument:
        numbers = targets.tables if embed.kind == "table" else targets.figures
        return str(min(numbers)) if numbers else ""
    return str(int(argument)) if argument.isdigit() else argument


_ANCHOR_ID = re.compile(r'\sid="((?:table|figure|excerpt)-[^"]+)"')


def repeated_anchors(html: str) -> list[str]:
    """qualsite's anchors that occur more than once in a page's HTML (a
    heading "Table 2" gets the id table-2, which an embedded Table 2 has)."""
    seen: set[str] = set()
    repeated: list[str] = []
    for match in _ANCHOR_ID.finditer(html):
        anchor = match.group(1)
        if anchor in seen and anchor not in repeated:
            repeated.append(anchor)
        seen.add(anchor)
    return repeated


def read_page(page: ContentFile) -> str | Problem:
    """A page's Markdown, or the problem that stops it being read."""
    try:
        return page.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Problem(
            Location(display_path(page.path)),
            "the page is not UTF-8 text; save it with the UTF-8 encoding",
        )
    except OSError as error:
        return Problem(Location(display_path(page.path)), f"cannot read the page: {error.strerror}")


def check_pages(pages: Sequence[ContentFile], targets: EmbedTargets) -> list[Problem]:
    """Check the embeds of every page, in the order given (path order)."""
    problems: list[Problem] = []
    for page in pages:
        if not page.is_page:
            continue
        markdown = read_page(page)
        if isinstance(markdown, Problem):
            problems.append(markdown)
            continue
        problems.extend(check_embeds(markdown, display_path(page.path), targets))
    return problems


def _problem(embed: Embed, targets: EmbedTargets) -> str | None:
    written = f"[[{embed.kind}{': ' + embed.argument if embed.argument else ''}]]"
    if embed.kind not in KINDS:
        return (
            f"unknown embed '{written}'{did_you_mean(embed.kind, KINDS)}; "
            f"qualsite knows {', '.join(sorted(KINDS))}"
        )
    if embed.kind in _NEEDS_ARGUMENT and not embed.argument:
        return f"'{written}' needs an id, as in [[{embed.kind}: <id>]]"
    if embed.kind in BLOCK_KINDS and not embed.whole_line:
        return f"'{written}' must stand on a line of its own, not indented"
    if _DEFINED_IN.get(embed.kind) in targets.unreadable:
        return None
    if embed.kind in ("category", "excerpt"):
        known = targets.categories if embed.kind == "category" else targets.excerpts
        if targets.lenient and not known:
            return None  # none of that kind could be read; the codebook's error says why
        if embed.argument not in known:
            suffix = " (or it is not published)" if embed.kind == "excerpt" else ""
            return (
                f"unknown {embed.kind} '{embed.argument}'"
                f"{did_you_mean(embed.argument or '', known)}{suffix}"
            )
    if embed.kind in ("table", "figure"):
        numbers = targets.tables if embed.kind == "table" else targets.figures
        if targets.lenient and not numbers:
            return None  # the file could not be read; its own error says why
        return _number_problem(embed, numbers)
    return None


def _number_problem(embed: Embed, numbers: frozenset[int]) -> str | None:
    """Tables and figures are named by number: [[table: 2]], [[figure]] or [[figure: 1]]."""
    what = embed.kind
    if not numbers:
        model_file = "model.yml" if what == "figure" else "tables.yml"
        return f"there is no {what} to embed; describe one in the codebook's {model_file}"
    if embed.argument is None:
        return None if len(numbers) == 1 else f"'[[{what}]]' needs a number: [[{what}: 1]]"
    number = embed.argument.strip()
    if not number.isdigit():
        return f"'[[{what}: {number}]]' needs a number, as in [[{what}: 1]]"
    if int(number) not in numbers:
        known = ", ".join(str(n) for n in sorted(numbers))
        return f"unknown {what} {int(number)}; the study has {what} {known}"
    return None


def expand_embeds(
    markdown: str,
    *,
    shown_path: str,
    first_line: int,
    render: Callable[[Embed], str],
    targets: EmbedTargets,
) -> str:
    """Replace each embed by what ``render`` returns for it."""
    embeds = list(find_embeds(markdown, first_line))
    if not embeds:
        return markdown
    lines = markdown.split("\n")
    # Right to left within a line, so earlier offsets stay valid.
    for embed in reversed(embeds):
        message = _problem(embed, targets)
        if message:
            raise EmbedError(f"{Location(shown_path, embed.line)}: {message}")
        index = embed.line - first_line
        line = lines[index]
        replacement = render(embed)
        if embed.whole_line:
            # Blank lines around it make Markdown treat it as one HTML block.
            replacement = f"\n{replacement}\n"
        lines[index] = line[: embed.start] + replacement + line[embed.end :]
    return "\n".join(lines)
