"""The situation when leaving the project and four weeks after: entered by the office or by the
participant (in /konto/ or through the signed e-mailed link), whom to ask, the reminders."""

import datetime
import io
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people import situations
from lider.people.models import Participant, Restriction
from tests.delivery.factories import DeliveryParticipantFactory
from tests.factories import ProjectFactory, UserFactory, member
from tests.projects.test_states import login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ended(project, *, days_ago=40, email="uczestnik@example.org", **fields):
    end = TODAY - datetime.timedelta(days=days_ago)
    participant = DeliveryParticipantFactory(
        project=project, start_date=end - datetime.timedelta(days=30), end_date=end, **fields
    )
    participant.person.email = email
    participant.person.save(update_fields=["email"])
    return participant


def test_office_records_both_situations_on_the_person_page(client):
    project = ProjectFactory()
    participant = _ended(project)
    office = login(client, member(project, Role.OFFICE))
    url = reverse("people:situations", kwargs={"slug": project.slug, "pk": participant.person_id})
    response = client.post(url, {"exit_situation": "employed", "later_situation": "education"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.exit_situation, participant.exit_situation_source) == (
        "employed",
        "office",
    )
    assert (participant.later_situation, participant.later_situation_source) == (
        "education",
        "office",
    )
    assert participant.later_answered_at is not None
    entry = AuditEntry.objects.get(object_id=str(participant.pk), actor=office)
    assert entry.changes["exit_situation"] == ["", "employed"]
    assert entry.changes["later_situation"] == ["", "education"]
    page = client.get(
        reverse("people:detail", kwargs={"slug": project.slug, "pk": participant.person_id})
    ).content.decode()
    assert "pracuje (w tym prowadzi działalność na własny rachunek)" in page
    assert "(wpisane przez biuro)" in page
    # A value outside the list is refused, nothing changes.
    response = client.post(url, {"exit_situation": "rich"})
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.exit_situation == "employed"


def test_four_weeks_after_cannot_be_recorded_early_nor_before_the_end():
    project = ProjectFactory()
    recent = _ended(project, days_ago=10)
    with pytest.raises(situations.ValidationError) as error:
        situations.record_situations(
            recent, later_situation="employed", source="office", actor=None
        )
    assert error.value.code == "too_early"
    ongoing = DeliveryParticipantFactory(project=project, start_date=TODAY)
    with pytest.raises(situations.ValidationError) as error:
        situations.record_situations(
            ongoing, exit_situation="employed", source="office", actor=None
        )
    assert error.value.code == "not_ended"


def test_whom_to_ask_lists_those_due_without_an_answer(client, django_assert_num_queries):
    project = ProjectFactory()
    due = _ended(project, days_ago=29)
    _ended(project, days_ago=27)  # four weeks not passed yet
    answered = _ended(project, days_ago=60)
    situations.record_situations(answered, later_situation="employed", source="office", actor=None)
    assert list(situations.later_due(project, TODAY)) == [due]
    login(client, member(project, Role.OFFICE))
    url = reverse("people:later_due", kwargs={"slug": project.slug})
    page = client.get(url).content.decode()
    assert due.person.last_name in page
    assert answered.person.last_name not in page
    due_on = due.end_date + datetime.timedelta(weeks=4)
    assert f"{due_on:%d.%m.%Y}" in page
    client.get(url)
    with django_assert_num_queries(7) as one:
        client.get(url)
    _ended(project, days_ago=50)
    _ended(project, days_ago=70, email="")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "brak adresu e-mail" in page


def test_reminders_are_sent_once_with_a_link_that_answers_for_its_own_person(client):
    project = ProjectFactory()
    asked = _ended(project, email="anna@example.org")
    other = _ended(project, email="jan@example.org")
    _ended(project, email="")  # nobody to write to
    restricted = _ended(project, email="ola@example.org")
    Restriction.objects.create(
        person=restricted.person, kind="restriction", reason="x", since=timezone.now(),
        set_by=UserFactory(),
    )  # fmt: skip
    out = io.StringIO()
    call_command("send_later_reminders", "--dry-run", stdout=out)
    assert "2" in out.getvalue() and not mail.outbox
    call_command("send_later_reminders", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "jan@example.org"]
    call_command("send_later_reminders", stdout=out)  # run again: nothing new
    assert len(mail.outbox) == 2
    asked.refresh_from_db()
    assert asked.later_reminder_sent_at is not None
    message = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert project.title in message.subject
    link = next(line for line in message.body.splitlines() if "/sytuacja-po-udziale/" in line)
    path = link[link.index("/sytuacja-po-udziale/") :]

    page = client.get(path)
    assert page.status_code == 200
    assert "Twoja sytuacja po projekcie" in page.content.decode()
    # Whatever is posted, the answer is the link's own person's.
    response = client.post(path, {"situation": "employed", "participant": other.pk})
    assert response.status_code == 200
    assert "Dziękujemy" in response.content.decode()
    asked.refresh_from_db()
    other.refresh_from_db()
    assert (asked.later_situation, asked.later_situation_source) == ("employed", "participant")
    assert other.later_situation == ""
    entry = AuditEntry.objects.filter(object_id=str(asked.pk), actor=None).latest("pk")
    assert entry.changes["later_situation"] == ["", "employed"]
    # Answered: the link says so and changes nothing.
    response = client.post(path, {"situation": "job_searching"})
    asked.refresh_from_db()
    assert asked.later_situation == "employed"
    # Answered people drop off the list of whom to ask.
    assert asked not in situations.later_due(project, TODAY)


def test_tampered_or_expired_links_get_a_polish_page(client):
    project = ProjectFactory()
    participant = _ended(project)
    token = situations.token_for(participant)
    other_pk = token.replace(f"{participant.pk}:", f"{participant.pk + 1}:", 1)

    class Old(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)

    expired = Old(salt=situations.SALT).sign(str(participant.pk))
    for bad, words in (
        (other_pk, "Ten link jest nieprawidłowy."),
        (token[:-3] + "abc", "Ten link jest nieprawidłowy."),
        ("x" * 500, "Ten link jest nieprawidłowy."),
        (expired, "Ten link wygasł."),
    ):
        url = reverse("people_public:later", args=[bad])
        for method in (client.get, client.post):
            response = method(url, {"situation": "employed"})
            assert response.status_code == 410
            assert words in response.content.decode()
    participant.refresh_from_db()
    assert participant.later_situation == ""
    # A link for a participant whose path has not ended (nothing to ask yet) is no link.
    ongoing = DeliveryParticipantFactory(project=project)
    url = reverse("people_public:later", args=[situations.token_for(ongoing)])
    assert client.get(url).status_code == 410
    # A value outside the list: the form says so (400), nothing is recorded.
    url = reverse("people_public:later", args=[token])
    response = client.post(url, {"situation": "<script>"})
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.later_situation == ""


def test_participant_answers_in_their_account(client):
    project = ProjectFactory()
    participant = _ended(project)
    user = UserFactory()
    participant.person.user = user
    participant.person.save(update_fields=["user"])
    someone_else = _ended(project)
    client.force_login(user)
    page = client.get(reverse("website:account")).content.decode()
    assert "Moja sytuacja po projekcie" in page
    url = reverse("website:situations", kwargs={"pk": participant.pk})
    response = client.post(url, {"exit_situation": "qualification", "later_situation": "employed"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.exit_situation, participant.exit_situation_source) == (
        "qualification",
        "participant",
    )
    assert participant.later_situation == "employed"
    assert AuditEntry.objects.filter(object_id=str(participant.pk), actor=user).exists()
    # Another person's participation is not theirs to answer.
    url = reverse("website:situations", kwargs={"pk": someone_else.pk})
    assert client.post(url, {"exit_situation": "employed"}).status_code == 404
    assert Participant.objects.get(pk=someone_else.pk).exit_situation == ""


def test_demo_situations_are_labelled_illustrative(client, demo_project):
    ended = Participant.objects.filter(
        project=demo_project, person__isnull=False, end_date__isnull=False
    )
    assert ended.count() == 100
    assert set(ended.values_list("exit_situation_source", flat=True)) == {"illustrative"}
    assert ended.filter(later_situation="").count() == 20  # the demo's "whom to ask" list
    participant = ended.first()
    login(client, member(demo_project, Role.OFFICE))
    page = client.get(
        reverse("people:detail", kwargs={"slug": demo_project.slug, "pk": participant.person_id})
    ).content.decode()
    assert "wartość przykładowa demo, nie rzeczywisty zapis" in page
    # Loading the demo again changes nothing.
    call_command("demo", stdout=io.StringIO())
    assert ended.filter(later_situation="").count() == 20


def test_record_from_form_records_or_leaves_the_errors_on_the_form():
    from lider.people.forms import SituationsForm

    project = ProjectFactory()
    participant = _ended(project, days_ago=10)
    # The rule's refusal (four weeks not passed) becomes the form's error; nothing saved.
    form = SituationsForm({"exit_situation": "employed", "later_situation": "education"})
    assert not situations.record_from_form(participant, form, source="office", actor=None)
    assert form.has_error("__all__", "too_early")
    participant.refresh_from_db()
    assert participant.exit_situation == ""
    # A value outside the list: the form's own error.
    form = SituationsForm({"exit_situation": "x" * 5000})
    assert not situations.record_from_form(participant, form, source="office", actor=None)
    assert "exit_situation" in form.errors
    form = SituationsForm({"exit_situation": "employed"}, later=False)
    assert situations.record_from_form(participant, form, source="participant", actor=None)
    participant.refresh_from_db()
    assert (participant.exit_situation, participant.exit_situation_source) == (
        "employed",
        "participant",
    )


def test_an_archived_project_takes_no_answers_and_sends_no_reminders(client):
    from lider.projects.models import ProjectState

    project = ProjectFactory()
    participant = _ended(project)
    url = reverse("people_public:later", args=[situations.token_for(participant)])
    project.state = ProjectState.ARCHIVED
    project.save(update_fields=["state"])

    assert list(situations.reminders_due(TODAY)) == []
    response = client.post(url, {"situation": "employed"})
    assert response.status_code == 410
    assert "Ten projekt jest zarchiwizowany" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        situations.answer_by_link(participant, situation="employed")
    assert refused.value.code == "archived"
    participant.refresh_from_db()
    assert participant.later_situation == ""
    assert not AuditEntry.objects.filter(object_id=str(participant.pk), action="update").exists()


def test_reminders_go_in_the_participants_language_polish_by_default():
    from tests.factories import ApplicationFactory

    project = ProjectFactory()
    english = _ended(project, email="anna@example.org")
    ApplicationFactory(project=project, person=english.person, participant=english, language="en")
    _ended(project, email="jan@example.org")  # no application: the default language
    situations.send_later_reminders(TODAY)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["anna@example.org"].subject.startswith("Your situation four weeks after")
    assert "/en/sytuacja-po-udziale/" in by_address["anna@example.org"].body
    assert by_address["jan@example.org"].subject.startswith("Twoja sytuacja")
    assert "/en/" not in by_address["jan@example.org"].body


def test_reminder_language_falls_back_to_the_accepted_invitation_of_the_account():
    from lider.people import recipients
    from lider.projects.models import Invitation

    project = ProjectFactory()
    participant = _ended(project, email="anna@example.org")
    user = UserFactory()
    participant.person.user = user
    participant.person.save(update_fields=["user"])
    assert recipients.language_for(participant) == "pl"
    Invitation.objects.create(
        project=project, email="anna@example.org", first_name="A", last_name="B",
        role=Role.PARTICIPANT, language="en", nonce="x", sent_at=timezone.now(),
        accepted_at=timezone.now(), user=user,
    )  # fmt: skip
    assert recipients.language_for(participant) == "en"
