"""Words and values the Polish interface showed in English or raw (issue 10, "Pages and words")."""

import datetime
import re

import pytest
from django.urls import reverse

from lider.core.permissions import Role
from lider.people.models import Participant
from tests.factories import ApplicationFactory, InstitutionFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


def headers(html: str) -> list[str]:
    return re.findall(r'<th scope="col">([^<]*)</th>', html)


def test_institution_list_is_headed_with_the_name_of_the_institution(client):
    project = ProjectFactory()
    Participant.objects.create(project=project, institution=InstitutionFactory())
    ApplicationFactory(project=project)
    client.force_login(member(project, Role.OFFICE))
    institutions = client.get(reverse("people:institutions", kwargs={"slug": project.slug}))
    people = client.get(reverse("people:list", kwargs={"slug": project.slug}))
    assert headers(institutions.content.decode())[0] == "Nazwa instytucji"
    assert headers(people.content.decode())[0] == "Imię i nazwisko"


def test_monitoring_export_gives_no_age_for_a_birth_date_after_the_start():
    from lider.reporting.exports.profiles import age_at_start

    start = datetime.date(2010, 1, 4)
    assert age_at_start({"birth_date": datetime.date(2011, 1, 1), "start": start}, None) is None
    assert age_at_start({"birth_date": datetime.date(1980, 1, 4), "start": start}, None) == 30
    assert age_at_start({"birth_date": datetime.date(1980, 1, 5), "start": start}, None) == 29
