"""Restriction of processing (art. 18) and objection (art. 21): exports, e-mails, new processing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lider.certification.issuing import send_certificate
from lider.certification.models import Certificate
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery import places
from lider.delivery.models import Enrolment
from lider.people import restrictions
from lider.people.models import Participant, Restriction
from lider.projects.models import Task
from lider.recruitment import services as recruitment
from lider.reporting.exports.monitoring_rows import participants_rows, support_rows
from tests.factories import ApplicationFactory, PersonFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


def detail(project, person):
    return f"/biuro/projekty/{project.slug}/osoby/{person.pk}/"


@pytest.fixture
def case():
    project = ProjectFactory()
    person = PersonFactory()
    Participant.objects.create(project=project, person=person)
    return project, person


def test_office_restricts_and_lifts_audited_and_shown_on_the_pages(client, case):
    project, person = case
    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(
        detail(project, person) + "ograniczenie/",
        {"kind": "objection", "reason": "Sprzeciw złożony pismem z 2.11."},
    )
    assert response.status_code == 302
    restriction = Restriction.objects.get(person=person)
    assert restriction.kind == "objection" and restriction.set_by == coordinator
    entry = AuditEntry.objects.for_object(person).get()
    assert entry.actor == coordinator and entry.changes == {"restriction": [None, "objection"]}
    assert entry.note == "Sprzeciw złożony pismem z 2.11."
    page = client.get(detail(project, person)).content.decode()
    assert "Sprzeciw wobec przetwarzania (art. 21 RODO)" in page
    assert "Znieś ograniczenie" in page
    listing = client.get(f"/biuro/projekty/{project.slug}/osoby/").content.decode()
    assert "ograniczone" in listing

    assert client.post(detail(project, person) + "ograniczenie/zniesienie/").status_code == 302
    assert not Restriction.objects.exists()
    assert AuditEntry.objects.for_object(person).count() == 2
    assert (
        "ograniczone" not in client.get(f"/biuro/projekty/{project.slug}/osoby/").content.decode()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "restriction", "reason": "a\x00b"},
        {"kind": "restriction", "reason": "x" * 2001},
        {"kind": "restriction", "reason": ""},
        {"kind": "delete_everything", "reason": "x"},
        {"kind": "9" * 400, "reason": "x"},
    ],
)
def test_hostile_input_changes_nothing(client, case, data):
    project, person = case
    client.force_login(member(project, Role.OFFICE))
    response = client.post(detail(project, person) + "ograniczenie/", data)
    assert response.status_code == 302
    assert not Restriction.objects.exists()
    assert not AuditEntry.objects.for_object(person).exists()


def test_trainer_cannot_restrict(client, case):
    project, person = case
    client.force_login(member(project, Role.TRAINER))
    response = client.post(
        detail(project, person) + "ograniczenie/", {"kind": "restriction", "reason": "x"}
    )
    assert response.status_code == 403
    assert not Restriction.objects.exists()


def test_restricted_person_is_left_out_of_exports_mails_and_new_processing(demo_project):
    participant = (
        Participant.objects.filter(project=demo_project, certificates__isnull=False)
        .select_related("person")
        .first()
    )
    person = participant.person
    pesels_before = {row[3] for row in participants_rows(demo_project)}
    supports_before = list(support_rows(demo_project))
    assert person.pesel in pesels_before
    office = member(demo_project, Role.OFFICE)
    restrictions.restrict(person, kind="restriction", reason="Kwestionuje dane", actor=office)
    # Exports: the person's rows only are gone.
    assert {row[3] for row in participants_rows(demo_project)} == pesels_before - {person.pesel}
    after = list(support_rows(demo_project))
    assert 0 < len(after) < len(supports_before)
    # E-mails: the certificate is not sent.
    certificate = Certificate.objects.filter(participant=participant).first()
    person.email = "osoba@example.pl"
    person.save(update_fields=["email"])
    assert send_certificate(certificate) is False and mail.outbox == []
    # New processing: an enrolment is refused with the reason.
    task = (
        Task.objects.filter(project=demo_project)
        .exclude(enrolments__participant=participant)
        .first()
    )
    with pytest.raises(ValidationError, match="ograniczone"):
        places.enrol(task, participant=participant, actor=office)
    assert not Enrolment.objects.filter(task=task, participant=participant).exists()
    # The evidence is kept.
    assert Certificate.objects.filter(participant=participant).exists()
    assert participant.attendance.exists()


def test_a_restricted_applicant_cannot_be_accepted_nor_offered(case):
    project, person = case
    office = member(project, Role.COORDINATOR)
    application = ApplicationFactory(project=project, person=person, status="submitted")
    restrictions.restrict(person, kind="restriction", reason="Wniosek z 3.11.", actor=office)
    with pytest.raises(ValidationError, match="ograniczone"):
        recruitment.decide(application, actor=office, decision="accepted")
    application.refresh_from_db()
    assert application.status == "submitted"
    recruitment.decide(application, actor=office, decision="reserve")
    assert recruitment.offer_place(project, actor=office) is None
    assert mail.outbox == []  # no decision e-mail to a restricted person either


def test_restricting_twice_is_refused(case):
    project, person = case
    office = member(project, Role.OFFICE)
    restrictions.restrict(person, kind="restriction", reason="a", actor=office)
    with pytest.raises(ValidationError):
        restrictions.restrict(person, kind="objection", reason="b", actor=office)


def test_badge_on_the_recruitment_list_and_application(client, case):
    project, person = case
    application = ApplicationFactory(project=project, person=person)
    office = member(project, Role.OFFICE)
    restrictions.restrict(person, kind="restriction", reason="Wniosek", actor=office)
    client.force_login(office)
    listing = client.get(f"/biuro/projekty/{project.slug}/rekrutacja/").content.decode()
    assert 'class="badge badge-restricted">ograniczone' in listing
    body = client.get(
        f"/biuro/projekty/{project.slug}/rekrutacja/{application.pk}/"
    ).content.decode()
    assert "Ograniczenie przetwarzania (art. 18 RODO)" in body
