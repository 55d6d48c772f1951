from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def page_of(request: HttpRequest, items, *, per_page: int = PAGE_SIZE) -> Page:
    """Return the requested page of a list view (out-of-range numbers give the last page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """Return the current query string minus `page`, for links to other pages of a list."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
