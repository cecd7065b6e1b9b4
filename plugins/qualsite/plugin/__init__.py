"""The MkDocs adapter (the ``qualsite`` plugin)."""

from .hooks import QualsitePlugin

__all__ = ["QualsitePlugin"]
