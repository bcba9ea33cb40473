"""Rectification in the browser: the participant proposes a correction from their account, the
coordinator sees it on the person's page and accepts it, the participant sees the outcome
(axe-core checks every page on the way)."""

import re

import pytest

pytestmark = pytest.mark.e2e

PARTICIPANT = ("uczestnik", "Demo-uczestnik-2009")  # lider/website/demo/users.py
SLUG = "lider-na-rynku-ekonomii-spolecznej"


def _login(checked, username, password):
    page = checked.page
    checked.goto("/biuro/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    checked.follow(page.get_by_role("button", name="Zaloguj"))


def test_participant_proposes_and_the_office_accepts(browser_page):
    checked, page = browser_page, browser_page.page
    _login(checked, *PARTICIPANT)
    if "/konto/" not in page.url:
        checked.goto("/konto/")
    page.get_by_label("Telefon").fill("605 111 222")
    page.get_by_label("Komentarz dla biura (nieobowiązkowo)").fill("Nowy numer od listopada.")
    checked.follow(page.get_by_role("button", name="Wyślij sprostowanie do biura"))
    assert "Twoje sprostowanie zostało wysłane do biura." in page.content()
    assert "oczekuje na biuro" in page.content()
    person_link = page.url  # /konto/
    checked.follow(page.get_by_role("button", name=re.compile("Wyloguj")))

    checked.login("koordynator")
    checked.goto(f"/biuro/projekty/{SLUG}/sprostowania/")
    rows = page.locator("tbody tr a")
    names = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert len(names) == 2  # the demo's waiting correction and this one
    checked.follow(rows.nth(1))  # oldest first: the demo's, then the one just sent
    assert "605 111 222" in page.content()
    checked.follow(page.get_by_role("button", name="Przyjmij i wprowadź sprostowanie"))
    assert "Sprostowanie zostało wprowadzone" in page.content()
    assert re.search(r"Telefon</dt><dd>605 111 222", page.content())
    checked.follow(page.get_by_role("button", name=re.compile("Wyloguj")))

    _login(checked, *PARTICIPANT)
    if "/konto/" not in page.url:
        checked.goto(person_link)
    assert "przyjęte" in page.content()
