"""Erasure within the law (art. 17): refused before the archiving date, anonymising after it."""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.db import models

from lider.certification.models import Certificate
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people import restrictions
from lider.people.models import Participant, Person
from lider.reporting.models import SnapshotValue
from lider.reporting.queries import indicator_values
from lider.reporting.services import freeze_snapshot
from lider.website import erasure
from tests.factories import ApplicationFactory, PersonFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

TEXT = (models.CharField, models.TextField, models.JSONField)


def page(client, url):
    """The page without its CSRF tokens (masked anew on every request)."""
    body = client.get(url).content.decode()
    return re.sub(r'(csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]+"', "", body)


def figures(project):
    return [
        (v.indicator.pk, v.cumulative.total, v.cumulative.women, v.cumulative.men)
        for v in indicator_values(project)
    ]


def text_values():
    """Every value of every text column in the database, as text."""
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT)]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if value is None:
                    continue
                yield value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def test_office_anonymises_a_project_after_its_archiving_date(client, demo_project):
    coordinator = member(demo_project, Role.COORDINATOR)
    freeze_snapshot(demo_project, actor=coordinator, reporting_date=demo_project.end_date)
    people = list(
        Person.objects.filter(participations__project=demo_project)
        | Person.objects.filter(applications__project=demo_project)
    )
    secrets = set()
    for person in people:
        secrets.update(v for v in [person.pesel, person.email] if v)
        secrets.add(f"{person.first_name} {person.last_name}")
    assert len(secrets) > 100
    results_url = f"/projekty/{demo_project.slug}/rezultaty/"
    results_before = page(client, results_url)
    figures_before = figures(demo_project)
    snapshot_before = list(SnapshotValue.objects.order_by("pk").values())
    code = Certificate.objects.filter(project=demo_project).values_list("code", flat=True)[0]
    participants_before = Participant.objects.filter(project=demo_project).count()

    client.force_login(coordinator)
    body = page(client, f"/biuro/projekty/{demo_project.slug}/anonimizacja/")
    assert "data archiwizacji nie jest ustawiona" in body.lower()
    client.post(f"/biuro/projekty/{demo_project.slug}/anonimizacja/")
    ours = Person.objects.filter(pk__in=[p.pk for p in people])  # (the demo's finished project
    assert ours.filter(last_name=erasure.LAST_NAME).count() == 0  # has its own anonymised)

    demo_project.archiving_date = datetime.date(2020, 12, 31)
    demo_project.save(update_fields=["archiving_date"])
    response = client.post(f"/biuro/projekty/{demo_project.slug}/anonimizacja/")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert ours.filter(last_name=erasure.LAST_NAME).count() == len(set(people))

    assert figures(demo_project) == figures_before and figures_before
    assert list(SnapshotValue.objects.order_by("pk").values()) == snapshot_before
    client.logout()
    assert page(client, results_url) == results_before
    assert Participant.objects.filter(project=demo_project).count() == participants_before
    verify = client.get(f"/weryfikacja/{code}/").content.decode()
    assert "To zaświadczenie jest ważne." in verify
    assert "Dane posiadacza usunięto po okresie archiwizacji." in verify
    assert "usunięte po okresie archiwizacji" in verify

    leaks = [value for value in text_values() for secret in secrets if secret in value]
    assert leaks == []
    entry = AuditEntry.objects.filter(project_id=demo_project.pk).latest("pk")
    assert entry.actor == coordinator and "zanonimizowano" in entry.note_text


def test_participant_cannot_be_erased_before_the_archiving_date(client):
    project = ProjectFactory(archiving_date=datetime.date(2099, 12, 31))
    person = PersonFactory()
    Participant.objects.create(project=project, person=person)
    client.force_login(member(project, Role.OFFICE))
    response = client.post(
        f"/biuro/projekty/{project.slug}/osoby/{person.pk}/usuniecie/", follow=True
    )
    body = response.content.decode()
    assert "31.12.2099" in body and "art. 17 ust. 3 lit. b RODO" in body
    person.refresh_from_db()
    assert person.last_name != erasure.LAST_NAME


def test_an_applicant_who_never_took_part_can_be_erased_any_time(client):
    project = ProjectFactory(archiving_date=datetime.date(2099, 12, 31))
    person = PersonFactory(email="wnioskodawca@example.pl")
    application = ApplicationFactory(project=project, person=person)
    pesel = person.pesel
    office = member(project, Role.OFFICE)
    client.force_login(office)
    response = client.post(f"/biuro/projekty/{project.slug}/osoby/{person.pk}/usuniecie/")
    assert response.status_code == 302
    person.refresh_from_db()
    application.refresh_from_db()
    assert (person.first_name, person.last_name, person.pesel, person.email) == (
        erasure.FIRST_NAME,
        erasure.LAST_NAME,
        "",
        "",
    )
    assert application.pesel == "" and application.email == ""
    assert not any(pesel in v or "wnioskodawca@example.pl" in v for v in text_values())


def test_a_person_in_a_project_still_keeping_evidence_is_left_alone():
    past = ProjectFactory(archiving_date=datetime.date(2020, 1, 1))
    current = ProjectFactory(archiving_date=datetime.date(2099, 1, 1))
    both, only_past = PersonFactory(), PersonFactory()
    for project, person in [(past, both), (current, both), (past, only_past)]:
        Participant.objects.create(project=project, person=person)
    assert erasure.anonymise_project(past, actor=member(past, Role.COORDINATOR)) == 1
    both.refresh_from_db()
    only_past.refresh_from_db()
    assert both.last_name != erasure.LAST_NAME and only_past.last_name == erasure.LAST_NAME


def test_archiving_date_before_the_end_is_refused():
    from django.core.exceptions import ValidationError

    project = ProjectFactory()
    project.archiving_date = project.end_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        project.full_clean()


def test_retention_report_counts_whose_data_goes_when(client):
    project = ProjectFactory(archiving_date=datetime.date(2030, 6, 30))
    longer = ProjectFactory(archiving_date=datetime.date(2040, 1, 1))
    taking_part = [PersonFactory() for _ in range(3)]
    for person in taking_part:
        Participant.objects.create(project=project, person=person)
    Participant.objects.create(project=longer, person=taking_part[0])
    ApplicationFactory(project=project, person=PersonFactory())
    office = member(project, Role.OFFICE)
    restrictions.restrict(taking_part[1], kind="objection", reason="x", actor=office)
    report = erasure.retention(project, today=datetime.date(2026, 1, 1))
    assert report == {
        "archiving_date": datetime.date(2030, 6, 30),
        "past": False,
        "participants": 3,
        "applicants_only": 1,
        "kept_longer": 1,
        "restricted": 1,
        "anonymised": 0,
    }
    client.force_login(office)
    body = page(client, f"/biuro/projekty/{project.slug}/anonimizacja/")
    assert "Raport okresów przechowywania" in body and "po 30.06.2030" in body
    assert "Dokumentację projektu trzeba przechowywać do 30.06.2030" in body
    assert "Zanonimizuj osoby projektu" not in body
