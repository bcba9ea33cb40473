import pytest

from lider.people.models import Participant
from lider.people.queries import in_project, institutions_in, people_in
from tests.factories import ApplicationFactory, InstitutionFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_one_answer_for_applicants_participants_and_strangers():
    project, other = ProjectFactory(), ProjectFactory()
    applicant = ApplicationFactory(project=project).person
    participant = PersonFactory()
    Participant.objects.create(project=project, person=participant)
    stranger = ApplicationFactory(project=other).person
    both = ApplicationFactory(project=project).person
    Participant.objects.create(project=project, person=both)
    assert list(people_in(project).order_by("pk")) == [applicant, participant, both]
    assert [in_project(p, project.pk) for p in (applicant, participant, stranger, both)] == [
        True,
        True,
        False,
        True,
    ]
    assert participant.in_project(project.pk) and not stranger.in_project(project.pk)


def test_institutions_too():
    project = ProjectFactory()
    taking_part, stranger = InstitutionFactory(), InstitutionFactory()
    Participant.objects.create(project=project, institution=taking_part)
    assert list(institutions_in(project)) == [taking_part]
    assert taking_part.in_project(project.pk) and not in_project(stranger, project)
