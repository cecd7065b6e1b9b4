"""libyaml's syntax errors, said the way a person fixes them.

libyaml names the state its parser was in ("mapping values are not allowed
in this context", "did not find expected '-' indicator"), which tells a
researcher nothing about the colon in their excerpt or the line indented one
space too far. This module looks at the line the parser stopped on and the
lines around it, recognises the mistakes people make most, and says what to
change, with a corrected line where one can be shown. What it does not
recognise keeps libyaml's words, prefixed "not valid YAML".

The pure-Python parser (the fallback when PyYAML has no libyaml) words some
problems differently; both wordings are recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: How much of a value a message may repeat: a message goes to build logs,
#: and an excerpt's words belong in the site, not in a CI system.
_QUOTED_LIMIT = 40

#: A field name as the codebook's fields are written (``text``, ``site_authors``).
_FIELD_NAME = re.compile(r"[a-z_][\w-]*")

#: What YAML makes of a value that starts with one of these characters.
_SPECIAL_STARTS: dict[str, str] = {
    "*": "reads as an alias (a reference to an '&' anchor)",
    "&": "reads as an anchor (a name for the value, for an alias to repeat)",
    "@": "keeps for itself",
    "`": "keeps for itself",
    "%": "reads as a directive",
    "-": "reads as a list item",
    "?": "reads as a complex key",
}

#: What YAML makes of a value that starts with one of these and goes on
#: after its closing character.
_ENCLOSING_STARTS: dict[str, str] = {
    "[": "a list, which ends at the next ']'",
    "{": "a mapping, which ends at the next '}'",
    '"': "a quoted value, which ends at the next '\"'",
    "'": 'a quoted value, which ends at the next "\'"',
}

#: The problems that mean "this line does not line up", in libyaml's words
#: and the pure-Python parser's.
_INDENTATION_PROBLEMS = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
    "did not find expected <document start>",
    "expected '<document start>'",
)

#: A plain key: text up to the first ':' followed by a space or the line's end.
_KEY = re.compile(r"([^:#]*?)(\s*):(?=\s|$)")
#: Characters that make what follows a value, not a plain key.
_VALUE_STARTS = "\"'[{#&*!|>%@`"

#: How many lines above a mistake are read for the lines it should line up
#: with: the structure around a line is close to it, and a file may hold
#: 50,000 excerpts.
_LINES_LOOKED_AT = 200


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Where a syntax error is (1-based; column 0 when no column helps) and what to do."""

    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of the file, taken apart as a person reads YAML."""

    number: int  # 1-based
    text: str
    indent: int  # spaces before the first character
    body: int  # column (0-based) after the indentation and any "- " list markers
    key: str | None  # the field name, when the line holds "name: value"
    key_column: int  # column of the field name, or -1
    colon: int  # column of the ':' after the field name, or -1
    value: str  # what follows "name: ", or the whole body when there is no name
    value_column: int

    @property
    def dash(self) -> bool:
        return self.text[self.indent : self.indent + 1] == "-" and self.body > self.indent

    @property
    def content(self) -> bool:
        """Not blank and not only a comment."""
        stripped = self.text.strip()
        return bool(stripped) and not stripped.startswith("#")

    @property
    def field_like(self) -> bool:
        return self.key is not None and _FIELD_NAME.fullmatch(self.key) is not None


def _read_line(lines: list[str], number: int) -> _Line:
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    body = indent
    while text.startswith("- ", body) or text[body:].rstrip() == "-":
        body += 2
        while body < len(text) and text[body] == " ":
            body += 1
    # The first ": " (or ":" at the end of the line) after a name that YAML
    # would take as a plain key; a quoted or bracketed start is a value.
    key = None
    key_column = colon = -1
    if body < len(text) and text[body] not in _VALUE_STARTS:
        match = _KEY.match(text, body)
        if match and match.group(1):
            key, key_column, colon = match.group(1), body, match.end(2)
    value_column = body
    if colon >= 0:
        value_column = colon + 1
        while value_column < len(text) and text[value_column] == " ":
            value_column += 1
    value = text[value_column:].rstrip()
    return _Line(number, text, indent, body, key, key_column, colon, value, value_column)


def explain_syntax_error(error: yaml.MarkedYAMLError, text: str) -> SyntaxProblem:
    """The friendliest true account of ``error`` in the file ``text``."""
    lines = text.splitlines()
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 0
    column = mark.column if mark is not None else 0
    if "nesting depth" in f"{context} {problem}":
        return SyntaxProblem(line, 0, "the YAML is nested too deeply (more than 1000 levels)")
    here = _read_line(lines, line)
    if "\t" in here.text[: len(here.text) - len(here.text.lstrip(" \t"))]:
        return SyntaxProblem(line, 0, "a tab is used for indentation; YAML only allows spaces")
    if "cannot start any token" in problem and here.text[column : column + 1] == "\t":
        return SyntaxProblem(
            line, column + 1, "a tab here is not allowed outside quotes; replace it with a space"
        )
    explained = (
        _special_start(here, column, problem)
        or _colon(lines, here, column, problem)
        or _flow(lines, error, context)
        or _missing_colon(lines, error, problem)
        or _unclosed_quote(lines, error, problem, context)
        or _second_document(here, problem)
        or _indentation(lines, here, column, problem)
    )
    if explained is not None:
        return explained
    detail = ", ".join(part for part in (context, problem) if part) or "syntax error"
    return SyntaxProblem(line, 0, f"not valid YAML: {detail}")


# -- a colon in a value ------------------------------------------------------------


def _colon(lines: list[str], here: _Line, column: int, problem: str) -> SyntaxProblem | None:
    if "mapping values are not allowed" not in problem:
        return None
    if 0 <= here.colon < column:
        return _colon_in_value(here, column)
    return _colon_on_a_continued_line(lines, here)


def _colon_in_value(here: _Line, column: int) -> SyntaxProblem:
    """``text: The team: a group chat``: the second ': ' cannot start a field."""
    if here.field_like:
        assert here.key is not None
        what, example = f"the value of '{here.key}'", _quoted(f"{here.key}: ", here.value)
        block = _block_style(here.key)
    else:  # "- Note: the team: a chat": a list item that is all text
        body = here.text[here.body :].rstrip()
        what, example, block = "the text", _quoted("- " if here.dash else "", body), ""
    return SyntaxProblem(
        here.number,
        column + 1,
        f'{what} holds ": " (a colon and a space), which YAML reads as the start of a new '
        f"field; {_quote_it(example, block)}",
    )


def _colon_on_a_continued_line(lines: list[str], here: _Line) -> SyntaxProblem | None:
    """The first ': ' of a line that YAML read as more of a line above it."""
    above = _line_above(lines, here, shallower=True) or _line_above(lines, here)
    if above is None:
        return None
    if above.key is None:
        return _no_colon_above(above, here)
    if not above.value:
        return None
    if here.field_like and " " not in above.value:
        # "  - id: P1" then "     label: a": a field indented too far. (A
        # one-word value is rarely a text that goes on to a second line.)
        return SyntaxProblem(
            here.number,
            0,
            f"line {here.number} is indented further than '{above.key}' on line "
            f"{above.number} ({_spaces(here.indent)}, not {above.key_column}), so YAML reads "
            f"it as more of the value of '{above.key}'; {_indent_by(above.key_column)}, "
            f"as '{above.key}' is",
        )
    own_field = (
        f"if '{here.key}' is a field of its own, {_indent_by(above.key_column)}, as "
        f"'{above.key}' is; "
        if here.field_like
        else ""
    )
    return SyntaxProblem(
        here.number,
        0,
        f"line {here.number} is read as more of the text of '{above.key}' (line "
        f"{above.number}), and its ': ' as the start of a new field; {own_field}to keep it "
        f"in the text, put the whole text in quotes, {_block_style(above.key)}",
    )


def _no_colon_above(above: _Line, here: _Line) -> SyntaxProblem:
    """``- id P1`` then ``  label: a``: the line above has no ': ' of its own."""
    words = above.text[above.body :].split(None, 1)
    hint = ""
    if len(words) == 2 and _FIELD_NAME.fullmatch(words[0]):
        hint = f" (as in '{_shorten(f'{words[0]}: {words[1]}')}')"
    return SyntaxProblem(
        above.number,
        0,
        f"'{_shorten(above.text.strip())}' has no ': ' after a field name, so YAML reads "
        f"line {here.number} as more of its text; write ': ' after the field's name{hint}",
    )


# -- a value that starts with a character YAML gives a meaning --------------------


def _special_start(here: _Line, column: int, problem: str) -> SyntaxProblem | None:
    """``text: *sigh* I said``, ``text: [name] told me``, ``label: "x" y``..."""
    if not here.value or column < here.value_column:
        return None
    first = here.value[0]
    subject = f"the value of '{here.key}'" if here.field_like else "the text"
    prefix = f"{here.key}: " if here.field_like else "- " if here.dash else ""
    block = _block_style(here.key) if here.key is not None and here.field_like else ""
    example = _quoted(prefix, here.value)
    if first in "|>" and ("comment or line break" in problem or "comment or a line" in problem):
        # "text: > said": block style, with the text begun on its own line.
        quote = f", or put the whole value in quotes, like this: {example}" if example else ""
        return SyntaxProblem(
            here.number,
            here.value_column + 1,
            f"{subject} starts with {_character(first)}, which YAML reads as block style, "
            f"whose text starts on the next line; write the text on the lines below, "
            f"indented{quote}",
        )
    if first in _ENCLOSING_STARTS:
        if column == here.value_column or not _stopped_inside_the_line(problem):
            return None
        meaning = f"reads as {_ENCLOSING_STARTS[first]}, and what follows it cannot be read"
    elif first in _SPECIAL_STARTS and _refused_start(problem):
        meaning = _SPECIAL_STARTS[first]
    else:
        return None
    return SyntaxProblem(
        here.number,
        here.value_column + 1,
        f"{subject} starts with {_character(first)}, which YAML {meaning}; "
        f"{_quote_it(example, '' if example else block)}",
    )


def _stopped_inside_the_line(problem: str) -> bool:
    """The parser found more on the line after a complete value."""
    return "did not find expected key" in problem or "expected <block end>" in problem


def _refused_start(problem: str) -> bool:
    return any(
        words in problem
        for words in (
            "alphabetic or numeric character",  # after * or &
            "undefined alias",  # *sigh
            "cannot start any token",  # @ ` %
            "sequence entries are not allowed",  # "- "
            "mapping keys are not allowed",  # "? "
        )
    )


def _quote_it(example: str, block: str) -> str:
    """The advice: quotes (with the corrected line), or block style."""
    if example:
        quote = f"put the whole value in quotes, like this: {example}"
        return f"{quote}, {block}" if block else quote
    return block.removeprefix("or ") if block else "put the whole value in quotes"


def _quoted(prefix: str, value: str) -> str:
    """``prefix"value"`` in the quotes that need no escaping, shortened; or ''
    when the value holds both kinds of quote (block style is then the fix)."""
    inner = value
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]  # 'it's fine': the quotes were meant to enclose it all
    shown = _shorten(inner)
    if '"' not in inner and "\\" not in inner:
        return f'{prefix}"{shown}"'
    if "'" not in inner:
        return f"{prefix}'{shown}'"
    return ""


def _block_style(key: str) -> str:
    return f"or write it in block style: '{key}: >' with the text on the lines below, indented"


# -- flow collections, quotes, documents ------------------------------------------


def _flow(lines: list[str], error: yaml.MarkedYAMLError, context: str) -> SyntaxProblem | None:
    """``{id: a, text: The team: a chat}``, and a '[' or '{' never closed."""
    opened, stopped = error.context_mark, error.problem_mark
    in_flow = "flow sequence" in context or "flow mapping" in context
    if not in_flow or opened is None or stopped is None:
        return None
    bracket = "[" if "sequence" in context else "{"
    closing = "]" if bracket == "[" else "}"
    text = lines[stopped.line] if stopped.line < len(lines) else ""
    if stopped.line == opened.line and text[stopped.column : stopped.column + 1] == ":":
        # The item around the colon: from the ',' or bracket before it to the
        # ',' or bracket after it.
        start = max(text.rfind(",", 0, stopped.column), text.rfind(bracket, 0, stopped.column))
        ends = (text.find(",", stopped.column), text.find(closing, stopped.column))
        end = min((i for i in ends if i >= 0), default=len(text))
        item = _read_line([text[start + 1 : end].strip()], 1)
        example = _quoted(f"{item.key}: ", item.value) if item.field_like else ""
        fix = "put that value in quotes" + (f", like this: {example}" if example else "")
        return SyntaxProblem(
            stopped.line + 1,
            stopped.column + 1,
            f'a value inside {bracket}{closing} holds ": " (a colon and a space), which YAML '
            f"reads as the start of a new field; {fix}",
        )
    what = "list" if bracket == "[" else "mapping"
    return SyntaxProblem(
        opened.line + 1,
        opened.column + 1,
        f"the '{bracket}' here is not closed: end the {what} with '{closing}' on this line",
    )


def _missing_colon(
    lines: list[str], error: yaml.MarkedYAMLError, problem: str
) -> SyntaxProblem | None:
    """A line with no ': ' where YAML expected a field: ``authors`` for
    ``authors:``, or more of a text at too small an indentation."""
    if "could not find expected ':'" not in problem or error.context_mark is None:
        return None
    line = _read_line(lines, error.context_mark.line + 1)
    written = line.text[line.body :].strip()
    as_field = (
        f"write '{written}:' if it is a field"
        if _FIELD_NAME.fullmatch(written)
        else "if it is a field, write ': ' after its name"
    )
    as_text = _more_of_the_text_above(lines, line)
    return SyntaxProblem(
        line.number,
        0,
        f"'{_shorten(written)}' has no ': ' after it, so it is not a field; "
        + "; ".join(part for part in (as_field, as_text) if part),
    )


def _more_of_the_text_above(lines: list[str], line: _Line) -> str:
    """How to make ``line`` part of the text on the line above, if it holds one."""
    above = _line_above(lines, line)
    if above is None:
        return ""
    if above.field_like and above.value and line.indent <= above.key_column:
        return (
            f"if it is more of the text of '{above.key}' on line {above.number}, indent it "
            f"further than '{above.key}'"
            + (f" (more than {_spaces(above.key_column)})" if above.key_column else "")
        )
    if above.key is None and line.indent < above.indent:  # a text's second line
        return (
            f"if it is more of the text on line {above.number}, indent it as far as that "
            f"line ({_spaces(above.indent)})"
        )
    return ""


def _unclosed_quote(
    lines: list[str], error: yaml.MarkedYAMLError, problem: str, context: str
) -> SyntaxProblem | None:
    opened = error.context_mark
    if "quoted scalar" not in context or "end of stream" not in problem or opened is None:
        return None
    text = lines[opened.line] if opened.line < len(lines) else ""
    quote = text[opened.column : opened.column + 1] or '"'
    return SyntaxProblem(
        opened.line + 1,
        opened.column + 1,
        f"the quote ({quote}) that opens this value is never closed; end the value with {quote}",
    )


def _second_document(here: _Line, problem: str) -> SyntaxProblem | None:
    if "another document" not in problem:
        return None
    return SyntaxProblem(
        here.number,
        0,
        f"'{_shorten(here.text.strip())}' starts a second YAML document, and a codebook "
        "file holds one; remove the line, or move what follows it into a file of its own",
    )


# -- indentation --------------------------------------------------------------------


def _indentation(lines: list[str], here: _Line, column: int, problem: str) -> SyntaxProblem | None:
    if not any(words in problem for words in _INDENTATION_PROBLEMS):
        return None
    if "document start" in problem:
        return _indented_first_line(lines)
    if column != here.indent:
        return None  # the parser stopped inside the line: not its indentation
    if here.dash:
        return _misaligned_item(lines, here)
    return _misaligned_field(lines, here)


def _indented_first_line(lines: list[str]) -> SyntaxProblem | None:
    """`` title: x`` then ``authors: ...``: the first field is indented."""
    for number in range(1, len(lines) + 1):
        first = _read_line(lines, number)
        if first.content:
            if first.indent == 0:
                return None
            return SyntaxProblem(
                first.number,
                0,
                f"line {first.number} is indented ({_spaces(first.indent)}), but the fields "
                "at the top of a file start at the beginning of their line; remove the spaces",
            )
    return None


def _misaligned_item(lines: list[str], here: _Line) -> SyntaxProblem | None:
    """A '-' that lines up with no list above it."""
    items = [line for line in _lines_above(lines, here) if line.dash]
    if not items:
        return None
    nearest = min(items, key=lambda line: (abs(line.indent - here.indent), -line.number))
    if nearest.indent == here.indent:
        return None
    return SyntaxProblem(
        here.number,
        0,
        f"line {here.number} does not line up with the lines around it: its '-' is "
        f"{_spaces_in(here.indent)}, but the '-' on line {nearest.number} is "
        f"{_spaces_in(nearest.indent)}; the items of a list line up: "
        f"{_indent_by(nearest.indent)}, as line {nearest.number} is",
    )


def _misaligned_field(lines: list[str], here: _Line) -> SyntaxProblem | None:
    """A field indented unlike the fields above it."""
    above = _lines_above(lines, here)
    fields = [line for line in above if line.field_like]
    if not fields:
        return None
    nearest = min(fields, key=lambda line: (abs(line.key_column - here.indent), -line.number))
    if nearest.key_column == here.indent:
        return None
    name = f"'{here.key}'" if here.field_like else "it"
    new_item = any(line.dash and line.indent == here.indent for line in above)
    or_item = ", or start it with '- ' if it begins a new item of the list" if new_item else ""
    return SyntaxProblem(
        here.number,
        0,
        f"line {here.number} does not line up with the lines around it: {name} is "
        f"{_spaces_in(here.indent)}, but '{nearest.key}' on line {nearest.number} is "
        f"{_spaces_in(nearest.key_column)}; {_indent_by(nearest.key_column)}, "
        f"as '{nearest.key}' is{or_item}",
    )


# -- helpers ----------------------------------------------------------------------


def _lines_above(lines: list[str], here: _Line) -> list[_Line]:
    """The lines with content above ``here``, nearest first (only the nearest few)."""
    above: list[_Line] = []
    for number in range(here.number - 1, 0, -1):
        line = _read_line(lines, number)
        if line.content:
            above.append(line)
            if len(above) == _LINES_LOOKED_AT:
                break
    return above


def _line_above(lines: list[str], here: _Line, *, shallower: bool = False) -> _Line | None:
    """The nearest line with content above ``here`` (indented less, if ``shallower``)."""
    for line in _lines_above(lines, here):
        if not shallower or line.indent < here.indent:
            return line
    return None


def _character(character: str) -> str:
    return f'"{character}"' if character == "'" else f"'{character}'"


def _indent_by(count: int) -> str:
    return f"indent it by {_spaces(count)}" if count else "start it at the beginning of the line"


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _spaces_in(count: int) -> str:
    return f"{_spaces(count)} in" if count else "at the start of the line"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTED_LIMIT else text[: _QUOTED_LIMIT - 1] + "…"
