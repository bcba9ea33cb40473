"""Accounts, for administrators of the installation: the first administrator, deactivation
(accounts are never deleted: their audit entries name them), and resetting a second factor.

Lives beside roles (`Membership`) because a deactivation must not leave a project without an
active administrator.
"""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core import audit
from lider.core.accounts import validate_new_login
from lider.core.permissions import Role
from lider.projects.models import Membership


@transaction.atomic
def create_first_administrator(*, username: str, email: str, password: str, actor=None):
    """An administrator of the installation (a superuser); at first login they must set up a
    second factor (SecondFactorMiddleware). `actor` is None when run from the command line."""
    User = get_user_model()
    username = validate_new_login(username)
    candidate = User(username=username, email=email)
    password_validation.validate_password(password, candidate)
    user = User.objects.create_user(
        username=username, email=email, password=password, is_superuser=True
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        user,
        changes={"username": [None, username], "is_superuser": [None, True]},
        note="createadmin",
    )
    return user


def deactivation_refusal(user, *, actor) -> ValidationError | None:
    if user.pk == actor.pk:
        return ValidationError(_("You cannot deactivate your own account."), code="self")
    sole = [
        membership.project
        for membership in Membership.objects.filter(user=user, role=Role.ADMINISTRATOR)
        .select_related("project")
        .order_by("project__title")
        if not Membership.objects.filter(
            project_id=membership.project_id, role=Role.ADMINISTRATOR, user__is_active=True
        )
        .exclude(user=user)
        .exists()
    ]
    if sole:
        return ValidationError(
            _(
                "This is the only active administrator of: %(projects)s. Give the administrator "
                "role there to someone else first."
            ),
            code="last_administrator",
            params={"projects": ", ".join(project.title for project in sole)},
        )
    return None


@transaction.atomic
def set_active(user, *, active: bool, actor):
    """Deactivate (the account can no longer log in; its roles and history stay) or reactivate."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    if not active:
        list(
            Membership.objects.select_for_update()
            .filter(role=Role.ADMINISTRATOR)
            .values_list("pk", flat=True)
        )
        if (refusal := deactivation_refusal(user, actor=actor)) is not None:
            raise refusal
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, audit.Action.STATUS, user, changes={"is_active": [not active, active]})
    return user


@transaction.atomic
def reset_second_factor(user, *, actor) -> int:
    """Remove the user's authenticator devices; at the next login they set up a new one
    (administrators must). The user is told by e-mail. Returns how many devices were removed."""
    devices = TOTPDevice.objects.filter(user=user)
    count = devices.count()
    devices.delete()
    audit.record(actor, audit.Action.RESET_SECOND_FACTOR, user, note=str(count))
    if user.email:
        context = {"user": user, "actor": actor}
        subject = render_to_string("projects/email/second_factor_reset_subject.txt", context)
        body = render_to_string("projects/email/second_factor_reset.txt", context)
        transaction.on_commit(lambda: send_mail(subject.strip(), body, None, [user.email]))
    return count
