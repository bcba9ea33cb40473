"""A participant sees their own schedule, attendance, certificates and consents, only theirs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lider.certification.models import Certificate, CertificateSeries
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.models import Attendance, Enrolment, Session, Venue
from lider.people.models import Participant, Person
from lider.projects.models import Task
from lider.recruitment.models import Application, Consent, ConsentText
from lider.territory.queries import unit_by_code
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def person(user=None, pesel="90010112349", first="Anna"):
    return Person.objects.create(
        first_name=first,
        last_name="Nowak",
        pesel=pesel,
        birth_date=datetime.date(1990, 1, 1),
        sex="K",
        user=user,
    )


def certificate(project, task, participant, sequence):
    series, _ = CertificateSeries.objects.get_or_create(
        project=project, task=task, defaults={"pattern": "T/{year}/{seq:03d}"}
    )
    return Certificate.objects.create(
        project=project,
        task=task,
        participant=participant,
        series=series,
        sequence=sequence,
        number=f"T/2010/{sequence:03d}",
        code=f"ABCDEFGH{sequence:02d}",
        issued_on=datetime.date(2010, 12, 20),
        issued_at=timezone.now(),
        full_name=str(participant.person),
        training_title=task.title,
        hours=16,
        start_date=datetime.date(2010, 3, 6),
        end_date=datetime.date(2010, 3, 13),
        project_title=project.title,
        project_number=project.number,
        cofinancing=project.cofinancing_statement,
        verification_url="http://testserver/weryfikacja/x/",
        evaluation={},
        sha256="0" * 64,
    )


@pytest.fixture
def setting():
    project = ProjectFactory()
    task = Task.objects.create(project=project, kind=Task.Kind.TRAINING_CYCLE, title="Szkolenie")
    user = UserFactory()
    member(project, Role.PARTICIPANT, user=user)
    mine = Participant.objects.create(project=project, person=person(user))
    other = Participant.objects.create(
        project=project, person=person(pesel="05210512347", first="Ewa")
    )
    venue = Venue.objects.create(
        project=project, name="Sala", city="Częstochowa", gmina=unit_by_code("2464011")
    )
    session = Session.objects.create(
        task=task,
        title="Zakładanie spółdzielni socjalnej",
        date=datetime.date(2010, 3, 6),
        start_time=datetime.time(9),
        end_time=datetime.time(15),
        venue=venue,
    )
    for participant in (mine, other):
        Enrolment.objects.create(
            task=task, participant=participant, status=Enrolment.Status.PARTICIPATING
        )
        Attendance.objects.create(
            session=session, participant=participant, status=Attendance.Status.PRESENT
        )
    text = ConsentText.objects.create(
        project=project, purpose="processing", version="1.0", text="Wyrażam zgodę"
    )
    application = Application.objects.create(
        project=project, person=mine.person, submitted_at=timezone.now()
    )
    consent = Consent.objects.create(
        application=application,
        text=text,
        purpose="processing",
        given_at=timezone.now(),
        source="online",
    )
    return {
        "project": project,
        "task": task,
        "user": user,
        "mine": mine,
        "other": other,
        "mine_cert": certificate(project, task, mine, 1),
        "other_cert": certificate(project, task, other, 2),
        "consent": consent,
    }


def test_participant_lands_on_own_account(client, setting):
    client.force_login(setting["user"])
    response = client.get(reverse("website:after_login"))
    assert response.url == reverse("website:account") == "/konto/"


def test_account_shows_own_data_only(client, setting):
    client.force_login(setting["user"])
    body = client.get(reverse("website:account")).content.decode()
    assert "Anna Nowak" in body
    assert "Zakładanie spółdzielni socjalnej" in body
    assert "T/2010/001" in body
    assert "Ewa" not in body
    assert "T/2010/002" not in body
    assert "90010112349" not in body  # no need to show even their own PESEL here


def test_account_shows_attendance_in_the_readers_language(client, setting):
    client.force_login(setting["user"])
    body = client.get(reverse("website:account")).content.decode()
    assert '<td role="cell" data-label="Obecność">obecny</td>' in body
    assert "present" not in body
    with translation.override("en"):
        english = client.get(reverse("website:account")).content.decode()
    assert '<td role="cell" data-label="Attendance">present</td>' in english


def test_own_certificate_downloads_and_others_do_not(client, setting):
    client.force_login(setting["user"])
    own = client.get(reverse("website:certificate_pdf", kwargs={"pk": setting["mine_cert"].pk}))
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF")
    theirs = reverse("website:certificate_pdf", kwargs={"pk": setting["other_cert"].pk})
    assert client.get(theirs).status_code == 404


def test_withdrawing_a_consent_asks_first_and_says_what_it_means(client, setting):
    client.force_login(setting["user"])
    consent = setting["consent"]
    url = reverse("website:consent_withdraw", kwargs={"pk": consent.pk})
    account = client.get(reverse("website:account")).content.decode()
    assert f'href="{url}"' in account
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Wycofujesz zgodę" in body
    assert setting["project"].title in body
    assert "pozostaje zgodne z prawem" in body
    assert "kończy się w dniu jej wycofania" in body  # the processing consent carries it
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # the GET changed nothing
    assert not AuditEntry.objects.filter(content_type__model="consent").exists()


def test_participant_withdraws_consent_and_it_is_audited(client, setting):
    client.force_login(setting["user"])
    consent = setting["consent"]
    client.post(reverse("website:consent_withdraw", kwargs={"pk": consent.pk}))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    entry = AuditEntry.objects.get(object_id=str(consent.pk), content_type__model="consent")
    assert entry.actor == setting["user"]
    assert list(entry.changes) == ["withdrawn_at"]
    # The consent to processing carried the participation: it ends, and processing stops.
    mine = setting["mine"]
    mine.refresh_from_db()
    assert (mine.end_date, mine.exit_reason) == (timezone.localdate(), "resignation")
    assert mine.person.restriction.set_by == setting["user"]
    setting["other"].refresh_from_db()
    assert setting["other"].end_date is None


def test_participant_has_no_back_office(client, setting):
    client.force_login(setting["user"])
    url = reverse("projects:detail", kwargs={"slug": setting["project"].slug})
    assert client.get(url).status_code == 403


def test_staff_land_on_their_projects(client, setting):
    client.force_login(member(setting["project"], Role.COORDINATOR))
    assert client.get(reverse("website:after_login")).url == reverse("projects:list")
