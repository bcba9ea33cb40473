"""Public verification by code or by printed number; no input a visitor can send gives a 500."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from lider.certification import issuing, services
from lider.certification.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificates(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    return [
        issuing.issue_certificate(training.task, p, actor=None, notify=False)
        for p in training.participants
    ]


def _surname(certificate: Certificate) -> str:
    return certificate.full_name.split()[-1]


def test_printed_number_finds_the_certificate_without_the_holders_name(client, certificates):
    certificate = certificates[1]
    typed = f"  {certificate.number.lower()} ".replace("/", " / ")
    response = client.get("/weryfikacja/", {"code": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Zaświadczenie {certificate.number}" in page
    assert "To zaświadczenie jest ważne." in page
    assert certificate.training_title in page
    assert certificate.full_name not in page
    assert certificate.code not in page and certificate.grouped_code not in page


def test_printed_number_with_the_holders_surname_opens_the_certificate(client, certificates):
    certificate = certificates[2]
    response = client.get(
        "/weryfikacja/",
        {"code": certificate.number, "surname": f" {_surname(certificate).upper()} "},
    )
    assert response.status_code == 302
    assert response.url == f"/weryfikacja/{certificate.code}/"
    page = client.get(response.url).content.decode()
    assert certificate.full_name in page


def test_printed_number_with_another_surname_shows_no_name(client, certificates):
    certificate = certificates[0]
    response = client.get(
        "/weryfikacja/", {"code": certificate.number, "surname": _surname(certificates[1]) + "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nazwisko nie zgadza się" in page
    assert certificate.full_name not in page and certificate.code not in page


def test_revoked_certificate_found_by_number_shows_as_revoked(client, certificates):
    certificate = issuing.revoke_certificate(certificates[0], actor=None, reason="Błąd")
    page = client.get("/weryfikacja/", {"code": certificate.number}).content.decode()
    assert "To zaświadczenie zostało unieważnione dnia" in page
    assert "To zaświadczenie jest ważne." not in page


def test_unknown_number_explains_what_to_type(client, certificates):
    response = client.get("/weryfikacja/", {"code": "LRES/1999/001"})
    page = response.content.decode()
    assert response.status_code == 404
    assert "Żadne zaświadczenie nie ma kodu ani numeru „LRES/1999/001”." in page
    assert "kod weryfikacyjny" in page


@pytest.mark.parametrize(
    "path",
    [
        "/weryfikacja/-/",
        "/weryfikacja/---/",
        "/weryfikacja/%00/",
        "/weryfikacja/ABCDEFGHJ%00/",
        "/weryfikacja/" + "A" * 5000 + "/",
        "/weryfikacja/%C5%81%C3%93D%C5%B9/",
        "/weryfikacja/?code=---",
        "/weryfikacja/?code=a/b",
        "/weryfikacja/?code=%2F",
        "/weryfikacja/?code=LRES/2010/001",
        "/weryfikacja/?code=ABCD%00EFGH",
        "/weryfikacja/?code=LRES/2010/001&surname=%00",
        "/weryfikacja/?code=" + "K" * 5000,
        "/weryfikacja/?code=" + "/" * 99,
        "/weryfikacja/?code=%E2%80%AEABCD-EFGH-JK",
        "/weryfikacja/?code=",
        "/weryfikacja/?surname=Kowalska",
        "/en/verification/-/",
        "/en/verification/?code=LRES/2010/001",
    ],
)
def test_no_input_gives_a_server_error(client, certificates, path):
    response = client.get(path)
    assert response.status_code in {200, 302, 404}
    if response.status_code != 302:
        assert "<form" in response.content.decode()


def test_a_path_that_is_no_code_answers_in_polish(client, db):
    response = client.get("/weryfikacja/-/")
    assert response.status_code == 404
    assert "To nie jest kod weryfikacyjny." in response.content.decode()


def test_nul_byte_and_overlong_text_are_refused_by_the_form(client, db):
    nul = client.get("/weryfikacja/", {"code": "LRES\x00/2010"})
    assert nul.status_code == 200 and "form-errors" in nul.content.decode()
    long = client.get("/weryfikacja/", {"code": "K" * 101})
    assert long.status_code == 200 and "form-errors" in long.content.decode()


def test_number_lookups_are_rate_limited(client, certificates):
    for _n in range(30):
        assert client.get("/weryfikacja/", {"code": "X/1"}).status_code == 404
    assert client.get("/weryfikacja/", {"code": "X/1"}).status_code == 429


def test_number_pages_pass_the_static_wcag_checks(client, certificates):
    from tests.accessibility import accessibility_problems

    for params in [
        {"code": certificates[0].number},
        {"code": certificates[0].number, "surname": "Nikt"},
        {"code": "LRES/1999/001"},
    ]:
        page = client.get("/weryfikacja/", params).content.decode()
        assert accessibility_problems(page) == [], params
    assert accessibility_problems(client.get("/weryfikacja/-/").content.decode()) == []


# Kept whole for anonymous visitors (as with Redis): a change to the certificate shows at once.


@pytest.fixture
def kept_pages(settings):
    settings.LIDER_CACHE_PUBLIC_PAGES = True
    settings.LIDER_PUBLIC_PAGE_RECHECK = 60  # this process's own changes must drop its copies


def _queries(client, url) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_verified_certificate_is_served_again_without_a_query(client, certificates, kept_pages):
    url = f"/weryfikacja/{certificates[0].code}/"
    made, first = _queries(client, url)

    again, second = _queries(client, url)

    assert made > 0 and again == 0
    assert second == first and certificates[0].full_name in second


def test_a_revoked_kept_certificate_shows_revoked_at_once(client, certificates, kept_pages):
    url = f"/weryfikacja/{certificates[0].code}/"
    _queries(client, url)

    issuing.revoke_certificate(certificates[0], actor=None, reason="Błąd")

    page = _queries(client, url)[1]
    assert "To zaświadczenie zostało unieważnione dnia" in page
    assert "To zaświadczenie jest ważne." not in page


def test_an_erased_holder_leaves_the_kept_page_at_once(client, certificates, kept_pages):
    from lider.website import erasure

    certificate = certificates[1]
    url = f"/weryfikacja/{certificate.code}/"
    assert certificate.full_name in _queries(client, url)[1]

    erasure.anonymise([certificate.participant.person_id], actor=None)

    assert certificate.full_name not in _queries(client, url)[1]


def test_a_number_shaped_like_a_code_is_looked_up_every_time(client, certificates, kept_pages):
    certificate = certificates[0]
    Certificate.objects.filter(pk=certificate.pk).update(number="ABCDEFGHJK")
    url = "/weryfikacja/ABCDEFGHJK/"
    assert _queries(client, url)[0] > 0

    assert _queries(client, url)[0] > 0  # a list of numbers is never kept


def test_every_look_up_is_counted_even_from_memory(client, certificates, kept_pages, settings):
    from lider.certification import public_views

    url = f"/weryfikacja/{certificates[0].code}/"
    for _n in range(public_views.LIMIT):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_a_signed_in_visitor_gets_a_page_of_their_own(client, certificates, kept_pages):
    from tests.factories import UserFactory

    url = f"/weryfikacja/{certificates[0].code}/"
    _queries(client, url)
    client.force_login(UserFactory())

    body = client.get(url).content.decode()

    assert reverse("backoffice:logout") in body  # their header, not the anonymous one
    assert reverse("backoffice:login") not in body
