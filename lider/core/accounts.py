"""Logging in: throttled password step, then a TOTP second factor where one is set or required.

Ten failed attempts for one login, or from one address, within LOGIN_FAILURE_WINDOW lock
further attempts until the window has passed. Administrators must set up a second factor
before they reach any back-office page (see `SecondFactorMiddleware`).
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.models import LoginFailure

MAX_FAILURES = 10


def failure_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LOGIN_FAILURE_WINDOW_MINUTES", 15))


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def is_locked(username: str, address: str | None) -> bool:
    since = timezone.now() - failure_window()
    who = Q(username__iexact=username)
    if address:
        who |= Q(ip_address=address)
    recent = LoginFailure.objects.filter(who, at__gte=since)
    return recent.filter(username__iexact=username).count() >= MAX_FAILURES or (
        address is not None and recent.filter(ip_address=address).count() >= MAX_FAILURES
    )


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed login attempts. For your security logging in is locked "
            "for %(minutes)s minutes; try again later."
        ),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request) if self.request else None
        if username and is_locked(username, address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": int(failure_window().total_seconds() // 60)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                LoginFailure.objects.create(username=username, ip_address=address)
            raise


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("The code is not valid. Check your device's clock and try again."),
                code="token",
            )
        return token
