"""Password reset without the token in any URL a server sees.

A reset token signs its holder in as the account's owner until it is used, so it must not be in
any log. Every server between the browser and Django (the load balancer, nginx, gunicorn) logs
the request line of what it forwards, so the token is never in a path or a query:

- the mailed link is `/accounts/reset/#<uidb64>.<token>`: the part after `#` (the fragment) is
  never sent in a request, nor in a Referer
  (https://httpwg.org/specs/rfc9110.html#uri.references: "the fragment ... is not sent";
  https://www.w3.org/TR/referrer-policy/#strip-url: the Referer drops it);
- the page there posts it in a form body (static/js/reset-code.js moves it from the fragment
  into the form; without JavaScript the person pastes the code the mail also shows);
- a valid code is moved into the session, as Django's own view does with a token in its URL,
  and the browser goes on to `/accounts/reset/<uidb64>/set-password/`, which names no token.

A link of the old form, `/accounts/reset/<uidb64>/<token>/`, is refused: its token has already
been through the logs on the way in.
https://docs.djangoproject.com/en/5.2/topics/auth/default/#django.contrib.auth.views.PasswordResetConfirmView
"""

from axes.utils import reset as reset_failed_sign_ins
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic.edit import FormView

# Between the uid and the token: neither urlsafe base64 nor a token ever contains it.
SEPARATOR = "."
SET_PASSWORD = PasswordResetConfirmView.reset_url_token


def reset_code(uidb64: str, token: str) -> str:
    """What the mail carries after `#`, and what the person may paste."""
    return f"{uidb64}{SEPARATOR}{token}"


def parse_code(text: str) -> tuple[str, str] | None:
    """(uidb64, token) from a code, or from the whole link pasted; None if it is neither."""
    code = text.strip().rpartition("#")[2].strip()
    uidb64, separator, token = code.partition(SEPARATOR)
    if not separator or not uidb64 or not token:
        return None
    return uidb64, token


def user_of(uidb64: str):
    user_model = get_user_model()
    try:
        return user_model._default_manager.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, ValidationError, user_model.DoesNotExist):
        return None


class ResetCodeForm(forms.Form):
    code = forms.CharField(
        label="Reset code",
        max_length=200,
        help_text="The code under the link in your mail (the link fills it in for you).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class ResetCodeView(FormView):
    """`/accounts/reset/`: takes the code from a form body, never from the URL."""

    template_name = "registration/password_reset_code.html"
    form_class = ResetCodeForm

    def form_valid(self, form):
        parsed = parse_code(form.cleaned_data["code"])
        if parsed is not None:
            uidb64, token = parsed
            user = user_of(uidb64)
            if user is not None and default_token_generator.check_token(user, token):
                self.request.session[INTERNAL_RESET_SESSION_TOKEN] = token
                return redirect("password_reset_confirm", uidb64=uidb64, token=SET_PASSWORD)
        form.add_error(
            "code", "This code does not work: it was already used, has expired or is mistyped."
        )
        return self.form_invalid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Django's view is open to visitors; an overridden dispatch must say so again.
@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(PasswordResetConfirmView):
    """Django's view for the step after the code: a token only from the session, and a new
    password clears the account's failed sign-ins (django-axes), so the owner can sign in with
    it at once even if someone had been guessing at the account."""

    def dispatch(self, *args, **kwargs):
        if kwargs.get("token") != SET_PASSWORD:
            # A token in the path: Django would accept it; here it shows "no longer works".
            kwargs["token"] = ""
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failed_sign_ins(username=form.user.get_username())
        return response
