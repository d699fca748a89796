"""Count the SQL queries each request runs, and say so in a response header; timeline pages
also say how they were served (tweets.timeline_cache records it on the request)."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-Query-Count"
# "page" (whole, from the cache), "assembled", "shared" (explore, built by another viewer's
# request for the same version), "rendered" (the caches off)
SERVED_HEADER = "X-Timeline-Served"
CARDS_HEADER = "X-Cards-Rendered"  # how many tweet cards this response rendered


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        executed = 0

        def count(execute, sql, params, many, context):
            nonlocal executed
            executed += 1
            return execute(sql, params, many, context)

        # https://docs.djangoproject.com/en/5.2/topics/db/instrumentation/
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[HEADER] = str(executed)
        served = getattr(request, "timeline_served", None)
        if served is not None:
            response[SERVED_HEADER] = served
            response[CARDS_HEADER] = str(getattr(request, "cards_rendered", 0))
        return response
