import pytest

from lider.projects.models import TargetGroup
from lider.recruitment.models import ConsentText, EligibilityRule, ScoringCriterion
from lider.territory.queries import unit_by_code
from tests.factories import ProjectFactory


@pytest.fixture
def project(db):
    """A project in two counties (częstochowski, myszkowski) with rules, criteria, consents."""
    project = ProjectFactory(counties=[unit_by_code("2404"), unit_by_code("2409")])
    people = TargetGroup.objects.create(project=project, order=1, description="Osoby fizyczne")
    TargetGroup.objects.create(project=project, order=2, description="Instytucje rynku pracy")
    EligibilityRule.objects.create(project=project, order=1, kind="area")
    EligibilityRule.objects.create(project=project, order=2, kind="min_age", min_age=18)
    rule = EligibilityRule.objects.create(project=project, order=3, kind="target_group")
    rule.target_groups.set([people])
    for order, (kind, points) in enumerate(
        [("unemployed", 10), ("woman", 5), ("disability", 8), ("rural", 3)]
    ):
        ScoringCriterion.objects.create(project=project, order=order, kind=kind, points=points)
    for purpose in ConsentText.Purpose.values:
        ConsentText.objects.create(
            project=project, purpose=purpose, version="2009-11", text=f"Zgoda: {purpose}"
        )
    return project


@pytest.fixture
def people_group(project):
    return project.target_groups.get(order=1)
