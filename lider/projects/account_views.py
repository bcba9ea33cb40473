"""The accounts of the installation, for its administrators."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.access import installation_view
from lider.projects import accounts
from lider.projects.models import Membership


@installation_view
def account_list(request):
    users = (
        get_user_model()
        .objects.annotate(
            roles=Count("memberships"),
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("-is_active", "last_name", "username")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "projects/backoffice/accounts.html", {"page": page, "users": page})


def _user(pk):
    return get_object_or_404(get_user_model(), pk=pk)


@installation_view
def account_deactivate(request, pk):
    """A page that says what deactivating does; the POST from it deactivates."""
    user = _user(pk)
    if request.method == "POST":
        try:
            accounts.set_active(user, active=False, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The account has been deactivated."))
        return redirect("accounts:list")
    memberships = (
        Membership.objects.filter(user=user).select_related("project").order_by("project__title")
    )
    return render(
        request,
        "projects/backoffice/account_deactivate.html",
        {
            "account": user,
            "memberships": memberships,
            "refusal": accounts.deactivation_refusal(user, actor=request.user),
        },
    )


@installation_view
@require_POST
def account_activate(request, pk):
    accounts.set_active(_user(pk), active=True, actor=request.user)
    messages.success(request, _("The account can log in again."))
    return redirect("accounts:list")


@installation_view
def account_reset_second_factor(request, pk):
    """A page that says what resetting the second factor does; the POST from it resets."""
    user = _user(pk)
    if request.method == "POST":
        accounts.reset_second_factor(user, actor=request.user)
        messages.success(
            request, _("The second factor has been reset; the account holder has been told.")
        )
        return redirect("accounts:list")
    return render(
        request, "projects/backoffice/account_reset_second_factor.html", {"account": user}
    )
