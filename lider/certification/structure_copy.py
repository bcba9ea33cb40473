"""Certification's part of starting a project from a template (`lider.projects.templates_copy`):
each task's completion rule and the number series (counters start again at zero). A rule that
names sessions of the template's tasks is not copied (the new project has no sessions yet);
never certificates or test scores."""

from lider.certification.models import CertificateSeries, CompletionRule
from lider.projects.templates_copy import created


def names_sessions(conditions) -> bool:
    if isinstance(conditions, dict):
        return "sessions" in conditions or any(names_sessions(v) for v in conditions.values())
    if isinstance(conditions, list):
        return any(names_sessions(v) for v in conditions)
    return False


def copy(structure, *, actor) -> int:
    count = 0
    for rule in CompletionRule.objects.filter(task__project=structure.source):
        task = structure.tasks.get(rule.task_id)
        if task is None or names_sessions(rule.conditions):
            continue
        new = CompletionRule.objects.create(task=task, conditions=rule.conditions, updated_by=actor)
        created(new, structure, actor=actor)
        count += 1
    for series in CertificateSeries.objects.filter(project=structure.source):
        task = structure.tasks.get(series.task_id) if series.task_id else None
        if series.task_id and task is None:
            continue
        new = CertificateSeries.objects.create(
            project=structure.target, task=task, pattern=series.pattern, last_sequence=0
        )
        created(new, structure, actor=actor)
        count += 1
    return count
