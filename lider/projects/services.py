"""Writes to project cards."""

from django.db import transaction

from lider.projects.models import Project


@transaction.atomic
def update_project_card(project: Project, *, actor, form) -> Project:
    """Save an edited project card from a valid ProjectCardForm."""
    changed = [name for name in form.changed_data if name not in {"partners", "counties"}]
    if changed:
        form.instance.save(update_fields=changed)
    for name in {"partners", "counties"} & set(form.changed_data):
        getattr(project, name).set(form.cleaned_data[name])
    return project
