"""The client's address as nginx restored it, for whatever counts requests per client.

In front of gunicorn nginx replaces X-Forwarded-For's trusted hops with the client's own
address (`real_ip_header`, trusting only the load balancer's network) and passes the result as
X-Real-IP, overwriting any X-Real-IP the client sent; gunicorn listens on the loopback only, so
nothing else can set it. Its access log reads the same header. Without nginx (`runserver`) the
address of the connection is all there is.
"""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
