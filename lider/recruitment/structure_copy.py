"""Recruitment's part of starting a project from a template (`lider.projects.templates_copy`):
eligibility rules (with their target groups mapped to the new project's), scoring criteria, and
the consent texts and information clause now shown on the form. Never applications or consents
given."""

from lider.projects.templates_copy import created
from lider.recruitment.models import (
    ConsentText,
    EligibilityRule,
    InformationClause,
    ScoringCriterion,
)


def copy(structure, *, actor) -> int:
    source, target, count = structure.source, structure.target, 0
    for rule in EligibilityRule.objects.filter(project=source).prefetch_related("target_groups"):
        new = EligibilityRule.objects.create(
            project=target,
            order=rule.order,
            kind=rule.kind,
            min_age=rule.min_age,
            is_active=rule.is_active,
        )
        new.target_groups.set(
            [
                structure.target_groups[g.pk]
                for g in rule.target_groups.all()
                if g.pk in structure.target_groups
            ]
        )
        created(new, structure, actor=actor)
        count += 1
    for criterion in ScoringCriterion.objects.filter(project=source):
        new = ScoringCriterion.objects.create(
            project=target, order=criterion.order, kind=criterion.kind, points=criterion.points
        )
        created(new, structure, actor=actor)
        count += 1
    for text in ConsentText.objects.filter(project=source, is_current=True):
        new = ConsentText.objects.create(
            project=target,
            purpose=text.purpose,
            version=text.version,
            text=text.text,
            is_current=True,
        )
        created(new, structure, actor=actor)
        count += 1
    for clause in InformationClause.objects.filter(project=source, is_current=True):
        values = {name: getattr(clause, name) for name in InformationClause.SECTIONS}
        new = InformationClause.objects.create(
            project=target, version=clause.version, is_current=True, **values
        )
        created(new, structure, actor=actor)
        count += 1
    return count
