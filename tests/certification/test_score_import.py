"""The test-score import reads through the same bounded reader as the people import."""

import io

import pytest
from django.core.exceptions import ValidationError

from lider.certification import services
from lider.certification.models import TestScore
from tests.hostile_files import bomb, wide, xlsx


@pytest.mark.parametrize(
    "content, message",
    [
        (wide(rows=200), "Arkusz ma 16384 kolumn; import czyta najwyżej 100."),
        (bomb(megabytes=40), "Plik XLSX jest spakowany znacznie ciaśniej"),
        (
            xlsx({(0, 0): "PESEL", (0, 1): "Post-test", (1, 1): "9" * 3000}),
            "Wiersz 2, kolumna B: komórka ma ponad 2000 znaków",
        ),
        (b"not a spreadsheet", "Nie można odczytać pliku jako arkusza XLSX."),
    ],
)
def test_hostile_score_sheets_are_refused_with_a_polish_message(
    training, coordinator, content, message
):
    with pytest.raises(ValidationError) as caught:
        services.import_test_scores(training.task, actor=coordinator, file=io.BytesIO(content))
    assert caught.value.code == "file"
    assert caught.value.messages[0].startswith(message)
    assert not TestScore.objects.exists()


def test_a_pesel_typed_as_a_number_keeps_its_leading_zero(training, coordinator):
    first = training.participants[0]
    first.person.pesel = "05210512347"
    first.person.save(update_fields=["pesel"])
    content = xlsx({(0, 0): "PESEL", (0, 1): "Post-test", (1, 0): 5210512347, (1, 1): 80})
    services.import_test_scores(training.task, actor=coordinator, file=io.BytesIO(content))
    assert TestScore.objects.get(participant=first).post_test == 80
