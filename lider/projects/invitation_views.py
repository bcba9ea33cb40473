"""Invitations to a role in a project: the managers' page, and the invitee's link."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core.permissions import PUBLIC
from lider.projects import invitations
from lider.projects.access import project_view
from lider.projects.forms import AcceptInvitationForm, InvitationForm
from lider.projects.models import Invitation


def _link_base(request) -> str:
    return request.build_absolute_uri(reverse("invitation:accept", args=["x"]))[:-2]


@project_view("roles.manage")
def invitation_list(request, project):
    roles = invitations.grantable_roles(project, actor=request.user)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invite(
                project, actor=request.user, link_base=_link_base(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("projects:invitations", slug=project.slug)
    items = Invitation.objects.filter(project=project).select_related("invited_by", "user")
    return render(
        request,
        "projects/backoffice/invitations.html",
        {
            "project": project,
            "form": form,
            "invitations": items,
            "days": invitations.invitation_days(),
        },
    )


@project_view("roles.manage")
@require_POST
def invitation_resend(request, project, pk):
    invitation = get_object_or_404(Invitation, pk=pk, project=project)
    try:
        invitations.resend(invitation, actor=request.user, link_base=_link_base(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("The invitation has been sent again; the earlier link no longer works.")
        )
    return redirect("projects:invitations", slug=project.slug)


@project_view("roles.manage")
@require_POST
def invitation_revoke(request, project, pk):
    invitation = get_object_or_404(Invitation, pk=pk, project=project)
    try:
        invitations.revoke(invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation has been withdrawn; its link no longer works."))
    return redirect("projects:invitations", slug=project.slug)


def accept_invitation(request, token):
    """The invitee chooses a login and a password; the account and the role are created."""
    try:
        invitation = invitations.invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "projects/invitation_closed.html", {"reason": error.messages[0]}, status=410
        )
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth_login(request, user, backend="lider.core.accounts.NormalisedLoginBackend")
            messages.success(request, _("Your account is ready. Welcome to Lider."))
            # Administrators are taken to set up their second factor by the middleware.
            return redirect("website:after_login")
    return render(
        request, "projects/invitation_accept.html", {"invitation": invitation, "form": form}
    )


accept_invitation.lider_permission = PUBLIC
