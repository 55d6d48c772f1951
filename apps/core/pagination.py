from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def page_of(
    request: HttpRequest, items, *, per_page: int = PAGE_SIZE, count: int | None = None
) -> Page:
    """Return the requested page of a list view (out-of-range numbers give the last page).

    ``count``: the number of items when the caller already knows it (a cached count), which
    saves the COUNT query.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """Return the current query string minus `page`, for links to other pages of a list."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
