import datetime

import pytest
from django.core.exceptions import ValidationError

from lider.core.models import AuditEntry
from lider.people import services
from lider.people.fields import PERSON_FIELDS
from lider.people.forms import PersonForm
from lider.people.models import Person
from lider.territory.models import Unit
from tests.factories import InstitutionFactory, PersonFactory, UserFactory, valid_pesel

pytestmark = pytest.mark.django_db


def _entries(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("pk"))


def test_field_list_is_the_models_data_fields():
    assert set(PersonForm.Meta.fields) == set(PERSON_FIELDS)
    assert "user" not in PERSON_FIELDS and "created_at" not in PERSON_FIELDS
    assert {"pesel", "disability", "gmina", "email"} <= set(PERSON_FIELDS)


def test_update_person_audits_old_and_new_per_field():
    person, actor = PersonFactory(first_name="Anna", city="Częstochowa"), UserFactory()
    services.update_person(
        person, {"first_name": "Anita", "city": "Kłobuck"}, actor=actor, note="Wniosek z 3.03."
    )
    person.refresh_from_db()
    assert (person.first_name, person.city) == ("Anita", "Kłobuck")
    [entry] = _entries(person)
    assert entry.actor == actor and entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"first_name": ["Anna", "Anita"], "city": ["Częstochowa", "Kłobuck"]}
    assert entry.note == "Wniosek z 3.03."


def test_update_person_updates_the_callers_instance_and_derives_from_pesel():
    person = PersonFactory()
    pesel = valid_pesel(7, born=datetime.date(1975, 2, 3), woman=False)
    services.update_person(person, {"pesel": pesel}, actor=UserFactory())
    assert person.pesel == pesel
    assert (person.birth_date, person.sex) == (datetime.date(1975, 2, 3), "M")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.birth_date, stored.sex) == (datetime.date(1975, 2, 3), "M")
    [entry] = _entries(person)
    assert set(entry.changes) == {"pesel", "birth_date", "sex"}
    assert "*" in entry.changes["pesel"][1]  # sensitive values stored masked


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"pesel": "90010112340"}, "pesel"),  # bad check digit
        ({"pesel": "９００１０１１２３４９"}, "pesel"),  # fullwidth digits
        ({"postal_code": "42200x"}, "postal_code"),
        ({"email": "nie-adres"}, "email"),
        ({"disability": "maybe"}, "disability"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "A" * 101}, "first_name"),
        ({"gmina": 999_999_999}, "gmina"),
        ({"pesel": "", "other_document_type": "paszport"}, "pesel"),
    ],
)
def test_update_person_is_validated_like_the_form_and_refused_whole(changes, field):
    person = PersonFactory(first_name="Anna")
    with pytest.raises(ValidationError) as raised:
        services.update_person(person, {**changes, "last_name": "Inna"}, actor=UserFactory())
    assert field in raised.value.message_dict
    stored = Person.objects.get(pk=person.pk)
    assert stored.last_name == person.last_name != "Inna"
    assert _entries(person) == []


def test_update_person_ignores_gaps_it_was_not_asked_to_fill():
    """An imported record without an e-mail can still have its name corrected."""
    person = PersonFactory(email="", education="")
    services.update_person(person, {"last_name": "Kowalska"}, actor=UserFactory())
    assert Person.objects.get(pk=person.pk).last_name == "Kowalska"


def test_update_person_takes_a_gmina_and_other_documents():
    person = PersonFactory()
    gmina = (
        Unit.objects.filter(level=Unit.Level.GMINA, parent__code="2404")
        .exclude(gmina_type=Unit.GminaType.URBAN_RURAL)
        .exclude(pk=person.gmina_id)
        .first()
    )
    services.update_person(
        person,
        {
            "gmina": gmina,
            "pesel": "",
            "other_document_type": "paszport",
            "other_document_number": "ZZ1234567",
            "birth_date": datetime.date(1990, 1, 2),
            "sex": "M",
        },
        actor=UserFactory(),
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.gmina == gmina and stored.pesel == ""
    assert stored.other_document_number == "ZZ1234567"
    assert stored.birth_date == datetime.date(1990, 1, 2)


def test_update_person_to_the_same_values_records_nothing():
    person = PersonFactory(first_name="Anna")
    services.update_person(person, {"first_name": "Anna"}, actor=UserFactory())
    assert _entries(person) == []


def test_update_person_refuses_what_is_not_data():
    person = PersonFactory()
    with pytest.raises(ValueError):
        services.update_person(person, {"user": UserFactory()}, actor=UserFactory())


def test_update_institution_validates_and_audits():
    institution = InstitutionFactory(name="Stowarzyszenie A")
    services.update_institution(institution, {"name": "Fundacja B"}, actor=UserFactory())
    assert _entries(institution)[0].changes == {"name": ["Stowarzyszenie A", "Fundacja B"]}
    with pytest.raises(ValidationError) as raised:
        services.update_institution(institution, {"krs": "0000000000"}, actor=UserFactory())
    assert "krs" in raised.value.message_dict


def test_link_user_once():
    person, first, second = PersonFactory(), UserFactory(), UserFactory()
    assert services.link_user(person, first, actor=first)
    assert not services.link_user(person, second, actor=second)
    assert Person.objects.get(pk=person.pk).user == first
    assert list(_entries(person)[0].changes) == ["user"]
