"""The demo project's public page carries every fact of the seed page's first part."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from lider.website.demo.project import SPECIFIC_GOALS, TARGET_GROUPS, TASKS

pytestmark = pytest.mark.django_db

SEED_FACTS_PL = [
    "Lider na Rynku Ekonomii Społecznej",
    "Projekt współfinansowany ze środków Unii Europejskiej w ramach Europejskiego Funduszu "
    "Społecznego",
    "Numer projektu",
    "WND-POKL.07.02.02-24-03408",
    "Priorytet",
    "VII. Promocja integracji społecznej",
    "Działanie",
    "7.2 Przeciwdziałanie wykluczeniu i wzmocnienie sektora ekonomii społecznej",
    "Poddziałanie",
    "7.2.2 Wsparcie ekonomii społecznej",
    "Instytucja, w której wniosek został złożony",
    "Urząd Marszałkowski Województwa Śląskiego",
    "Obszar realizacji projektu",
    "województwo śląskie",
    "Częstochowa (powiat grodzki)",
    "powiat częstochowski (ziemski)",
    "powiat myszkowski (ziemski)",
    "powiat lubliniecki (ziemski)",
    "Okres realizacji projektu",
    "od 01.12.2009 do 31.12.2010",
    "Wnioskodawca projektu",
    "Częstochowska Izba Rzemiosła i Przedsiębiorczości",
    "Partner projektu",
    "Stowarzyszenie Międzynarodowe Centrum Partnerstwa Partners Network w Krakowie",
    "Grupa docelowa projektu",
    "Cel główny projektu",
    "Wsparcie Ekonomii Społecznej oraz wzmocnienie i poszerzenie zakresu działań Sektora "
    "Ekonomii Społecznej",
    "Cele szczegółowe",
]


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_public_page_shows_every_seed_fact_in_polish(client, demo_card):
    url = reverse("website:project", kwargs={"slug": demo_card.slug})
    assert url == f"/projekty/{demo_card.slug}/"
    text = page_text(client, url)
    for fact in SEED_FACTS_PL + TARGET_GROUPS + SPECIFIC_GOALS + [t[1] for t in TASKS]:
        assert fact in text, fact


def test_public_page_lists_six_activities_and_four_goals(client, demo_card):
    body = client.get(f"/projekty/{demo_card.slug}/").content.decode()
    activities = re.search(r'id="tasks".*?<ol>(.*?)</ol>', body, re.S).group(1)
    goals = re.search(r"Cele szczegółowe</h3>\s*<ol>(.*?)</ol>", body, re.S).group(1)
    assert activities.count("<li>") == 6
    assert goals.count("<li>") == 4


def test_english_page_has_same_structure(client, demo_card):
    with translation.override("en"):
        url = reverse("website:project", kwargs={"slug": demo_card.slug})
    assert url == f"/en/projects/{demo_card.slug}/"
    text = page_text(client, url)
    for label in [
        "Project number",
        "Priority",
        "Measure",
        "Sub-measure",
        "Institution where the application was filed",
        "Project area",
        "Project period",
        "from 01.12.2009 to 31.12.2010",
        "Applicant",
        "Partner",
        "Target groups",
        "Activities",
        "Main goal",
        "Specific goals",
        "Częstochowa (city county)",
        "częstochowski county (rural)",
    ]:
        assert label in text, label
    assert 'lang="en"' in client.get(url).content.decode()


def test_home_links_the_demo_project(client, demo_card):
    response = client.get("/")
    assert f'href="/projekty/{demo_card.slug}/"' in response.content.decode()


def test_private_project_is_not_public(client, demo_card):
    demo_card.is_public = False
    demo_card.save(update_fields=["is_public"])
    assert client.get(f"/projekty/{demo_card.slug}/").status_code == 404
    assert demo_card.slug not in client.get("/").content.decode()


def test_pages_send_strict_content_security_policy(client, demo_card):
    response = client.get(f"/projekty/{demo_card.slug}/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_public_page_queries_do_not_grow_with_tasks(
    client, demo_card, django_assert_max_num_queries
):
    from lider.projects.models import Task

    with django_assert_max_num_queries(12) as before:
        client.get(f"/projekty/{demo_card.slug}/")
    for n in range(5):
        Task.objects.create(project=demo_card, kind=Task.Kind.OTHER, title=f"Dodatkowe {n}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(f"/projekty/{demo_card.slug}/")


@pytest.mark.parametrize(
    "path", ["/static/css/lider.css", "/static/vendor/pico/pico.min.css", "/static/js/lider.js"]
)
def test_static_assets_are_served_without_a_cdn(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_project_page_links_results_application_and_verification(client, demo_card):
    body = client.get(f"/projekty/{demo_card.slug}/").content.decode()
    assert f'href="/projekty/{demo_card.slug}/rezultaty/"' in body
    assert f'href="/projekty/{demo_card.slug}/zgloszenie/"' in body
    assert 'href="/weryfikacja/"' in body
    assert f'href="/kalendarz/{demo_card.slug}/"' in body
