"""How the service says no to an action, and where it goes after one succeeds."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def refuse(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """An error page with one sentence that says what went wrong; nothing was changed."""
    return render(request, "core/refused.html", {"message": message}, status=status)


def redirect_back(request: HttpRequest, default: str = "home") -> HttpResponseRedirect:
    """Back to the page the form was on (its `next` field), if that page is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(resolve_url(default))
