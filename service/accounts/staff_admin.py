"""Django's admin for staff accounts, where no one else can find it or guess a password at it.

- Its path is DJANGO_ADMIN_PATH, by default `staff-<20 hex digits>/` derived from the site's secret
  key: different for every deployment, and known only to whoever can read that key (an operator,
  through `python manage.py createstaff`, which prints it). `/admin/` is an unknown page.
- Every page of it answers 404 to anyone who is not an active staff account, signed-out visitors
  included: no redirect to a login form tells a stranger the path exists.
- It has no password form of its own. Staff sign in through the site's sign-in
  (`/accounts/login/?next=<admin path>`) and change their password through the site's page, so
  every password a staff account types goes through the same lockout (django-axes per address
  and username, accounts.lockout) and the same nginx and WAF limits as everyone's
  (etc/nginx/templates/default.conf.template, components/entrance/web_firewall.py). The admin's own
  login
  answers 404 without looking at what was posted.
https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#overriding-the-default-admin-site
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, reverse

# One or more path segments of URL-safe characters, relative, ending in "/".
ADMIN_PATH_FORMAT = re.compile(r"^([A-Za-z0-9._~-]+/)+$")
# First segments the admin may not take: Django's default (what scanners try), the site's own.
RESERVED_SEGMENTS = frozenset(
    {"admin", "accounts", "static", "media", "healthz", "livez", "explore", "tweets", "tags"}
    | {"search", "u", "notifications"}
)
DERIVED_PREFIX = "staff-"
DERIVED_DIGITS = 20  # 80 bits: not found by trying


def derived_admin_path(secret_key: str) -> str:
    """The default path: a keyed hash, so it differs per deployment and cannot be guessed."""
    digest = hmac.new(secret_key.encode(), b"django-tw admin path", hashlib.sha256).hexdigest()
    return f"{DERIVED_PREFIX}{digest[:DERIVED_DIGITS]}/"


def admin_path(configured: str, secret_key: str) -> str:
    """DJANGO_ADMIN_PATH as the URLconf takes it (e.g. `team/desk/`), or the derived default."""
    if not configured:
        return derived_admin_path(secret_key)
    path = configured.strip("/") + "/"
    first = path.split("/", 1)[0].lower()
    if not ADMIN_PATH_FORMAT.match(path) or ".." in path.split("/"):
        raise ImproperlyConfigured(
            f"DJANGO_ADMIN_PATH={configured!r} is not a relative URL path: use segments of "
            "letters, digits, '.', '_', '~' or '-' (e.g. 'team/desk/'), or leave it unset for "
            "a derived one"
        )
    if first in RESERVED_SEGMENTS:
        raise ImproperlyConfigured(
            f"DJANGO_ADMIN_PATH={configured!r} starts with {first!r}, which is Django's default "
            f"or one of the site's own ({', '.join(sorted(RESERVED_SEGMENTS))}): pick another, "
            "or leave it unset for a derived one"
        )
    return path


def _open_to_the_middleware(patterns: list) -> None:
    """LoginRequiredMiddleware would redirect a signed-out visitor to a login page, which tells
    them the path exists; the views themselves answer 404 instead."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_the_middleware(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "login_required", True):
            pattern.callback.login_required = False


class StaffAdminSite(AdminSite):
    site_header = "django-tw staff"
    site_title = "django-tw staff"
    index_title = "Administration"

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        def staff_only(request, *args, **kwargs):
            if not self.has_permission(request):
                raise Http404
            return protected(request, *args, **kwargs)

        return update_wrapper(staff_only, protected)

    def get_urls(self):
        patterns = super().get_urls()
        _open_to_the_middleware(patterns)
        return patterns

    @login_not_required
    def login(self, request, extra_context=None):
        """No form here (see the module's docstring): staff who are signed in go to the index."""
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        raise Http404

    def password_change(self, request, extra_context=None):
        # The site's own page counts a wrong current password as a failed sign-in.
        return redirect("password_change")

    def password_change_done(self, request, extra_context=None):
        return redirect("password_change_done")


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin with StaffAdminSite as `admin.site` (what ModelAdmins register on)."""

    default_site = "accounts.staff_admin.StaffAdminSite"
