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
    from lider.reporting.exports.columns import age_at_start

    start = datetime.date(2010, 1, 4)
    assert age_at_start({"birth_date": datetime.date(2011, 1, 1), "start": start}, None) is None
    assert age_at_start({"birth_date": datetime.date(1980, 1, 4), "start": start}, None) == 30
    assert age_at_start({"birth_date": datetime.date(1980, 1, 5), "start": start}, None) == 29


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    from lider.core.shortening import shorten

    text = "Instytucje rynku pracy oraz pomocy i integracji społecznej (w zakresie działań)."
    assert shorten(text, 200) == text
    assert shorten(text, 40) == "Instytucje rynku pracy oraz pomocy i…"
    assert len(shorten(text, 40)) <= 40
    assert shorten("Konstantynopolitańczykowianeczka", 10) == "Konstanty…"


def test_a_long_target_group_is_shortened_with_an_ellipsis_and_shown_whole_where_it_matters(
    client,
):
    from lider.projects.models import TargetGroup
    from lider.recruitment.models import ConsentText

    project = ProjectFactory()
    description = (
        "Podmioty ekonomii społecznej oraz osoby fizyczne, które chcą zakładać i/lub prowadzić "
        "działalność w sektorze ekonomii społecznej w powiatach: częstochowskim, kłobuckim."
    )
    group = TargetGroup.objects.create(project=project, order=1, description=description)
    assert str(group) == (
        "Podmioty ekonomii społecznej oraz osoby fizyczne, które chcą zakładać i/lub…"
    )
    ConsentText.objects.create(project=project, purpose="processing", version="1", text="Zgoda")

    form = client.get(reverse("recruitment_public:apply", kwargs={"slug": project.slug}))
    assert description in form.content.decode()  # the applicant reads what they declare

    application = ApplicationFactory(project=project, target_group=group)
    client.force_login(member(project, Role.OFFICE))
    listing = client.get(reverse("recruitment:list", kwargs={"slug": project.slug}))
    assert str(group) in listing.content.decode()
    detail = client.get(
        reverse("recruitment:detail", kwargs={"slug": project.slug, "pk": application.pk})
    )
    assert description in detail.content.decode()
