"""Password-reset mail: the same link and templates for "forgot password" and an official's reset."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import User

SUBJECT_TEMPLATE = "core/accounts/password_reset_subject.txt"
EMAIL_TEMPLATE = "core/accounts/password_reset_email.txt"


def reset_link(user: User, site_url: str) -> str:
    """The one-time link at which ``user`` sets a new password (valid PASSWORD_RESET_TIMEOUT seconds)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url.rstrip("/") + reverse("core:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def send_password_reset(*, user_id: int, site_url: str, language: str | None = None) -> None:
    """Mail ``user_id`` a reset link (sent after the reset's transaction commits, so the token matches).

    ``language``: the mail's language; by default the current one (the requester's own, for "forgot password").
    """
    from django.utils import translation

    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    context = {"user": user, "link": reset_link(user, site_url), "site_url": site_url}
    with translation.override(language or translation.get_language()):
        subject = "".join(loader.render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = loader.render_to_string(EMAIL_TEMPLATE, context)
    EmailMultiAlternatives(subject, body, None, [user.email]).send()


class WenzhiPasswordResetForm(PasswordResetForm):
    """Django's form, but it also reaches accounts whose password an official made unusable by a mailed reset
    (Django skips those, meant for accounts that sign in elsewhere; every Wenzhi account signs in here)."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")

    def save(self, *, request, **kwargs):  # type: ignore[override]
        # One template pair for both ways a reset mail is sent.
        site_url = request.build_absolute_uri("/")
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset(user_id=user.pk, site_url=site_url)


class WenzhiSetPasswordForm(SetPasswordForm):
    """Setting a password through a reset link is the owner choosing it: the must-change mark goes."""

    def save(self, commit=True):
        from ..services import user_password_reset_complete

        return user_password_reset_complete(user=self.user, new_password=self.cleaned_data["new_password1"])
