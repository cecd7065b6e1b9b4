"""Why a build stopped, in qualsite's words rather than MkDocs'.

MkDocs ends a failed build with "Aborted with a BuildError!" or "Aborted
with 1 warnings in strict mode!": its own internals, and a plural that
does not agree. The errors themselves are already on the screen (or the
preview's error page) above this line, so it only says what stopped the
build. Shared by ``qualsite build``, ``bundle``, ``pdf`` and ``serve``.
"""

from __future__ import annotations

import re

from .counting import counted

#: MkDocs' words when warnings stop a strict build.
_STRICT_ABORT = re.compile(r"Aborted with (\d+) warnings? in strict mode!")


def why_stopped(mkdocs_message: str) -> str:
    """MkDocs' reason for stopping a build (an ``Abort``'s message), said
    for a study: "the build stopped at 1 warning (above), as strict mode
    (mkdocs.yml or --strict) asks"."""
    strict = _STRICT_ABORT.fullmatch(mkdocs_message.strip())
    if strict:
        count = int(strict.group(1))
        return (
            f"the build stopped at {counted(count, 'warning')} (above), as strict mode "
            "(mkdocs.yml or --strict) asks"
        )
    if not mkdocs_message or mkdocs_message.startswith("Aborted with"):
        return "the build stopped at the error above"
    return f"the build stopped: {mkdocs_message}"
