"""
Pages of a list: one address per page, and a cost that does not grow with the archive.

* **One address per page.** `?page=` is read by `page_number()`: only the
  canonical spelling of a page number (ASCII digits, no sign, no leading zero,
  no `_`) serves a page, and page 1 is the address without `?page=`. Python's
  `int()` reads `02`, `+2`, `٢`, full-width digits and `0_2` as 2; each of those would be
  another address for the same page (another copy in every cache, duplicate
  content for search engines), so each is a 404. The same rule holds for
  every integer in a path (`newsroom.converters.IdConverter`).
* **Bounded depth.** `BoundedPaginator` counts at most `max_pages` pages of
  rows (`SELECT COUNT(*) FROM (... LIMIT n)`), so neither the count nor the
  deepest `OFFSET` grows with the number of stories. Older stories stay
  reachable through the archives (by month), which are bounded by the calendar.
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from newsroom.numbers import canonical_int

#: The largest number (page, year, month, day) an address may name.
MAX_NUMBER = 999_999_999
#: How deep a reader can page through a list (home, section, tag, author, search).
MAX_PAGES = 50


def canonical_number(raw: str) -> int | None:
    """`raw` as an int if it is the canonical spelling of a number from 1 to
    MAX_NUMBER, else None: `newsroom.numbers.canonical_int`, the one reading of
    a reader's number (`int()` would accept other scripts' digits, full-width
    digits, signs, spaces and underscores).
    """
    number = canonical_int(raw)
    return number if number is not None and 1 <= number <= MAX_NUMBER else None


def page_number(request: HttpRequest, name: str = "page") -> int:
    """The page number asked for in the query string (1 if absent).

    Raises Http404 for any other spelling than the canonical one, for
    repeated parameters and for `?page=1` (page 1 is the bare address).
    """
    values = request.GET.getlist(name)
    if not values:
        return 1
    number = canonical_number(values[0]) if len(values) == 1 else None
    if number is None or number == 1:
        raise Http404("No such page.")
    return number


class BoundedPaginator(Paginator):
    """A Paginator that counts at most `max_pages` pages of `object_list`.

    `count` is min(rows, max_pages * per_page), from one `COUNT(*)` over a
    LIMITed subquery; `truncated` says whether rows were left out. With
    `max_pages=None` it counts everything (for lists bounded otherwise).
    """

    def __init__(self, object_list, per_page, *, max_pages: int | None = MAX_PAGES, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        if self.max_pages is None:
            return super().count
        limit = self.max_pages * self.per_page
        if isinstance(self.object_list, list):
            found = len(self.object_list[: limit + 1])
        else:
            found = self.object_list[: limit + 1].count()
        self.truncated = found > limit
        return min(found, limit)

    truncated = False


def paginate(
    request: HttpRequest, items, per_page: int, *, max_pages: int | None = MAX_PAGES
) -> Page:
    """The page of `items` asked for by `?page=`; a page that does not exist is a 404."""
    number = page_number(request)
    try:
        return BoundedPaginator(items, per_page, max_pages=max_pages).page(number)
    except InvalidPage as error:
        raise Http404("No such page.") from error
