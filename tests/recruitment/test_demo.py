import pytest

from lider.people.models import Participant
from lider.recruitment.models import Application, Consent

pytestmark = pytest.mark.django_db


def test_demo_recruitment_matches_participants_and_shows_real_cases(demo_project):
    applications = Application.objects.filter(project=demo_project)
    accepted = applications.filter(status="accepted")
    assert accepted.count() == Participant.objects.filter(project=demo_project).count()
    assert not accepted.filter(participant__isnull=True).exists()
    assert applications.filter(status="reserve").count() == 12
    rejected = applications.filter(status="rejected")
    assert rejected.count() == 8
    assert rejected.filter(is_eligible=False).count() == 5  # 3 outside the area, 2 under age
    assert all(a.decision_reason for a in rejected)
    assert (
        Consent.objects.filter(application__project=demo_project).count()
        == 3 * applications.count()
    )
    assert demo_project.eligibility_rules.count() == 3
    assert demo_project.scoring_criteria.count() == 5
