"""What "healthy" means for the web container, in two senses.

Readiness (/healthz, the load balancer's target check): Django is up and the database answers,
so this task can take traffic. Liveness (/livez, the container health check): this process
answers at all. A database outage fails readiness only: replacing the web container would not
bring the database back, and ECS kills containers whose health check fails.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse

# The paths the stack's checks ask: the load balancer's target group and the container's.
HEALTH_PATH = "/healthz"  # readiness: the database answers
LIVENESS_PATH = "/livez"  # liveness: this process answers


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


def liveness_response() -> HttpResponse:
    # Nothing here may touch the database, the session or the cache: any of them can be down
    # while the process is perfectly able to serve once they are back.
    return HttpResponse("ok", content_type="text/plain")
