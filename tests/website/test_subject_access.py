"""Access (GDPR art. 15): everything Lider holds about one person, for the office and the person."""

import io
import json

import pytest
from pypdf import PdfReader

from lider.certification.models import Certificate
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.models import Attendance
from lider.people.models import Participant
from lider.recruitment.models import Consent
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(demo_project):
    """A demo participant with certificates, attendance and consents."""
    participant = (
        Participant.objects.filter(project=demo_project, certificates__isnull=False)
        .select_related("person")
        .first()
    )
    return participant.person


def office_url(project, person, fmt):
    return f"/biuro/projekty/{project.slug}/osoby/{person.pk}/dane.{fmt}"


def test_office_json_holds_every_record_about_the_person(client, demo_project, subject):
    coordinator = member(demo_project, Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(office_url(demo_project, subject, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["person"][0]["pesel"] == subject.pesel
    assert data["person"][0]["last_name"] == subject.last_name
    consents = Consent.objects.filter(application__person=subject)
    assert len(data["consents"]) == consents.count() > 0
    assert {c["wording"] for c in data["consents"]} == {c.text.text for c in consents}
    assert len(data["applications"]) == subject.applications.count() == 1
    assert data["applications"][0]["status"] == "przyjęte"
    attended = Attendance.objects.filter(participant__person=subject).count()
    assert len(data["attendance"]) == attended > 0
    numbers = set(
        Certificate.objects.filter(participant__person=subject).values_list("number", flat=True)
    )
    assert {c["number"] for c in data["certificates"]} == numbers
    assert len(data["participations"]) == 1 and data["enrolments"]
    entry = AuditEntry.objects.get(action="export", object_id=str(subject.pk))
    assert entry.actor == coordinator and entry.project_id == demo_project.pk
    assert "art. 15" in entry.note_text and "JSON" in entry.note_text


def test_office_pdf_is_readable(client, demo_project, subject):
    client.force_login(member(demo_project, Role.OFFICE))
    response = client.get(office_url(demo_project, subject, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert subject.last_name in text
    assert "Dane osobowe" in text and "Zgody" in text and "Certyfikaty" in text
    number = Certificate.objects.filter(participant__person=subject).values_list(
        "number", flat=True
    )[0]
    assert number in text


def test_office_sees_only_projects_where_it_may_answer(client, demo_project, subject):
    other = ProjectFactory()
    Participant.objects.create(project=other, person=subject)
    client.force_login(member(demo_project, Role.COORDINATOR))
    data = json.loads(client.get(office_url(demo_project, subject, "json")).content)
    assert [p["project"] for p in data["participations"]] == [str(demo_project)]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PARTNER, Role.AUDITOR, Role.PARTICIPANT])
def test_other_roles_are_refused(client, demo_project, subject, role):
    client.force_login(member(demo_project, role))
    assert client.get(office_url(demo_project, subject, "json")).status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_person_outside_the_project_or_bad_format_is_not_found(client, demo_project, subject):
    client.force_login(member(demo_project, Role.COORDINATOR))
    other = ProjectFactory()
    member(other, Role.COORDINATOR)
    assert client.get(office_url(other, subject, "json")).status_code == 403
    for fmt in ["xml", "pdf\x00", "j" * 5000]:
        assert client.get(office_url(demo_project, subject, fmt)).status_code == 404


def test_participant_downloads_their_own_data_from_the_account(client, demo_project, subject):
    user = UserFactory()
    subject.user = user
    subject.save(update_fields=["user"])
    client.force_login(user)
    page = client.get("/konto/").content.decode()
    assert 'href="/konto/moje-dane.pdf"' in page and 'href="/konto/moje-dane.json"' in page
    data = json.loads(client.get("/konto/moje-dane.json").content)
    assert data["person"][0]["pesel"] == subject.pesel
    english = client.get("/en/account/my-data.pdf")
    assert english.status_code == 200 and english.content.startswith(b"%PDF")
    entries = AuditEntry.objects.filter(action="export", object_id=str(subject.pk), actor=user)
    assert entries.count() == 2
    assert client.get("/konto/moje-dane.xml").status_code == 404


def test_a_user_without_a_person_gets_nothing(client, demo_project):
    client.force_login(UserFactory())
    assert client.get("/konto/moje-dane.json").status_code == 404


def test_queries_do_not_grow_with_the_records(
    client, demo_project, subject, django_assert_max_num_queries
):
    client.force_login(member(demo_project, Role.COORDINATOR))
    with django_assert_max_num_queries(40):
        assert client.get(office_url(demo_project, subject, "json")).status_code == 200
