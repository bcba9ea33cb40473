"""Number patterns are checked against what the number column holds, before anything is built."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lider.certification import issuing, services
from lider.certification.forms import NumberPatternForm
from lider.certification.models import (
    NUMBER_MAX_LENGTH,
    Certificate,
    CertificateSeries,
    validate_number_pattern,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pattern",
    [
        "{seq:100}",
        "{seq:081d}",
        "{seq:300000000}",
        "{seq:99999999999999999999999}",
        "{seq:{year}}",
        "{year:{seq}}/{seq}",
        "{seq:>300000000}",
        "{seq:9>300000000}",
        "LRES-" + "X" * 70 + "{seq}",
        "{seq}\x00",
        "{seq}\u200b",
        "{seq.real}",
        "{seq[0]}",
        "{seq:.3}",
        "{seq:s}",
        "{seq",
        "{year}",
        "{other}{seq}",
    ],
)
def test_bad_pattern_is_refused_by_the_form_quickly(pattern):
    started = time.perf_counter()
    form = NumberPatternForm({"pattern": pattern})
    assert not form.is_valid()
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "pattern", ["LRES/{year}/{seq:03d}", "{seq}", "{year}-{seq:06d}", "Nr {seq:0>5}/{year}"]
)
def test_good_pattern_is_accepted(pattern):
    assert NumberPatternForm({"pattern": pattern}).is_valid()
    assert len(pattern.format(year=9999, seq=2_147_483_647)) <= NUMBER_MAX_LENGTH


def test_a_width_over_the_column_says_how_long_a_number_may_be():
    form = NumberPatternForm({"pattern": "{seq:100}"})
    assert not form.is_valid()
    assert form.errors["pattern"] == ["Numery w tym formacie mogłyby mieć więcej niż 80 znaków."]


def test_service_refuses_a_bad_pattern_and_keeps_the_old_one(training, coordinator):
    services.set_number_pattern(training.project, actor=coordinator, pattern="A/{seq:03d}")
    with pytest.raises(ValidationError):
        services.set_number_pattern(training.project, actor=coordinator, pattern="{seq:100}")
    assert CertificateSeries.objects.get(project=training.project).pattern == "A/{seq:03d}"


def test_page_refuses_a_bad_pattern_with_a_polish_message(client, training, coordinator):
    client.force_login(coordinator)
    url = reverse("certification:numbering", kwargs={"slug": training.project.slug})
    response = client.post(url, {"pattern": "{seq:300000000}"})
    assert response.status_code == 200
    assert "mogłyby mieć więcej niż 80 znaków" in response.content.decode()
    assert not CertificateSeries.objects.filter(pattern="{seq:300000000}").exists()


def test_a_stored_bad_pattern_gives_a_clear_error_when_issuing(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    CertificateSeries.objects.create(project=training.project, pattern="{seq:100}")
    with pytest.raises(ValidationError) as error:
        issuing.issue_certificate(training.task, training.participants[0], actor=None, notify=False)
    assert error.value.code == "pattern_length"
    assert not Certificate.objects.exists()
    CertificateSeries.objects.filter(project=training.project).update(pattern="{seq}")
    certificate = issuing.issue_certificate(
        training.task, training.participants[0], actor=None, notify=False
    )
    assert certificate.number == "1"
