import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people.models import Participant
from lider.recruitment import services
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


def test_known_pesel_reuses_the_person_in_another_project(project, people_group):
    known = PersonFactory(first_name="Ewa")
    application = submit(project, people_group, pesel=known.pesel, first_name="Inna")
    assert application.person == known
    known.refresh_from_db()
    assert known.first_name == "Ewa"


def test_same_pesel_twice_in_a_project_is_refused(project, people_group):
    first = submit(project, people_group)
    with pytest.raises(ValidationError) as error:
        submit(project, people_group, pesel=first.person.pesel)
    assert error.value.messages == ["Ten kandydat już złożył zgłoszenie do tego projektu."]
    assert Application.objects.count() == 1


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
