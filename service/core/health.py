"""What "healthy" means for the web container: Django is up and the database answers."""

from django.db import DatabaseError, connection
from django.http import HttpResponse


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def health_response() -> HttpResponse:
    if database_answers():
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("database unavailable", status=503, content_type="text/plain")
