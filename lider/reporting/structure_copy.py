"""Reporting's part of starting a project from a template (`lider.projects.templates_copy`):
the indicator definitions of each specific goal, a task named in a measure's parameters mapped
to the new project's copy of it. Never snapshots (values frozen at a reporting date)."""

from lider.projects.templates_copy import created
from lider.reporting.models import Indicator


def copy(structure, *, actor) -> int:
    count = 0
    for indicator in Indicator.objects.filter(goal__project=structure.source):
        goal = structure.goals.get(indicator.goal_id)
        params = dict(indicator.params or {})
        if isinstance(params.get("task"), int):
            task = structure.tasks.get(params["task"])
            if task is None:
                continue
            params["task"] = task.pk
        if goal is None:
            continue
        new = Indicator.objects.create(
            goal=goal,
            order=indicator.order,
            name=indicator.name,
            kind=indicator.kind,
            unit=indicator.unit,
            target_total=indicator.target_total,
            target_women=indicator.target_women,
            target_men=indicator.target_men,
            measure=indicator.measure,
            params=params,
        )
        created(new, structure, actor=actor)
        count += 1
    return count
