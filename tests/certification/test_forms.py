from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lider.certification.forms import PercentField, ScoresForm


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("40", Decimal("40.00")),
        (" 85,5 ", Decimal("85.50")),
        ("100", Decimal("100.00")),
        ("0", Decimal("0.00")),
        ("12.345", Decimal("12.34")),  # rounded to hundredths, as before
        ("", None),
        ("   ", None),
    ],
)
def test_percent_field_reads_percentages(typed, expected):
    assert PercentField().clean(typed) == expected


def test_percent_field_reads_minus_zero_as_zero():
    value = PercentField().clean("-0")
    assert value == 0 and str(value) == "0.00"


@pytest.mark.parametrize(
    "typed",
    ["1e309", "nan", "NaN", "-nan", "snan", "inf", "-Infinity", "100,5", "100.01", "-1",
     "-0.01", "1" * 200, "4\x000", "\x00", "abc", "1,2,3", "1e-999999999999", "٤٠"],
)  # fmt: skip
def test_percent_field_refuses_hostile_values_in_polish(typed):
    with translation.override("pl"), pytest.raises(ValidationError) as error:
        PercentField().clean(typed)
    assert error.value.messages == ["Wpisz wartość procentową od 0 do 100."]


def test_scores_form_reads_only_the_rows_sent_and_names_the_bad_ones():
    form = ScoresForm(
        {"pre-1": "40", "post-1": "1e309", "pre-2": "-0", "post-2": ""}, participant_ids=[1, 2, 3]
    )
    assert not form.is_valid()
    assert form.participant_ids == [1, 2] and list(form.row_errors()) == [1]
    form = ScoresForm({"pre-2": "-0", "post-2": "70,5"}, participant_ids=[1, 2, 3])
    assert form.is_valid()
    assert form.scores() == {2: (Decimal("0.00"), Decimal("70.50"))}
