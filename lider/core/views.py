"""Login, logout, the second factor and the login locks."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from lider.core import accounts
from lider.core.access import installation_view
from lider.core.accounts import ThrottledLoginForm, TokenForm, confirmed_device
from lider.core.forms import LiftLockForm
from lider.core.models import AuditEntry
from lider.core.permissions import AUTHENTICATED, PUBLIC


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()
login.lider_permission = PUBLIC
logout = auth_views.LogoutView.as_view()
logout.lider_permission = PUBLIC


SETUP_KEY = "lider_totp_setup_key"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "projects:list"


@login_required
def second_factor(request):
    """Ask for the current code of a confirmed device."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("backoffice:second_factor_setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "backoffice/second_factor.html", {"form": form})


second_factor.lider_permission = AUTHENTICATED


@login_required
def second_factor_setup(request):
    """Show a new TOTP secret as a QR code and confirm it with the first code."""
    if confirmed_device(request.user) is not None:
        return redirect("backoffice:second_factor")
    # A GET changes nothing: the new secret waits in the session until the first code confirms
    # it, and only the POST stores the device.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        key = request.session.get(SETUP_KEY) or random_hex(20)
        request.session[SETUP_KEY] = key
        device = TOTPDevice(user=request.user, name="Lider", key=key, confirmed=False)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save()
        request.session.pop(SETUP_KEY, None)
        otp_login(request, device)
        messages.success(request, _("Two-factor login is now on for your account."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "backoffice/second_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret},
    )


second_factor_setup.lider_permission = AUTHENTICATED


@installation_view
def login_locks(request):
    """The login locks in force now, each with a button that lifts it; recent lifts below."""
    lifted = AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).select_related("actor")[:20]
    return render(
        request,
        "backoffice/login_locks.html",
        {
            "locks": accounts.current_locks(),
            "lifted": lifted,
            "window": int(accounts.failure_window().total_seconds() // 60),
            "per_login": accounts.per_login_limit(),
            "per_address": accounts.per_address_limit(),
        },
    )


@installation_view
@require_POST
def login_lock_lift(request):
    form = LiftLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This lock could not be identified; nothing was changed."))
        return redirect("backoffice:login_locks")
    try:
        accounts.lift_lock(
            login=form.cleaned_data["login"],
            address=form.cleaned_data["address"] or None,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The lock has been lifted."))
    return redirect("backoffice:login_locks")
