"""A person whose processing is restricted (art. 18) stays on the attendance list, since the
signature is the evidence of the support given, and is marked there (art. 4(3): restriction
is the marking of stored data) and on the session's page."""

import io

import pytest
from pypdf import PdfReader

from lider.people import restrictions
from tests.delivery.conftest import url

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_attendance_list_keeps_the_restricted_person_and_marks_them(client, setup):
    session, office = setup["session"], setup["office"]
    client.force_login(office)
    before = _pdf_text(client.get(url("delivery:list_pdf", setup, pk=session.pk)).content)
    assert "ograniczone" not in before and "art. 18" not in before
    person = setup["people"][1].person
    restrictions.restrict(person, kind="objection", reason="Sprzeciw z 3.11.", actor=office)
    text = _pdf_text(client.get(url("delivery:list_pdf", setup, pk=session.pk)).content)
    assert f"{person.full_name} *" in text  # still listed: the signature is the evidence
    for other in (setup["people"][0].person, setup["people"][2].person):
        assert other.full_name in text and f"{other.full_name} *" not in text
    assert "Przetwarzanie danych tej osoby jest ograniczone (art. 18 RODO)" in text
    page = client.get(url("delivery:session", setup, pk=session.pk)).content.decode()
    assert page.count("badge-restricted") == 1  # and the session's page shows it
