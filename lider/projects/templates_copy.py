"""Start a project from a template: copy another project's structure, never its people.

`projects` copies what it owns (target groups, specific goals, tasks with those of their
counties the new project covers); every app above it copies its own part through a copier it
registered in `hooks.structure_copiers` (recruitment: eligibility rules, scoring, current
consent texts; certification: completion rules, number series; reporting: indicators). A
copier gets the maps old id → new row, so what it copies points at the new project's rows.
Applications, participants, sessions, attendance and certificates are never copied.

Each copied row gets an audit entry "created", noting the template.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.projects import hooks
from lider.projects.models import Project, SpecificGoal, TargetGroup, Task


@dataclass
class StructureMap:
    """What was copied: old id → new row, and how many rows each part copied."""

    source: Project
    target: Project
    target_groups: dict[int, TargetGroup] = field(default_factory=dict)
    goals: dict[int, SpecificGoal] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self):
        return audit.Note(
            gettext_lazy("Copied from the template project %(title)s."), title=self.source.title
        )


def created(obj, structure: StructureMap, *, actor) -> None:
    """Record a copied row (copiers of other apps call this too)."""
    audit.created(obj, actor=actor, note=structure.note())


@transaction.atomic
def copy_structure(source: Project, target: Project, *, actor) -> StructureMap:
    structure = StructureMap(source=source, target=target)
    for group in source.target_groups.order_by("order", "pk"):
        new = TargetGroup.objects.create(
            project=target, order=group.order, description=group.description
        )
        created(new, structure, actor=actor)
        structure.target_groups[group.pk] = new
    for goal in source.specific_goals.order_by("order", "pk"):
        new = SpecificGoal.objects.create(project=target, order=goal.order, text=goal.text)
        created(new, structure, actor=actor)
        structure.goals[goal.pk] = new
    covered = set(target.counties.values_list("pk", flat=True))
    for task in source.tasks.order_by("order", "pk").prefetch_related("counties"):
        new = Task.objects.create(
            project=target,
            order=task.order,
            kind=task.kind,
            title=task.title,
            description=task.description,
        )
        new.counties.set([c.pk for c in task.counties.all() if c.pk in covered])
        created(new, structure, actor=actor)
        structure.tasks[task.pk] = new
    structure.counts = {
        "target_groups": len(structure.target_groups),
        "goals": len(structure.goals),
        "tasks": len(structure.tasks),
    }
    for label, copier in hooks.structure_copiers:
        structure.counts[label] = copier(structure, actor=actor)
    return structure
