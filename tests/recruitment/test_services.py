import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people import services as people
from lider.people.models import Participant, Person, Restriction
from lider.recruitment import identity, services
from lider.recruitment.models import Application, Consent
from lider.territory.queries import unit_by_code
from tests.factories import ApplicationFactory, PersonFactory, member, valid_pesel

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2009, 12, 10, 10, 0, tzinfo=datetime.UTC)


def submit(project, group, **person):
    return services.submit_application(
        project,
        person=PersonFactory.build(**person),
        target_group=group,
        consent_texts=services.required_consent_texts(project),
        submitted_at=AT,
        source="online",
    )


def test_submit_records_consents_check_and_email(
    project, people_group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(project, people_group, email="anna@example.pl", disability="no")
    assert application.status == "submitted"
    assert application.is_eligible is True
    assert application.score == 18  # unemployed 10 + woman 5 + rural 3
    assert sorted(
        Consent.objects.values_list("purpose", "text__version", "given_at", "source")
    ) == [
        ("monitoring", "2009-11", AT, "online"),
        ("processing", "2009-11", AT, "online"),
        ("report_after_exit", "2009-11", AT, "online"),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.pl"]
    assert mail.outbox[0].subject == f"Twoje zgłoszenie do projektu {project.title}"
    assert "Otrzymaliśmy Twoje zgłoszenie" in mail.outbox[0].body
    assert AuditEntry.objects.for_object(application).filter(action="create").count() == 1
    assert AuditEntry.objects.for_object(application.person).filter(action="create").count() == 1


def test_confirmation_email_in_the_applicants_language(
    project, people_group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(
            project,
            person=PersonFactory.build(),
            target_group=people_group,
            consent_texts=services.required_consent_texts(project),
            language="en",
        )
    assert mail.outbox[0].subject == f"Your application to the project {project.title}"


def test_known_pesel_keeps_its_own_record_and_waits_for_the_office(project, people_group):
    known = PersonFactory(first_name="Ewa", email="ewa@example.pl")
    application = submit(project, people_group, pesel=known.pesel, first_name="Inna")
    assert application.person != known
    assert (application.person.first_name, application.person.pesel) == ("Inna", known.pesel)
    assert (application.identity, application.pesel) == ("to_check", known.pesel)
    known.refresh_from_db()
    assert (known.first_name, known.email) == ("Ewa", "ewa@example.pl")


def test_unknown_pesel_is_a_new_record(project, people_group):
    application = submit(project, people_group, email="anna@example.pl")
    assert (application.identity, application.email) == ("new", "anna@example.pl")
    assert application.pesel == application.person.pesel


def test_same_pesel_twice_in_a_project_is_recorded_for_the_office(project, people_group):
    first = submit(project, people_group)
    second = submit(project, people_group, pesel=first.person.pesel, email="inny@example.pl")
    assert (first.identity, second.identity) == ("new", "to_check")
    assert [a.pk for a in identity.same_identifier_in_project(second)] == [first.pk]
    with pytest.raises(ValidationError) as error:
        identity.link_applicant(second, actor=None, to=first.person)
    assert error.value.code == "duplicate"
    with pytest.raises(ValidationError) as error:
        identity.keep_separate(second, actor=None)
    assert error.value.code == "duplicate"
    second.refresh_from_db()
    assert second.identity == "to_check"


def test_a_pesel_applies_once_per_project_in_the_database(project, people_group):
    first = submit(project, people_group)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(project=project, person=PersonFactory(pesel=first.pesel))


def test_an_application_to_check_cannot_be_accepted_or_offered(project, people_group):
    known = PersonFactory()
    application = submit(project, people_group, pesel=known.pesel)
    with pytest.raises(ValidationError) as error:
        services.decide(application, actor=None, decision="accepted")
    assert error.value.code == "identity"
    services.decide(application, actor=None, decision="reserve")
    assert services.offer_place(project, actor=None) is None
    assert not Participant.objects.exists()


def test_office_links_an_applicant_taking_only_chosen_values(project, people_group):
    office = member(project, Role.OFFICE)
    known = PersonFactory(first_name="Ewa", street="Stara", phone="111", email="ewa@example.pl")
    application = submit(
        project, people_group, pesel=known.pesel, street="Nowa", phone="222", email="e@x.pl"
    )
    own = application.person

    identity.link_applicant(application, actor=office, to=known, take=("street", "pesel"))

    application.refresh_from_db()
    known.refresh_from_db()
    assert (application.person, application.identity) == (known, "linked")
    assert (known.street, known.phone, known.email) == ("Nowa", "111", "ewa@example.pl")
    assert application.email == "e@x.pl"  # messages still go where the application came from
    assert not Person.objects.filter(pk=own.pk).exists()
    entry = AuditEntry.objects.for_object(application).get(action="update")
    assert entry.actor == office and entry.project_id == project.pk
    assert entry.changes["identity"] == ["to_check", "linked"]
    assert AuditEntry.objects.for_object(known).get(action="update").changes == {
        "street": ["Stara", "Nowa"]
    }
    assert AuditEntry.objects.for_object(own).filter(action="delete", actor=office).exists()
    with pytest.raises(ValidationError):
        identity.keep_separate(application, actor=office)  # decided once
    services.decide(application, actor=office, decision="accepted")
    assert Participant.objects.get().person == known


def test_office_keeps_an_applicant_separate(project, people_group):
    office = member(project, Role.OFFICE)
    known = PersonFactory(first_name="Ewa")
    application = submit(project, people_group, pesel=known.pesel, first_name="Inna")
    identity.keep_separate(application, actor=office)
    application.refresh_from_db()
    assert application.identity == "separate" and application.person.first_name == "Inna"
    assert AuditEntry.objects.for_object(application).get(action="update").actor == office
    services.decide(application, actor=office, decision="accepted")
    assert Participant.objects.get().person == application.person


def test_accepting_creates_the_participant_and_audits_who(project, people_group):
    application = submit(project, people_group)
    coordinator = member(project, Role.COORDINATOR)
    services.decide(application, actor=coordinator, decision="accepted")
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.decided_by == coordinator
    assert application.participant == Participant.objects.get(
        project=project, person=application.person
    )
    entry = AuditEntry.objects.for_object(application).get(action="status")
    assert entry.actor == coordinator
    assert entry.changes == {"status": ["submitted", "accepted"]}
    assert entry.project_id == project.pk


def test_rejection_needs_a_reason(project, people_group):
    application = submit(project, people_group)
    with pytest.raises(ValidationError) as error:
        services.decide(application, actor=None, decision="rejected", reason=" ")
    assert error.value.messages == ["Podaj uzasadnienie odrzucenia."]
    services.decide(application, actor=None, decision="rejected", reason="Brak miejsc")
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "Brak miejsc")


def test_ineligible_cannot_be_accepted(project, people_group):
    application = submit(project, people_group, gmina=unit_by_code("2407011"))
    assert application.is_eligible is False
    with pytest.raises(ValidationError):
        services.decide(application, actor=None, decision="accepted")
    assert not Participant.objects.exists()


def test_withdrawal_offers_the_place_to_the_best_on_the_reserve_list(project, people_group):
    office = member(project, Role.OFFICE)
    accepted = submit(project, people_group)
    services.decide(accepted, actor=office, decision="accepted")
    low = submit(project, people_group, pesel=valid_pesel(401), labour_status="employed")
    high = submit(project, people_group, pesel=valid_pesel(402))
    for application in (low, high):
        services.decide(application, actor=office, decision="reserve")

    offered = services.withdraw(
        accepted, actor=office, reason="Rezygnacja", on=datetime.date(2010, 2, 1)
    )

    assert offered == high
    assert Application.objects.get(pk=high.pk).status == "offered"
    assert Application.objects.get(pk=low.pk).status == "reserve"
    participant = Participant.objects.get(project=project, person=accepted.person)
    assert (participant.end_date, participant.exit_reason) == (
        datetime.date(2010, 2, 1),
        "resignation",
    )
    services.confirm_offer(offered, actor=office)
    offered.refresh_from_db()
    assert offered.status == "accepted"
    assert offered.participant.person == high.person
    assert list(
        AuditEntry.objects.for_object(high)
        .filter(action="status")
        .order_by("pk")
        .values_list("changes", flat=True)
    ) == [
        {"status": ["submitted", "reserve"]},
        {"status": ["reserve", "offered"]},
        {"status": ["offered", "accepted"]},
    ]


def test_declined_offer_passes_the_place_on(project, people_group):
    first, second = (submit(project, people_group, pesel=valid_pesel(n)) for n in (410, 411))
    for application in (first, second):
        services.decide(application, actor=None, decision="reserve")
    offered = services.offer_place(project, actor=None)
    assert offered == first  # same points: the earlier application
    assert services.withdraw(offered, actor=None, reason="Nie podjęła") == second
    assert Application.objects.get(pk=second.pk).status == "offered"


def test_withdrawal_with_an_empty_reserve_list_offers_nothing(project, people_group):
    application = submit(project, people_group)
    services.decide(application, actor=None, decision="accepted")
    assert services.withdraw(application, actor=None) is None


def test_consent_withdrawal_keeps_the_record(project, people_group):
    application = submit(project, people_group)
    consent = application.consents.get(purpose="monitoring")
    office = member(project, Role.OFFICE)
    services.withdraw_consent(consent, actor=office, at=AT)
    consent.refresh_from_db()
    assert consent.withdrawn_at == AT and not consent.is_active
    assert consent.text.text == "Zgoda: monitoring"
    entry = AuditEntry.objects.for_object(consent).get(action="update")
    assert entry.actor == office and entry.project_id == project.pk
    with pytest.raises(ValidationError):
        services.withdraw_consent(consent, actor=office)


def test_recheck_after_a_rule_changes(project, people_group):
    application = ApplicationFactory(project=project, target_group=people_group)
    services.recheck_project(project, actor=None)
    application.refresh_from_db()
    assert application.is_eligible is True
    project.eligibility_rules.filter(kind="min_age").update(min_age=40)
    assert services.recheck_project(project, actor=None) == 1
    application.refresh_from_db()
    assert application.is_eligible is False


invitation_subjects = {
    "pl": "Zaproszenie do projektu „{t}” w systemie Lider",
    "en": "Invitation to the project “{t}” in Lider",
}


@pytest.mark.parametrize(
    "language, subjects, phrases",
    [
        (
            "pl",
            ["Twoje zgłoszenie do projektu {t}: lista rezerwowa",
             "Twoje zgłoszenie do projektu {t} nie zostało przyjęte",
             "Twoje zgłoszenie do projektu {t} zostało przyjęte"],
            ["Twoje miejsce na liście rezerwowej: 2.", "Uzasadnienie: Brak miejsc",
             "jesteś uczestnikiem lub uczestniczką projektu"],
        ),
        (
            "en",
            ["Your application to the project {t}: the reserve list",
             "Your application to the project {t} has not been accepted",
             "Your application to the project {t} has been accepted"],
            ["Your place on the reserve list: 2.", "Reason: Brak miejsc",
             "you are a participant of the project"],
        ),
    ],
)  # fmt: skip
def test_each_decision_is_emailed_in_the_language_of_the_application(
    project, people_group, django_capture_on_commit_callbacks, language, subjects, phrases
):
    coordinator = member(project, Role.COORDINATOR)
    ahead = submit(project, people_group, pesel=valid_pesel(420))
    services.decide(ahead, actor=coordinator, decision="reserve")  # more points: first
    applicant = services.submit_application(
        project,
        person=PersonFactory.build(email="ola@example.pl", labour_status="employed"),
        target_group=people_group,
        consent_texts=[],
        language=language,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(applicant, actor=coordinator, decision="reserve")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(applicant, actor=coordinator, decision="rejected", reason="Brak miejsc")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(applicant, actor=coordinator, decision="accepted")
    # The acceptance is followed by the invitation to the participant's own account.
    *decisions, invitation = mail.outbox
    assert [m.to for m in mail.outbox] == [["ola@example.pl"]] * 4
    assert [m.subject for m in decisions] == [s.format(t=project.title) for s in subjects]
    assert invitation.subject == invitation_subjects[language].format(t=project.title)
    for message, phrase in zip(decisions, phrases, strict=True):
        assert phrase in message.body


def test_the_offer_is_emailed_in_the_language_of_the_application(
    project, people_group, django_capture_on_commit_callbacks
):
    applicant = services.submit_application(
        project,
        person=PersonFactory.build(email="ola@example.pl"),
        target_group=people_group,
        consent_texts=[],
        language="en",
    )
    services.decide(applicant, actor=None, decision="reserve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_place(project, actor=None)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ola@example.pl"], f"A place for you in the project {project.title}")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_offer(applicant, actor=None)
    assert [m.subject for m in mail.outbox[1:]] == [
        f"Your application to the project {project.title} has been accepted",
        f"Invitation to the project “{project.title}” in Lider",  # to their own account
    ]


def test_the_confirmation_lists_consents_only_when_some_were_given(
    project, people_group, django_capture_on_commit_callbacks
):
    """A project set up in the forms may ask for no consent (its basis is the law): the
    e-mail then says nothing of consents instead of an empty list."""
    with django_capture_on_commit_callbacks(execute=True):
        submit(project, people_group, email="anna@example.pl")
        services.submit_application(
            project,
            person=PersonFactory.build(email="ola@example.pl"),
            target_group=people_group,
            consent_texts=[],
        )
    given, none = mail.outbox
    assert "Wyrażone zgody" in given.body and "- " in given.body
    assert "Wyrażone zgody" not in none.body and "zgod" not in none.body
    assert "Poinformujemy Cię o decyzji." in none.body


def test_a_known_document_number_waits_for_the_office_like_a_pesel(project, people_group):
    office = member(project, Role.OFFICE)
    known = PersonFactory(
        first_name="Olena", pesel="", other_document_type="paszport", other_document_number="FA123"
    )
    document = {"pesel": "", "other_document_type": "paszport", "first_name": "Inna"}
    application = submit(project, people_group, other_document_number="fa 123", **document)
    assert application.person != known and application.identity == "to_check"
    assert identity.identity_candidates(application) == [known]
    unrelated = PersonFactory(pesel="", other_document_type="paszport", other_document_number="X9")
    with pytest.raises(ValidationError) as error:
        identity.link_applicant(application, actor=office, to=unrelated)
    assert error.value.code == "identifier"
    second = submit(project, people_group, other_document_number="FA123", **document)
    assert [a.pk for a in identity.same_identifier_in_project(second)] == [application.pk]
    identity.link_applicant(application, actor=office, to=known)
    application.refresh_from_db()
    assert (application.person, application.identity) == (known, "linked")
    known.refresh_from_db()
    assert known.first_name == "Olena"


def test_a_new_document_number_is_a_new_record(project, people_group):
    PersonFactory(pesel="", other_document_type="paszport", other_document_number="FA123")
    application = submit(
        project, people_group, pesel="", other_document_type="paszport", other_document_number="FB1"
    )
    assert application.identity == "new" and identity.identity_candidates(application) == []


def test_withdrawing_the_processing_consent_ends_participation_and_restricts(project, people_group):
    application = submit(project, people_group)
    office = member(project, Role.OFFICE)
    services.decide(application, actor=office, decision="accepted")
    application.refresh_from_db()
    consent = application.consents.get(purpose="processing")
    services.withdraw_consent(consent, actor=office, at=AT)
    participant = Participant.objects.get()
    assert (participant.end_date, participant.exit_reason) == (AT.date(), "resignation")
    person = application.person
    assert person.restriction.kind == "restriction" and person.restriction.set_by == office
    entries = AuditEntry.objects.for_object(person).filter(actor=office)
    assert entries.filter(changes__restriction=[None, "restriction"]).exists()
    assert AuditEntry.objects.for_object(participant).filter(actor=office).exists()
    people.stop_processing(person, project_id=project.pk, actor=office, on=AT.date(), note="")
    assert Restriction.objects.filter(person=person).count() == 1  # nothing done twice
    assert AuditEntry.objects.for_object(participant).filter(action="update").count() == 1


def test_withdrawing_another_consent_leaves_the_person_as_is(project, people_group):
    application = submit(project, people_group)
    services.withdraw_consent(application.consents.get(purpose="monitoring"), actor=None)
    assert not Restriction.objects.exists()
