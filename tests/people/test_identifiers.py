import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.pl import pesel as stdnum_pesel

from lider.people.forms import PersonForm
from lider.people.identifiers import normalise_pesel, normalise_postal_code, read_pesel

TODAY = datetime.date(2026, 11, 29)


def pesel_of(born: datetime.date, serial: str = "1234") -> str:
    month = born.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[born.year // 100]
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial}"
    return body + stdnum_pesel.calc_check_digit(body)


def test_a_valid_pesel_gives_birth_date_and_sex():
    assert read_pesel("90010112349", today=TODAY) == (datetime.date(1990, 1, 1), "K")
    assert read_pesel(pesel_of(datetime.date(2026, 11, 29)), today=TODAY)[0] == TODAY
    # 120 years old today is still accepted
    assert read_pesel(pesel_of(datetime.date(1906, 11, 29)), today=TODAY)[0].year == 1906


def test_pesel_with_a_birth_date_in_the_future_is_refused():
    future = pesel_of(datetime.date(2026, 11, 30))
    assert stdnum_pesel.is_valid(future)  # python-stdnum alone accepts it
    with pytest.raises(ValidationError) as error:
        read_pesel(future, today=TODAY)
    assert error.value.code == "pesel_future"
    assert error.value.messages == [
        "Ten PESEL oznacza datę urodzenia w przyszłości (2026-11-30): "
        "sprawdź, czy nie ma literówki."
    ]


@pytest.mark.parametrize("born", [datetime.date(1905, 11, 29), datetime.date(1850, 5, 5)])
def test_pesel_of_someone_over_120_is_refused(born):
    old = pesel_of(born)
    assert stdnum_pesel.is_valid(old)
    with pytest.raises(ValidationError) as error:
        read_pesel(old, today=TODAY)
    assert error.value.code == "pesel_too_old"
    assert error.value.messages == [
        f"Ten PESEL oznacza datę urodzenia sprzed ponad 120 lat ({born.isoformat()}): "
        "sprawdź, czy nie ma literówki."
    ]


@pytest.mark.parametrize(
    "value", ["９００１０１１２３４９", "9001011234٩", "90010112349".replace("1", "१")]
)
def test_pesel_in_other_digits_is_refused_not_converted(value):
    with pytest.raises(ValidationError) as error:
        normalise_pesel(value)
    assert error.value.code == "foreign_digits"
    with pytest.raises(ValidationError) as error:
        read_pesel(value)
    assert error.value.code == "foreign_digits"


def test_stdnum_alone_converts_full_width_digits():
    assert stdnum_pesel.validate(stdnum_pesel.compact("９００１０１１２３４９")) == "90010112349"


def test_pesel_spaces_and_dashes_are_dropped():
    assert normalise_pesel(" 900101-12349 ") == "90010112349"


@pytest.mark.parametrize("value", ["４２-２７０", "42-27٠", "４２２７０"])
def test_postal_code_in_other_digits_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalise_postal_code(value)
    assert error.value.code == "postal_code"


def test_person_form_refuses_full_width_and_future_pesel():
    for value, message in [
        ("９００１０１１２３４９", "PESEL należy zapisać cyframi 0-9"),
        (pesel_of(datetime.date(2090, 1, 1)), "oznacza datę urodzenia w przyszłości"),
    ]:
        form = PersonForm(data={"first_name": "Anna", "last_name": "Nowak", "pesel": value})
        assert not form.is_valid()
        assert message in form.errors["pesel"][0]


@pytest.mark.django_db
def test_institution_form_refuses_full_width_nip_and_a_krs_of_zeros():
    from lider.people.forms import InstitutionForm

    form = InstitutionForm(
        data={"name": "Spółdzielnia", "nip": "５７３１２３４５６０", "krs": "0000000000"}
    )
    assert not form.is_valid()
    assert form.errors["nip"] == [
        "NIP należy zapisać cyframi 0-9 (nie cyframi pełnej szerokości ani innymi)."
    ]
    assert form.errors["krs"] == ["Numer KRS nie może składać się z samych zer."]
