"""Revoking a certificate: a GET only asks for confirmation, saying what will happen."""

import pytest
from django.urls import reverse

from lider.certification import issuing, services
from lider.certification.models import Certificate
from lider.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    return issuing.issue_certificate(
        training.task, training.participants[0], actor=None, notify=False
    )


def _url(certificate):
    return reverse(
        "certification:revoke", kwargs={"slug": certificate.project.slug, "pk": certificate.pk}
    )


def test_get_shows_what_will_happen_and_changes_nothing(client, coordinator, certificate):
    client.force_login(coordinator)
    entries = AuditEntry.objects.count()
    response = client.get(_url(certificate), {"reason": "Błąd"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Zamierzasz unieważnić zaświadczenie {certificate.number} wydane dla: "
        f"{certificate.full_name}. Po potwierdzeniu:" in page
    )
    assert "unieważnionego zaświadczenia nie można przywrócić." in page
    assert f"Unieważnij zaświadczenie {certificate.number}</button>" in page
    assert 'method="post"' in page and "Anuluj i wróć" in page
    assert "form-errors" not in page  # a GET with a reason is not taken as a submission
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert AuditEntry.objects.count() == entries


def test_post_revokes_and_a_second_post_changes_nothing(client, coordinator, certificate):
    client.force_login(coordinator)
    response = client.post(_url(certificate), {"reason": "Dane były błędne"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == coordinator
    revoked_at = certificate.revoked_at
    again = client.post(_url(certificate), {"reason": "Jeszcze raz"})
    assert again.status_code == 200
    assert "To zaświadczenie zostało unieważnione dnia" in again.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at == revoked_at and certificate.revoke_reason == "Dane były błędne"
    page = client.get(_url(certificate)).content.decode()
    assert "<textarea" not in page and "Unieważnij zaświadczenie" not in page
    assert "Wróć do zaświadczenia" in page
