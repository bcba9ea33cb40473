"""Login, logout and the second factor."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.accounts import ThrottledLoginForm, TokenForm, confirmed_device
from lider.core.permissions import AUTHENTICATED, PUBLIC


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()
login.lider_permission = PUBLIC
logout = auth_views.LogoutView.as_view()
logout.lider_permission = PUBLIC


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
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Lider"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
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
