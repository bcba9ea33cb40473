"""The privacy page and the accessibility statement: both languages, every footer, WCAG."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import override_settings

from lider.recruitment.models import InformationClause
from tests.accessibility import accessibility_problems

pytestmark = pytest.mark.django_db

PAGES = {
    "/polityka-prywatnosci/": "/en/privacy/",
    "/deklaracja-dostepnosci/": "/en/accessibility-statement/",
}

# The parts the act of 4 April 2019 (art. 10 and the minister's template) requires.
STATEMENT_PARTS = [
    "Deklaracja dostępności",
    "Data publikacji strony internetowej",
    "Data ostatniej istotnej aktualizacji",
    "Stan dostępności cyfrowej",
    "Treści niedostępne",
    "Przygotowanie deklaracji dostępności",
    "Informacje zwrotne i dane kontaktowe",
    "Procedura wnioskowo-skargowa",
    "Dostępność architektoniczna",
    "Aplikacje mobilne",
    "ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej",
    "Rzecznika Praw Obywatelskich",
    "7 dni",
    "2 miesiące",
]


@pytest.mark.parametrize("path", [*PAGES, *PAGES.values()])
def test_page_passes_static_wcag_checks(client, demo_card, path):
    response = client.get(path)
    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []


def test_statement_has_every_part_the_act_prescribes(client, demo_card):
    body = client.get("/deklaracja-dostepnosci/").content.decode()
    for part in STATEMENT_PARTS:
        assert part in body, part


def test_statement_shows_the_installation_operator_and_its_dates(client, demo_card):
    operator = {
        **settings.LIDER_OPERATOR,
        "name": "Fundacja Rozwoju Ekonomii Społecznej",
        "email": "dostepnosc@fres.example.pl",
        "phone": "+48 34 123 45 67",
        "accessibility_contact": "Jan Nowak",
        "published": datetime.date(2010, 1, 4),
        "updated": datetime.date(2026, 11, 2),
        "architecture": "Biuro na parterze, wejście bez progów.",
    }
    with override_settings(LIDER_OPERATOR=operator):
        body = client.get("/deklaracja-dostepnosci/").content.decode()
    assert "Fundacja Rozwoju Ekonomii Społecznej zobowiązuje się" in body
    assert '<time datetime="2010-01-04">4 stycznia 2010</time>' in body
    assert '<time datetime="2026-11-02">2 listopada 2026</time>' in body
    assert "Jan Nowak" in body and "+48 34 123 45 67" in body
    assert 'href="mailto:dostepnosc@fres.example.pl"' in body
    assert "Biuro na parterze, wejście bez progów." in body


@pytest.mark.parametrize("path", ["/", "/en/", "/biuro/logowanie/", "/weryfikacja/"])
def test_every_footer_links_both_pages_in_the_page_language(client, demo_card, path):
    body = client.get(path).content.decode()
    footer = re.search(r"<footer.*</footer>", body, re.S).group(0)
    prefix = "/en" if path.startswith("/en/") else ""
    pages = PAGES.values() if prefix else PAGES
    for page in pages:
        assert f'href="{page}"' in footer


@pytest.mark.parametrize(("polish", "english"), PAGES.items())
def test_language_switch_leads_to_the_counterpart_page(client, demo_card, polish, english):
    response = client.post("/i18n/setlang/", {"language": "en", "next": polish})
    assert response.status_code == 302 and response.url == english
    response = client.post("/i18n/setlang/", {"language": "pl", "next": english})
    assert response.status_code == 302 and response.url == polish


def test_privacy_page_lists_cookies_rights_and_current_clauses(client, demo_card):
    clause = InformationClause.objects.create(
        project=demo_card,
        version="2024-01",
        controller="Administrator danych: Fundacja Lider",
        purposes="cele",
        legal_bases="podstawy",
        recipients="odbiorcy",
        retention="okres",
        rights="prawa",
        dpo_contact="iod@lider.example.pl",
    )
    body = client.get("/polityka-prywatnosci/").content.decode()
    for cookie in ["csrftoken", "django_language", "sessionid"]:
        assert cookie in body
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in body
    assert "Administrator danych: Fundacja Lider" in body and "iod@lider.example.pl" in body
    assert demo_card.title in body
    clause.is_current = False
    clause.save()
    body = client.get("/polityka-prywatnosci/").content.decode()
    assert "Administrator danych: Fundacja Lider" not in body


def test_malformed_operator_date_fails_loudly_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from lider.settings import env_date

    monkeypatch.setenv("LIDER_SITE_PUBLISHED", "2026-13-45")
    with pytest.raises(ImproperlyConfigured, match="LIDER_SITE_PUBLISHED"):
        env_date("LIDER_SITE_PUBLISHED", "2026-11-29")
