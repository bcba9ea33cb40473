"""Starting a project from a template: its structure is copied, never its people."""

import pytest

from lider.certification.models import Certificate, CertificateSeries, CompletionRule
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.models import Session
from lider.people.models import Participant
from lider.projects.models import Project
from lider.recruitment.models import Application, ConsentText, EligibilityRule, ScoringCriterion
from lider.reporting.models import Indicator
from tests.factories import ProjectFactory, member
from tests.projects.test_create import CREATE, card_data
from tests.projects.test_states import login

pytestmark = pytest.mark.django_db


def structure_of(project):
    """The copied parts, described without ids, so a copy compares equal to its template."""
    return {
        "groups": list(project.target_groups.values_list("order", "description")),
        "goals": list(project.specific_goals.values_list("order", "text")),
        "tasks": [
            (t.order, t.kind, t.title, sorted(c.code for c in t.counties.all()))
            for t in project.tasks.prefetch_related("counties")
        ],
        "eligibility": sorted(
            (r.kind, r.min_age, r.is_active, sorted(g.description for g in r.target_groups.all()))
            for r in EligibilityRule.objects.filter(project=project)
        ),
        "scoring": sorted(
            ScoringCriterion.objects.filter(project=project).values_list("kind", "points")
        ),
        "consents": sorted(
            ConsentText.objects.filter(project=project, is_current=True).values_list(
                "purpose", "version", "text"
            )
        ),
        "rules": sorted(
            (r.task.title, str(r.conditions))
            for r in CompletionRule.objects.filter(task__project=project).select_related("task")
            if "sessions" not in str(r.conditions)
        ),
        "series": sorted(
            (s.pattern, s.task.title if s.task else None)
            for s in CertificateSeries.objects.filter(project=project).select_related("task")
        ),
        "indicators": sorted(
            (i.goal.text, i.name, i.measure, str(sorted(i.params)))
            for i in Indicator.objects.filter(goal__project=project).select_related("goal")
        ),
    }


def test_new_project_from_the_demo_copies_structure_not_people(client, demo_project):
    admin = login(client, member(demo_project, Role.ADMINISTRATOR))
    counties = list(demo_project.counties.values_list("pk", flat=True))
    response = client.post(
        CREATE, card_data(template=demo_project.pk, slug="z-szablonu", counties=counties)
    )
    assert response.status_code == 302
    new = Project.objects.get(slug="z-szablonu")
    template, copy = structure_of(demo_project), structure_of(new)
    assert copy == template
    assert all(template[part] for part in ("groups", "goals", "tasks", "scoring", "consents"))
    assert template["eligibility"] and template["series"] and template["indicators"]
    # Nothing of the people or what happened to them.
    assert not Application.objects.filter(project=new).exists()
    assert not Participant.objects.filter(project=new).exists()
    assert not Session.objects.filter(task__project=new).exists()
    assert not Certificate.objects.filter(project=new).exists()
    assert set(new.memberships.values_list("user", "role")) == {(admin.pk, Role.ADMINISTRATOR)}
    assert all(s.last_sequence == 0 for s in CertificateSeries.objects.filter(project=new))
    # Copies point at the new project's rows, never the template's.
    for indicator in Indicator.objects.filter(goal__project=new):
        if "task" in indicator.params:
            assert new.tasks.filter(pk=indicator.params["task"]).exists()
    for rule in EligibilityRule.objects.filter(project=new):
        assert all(g.project_id == new.pk for g in rule.target_groups.all())
    notes = AuditEntry.objects.filter(project_id=new.pk, action=AuditEntry.Action.CREATE)
    assert notes.filter(actor=admin).count() >= sum(len(v) for v in copy.values())


def test_task_counties_outside_the_new_project_are_dropped(client, demo_project):
    login(client, member(demo_project, Role.ADMINISTRATOR))
    one = demo_project.counties.order_by("code").first()
    client.post(CREATE, card_data(template=demo_project.pk, slug="jeden-powiat", counties=[one.pk]))
    new = Project.objects.get(slug="jeden-powiat")
    codes = {c.code for t in new.tasks.prefetch_related("counties") for c in t.counties.all()}
    assert codes == {one.code}


def test_only_projects_the_user_manages_can_be_templates(client):
    mine, foreign = ProjectFactory(), ProjectFactory()
    foreign.target_groups.create(order=1, description="Cudza grupa")
    login(client, member(mine, Role.ADMINISTRATOR))
    member(foreign, Role.TRAINER, user=mine.memberships.get().user)
    response = client.post(CREATE, card_data(template=foreign.pk, slug="proba"))
    assert response.status_code == 200
    assert "template" in response.context["form"].errors
    assert not Project.objects.filter(slug="proba").exists()
    choices = [value for value, _ in response.context["form"].fields["template"].choices]
    assert mine.pk in [getattr(v, "value", v) for v in choices]
