"""Writes to project cards and to who holds which role in a project."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lider.core import audit
from lider.projects.models import Membership, Project


def update_project_card(project: Project, *, actor, form) -> Project:
    """Save an edited project card from a valid ProjectCardForm, with one audit entry."""
    with audit.tracking(project, actor=actor, fields=set(form.fields)):
        changed = [name for name in form.changed_data if name not in {"partners", "counties"}]
        if changed:
            form.instance.save(update_fields=changed)
        for name in {"partners", "counties"} & set(form.changed_data):
            getattr(project, name).set(form.cleaned_data[name])
    return project


@transaction.atomic
def grant_role(project: Project, *, actor, user, role: str) -> Membership:
    if Membership.objects.filter(project=project, user=user, role=role).exists():
        raise ValidationError(_("This user already holds this role."), code="duplicate")
    membership = Membership.objects.create(project=project, user=user, role=role)
    audit.record(
        actor,
        audit.Action.GRANT,
        membership,
        changes={
            "user": [None, user.get_username()],
            "role": [None, membership.role],
        },
    )
    return membership


@transaction.atomic
def revoke_role(membership: Membership, *, actor) -> None:
    if membership.user_id == actor.pk and membership.role in {"administrator", "coordinator"}:
        raise ValidationError(_("You cannot revoke your own managing role."), code="self")
    audit.record(
        actor,
        audit.Action.REVOKE,
        membership,
        changes={
            "user": [membership.user.get_username(), None],
            "role": [membership.role, None],
        },
    )
    membership.delete()
