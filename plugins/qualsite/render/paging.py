"""Which page shows which excerpt, in a study too big for one page a category.

A category's own excerpts are split into pages of ``per_page`` (its page,
then ``categories/<id>/2.md``, ...), so that no page grows past what a
browser opens at once; a category whose excerpts and its sub-categories' fit
on one page shows them all there, grouped by sub-category, as a small study
always does. Links to an excerpt ("also coded to", the tables) go to the
page that holds it, known here once for the whole study.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..study.model import Category, Excerpt, Study
from .urls import PageLinks, category_src

#: Excerpts on one page by default: a page of a hundred excerpts is about
#: 300 KB of HTML, and a reader pages through them.
DEFAULT_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class PageOfExcerpts:
    """One page of a category's own excerpts."""

    number: int  # from 1
    count: int  # pages in all
    first: int  # the position of its first excerpt among the category's, from 1
    excerpts: tuple[Excerpt, ...]
    total: int  # the category's own excerpts in all

    @property
    def last(self) -> int:
        return self.first + len(self.excerpts) - 1


class ExcerptPaging:
    def __init__(self, study: Study, per_page: int = DEFAULT_PER_PAGE) -> None:
        self.study = study
        self.per_page = max(1, per_page)

    def pages(self, category: Category) -> list[PageOfExcerpts]:
        own = self.study.excerpts_coded_to(category)
        count = max(1, -(-len(own) // self.per_page))
        return [
            PageOfExcerpts(
                number=n + 1,
                count=count,
                first=n * self.per_page + 1,
                excerpts=own[n * self.per_page : (n + 1) * self.per_page],
                total=len(own),
            )
            for n in range(count)
        ]

    def shows_subtree(self, category: Category) -> bool:
        """Whether the category's page shows its sub-categories' excerpts too
        (all of them fit on the page), or else only links to them."""
        return len(self.study.subtree_excerpts(category)) <= self.per_page

    @cached_property
    def _page_numbers(self) -> Mapping[str, Mapping[str, int]]:
        """Category id -> excerpt id -> page, for categories of several pages."""
        numbers: dict[str, dict[str, int]] = {}
        for category in self.study.categories:
            own = self.study.excerpts_coded_to(category)
            if len(own) > self.per_page:  # else all are on page 1: nothing to store
                numbers[category.id] = {
                    excerpt.id: index // self.per_page + 1 for index, excerpt in enumerate(own)
                }
        return numbers

    def page_number(self, category: Category, excerpt: Excerpt) -> int:
        """The page of ``category`` that shows ``excerpt``, coded to it."""
        pages = self._page_numbers.get(category.id)
        return 1 if pages is None else pages[excerpt.id]

    def link(self, links: PageLinks, category: Category, excerpt: Excerpt) -> str:
        """A link to ``excerpt`` where ``category``'s pages show it."""
        page = self.page_number(category, excerpt)
        return links.page(category_src(category, page), excerpt.anchor)

    @staticmethod
    def srcs(category: Category, pages: Sequence[PageOfExcerpts]) -> list[str]:
        return [category_src(category, page.number) for page in pages]
