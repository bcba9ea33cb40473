"""Inviting staff by e-mail to a role in a project; accepting an invitation creates the account.

The link is signed (Django's TimestampSigner), carries the invitation's id and its current
nonce, and is accepted only within INVITATION_DAYS of its sending, once, and while the
invitation is neither accepted nor revoked. Nobody can grant a role that gives a permission
they do not hold themselves (`may_grant`), by invitation or on the roles page.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lider.core import audit
from lider.core.accounts import validate_new_login
from lider.core.permissions import PERMISSIONS, Role
from lider.projects import hooks
from lider.projects.models import Invitation, Membership, Project

SALT = "lider.projects.invitation"
Action = audit.Action


def invitation_days() -> int:
    return getattr(settings, "INVITATION_DAYS", 7)


def permissions_of(roles) -> set[str]:
    return {name for name, holders in PERMISSIONS.items() if holders & set(roles)}


def may_grant(project: Project, *, actor, role: str) -> bool:
    """Whether `actor` may give `role` in `project`: only a manager of the project, and only a
    role whose every permission the actor holds there too. An administrator of the
    installation may give any role."""
    return role in {value for value, _label in grantable_roles(project, actor=actor)}


def grantable_roles(project: Project, *, actor) -> list[tuple[str, str]]:
    """The roles `actor` may give in `project` (see `may_grant`), as form choices."""
    from lider.core.access import is_installation_administrator
    from lider.projects.access import roles_in

    if is_installation_administrator(actor):
        return list(Role.choices)
    roles = roles_in(actor, project)
    held = permissions_of(roles)
    if "roles.manage" not in held:
        return []
    return [
        (role.value, role.label)
        for role in Role
        if permissions_of({role}) <= held
        # A funder's grant opens the project to an outside body: its administrators decide.
        and (role != Role.FUNDER or Role.ADMINISTRATOR in roles)
    ]


def _refuse_role(project, actor, role):
    if not may_grant(project, actor=actor, role=role):
        raise ValidationError(
            _("You cannot give the role “%(role)s”: it allows more than your own roles do."),
            code="not_yours",
            params={"role": Role(role).label},
        )


def token_for(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link belongs to; ValidationError (code says why) otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token[:200], max_age=datetime.timedelta(days=invitation_days()))
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid."), code="invalid") from None
    pk, _sep, nonce = value.partition(".")
    invitation = Invitation.objects.select_related("project", "invited_by").filter(pk=pk).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has been withdrawn."), code="revoked")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if not secrets.compare_digest(invitation.nonce, nonce):
        raise ValidationError(
            _("A newer invitation has been sent; use the link from the latest e-mail."),
            code="superseded",
        )
    if invitation.role != Role.PARTICIPANT and not may_grant(
        invitation.project, actor=invitation.invited_by, role=invitation.role
    ):
        # The inviter has lost the role (or the account) that allowed the invitation.
        raise ValidationError(_("This invitation has been withdrawn."), code="revoked")
    return invitation


def _send(invitation: Invitation, *, link_base: str) -> None:
    link = link_base + token_for(invitation) + "/"
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link, "days": invitation_days()}
        subject = render_to_string("projects/email/invitation_subject.txt", context).strip()
        template = "invitation_participant" if invitation.role == Role.PARTICIPANT else "invitation"
        body = render_to_string(f"projects/email/{template}.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invite(
    project: Project,
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str,
    link_base: str,
) -> Invitation:
    """Create and send an invitation. `link_base` is the absolute URL the token is appended to."""
    _refuse_role(project, actor, role)
    email = get_user_model().objects.normalize_email(email.strip())
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _(
                "An account with this e-mail address already exists: give the role on the roles "
                "page by its login instead."
            ),
            code="has_account",
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                project=project,
                email=email,
                first_name=first_name,
                last_name=last_name,
                role=role,
                language=language,
                invited_by=actor,
                nonce=secrets.token_urlsafe(16),
                sent_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("This person already has an open invitation to this role."), code="duplicate"
        ) from None
    audit.record(
        actor,
        Action.INVITE,
        invitation,
        changes={"email": [None, email], "role": [None, invitation.get_role_display()]},
        note="sent",
    )
    transaction.on_commit(lambda: _send(invitation, link_base=link_base))
    return invitation


def participant_link_base() -> str:
    """The absolute address an invitation's token is appended to, outside a request."""
    from django.urls import reverse

    from lider.core.links import absolute_url

    return absolute_url(reverse("invitation:accept", args=["x"]))[:-2]


@transaction.atomic
def invite_participant(
    project: Project, *, actor, email: str, first_name: str, last_name: str, language: str
) -> Invitation | None:
    """Invite an accepted participant to their own account, at the address given.

    Not a grant of anyone's authority: the participant role allows nothing in the back office
    (it only opens the person's own pages), and the invitation follows from the acceptance of
    an application, so `actor` (who accepted it; None when the applicant took an offered place
    by the e-mailed link) needs no role to give it. Returns None, sending nothing, when an
    account already uses the address (it is never linked to the person by itself: the person
    may log in with it, or the office links them) or an invitation to it is open already.
    """
    assert not permissions_of({Role.PARTICIPANT})
    email = get_user_model().objects.normalize_email(email.strip())
    taken = get_user_model().objects.filter(email__iexact=email).exists()
    open_already = Invitation.objects.filter(
        project=project,
        email__iexact=email,
        role=Role.PARTICIPANT,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).exists()
    if taken or open_already:
        return None
    invitation = Invitation.objects.create(
        project=project,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.PARTICIPANT,
        language=language,
        invited_by=actor if actor is not None and actor.is_authenticated else None,
        nonce=secrets.token_urlsafe(16),
        sent_at=timezone.now(),
    )
    audit.record(
        actor,
        Action.INVITE,
        invitation,
        changes={"email": [None, email], "role": [None, invitation.get_role_display()]},
        note="sent",
    )
    link_base = participant_link_base()
    transaction.on_commit(lambda: _send(invitation, link_base=link_base))
    return invitation


@transaction.atomic
def resend(invitation: Invitation, *, actor, link_base: str) -> Invitation:
    """Send the invitation again with a new link; the earlier link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."), code="closed")
    if invitation.role != Role.PARTICIPANT:
        _refuse_role(invitation.project, actor, invitation.role)
    invitation.nonce = secrets.token_urlsafe(16)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["nonce", "sent_at"])
    audit.record(actor, Action.INVITE, invitation, note="resent")
    transaction.on_commit(lambda: _send(invitation, link_base=link_base))
    return invitation


@transaction.atomic
def revoke(invitation: Invitation, *, actor) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."), code="closed")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, Action.INVITE, invitation, note="revoked")
    return invitation


@transaction.atomic
def accept(token: str, *, username: str, password: str):
    """Create the invitee's account and role from an open invitation; returns the user.

    The password must already have passed Django's validators (the form does that).
    """
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:  # accepted or revoked by a request that ran meanwhile
        raise ValidationError(_("This invitation has already been used."), code="used")
    username = validate_new_login(username)
    User = get_user_model()
    user = User.objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    audit.record(
        user,
        Action.CREATE,
        user,
        changes={"username": [None, username], "email": [None, invitation.email]},
        project_id=invitation.project_id,
        note="invitation",
    )
    membership = Membership.objects.create(
        project=invitation.project, user=user, role=invitation.role
    )
    audit.record(
        invitation.invited_by,
        Action.GRANT,
        membership,
        changes={"user": [None, username], "role": [None, membership.get_role_display()]},
        note="invitation",
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit.record(user, Action.INVITE, invitation, note="accepted")
    for callback in hooks.invitation_accepted:
        callback(invitation, user)
    return user
