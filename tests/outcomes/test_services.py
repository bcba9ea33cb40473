"""Founded entities: recording, KRS verification against a local fake API, manual path."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from lider.core.models import AuditEntry
from lider.outcomes import services
from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant, Person
from lider.territory.queries import unit_by_code
from tests.factories import ProjectFactory, UserFactory
from tests.outcomes.test_krs import krs_api  # noqa: F401  (the local fake KRS API)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2011, 4, 1)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def participant(project, n=0):
    person = Person.objects.create(
        first_name="Anna",
        last_name=f"Nowak{n}",
        pesel=["90010112349", "05210512347", "80010112344"][n],
        birth_date=datetime.date(1990, 1, 1),
        sex="K",
    )
    return Participant.objects.create(project=project, person=person)


def test_record_entity_normalises_krs_and_audits():
    project, actor = ProjectFactory(), UserFactory()
    founder = participant(project)

    entity = services.record_entity(
        project,
        actor=actor,
        founders=[founder],
        name="Stowarzyszenie Przykładowe",
        legal_form="association",
        krs="KRS123456",
    )

    assert entity.krs == "0000123456"
    assert entity.krs_label == "KRS 0000123456"
    assert list(entity.founders.all()) == [founder]
    assert entity.verification == FoundedEntity.Verification.UNVERIFIED
    entry = AuditEntry.objects.get(object_id=str(entity.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.project_id == project.pk


def test_record_entity_refuses_founders_from_another_project():
    project, other = ProjectFactory(), ProjectFactory()
    with pytest.raises(ValidationError) as error:
        services.record_entity(
            project,
            actor=UserFactory(),
            founders=[participant(other)],
            name="Fundacja",
            legal_form="foundation",
        )
    assert error.value.code == "founder_project"
    assert not FoundedEntity.objects.exists()


def test_record_entity_refuses_bad_krs_and_duplicate():
    project, actor = ProjectFactory(), UserFactory()
    with pytest.raises(ValidationError) as error:
        services.record_entity(
            project, actor=actor, name="X", legal_form="association", krs="12345678901"
        )
    assert "krs" in error.value.message_dict
    services.record_entity(project, actor=actor, name="A", legal_form="association", krs="1")
    with pytest.raises(ValidationError):
        services.record_entity(project, actor=actor, name="B", legal_form="association", krs="1")


def test_verify_from_krs_fills_and_checks(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project,
        actor=actor,
        name="Stowarzyszenie „Przykładowe” Inicjatywy Lokalne",
        legal_form="association",
        krs="0000123456",
        postal_code="42-201",
    )

    check = services.verify_from_krs(entity, actor=actor, today=TODAY)

    entity.refresh_from_db()
    assert entity.verification == FoundedEntity.Verification.KRS
    assert entity.verified_on == TODAY
    assert entity.registration_date == datetime.date(2010, 10, 28)
    assert entity.nip == "5731234560"
    assert entity.regon == "241234560"
    assert entity.city == "Częstochowa"
    assert entity.street == "ul. Przykładowa 1"
    assert entity.seat == unit_by_code("2464011")
    assert entity.krs_name == "STOWARZYSZENIE PRZYKŁADOWE INICJATYWY LOKALNE"
    assert entity.krs_legal_form == "STOWARZYSZENIE"
    assert sorted(check.filled) == [
        "city",
        "nip",
        "registration_date",
        "regon",
        "seat",
        "street",
    ]
    assert check.differences == [
        ("name", "Stowarzyszenie „Przykładowe” Inicjatywy Lokalne", entity.krs_name),
        ("postal_code", "42-201", "42-200"),
    ]
    update = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert update.changes["verification"] == ["unverified", "krs"]
    assert "postal_code: 42-201 ≠ 42-200" in update.note


def test_verify_from_krs_social_cooperative_legal_form(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project,
        actor=actor,
        name='Spółdzielnia Socjalna "Przykładowa Kuchnia"',
        legal_form="association",
        krs="234567",
    )
    check = services.verify_from_krs(entity, actor=actor, today=TODAY)
    assert check.differences == [("legal_form", "association", "social_cooperative")]
    assert krs_api.requests == [("0000234567", "S"), ("0000234567", "P")]


def test_verify_from_krs_unavailable_then_manual_confirmation(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project, actor=actor, name="Fundacja", legal_form="foundation", krs="0000345678"
    )
    krs_api.mode = "maintenance"

    with pytest.raises(ValidationError) as error:
        services.verify_from_krs(entity, actor=actor, today=TODAY)
    assert error.value.code == "krs_unavailable"
    entity.refresh_from_db()
    assert entity.verification == FoundedEntity.Verification.UNVERIFIED

    services.confirm_manually(entity, actor=actor, note="Odpis z ekrs.ms.gov.pl", today=TODAY)
    entity.refresh_from_db()
    assert entity.verification == FoundedEntity.Verification.MANUAL
    assert entity.confirmed_by == actor
    assert entity.verified_on == TODAY
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.note == "Odpis z ekrs.ms.gov.pl"


def test_verify_from_krs_not_found(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project, actor=actor, name="Nieznany", legal_form="foundation", krs="999"
    )
    with pytest.raises(ValidationError) as error:
        services.verify_from_krs(entity, actor=actor, today=TODAY)
    assert error.value.code == "krs_not_found"


def test_update_entity_with_new_krs_drops_verification(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project, actor=actor, name="Fundacja", legal_form="foundation", krs="0000345678"
    )
    services.verify_from_krs(entity, actor=actor, today=TODAY)
    services.update_entity(FoundedEntity.objects.get(pk=entity.pk), actor=actor, krs="123456")
    entity.refresh_from_db()
    assert entity.verification == FoundedEntity.Verification.UNVERIFIED
    assert entity.verified_on is None
    assert entity.krs_name == ""


def invalid_values_extract(krs_api):  # noqa: F811
    from tests.outcomes.test_krs import tampered

    def change(odpis):
        identifiers = odpis["dane"]["dzial1"]["danePodmiotu"]["identyfikatory"]
        identifiers["nip"] = "PL 573-123-45-61"  # wrong check digit, longer than the column
        identifiers["regon"] = "24123456100000"
        odpis["dane"]["dzial1"]["siedzibaIAdres"]["adres"]["miejscowosc"] = "C" * 150

    krs_api.mode = "tampered"
    krs_api.tampered = tampered(change)


def test_verify_from_krs_never_saves_values_the_fields_cannot_hold(krs_api):  # noqa: F811
    project, actor = ProjectFactory(), UserFactory()
    entity = services.record_entity(
        project, actor=actor, name="Stowarzyszenie", legal_form="association", krs="0000123456"
    )
    invalid_values_extract(krs_api)

    check = services.verify_from_krs(entity, actor=actor, today=TODAY)

    entity.refresh_from_db()
    assert (entity.nip, entity.regon, entity.city) == ("", "", "")
    assert check.refused == [
        ("nip", "PL 573-123-45-61"),
        ("regon", "24123456100000"),
        ("city", "C" + "c" * 149),  # as title-cased for the record
    ]
    assert "street" in check.filled
    assert entity.verification == FoundedEntity.Verification.KRS
    update = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).get()
    assert "nip: — ≠ PL 573-123-45-61" in update.note
