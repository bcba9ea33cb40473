"""Rectification (art. 16): the office edits, a participant proposes, the office decides."""

import pytest
from django.core import mail
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people.models import Participant, Person
from lider.people.rectification_models import Correction
from tests.factories import PersonFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    project = ProjectFactory()
    user = UserFactory(username="uczestniczka")
    person = PersonFactory(user=user, phone="600100200", street="Polna", house_number="1")
    Participant.objects.create(project=project, person=person)
    return project, person, user


def edit_url(project, person):
    return reverse("people:edit", kwargs={"slug": project.slug, "pk": person.pk})


def form_data(person, **changes):
    data = {
        name: getattr(person, name) or ""
        for name in ["first_name", "last_name", "pesel", "street", "house_number",
                     "flat_number", "postal_code", "city", "phone", "email", "education",
                     "labour_status"]
    }  # fmt: skip
    data.update(gmina=person.gmina_id, note="Wniosek mailowy z 3.11.")
    data.update(changes)
    return data


def test_office_corrects_the_data_audited_old_to_new(client, case):
    project, person, _ = case
    office = member(project, Role.OFFICE)
    client.force_login(office)
    assert client.get(edit_url(project, person)).status_code == 200
    response = client.post(edit_url(project, person), form_data(person, last_name="Kowalska"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Kowalska"
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").latest("pk")
    assert entry.actor == office and entry.changes["last_name"][1] == "Kowalska"
    assert entry.note == "Wniosek mailowy z 3.11."


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"pesel": "12345678901"}, "pesel"),
        ({"pesel": "８００５１７１２３４５"}, "pesel"),  # fullwidth digits
        ({"postal_code": "4220"}, "postal_code"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"email": "nie-adres"}, "email"),
        ({"gmina": "999999999"}, "gmina"),
        ({"first_name": "a\x00b"}, "first_name"),
        ({"note": ""}, "note"),
    ],
)
def test_office_edit_refuses_bad_values_and_changes_nothing(client, case, changes, field):
    project, person, _ = case
    client.force_login(member(project, Role.OFFICE))
    before = Person.objects.filter(pk=person.pk).values().get()
    response = client.post(edit_url(project, person), form_data(person, **changes))
    assert response.status_code == 400
    errors = {**response.context["form"].errors, **response.context["note_form"].errors}
    assert field in errors
    assert Person.objects.filter(pk=person.pk).values().get() == before


def test_trainer_and_auditor_cannot_edit_and_another_projects_person_is_not_found(client, case):
    project, person, _ = case
    for role in (Role.TRAINER, Role.AUDITOR):
        client.force_login(member(project, role))
        assert client.post(edit_url(project, person), form_data(person)).status_code == 403
    other = ProjectFactory()
    client.force_login(member(other, Role.OFFICE))
    assert client.get(edit_url(other, person)).status_code == 404


def propose(client, **values):
    data = {"phone": "600100200", "street": "Polna", "comment": ""}
    data.update(values)
    return client.post(reverse("website:correction"), data)


def _account_values(person, **changes):
    values = {
        name: getattr(person, name) or ""
        for name in ["first_name", "last_name", "street", "house_number", "flat_number",
                     "postal_code", "city", "phone", "email"]
    }  # fmt: skip
    values.update(changes)
    return values


def test_participant_proposes_office_accepts_participant_sees_and_is_told(
    client, case, django_capture_on_commit_callbacks
):
    project, person, user = case
    client.force_login(user)
    data = _account_values(person, phone="601 222 333", street="Leśna", comment="Przeprowadzka")
    assert client.post(reverse("website:correction"), data).status_code == 302
    correction = Correction.objects.get(person=person)
    assert correction.is_pending and correction.proposed_by == user
    assert correction.changes == {
        "street": ["Polna", "Leśna"],
        "phone": ["600100200", "601 222 333"],
    }
    person.refresh_from_db()
    assert person.street == "Polna"  # nothing applied yet
    account = client.get(reverse("website:account")).content.decode()
    assert "oczekuje na biuro" in account and "Leśna" in account

    office = member(project, Role.OFFICE)
    client.force_login(office)
    page = client.get(reverse("people:detail", kwargs={"slug": project.slug, "pk": person.pk}))
    assert "zaproponowano sprostowanie" in page.content.decode()
    listing = client.get(reverse("people:corrections", kwargs={"slug": project.slug}))
    assert person.full_name in listing.content.decode()
    accept = reverse(
        "people:correction_accept",
        kwargs={"slug": project.slug, "pk": person.pk, "correction": correction.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(accept).status_code == 302
    person.refresh_from_db()
    assert (person.street, person.phone) == ("Leśna", "601 222 333")
    entry = AuditEntry.objects.filter(object_id=str(person.pk), changes__has_key="street").get()
    assert entry.actor == office and entry.changes["street"] == ["Polna", "Leśna"]
    correction.refresh_from_db()
    assert correction.status == "accepted" and correction.decided_by == office
    assert len(mail.outbox) == 1 and person.email in mail.outbox[0].to
    assert "Leśna" in mail.outbox[0].body
    assert client.post(accept).status_code == 302  # twice: refused with a message, no 500
    client.force_login(user)
    assert "przyjęte" in client.get(reverse("website:account")).content.decode()


def test_office_rejects_with_a_reason_the_participant_reads(
    client, case, django_capture_on_commit_callbacks
):
    project, person, user = case
    client.force_login(user)
    client.post(reverse("website:correction"), _account_values(person, city="Kraków"))
    correction = Correction.objects.get()
    office = member(project, Role.OFFICE)
    client.force_login(office)
    reject = reverse(
        "people:correction_reject",
        kwargs={"slug": project.slug, "pk": person.pk, "correction": correction.pk},
    )
    client.post(reject, {"reason": ""})
    assert Correction.objects.get().is_pending  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reject, {"reason": "Adres zameldowania potwierdza Częstochowę."})
    correction.refresh_from_db()
    assert correction.status == "rejected"
    person.refresh_from_db()
    assert person.city == "Częstochowa"
    assert "Adres zameldowania" in mail.outbox[0].body
    client.force_login(user)
    account = client.get(reverse("website:account")).content.decode()
    assert "odrzucone" in account and "Adres zameldowania potwierdza" in account


@pytest.mark.parametrize(
    "changes",
    [
        {"postal_code": "4-2200x"},
        {"email": "zly"},
        {"first_name": ""},
        {"last_name": "x" * 101},
        {"phone": "a\x00b"},
        {"comment": "k" * 2001},
        {},  # nothing differs
    ],
)
def test_hostile_or_empty_proposals_are_refused_without_a_500(client, case, changes):
    project, person, user = case
    client.force_login(user)
    response = client.post(reverse("website:correction"), _account_values(person, **changes))
    assert response.status_code == 400
    assert not Correction.objects.exists()


def test_a_proposal_only_ever_touches_the_participants_own_person(client, case):
    project, person, user = case
    other = PersonFactory()
    Participant.objects.create(project=project, person=other)
    client.force_login(user)
    data = {**_account_values(person, phone="699000111"), "person": other.pk, "pk": other.pk}
    client.post(reverse("website:correction"), data)
    assert list(Correction.objects.values_list("person_id", flat=True)) == [person.pk]
    # A second while the first waits is refused; someone without a person gets a 404.
    assert (
        client.post(reverse("website:correction"), _account_values(person, phone="1")).status_code
        == 400
    )
    client.force_login(UserFactory())
    assert client.post(reverse("website:correction"), _account_values(person)).status_code == 404
    # The office of another project cannot decide it.
    correction = Correction.objects.get()
    stranger = ProjectFactory()
    client.force_login(member(stranger, Role.OFFICE))
    url = reverse(
        "people:correction_accept",
        kwargs={"slug": stranger.slug, "pk": person.pk, "correction": correction.pk},
    )
    assert client.post(url).status_code == 404
    assert Correction.objects.get().is_pending


def test_the_persons_copy_of_their_data_lists_their_proposals(client, case):
    project, person, user = case
    client.force_login(user)
    client.post(reverse("website:correction"), _account_values(person, city="Kraków"))
    data = client.get(reverse("website:my_data", kwargs={"fmt": "json"})).json()
    [proposal] = data["corrections"]
    assert proposal["changes"] == {"city": ["Częstochowa", "Kraków"]}
    assert client.get(reverse("website:my_data", kwargs={"fmt": "pdf"})).status_code == 200


def _decided_mail(person, django_capture_on_commit_callbacks, *, accept=True):
    from lider.people import rectification

    correction = rectification.propose(person, {"street": "Leśna"}, actor=person.user)
    with django_capture_on_commit_callbacks(execute=True):
        if accept:
            rectification.accept(correction, actor=UserFactory())
        else:
            rectification.reject(correction, actor=UserFactory(), reason="Brak dokumentu.")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    return mail.outbox[0]


def test_the_outcome_mail_goes_in_the_language_the_person_applied_in(
    case, django_capture_on_commit_callbacks
):
    from tests.factories import ApplicationFactory

    project, person, user = case
    ApplicationFactory(project=project, person=person, language="en")
    message = _decided_mail(person, django_capture_on_commit_callbacks)
    assert message.subject == "Your proposed correction of your data"
    assert "The office has accepted the correction of your data" in message.body
    assert "- Street: Leśna" in message.body
    assert "/en/account/" in message.body


def test_the_outcome_mail_of_a_polish_applicant_is_polish(case, django_capture_on_commit_callbacks):
    from tests.factories import ApplicationFactory

    project, person, user = case
    ApplicationFactory(project=project, person=person, language="pl")
    message = _decided_mail(person, django_capture_on_commit_callbacks, accept=False)
    assert message.subject == "Twoje sprostowanie danych"
    assert "Biuro nie przyjęło" in message.body and "Brak dokumentu." in message.body
    assert "/en/" not in message.body and "/konto/" in message.body


def test_the_outcome_mail_follows_the_account_invitation_else_polish(
    case, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from lider.projects.models import Invitation

    project, person, user = case
    message = _decided_mail(person, django_capture_on_commit_callbacks)  # nothing known
    assert message.subject == "Twoje sprostowanie danych" and "/en/" not in message.body
    mail.outbox.clear()
    Invitation.objects.create(
        project=project, email=person.email, first_name="A", last_name="B",
        role=Role.PARTICIPANT, language="en", nonce="x", sent_at=timezone.now(),
        accepted_at=timezone.now(), user=user,
    )  # fmt: skip
    Person.objects.filter(pk=person.pk).update(street="Polna")
    message = _decided_mail(person, django_capture_on_commit_callbacks)
    assert message.subject == "Your proposed correction of your data"


@pytest.mark.parametrize("language", ["", "EN", "en-gb", " en", "xx", "<b>en", "../en", "de"])
def test_an_odd_language_falls_back_to_polish(case, django_capture_on_commit_callbacks, language):
    from tests.factories import ApplicationFactory

    project, person, user = case
    ApplicationFactory(project=project, person=person, language=language)
    message = _decided_mail(person, django_capture_on_commit_callbacks)
    assert message.subject == "Twoje sprostowanie danych"
    assert "Biuro przyjęło" in message.body and "/en/" not in message.body
