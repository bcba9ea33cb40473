"""Reads of project cards, shared by the back office and the public site."""

from django.db.models import Prefetch

from lider.projects.models import Project, Task
from lider.territory.models import Unit


def project_cards():
    """Projects with everything their card shows, in a fixed number of queries."""
    return Project.objects.select_related(
        "classification__parent__parent__parent", "institution", "applicant"
    ).prefetch_related(
        "partners",
        Prefetch("counties", queryset=Unit.objects.select_related("parent").order_by("code")),
        "target_groups",
        "specific_goals",
        Prefetch(
            "tasks",
            queryset=Task.objects.prefetch_related(
                Prefetch("counties", queryset=Unit.objects.order_by("code"))
            ),
        ),
    )


def voivodeships_of(project: Project) -> list[Unit]:
    """The voivodeships the project's counties lie in (counties must be prefetched)."""
    seen = {}
    for county in project.counties.all():
        seen.setdefault(county.parent_id, county.parent)
    return [unit for unit in seen.values() if unit is not None]
