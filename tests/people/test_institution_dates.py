"""The office records the dates of support to an institution on its page (through
people.services.set_institution_dates): validated, audited, refused in an archived project;
the exports read them, falling back to the employees' paths."""

import datetime

import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people import services
from lider.people.models import Institution, Participant
from tests.factories import member
from tests.projects.test_states import login
from tests.reporting.test_exports import export
from tests.reporting.test_institution_exports import _project_with_an_employee

pytestmark = pytest.mark.django_db

D = datetime.date


def _setup(client):
    world, _employee = _project_with_an_employee(client)
    project = world.project
    waiting = Institution.objects.get(name="Ośrodek Pomocy Społecznej")
    participant = Participant.objects.get(project=project, institution=waiting)
    client.logout()
    office = member(project, Role.OFFICE)
    login(client, office)
    url = reverse("people:institution_dates", kwargs={"slug": project.slug, "pk": waiting.pk})
    page = reverse("people:institution", kwargs={"slug": project.slug, "pk": waiting.pk})
    return world, participant, office, url, page


def test_office_records_an_institutions_dates_and_the_export_uses_them(client):
    world, participant, office, url, page = _setup(client)
    before = client.get(page).content.decode()
    assert "brak: żaden z jej pracowników nie rozpoczął udziału" in before
    # Not exported yet: it has no start (the check names it).
    result, (sheet, check) = export(world, "sl2014")
    assert result.institutions == 1

    response = client.post(url, {"start": "2024-02-01", "end": "2024-06-30"})

    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.start_date, participant.end_date, participant.start_source) == (
        D(2024, 2, 1),
        D(2024, 6, 30),
        "office",
    )
    entry = AuditEntry.objects.filter(object_id=str(participant.pk), actor=office).get()
    assert entry.changes["start_date"] == [None, "2024-02-01"]
    assert entry.changes["end_date"] == [None, "2024-06-30"]
    shown = client.get(page).content.decode()
    assert "01.02.2024 (wpisane przez biuro)" in shown
    result, (sheet, check) = export(world, "sl2014")
    assert result.institutions == 2
    rows = {row[7]: row for row in sheet[2:]}
    assert rows["Ośrodek Pomocy Społecznej"][23:25] == [D(2024, 2, 1), D(2024, 6, 30)]
    # The institution whose dates the office did not record keeps its employee's path.
    assert rows["Powiatowy Urząd Pracy"][23:25] == [D(2024, 3, 1), D(2024, 3, 8)]

    # Emptied again: back to its employees' paths (none started: no start).
    assert client.post(url, {"start": "", "end": ""}).status_code == 302
    participant.refresh_from_db()
    assert (participant.start_date, participant.end_date, participant.start_source) == (
        None,
        None,
        "",
    )


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"start": "2024-05-01", "end": "2024-04-30"},
            "end",
            "Koniec wsparcia nie może przypadać przed jego początkiem.",
        ),
        (
            {"start": "2023-12-31"},
            "start",
            "Dzień musi przypadać w okresie realizacji projektu (01.01.2024 – 31.12.2025).",
        ),
        (
            {"end": "2026-01-01"},
            "end",
            "Dzień musi przypadać w okresie realizacji projektu (01.01.2024 – 31.12.2025).",
        ),
        ({"start": "2024-02-30"}, "start", "Wpisz poprawną datę."),
        ({"start": "2024-02-01\x00"}, "start", "Wpisz poprawną datę."),
        ({"start": "9" * 100_000}, "start", "Wpisz poprawną datę."),
        ({"end": "=HYPERLINK(1)"}, "end", "Wpisz poprawną datę."),
    ],
)
def test_wrong_or_hostile_dates_are_refused_in_polish_and_change_nothing(
    client, data, field, message
):
    _world, participant, _office, url, _page = _setup(client)
    audited = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["dates_form"].errors
    participant.refresh_from_db()
    assert (participant.start_date, participant.end_date) == (None, None)
    assert AuditEntry.objects.count() == audited


def test_archived_project_and_reading_roles_are_refused(client):
    world, participant, _office, url, page = _setup(client)
    auditor = member(world.project, Role.AUDITOR)
    client.logout()
    login(client, auditor)
    assert client.get(page).status_code == 200
    assert 'action="' + url not in client.get(page).content.decode()
    assert client.post(url, {"start": "2024-02-01"}).status_code == 403
    world.project.state = "archived"
    world.project.save(update_fields=["state"])
    with pytest.raises(services.ValidationError) as error:
        services.set_institution_dates(participant, start=D(2024, 2, 1), end=None, actor=None)
    assert error.value.code == "archived"
    participant.refresh_from_db()
    assert participant.start_date is None


def test_a_persons_participation_has_no_institution_dates(client):
    world, _participant, _office, _url, _page = _setup(client)
    person = Participant.objects.filter(project=world.project, person__isnull=False).first()
    with pytest.raises(ValueError):
        services.set_institution_dates(person, start=None, end=None, actor=None)
