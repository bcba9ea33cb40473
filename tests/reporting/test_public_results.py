"""The demo's public results page says what the seed page says, computed from the records."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lider.certification.models import Certificate
from lider.website.demo.outcomes import ENTITIES

pytestmark = pytest.mark.django_db

SENTENCES = [
    "Zrealizowano cel główny projektu: wsparcie Ekonomii Społecznej oraz wzmocnienie i "
    "poszerzenie zakresu działań Sektora Ekonomii Społecznej w powiatach częstochowskim "
    "grodzkim, częstochowskim ziemskim, myszkowskim i lublinieckim.",
    "Cel główny projektu został osiągnięty dzięki realizacji celów szczegółowych:",
    "Dostarczenie wiedzy i umiejętności potrzebnych do zakładania i prowadzenia podmiotów "
    "ekonomii społecznej.",
    "Dostarczenie wiedzy, podniesienie umiejętności w zakresie budowania partnerstwa lokalnego "
    "na rzecz rozwoju sektora ekonomii społecznej.",
    "Dostarczenie doradztwa grupowego w zakresie wsparcia i poszerzenia działań sektora "
    "ekonomii społecznej – promocja działań w obszarze ES.",
    "Wykreowanie Liderów na Rynku Ekonomii Społecznej – specjalistów na rzecz rozwoju ekonomii "
    "społecznej w powiatach: częstochowskim grodzki, częstochowskim ziemski, myszkowskim i "
    "lublinieckim.",
    "Rezultaty projektu: w projekcie wykreowano 99 Liderów na Rynku Ekonomii Społecznej – "
    "certyfikat otrzymało 99% uczestników projektu.",
    "Wartości dodane projektu",
    "Uczestnicy projektu założyli następujące podmioty ekonomii społecznej:",
]
ENTITY_LINES = [
    "Stowarzyszenie „KLuCzeM” Współpracy i Rozwoju, KRS 0000380128",
    "Stowarzyszenie Inicjatyw Dobroczynnych „Dar Serca” w Herbach",
    "Fundacja Zielona Dolina, KRS 0000382768",
    "Jurajska Fundacja Rozwoju „WYŻYNY”, KRS 0000372713",
    "Poligraficzno-Wydawnicza Spółdzielnia Socjalna EKO-EDYTOR, KRS 0000363784",
    "Spółdzielnia Socjalna „Audytor”, KRS 0000377518",
    "Stowarzyszenie „Posterus”",
]


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def items(client, url) -> list[str]:
    body = client.get(url).content.decode()
    return [html.unescape(item) for item in re.findall(r"<li>([^<]*)</li>", body)]


def test_results_page_carries_every_result_sentence_and_entity(client, demo_project):
    url = reverse("website:results", kwargs={"slug": demo_project.slug})
    assert url == f"/projekty/{demo_project.slug}/rezultaty/"
    text = page_text(client, url)
    for sentence in SENTENCES:
        assert sentence in text, sentence
    listed = items(client, url)
    for line in ENTITY_LINES:
        assert line in listed, line
    assert len(ENTITIES) == 7


def test_results_follow_the_data_when_a_certificate_is_revoked(client, demo_project):
    certificate = Certificate.objects.filter(project=demo_project, status="issued").first()
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["status", "revoked_at"])
    text = page_text(client, reverse("website:results", kwargs={"slug": demo_project.slug}))
    assert (
        "w projekcie wykreowano 98 Liderów na Rynku Ekonomii Społecznej – certyfikat otrzymało "
        "98% uczestników projektu." in text
    )


def test_results_page_in_english(client, demo_project):
    with translation.override("en"):
        url = reverse("website:results", kwargs={"slug": demo_project.slug})
    assert url == f"/en/projects/{demo_project.slug}/results/"
    text = page_text(client, url)
    assert (
        "Results of the project: 99 Leaders in the Social Economy Market were created in the "
        "project – 99% of the project's participants received the certificate." in text
    )


def test_polish_plural_forms_of_leaders():
    from django.utils.translation import ngettext

    singular = (
        "Results of the project: %(counter)s Leader in the Social Economy Market was created in "
        "the project – %(share)s%% of the project's participants received the certificate."
    )
    plural = singular.replace("Leader in", "Leaders in").replace("was created", "were created")
    forms = {
        n: ngettext(singular, plural, n) % {"counter": n, "share": 1} for n in (1, 3, 5, 22, 112)
    }
    assert "wykreowano 1 Lidera " in forms[1]
    assert "wykreowano 3 Liderów " in forms[3]
    assert "wykreowano 5 Liderów " in forms[5]
    assert "wykreowano 22 Liderów " in forms[22]
    assert "wykreowano 112 Liderów " in forms[112]
