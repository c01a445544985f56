"""Long lists end: one page of a list with its true count and links to the other pages (issue 13.5).

``page_of(request, items, per_page)`` reads ``?hal=N`` through ``core.numbers.parse_count`` (a bad
or too-large page number shows the last page, never an error) and returns a Django ``Page``;
templates include ``core/_pager.html`` with ``page`` (and keep the other query parameters).
"""

from django.core.paginator import Page, Paginator

from .numbers import NumberError, parse_count

PARAM = "hal"


def page_of(request, items, per_page: int = 100) -> Page:
    """The requested page of ``items`` (a queryset or list); ``page.paginator.count`` is the true total."""
    try:
        number = parse_count(request.GET.get(PARAM)) or 1
    except NumberError:  # not a number: the first page
        number = 1
    paginator = Paginator(items, per_page)
    page = paginator.get_page(number)
    query = request.GET.copy()
    query.pop(PARAM, None)
    page.query = query.urlencode()  # the other filters, for the pager's links
    return page
