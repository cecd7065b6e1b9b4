"""The paper the Word exports are laid out on: A4, as theses outside North
America and the PDF are, unless a study asks for US Letter.

The LaTeX export has none: it is a fragment that a document \\input's, and
the paper is that document's (its columns share whatever \\linewidth is)."""

from __future__ import annotations

from enum import Enum


class Paper(Enum):
    A4 = "a4"
    LETTER = "letter"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names a user writes (``paper: letter``, ``--paper letter``)."""
        return tuple(paper.value for paper in cls)


__all__ = ["Paper"]
