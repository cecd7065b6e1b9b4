"""From a published Study to pages, links and embeds. Nothing here knows MkDocs."""

from .embeds import check_pages, expand_embeds, find_embeds
from .pages import GeneratedPage, SiteRenderer
from .templates import make_environment, read_asset
from .urls import SiteUrls

__all__ = [
    "GeneratedPage",
    "SiteRenderer",
    "SiteUrls",
    "check_pages",
    "expand_embeds",
    "find_embeds",
    "make_environment",
    "read_asset",
]
