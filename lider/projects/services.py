"""Writes to project cards and to who holds which role in a project."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lider.core import audit
from lider.core.permissions import Role
from lider.core.signals import rows_written
from lider.projects import hooks
from lider.projects.models import STATE_TRANSITIONS, Membership, Organisation, Project, Task


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
def create_project(*, actor, form) -> Project:
    """A new project (a draft) from a valid ProjectCreateForm; its creator administers it.

    With a template chosen, the template's structure is copied in the same transaction.
    """
    from lider.projects.templates_copy import copy_structure

    project = form.save(commit=False)
    project.state = Project.State.DRAFT
    project.save()
    form.save_m2m()
    audit.created(project, actor=actor)
    grant_role(project, actor=actor, user=actor, role=Role.ADMINISTRATOR)
    if (template := form.cleaned_data.get("template")) is not None:
        copy_structure(template, project, actor=actor)
    for callback in hooks.project_created:
        callback(project, actor=actor)
    return project


@transaction.atomic
def create_organisation(*, actor, form, project: Project | None = None) -> Organisation:
    """A new organisation; added while editing a project's card, it is in that project's trail."""
    organisation = form.save()
    if project is None:
        audit.created(organisation, actor=actor)
    else:
        after = audit.snapshot(organisation)
        audit.record(
            actor,
            audit.Action.CREATE,
            organisation,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "", [])},
            project_id=project.pk,
        )
    return organisation


@transaction.atomic
def save_structure(project: Project, *, actor, formsets) -> None:
    """Save the target groups, specific goals and tasks of valid structure formsets.

    Every row added, changed or deleted gets its own audit entry, in the project's trail.
    """
    for formset in formsets:
        for form in formset.deleted_forms:
            if form.instance.pk:
                audit.deleted(form.instance, actor=actor)
                form.instance.delete()
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            row = form.instance
            counties = form.cleaned_data.get("task_counties")
            if row.pk is None:
                row.project = project
                row.save()
                if isinstance(row, Task):
                    row.counties.set(counties or [])
                audit.created(row, actor=actor)
            else:
                with audit.tracking(row, actor=actor):
                    row.save()
                    if isinstance(row, Task):
                        row.counties.set(counties or [])


@transaction.atomic
def change_state(project: Project, *, actor, state: str, note: str = "") -> Project:
    """Move the project to `state` if the lifecycle allows it from where it is now; audited.

    The row is locked, so two managers moving it at once cannot skip a step: the second one
    is checked against the state the first one left.
    """
    current = Project.objects.select_for_update().values_list("state", flat=True).get(pk=project.pk)
    if state not in STATE_TRANSITIONS.get(current, ()):
        raise ValidationError(
            _("A project in the state “%(current)s” cannot move to “%(new)s”."),
            code="transition",
            params={
                "current": Project.State(current).label,
                "new": Project.State(state).label if state in Project.State.values else state,
            },
        )
    Project.objects.filter(pk=project.pk).update(state=state)
    rows_written.send(Project, project_id=project.pk)
    project.state = state
    audit.status_changed(project, actor=actor, old=current, new=state, field="state", note=note)
    return project


@transaction.atomic
def grant_role(project: Project, *, actor, user, role: str) -> Membership:
    from lider.projects.invitations import may_grant

    if not may_grant(project, actor=actor, role=role):
        raise ValidationError(
            _("You cannot give the role “%(role)s”: it allows more than your own roles do."),
            code="not_yours",
            params={"role": Role(role).label},
        )
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


def revoke_refusal(membership: Membership, *, actor) -> ValidationError | None:
    """Why this role may not be revoked by this actor, or None when it may."""
    if membership.user_id == actor.pk and membership.role in {Role.ADMINISTRATOR, Role.COORDINATOR}:
        return ValidationError(_("You cannot revoke your own managing role."), code="self")
    if membership.role == Role.ADMINISTRATOR and not (
        Membership.objects.filter(project_id=membership.project_id, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
        .exists()
    ):
        return ValidationError(
            _(
                "This is the last administrator of the project, and a project always keeps one. "
                "Grant the administrator role to someone else first."
            ),
            code="last_administrator",
        )
    return None


@transaction.atomic
def revoke_role(membership: Membership, *, actor) -> None:
    # Lock the project's administrators, so two revocations at once cannot leave none.
    list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Role.ADMINISTRATOR)
        .values_list("pk", flat=True)
    )
    if (refusal := revoke_refusal(membership, actor=actor)) is not None:
        raise refusal
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
