import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people.models import Institution, Person
from lider.projects.models import TargetGroup
from lider.recruitment.models import Application, Consent
from lider.territory.queries import unit_by_code
from tests.factories import PersonFactory, ProjectFactory, member, valid_pesel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()


def url(project, kind=""):
    return f"/projekty/{project.slug}/zgloszenie/{kind}"


def person_data(project, **changes):
    data = {
        "s-first_name": "Anna",
        "s-last_name": "Kowalczyk",
        "s-pesel": "90010112349",
        "s-street": "Polna",
        "s-house_number": "5",
        "s-postal_code": "42-270",
        "s-city": "Kłomnice",
        "s-gmina": str(unit_by_code("2404052").pk),
        "s-email": "anna@example.pl",
        "s-education": "isced3",
        "s-labour_status": "unemployed_registered",
        "s-disability": "refused",
        "a-target_group": str(project.target_groups.get(order=1).pk),
        "a-consent_processing": "on",
        "a-consent_monitoring": "on",
        "a-consent_report_after_exit": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def institution_data(project, **changes):
    data = {
        "s-name": "Stowarzyszenie Jurajskie",
        "s-legal_form": "association",
        "s-kind": "ngo",
        "s-nip": "7680002466",
        "s-regon": "15125904000000",
        "s-krs": "KRS 123456",
        "s-postal_code": "42-300",
        "s-city": "Myszków",
        "s-gmina": str(unit_by_code("2409011").pk),
        "s-email": "biuro@jura.example.pl",
        "a-target_group": str(project.target_groups.get(order=1).pk),
        "a-consent_processing": "on",
        "a-consent_monitoring": "on",
        "a-consent_report_after_exit": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response):
    return re.findall(
        r'<small class="error" id="([^"]+)">([^<]+)</small>', response.content.decode()
    )


def test_form_is_polish_accessible_and_works_without_javascript(client, project):
    response = client.get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Formularz zgłoszeniowy" in body
    assert '<optgroup label="powiat częstochowski (ziemski)">' in body
    assert '<optgroup label="powiat myszkowski (ziemski)">' in body
    assert "Lubliniec" not in body  # outside the project's counties
    assert "Koziegłowy (obszar wiejski gminy miejsko-wiejskiej)" in body
    assert 'for="id_s-pesel"' in body
    assert "style=" not in body and "<script>" not in body
    assert "Zgoda: processing" in body


def test_english_form_at_english_address(client, project):
    response = client.get(f"/en/projects/{project.slug}/application/")
    assert response.status_code == 200
    assert "Application form" in response.content.decode()


def test_person_applies_is_checked_and_a_coordinator_accepts(
    client, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(project), person_data(project))
    assert response.status_code == 302
    assert response.url == f"/projekty/{project.slug}/zgloszenie/wyslane/"

    application = Application.objects.get()
    assert application.person.pesel == "90010112349"
    assert application.person.birth_date == datetime.date(1990, 1, 1)
    assert application.person.sex == "K"
    assert application.is_eligible is True
    assert application.language == "pl"
    assert Consent.objects.filter(application=application, source="online").count() == 3
    assert mail.outbox[0].to == ["anna@example.pl"]
    assert "Otrzymaliśmy Twoje zgłoszenie" in mail.outbox[0].body

    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    listing = client.get(f"/biuro/projekty/{project.slug}/rekrutacja/").content.decode()
    assert "Anna Kowalczyk" in listing
    assert "900101*****" in listing and "90010112349" not in listing
    assert "spełnia kryteria" in listing

    detail = f"/biuro/projekty/{project.slug}/rekrutacja/{application.pk}/"
    body = client.get(detail).content.decode()
    assert "Gmina Kłomnice, powiat częstochowski (ziemski), leży na obszarze projektu." in body
    response = client.post(detail + "decyzja/", {"decision": "accepted"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.participant is not None
    entry = AuditEntry.objects.for_object(application).get(action="status")
    assert entry.actor == coordinator
    assert coordinator.username in client.get(detail).content.decode()


def test_english_applicant_gets_english_mail(client, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/projects/{project.slug}/application/", person_data(project))
    assert Application.objects.get().language == "en"
    assert mail.outbox[0].subject.startswith("Your application to the project")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"s-pesel": "90010112348"}, "s-pesel", "Ten PESEL ma błędną cyfrę kontrolną"),
        ({"s-pesel": "9001011234"}, "s-pesel", "PESEL ma 11 cyfr."),
        (
            {"s-postal_code": "42270x"},
            "s-postal_code",
            "Kod pocztowy zapisuje się w postaci 00-000.",
        ),
        (
            {"s-gmina": lambda: str(unit_by_code("2407011").pk)},
            "s-gmina",
            "Wybrana gmina leży poza obszarem projektu: wybierz gminę z listy.",
        ),
        (
            {"s-pesel": valid_pesel(7, born=datetime.date(2015, 3, 1))},
            "s-pesel",
            "poniżej wymaganego minimum 18.",
        ),
        (
            {"s-pesel": "", "s-other_document_type": ""},
            "s-pesel",
            "Podaj PESEL albo rodzaj i numer",
        ),
        ({"a-consent_monitoring": None}, "a-consent_monitoring", "Ta zgoda jest warunkiem udziału"),
    ],
)
def test_bad_person_data_gets_a_precise_polish_message(client, project, changes, field, message):
    changes = {k: (v() if callable(v) else v) for k, v in changes.items()}
    response = client.post(url(project), person_data(project, **changes))
    assert response.status_code == 200
    errors = errors_of(response)
    assert any(id_ == f"id_{field}_error" and message in text for id_, text in errors), errors
    described = re.findall(r'aria-describedby="([^"]+)"', response.content.decode())
    assert any(f"id_{field}_error" in ids.split() for ids in described)
    assert not Application.objects.exists()
    assert not Person.objects.exists()


def test_duplicate_pesel_gets_the_same_answer_and_the_office_sees_it(client, project):
    first = client.post(url(project), person_data(project), follow=True)
    second = client.post(
        url(project), person_data(project, **{"s-email": "inny@example.pl"}), follow=True
    )
    unknown = client.post(
        url(project), person_data(project, **{"s-pesel": valid_pesel(300)}), follow=True
    )
    assert first.redirect_chain == second.redirect_chain == unknown.redirect_chain

    def without_tokens(response):  # CSRF tokens are masked anew on every page
        return re.sub(r'(csrf-token" content|csrfmiddlewaretoken" value)="\w+"', "", response.text)

    assert without_tokens(first) == without_tokens(second) == without_tokens(unknown)
    assert "Dziękujemy" in without_tokens(second)
    assert list(Application.objects.order_by("pk").values_list("identity", "email")) == [
        ("new", "anna@example.pl"),
        ("to_check", "inny@example.pl"),
        ("new", "anna@example.pl"),
    ]
    client.force_login(member(project, Role.OFFICE))
    listing = client.get(f"/biuro/projekty/{project.slug}/rekrutacja/").content.decode()
    assert listing.count('<strong class="badge">tożsamość do sprawdzenia</strong>') == 1


def test_a_repeated_post_is_answered_not_a_server_error(client, project):
    data = person_data(project)
    assert client.post(url(project), data).status_code == 302
    assert client.post(url(project), data).status_code == 302
    assert sorted(Application.objects.values_list("identity", flat=True)) == ["new", "to_check"]


def test_person_without_pesel_gives_document_birth_date_and_sex(client, project):
    data = person_data(
        project,
        **{
            "s-pesel": "",
            "s-other_document_type": "paszport",
            "s-other_document_number": "UA1234567",
            "s-birth_date": "1985-06-30",
            "s-sex": "M",
        },
    )
    assert client.post(url(project), data).status_code == 302
    person = Person.objects.get()
    assert (person.pesel, person.birth_date, person.sex) == ("", datetime.date(1985, 6, 30), "M")


def test_person_without_pesel_must_give_birth_date(client, project):
    data = person_data(
        project,
        **{"s-pesel": "", "s-other_document_type": "paszport", "s-other_document_number": "X1"},
    )
    errors = errors_of(client.post(url(project), data))
    assert ("id_s-birth_date_error", "Bez numeru PESEL to pole jest wymagane.") in errors
    assert ("id_s-sex_error", "Bez numeru PESEL to pole jest wymagane.") in errors


def test_institution_applies_and_regon_14_padded_is_stored_as_9(client, project):
    response = client.post(url(project, "instytucja/"), institution_data(project))
    assert response.status_code == 302
    institution = Institution.objects.get()
    assert (institution.nip, institution.regon, institution.krs) == (
        "7680002466",
        "151259040",
        "0000123456",
    )
    assert Application.objects.get().institution == institution


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"s-nip": "7680002467"}, "s-nip", "NIP ma błędną cyfrę kontrolną."),
        ({"s-regon": "151259041"}, "s-regon", "REGON ma błędną cyfrę kontrolną."),
        ({"s-regon": "1512590"}, "s-regon", "REGON ma niewłaściwą liczbę cyfr."),
        ({"s-krs": "KRS 12AB"}, "s-krs", "Numer KRS ma do 10 cyfr"),
        ({"s-postal_code": "4230"}, "s-postal_code", "Kod pocztowy zapisuje się w postaci 00-000."),
    ],
)
def test_bad_institution_data_gets_a_precise_polish_message(
    client, project, changes, field, message
):
    response = client.post(url(project, "instytucja/"), institution_data(project, **changes))
    errors = errors_of(response)
    assert any(id_ == f"id_{field}_error" and message in text for id_, text in errors), errors
    assert not Institution.objects.exists() and not Application.objects.exists()


def test_honeypot_saves_nothing_but_looks_fine(client, project):
    response = client.post(url(project), person_data(project, **{"a-homepage": "http://spam"}))
    assert response.status_code == 302
    assert not Application.objects.exists() and not mail.outbox


def test_rate_limit_per_address(client, project):
    for n in range(5):
        data = person_data(project, **{"s-pesel": valid_pesel(100 + n)})
        assert client.post(url(project), data).status_code == 302
    response = client.post(url(project), person_data(project, **{"s-pesel": valid_pesel(200)}))
    assert response.status_code == 429
    assert "zbyt wiele zgłoszeń" in response.content.decode()
    assert Application.objects.count() == 5


def test_rate_limit_counts_every_submission_valid_or_not(client, project):
    for _ in range(5):
        response = client.post(url(project), person_data(project, **{"s-pesel": "123"}))
        assert response.status_code == 200
    response = client.post(url(project), person_data(project))
    assert response.status_code == 429
    assert not Application.objects.exists()


def test_a_known_pesel_cannot_take_over_the_record(
    client, project, django_capture_on_commit_callbacks
):
    """Someone who knows Anna's PESEL applies first with their own e-mail; then Anna applies."""
    other = ProjectFactory(counties=list(project.counties.all()))
    other_group = TargetGroup.objects.create(project=other, order=1, description="Osoby")
    attacker = person_data(
        project,
        **{
            "s-first_name": "Jan",
            "s-last_name": "Oszust",
            "s-email": "oszust@example.pl",
            "a-target_group": str(other_group.pk),
        },
    )
    for name in ("a-consent_processing", "a-consent_monitoring", "a-consent_report_after_exit"):
        del attacker[name]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/projekty/{other.slug}/zgloszenie/", attacker).status_code == 302
    planted = Person.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(project), person_data(project)).status_code == 302

    application = Application.objects.get(project=project)
    anna = application.person
    assert anna != planted
    assert (anna.first_name, anna.last_name, anna.email) == (
        "Anna",
        "Kowalczyk",
        "anna@example.pl",
    )
    assert (application.identity, application.email) == ("to_check", "anna@example.pl")
    planted.refresh_from_db()
    assert (planted.first_name, planted.email) == ("Jan", "oszust@example.pl")
    assert [m.to for m in mail.outbox] == [["oszust@example.pl"], ["anna@example.pl"]]

    # The office compares the two side by side and keeps them apart, audited.
    office = member(project, Role.OFFICE)
    client.force_login(office)
    page = f"/biuro/projekty/{project.slug}/rekrutacja/{application.pk}/tozsamosc/"
    body = client.get(page).content.decode()
    assert "Kowalczyk" in body and "Oszust" in body and body.count("różni się") >= 3
    assert "90010112349" not in body
    response = client.post(page, {"action": "separate"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.identity == "separate" and application.person == anna
    entry = AuditEntry.objects.for_object(application).get(action="update")
    assert entry.actor == office


def test_offers_go_to_the_address_of_the_application_even_when_linked(
    client, project, django_capture_on_commit_callbacks
):
    from lider.recruitment import services

    known = PersonFactory(pesel="90010112349", email="stary@example.pl")
    assert client.post(url(project), person_data(project)).status_code == 302
    application = Application.objects.get()
    assert application.person != known
    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    page = f"/biuro/projekty/{project.slug}/rekrutacja/{application.pk}/tozsamosc/"
    response = client.post(page, {"action": "link", "record": known.pk, "take": ["street"]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.person, application.identity) == (known, "linked")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(application, actor=coordinator, decision="reserve")
        services.offer_place(project, actor=coordinator)
    assert [m.to for m in mail.outbox] == [["anna@example.pl"], ["anna@example.pl"]]


def test_offered_applicant_confirms_the_place_from_the_email(
    client, project, django_capture_on_commit_callbacks
):
    from lider.recruitment import services

    coordinator = member(project, Role.COORDINATOR)
    accepted = services.submit_application(
        project,
        person=PersonFactory.build(),
        target_group=project.target_groups.get(order=1),
        consent_texts=[],
    )
    waiting = services.submit_application(
        project,
        person=PersonFactory.build(email="ewa@example.pl"),
        target_group=project.target_groups.get(order=1),
        consent_texts=[],
    )
    services.decide(accepted, actor=coordinator, decision="accepted")
    services.decide(waiting, actor=coordinator, decision="reserve")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(accepted, actor=coordinator, reason="Rezygnacja")
    offer = [m for m in mail.outbox if m.to == ["ewa@example.pl"]][-1]
    assert offer.subject == f"Miejsce dla Ciebie w projekcie {project.title}"
    link = re.search(r"http://\S+", offer.body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert path.startswith(f"/projekty/{project.slug}/zgloszenie/miejsce/")

    assert "Przyjmuję miejsce" in client.get(path).content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "offered"  # a GET changes nothing
    body = client.post(path).content.decode()
    assert "miejsce zostało przyjęte" in body
    waiting.refresh_from_db()
    assert waiting.status == "accepted" and waiting.participant is not None
    entry = AuditEntry.objects.for_object(waiting).filter(action="status").latest("pk")
    assert entry.actor is None and entry.changes == {"status": ["offered", "accepted"]}
    assert client.get(path.replace("miejsce/", "miejsce/x")).status_code == 404


def test_a_known_nip_keeps_the_submitted_institution(client, project):
    known = Institution.objects.create(
        name="Stara Nazwa", legal_form="association", kind="ngo", nip="7680002466", email="a@b.pl"
    )
    response = client.post(url(project, "instytucja/"), institution_data(project))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.institution != known
    assert (application.institution.name, application.email) == (
        "Stowarzyszenie Jurajskie",
        "biuro@jura.example.pl",
    )
    assert (application.identity, application.nip) == ("to_check", "7680002466")
    known.refresh_from_db()
    assert (known.name, known.email) == ("Stara Nazwa", "a@b.pl")


def test_a_known_passport_number_neither_attaches_nor_reveals(client, project):
    """Someone types the passport number of a person Lider holds: their own record is kept,
    the page shows nothing of the known person, and the office is asked to compare."""
    known = PersonFactory(
        first_name="Olena",
        last_name="Szewczenko",
        email="olena@example.pl",
        pesel="",
        other_document_type="paszport",
        other_document_number="FA7654321",
    )
    data = person_data(
        project,
        **{
            "s-first_name": "Jan",
            "s-last_name": "Oszust",
            "s-email": "oszust@example.pl",
            "s-pesel": "",
            "s-other_document_type": "paszport",
            "s-other_document_number": "fa7654321",
            "s-birth_date": "1985-06-30",
            "s-sex": "M",
        },
    )
    response = client.post(url(project), data, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Olena" not in body and "Szewczenko" not in body and "olena@" not in body
    application = Application.objects.get(project=project)
    assert application.person != known and application.identity == "to_check"
    assert (application.person.last_name, application.email) == ("Oszust", "oszust@example.pl")
    known.refresh_from_db()
    assert (known.first_name, known.email) == ("Olena", "olena@example.pl")
    assert not Application.objects.filter(person=known).exists()
    # The office sees both records side by side and links the application, audited.
    office = member(project, Role.OFFICE)
    client.force_login(office)
    page = f"/biuro/projekty/{project.slug}/rekrutacja/{application.pk}/tozsamosc/"
    body = client.get(page).content.decode()
    assert "Szewczenko" in body and "Oszust" in body
    assert client.post(page, {"action": "link", "record": known.pk}).status_code == 302
    application.refresh_from_db()
    assert (application.person, application.identity) == (known, "linked")
    assert AuditEntry.objects.for_object(application).get(action="update").actor == office
