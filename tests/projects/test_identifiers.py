import pytest
from django.core.exceptions import ValidationError

from lider.projects.identifiers import normalise_krs, normalise_nip, normalise_regon


@pytest.mark.parametrize(
    "value, expected",
    [
        ("5731234560", "5731234560"),
        ("573-123-45-60", "5731234560"),
        ("PL 573 12 34 560", "5731234560"),
    ],
)
def test_nip_valid_forms_normalise(value, expected):
    assert normalise_nip(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("5731234561", "checksum"),
        ("573123456", "length"),
        ("57312345A0", "format"),
    ],
)
def test_nip_invalid_gives_polish_reason(value, code):
    with pytest.raises(ValidationError) as error:
        normalise_nip(value)
    assert error.value.code == code
    assert "NIP" in error.value.messages[0]


def test_nip_checksum_message_is_polish():
    with pytest.raises(ValidationError) as error:
        normalise_nip("5731234561")
    assert error.value.messages == ["NIP ma błędną cyfrę kontrolną."]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("123456785", "123456785"),
        ("12345678512347", "12345678512347"),
        # The KRS API pads a 9-digit REGON with five zeros: stored as the 9 digits.
        ("12345678500000", "123456785"),
    ],
)
def test_regon_valid_forms_normalise(value, expected):
    assert normalise_regon(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("123456786", "checksum"),
        ("12345678", "length"),
        ("12345678512348", "checksum"),
    ],
)
def test_regon_invalid(value, code):
    with pytest.raises(ValidationError) as error:
        normalise_regon(value)
    assert error.value.code == code


@pytest.mark.parametrize(
    "value", ["KRS0000377518", "377518", "0000377518", "KRS 0000377518", "krs0000377518"]
)
def test_krs_forms_normalise_to_ten_digits(value):
    assert normalise_krs(value) == "0000377518"


@pytest.mark.parametrize("value", ["00003775181", "KRS", "37751A", ""])
def test_krs_invalid(value):
    with pytest.raises(ValidationError) as error:
        normalise_krs(value)
    assert error.value.code == "krs"


@pytest.mark.parametrize("value", ["0", "0000000000", "KRS0000000000", "KRS 000"])
def test_krs_of_all_zeros_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalise_krs(value)
    assert error.value.code == "krs_zero"
    assert error.value.messages == ["Numer KRS nie może składać się z samych zer."]


@pytest.mark.parametrize(
    "normalise, value, what",
    [
        (normalise_nip, "５７３１２３４５６０", "NIP"),  # full-width
        (normalise_nip, "573-123-45-6٠", "NIP"),  # an Arabic-Indic zero
        (normalise_regon, "１２３４５６７８５", "REGON"),
        (normalise_krs, "３７７５１８", "KRS"),
        (normalise_krs, "37751८", "KRS"),  # a Devanagari eight
    ],
)
def test_identifiers_take_ascii_digits_only(normalise, value, what):
    # python-stdnum quietly turns these into ASCII digits (and \d matches them): refused here.
    with pytest.raises(ValidationError) as error:
        normalise(value)
    assert error.value.code == "foreign_digits"
    assert error.value.messages == [
        f"{what} należy zapisać cyframi 0-9 (nie cyframi pełnej szerokości ani innymi)."
    ]
