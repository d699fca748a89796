"""Changing one's password: a wrong current password counts as a failed sign-in.

Django's form checks the current password with `check_password`, not `authenticate`, so
django-axes would never see it: a stolen session could guess the password without limit, and
every guess costs a password hash. Here each wrong guess is reported the way a failed sign-in
is (Django's `user_login_failed` signal, which axes records), and a client axes has locked out
is refused before any hash. nginx limits the POSTs per address as it does sign-in's
(etc/nginx/templates/default.conf.template).
https://docs.djangoproject.com/en/5.2/ref/contrib/auth/#django.contrib.auth.signals.user_login_failed
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView


class ChangePasswordView(PasswordChangeView):
    def post(self, request, *args, **kwargs):
        credentials = {"username": request.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # axes counts it, and if this failure reaches the limit it flags the request; its
            # middleware then answers with the lockout page instead of the form.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.request.user.get_username()},
                request=self.request,
            )
        return super().form_invalid(form)
