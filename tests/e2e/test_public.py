"""The public path in a real browser: project page, application form, certificate verification,
and the language switch, each page checked by axe-core (WCAG 2.1 A and AA)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e

PROJECT = f"/projekty/{SLUG}/"
VALID = re.compile("(certyfikat|zaświadczenie) jest ważn")


def valid_pesel(stem: str) -> str:
    """A PESEL with a correct check digit for the first ten digits given."""
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(int(digit) * weight for digit, weight in zip(stem, weights, strict=True))
    return stem + str((10 - total % 10) % 10)


def wrong_check_digit(pesel: str) -> str:
    return pesel[:-1] + str((int(pesel[-1]) + 1) % 10)


def test_application_from_the_project_page_with_errors_then_sent(browser_page):
    page = browser_page.page
    browser_page.goto(PROJECT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lider na Rynku Ekonomii Społecznej")

    browser_page.follow(page.get_by_role("link", name="Zgłoś się do projektu"))
    expect(page).to_have_url(re.compile(rf"{PROJECT}zgloszenie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Formularz zgłoszeniowy")

    pesel = valid_pesel("8507141234")
    page.get_by_label("Imię", exact=False).first.fill("Weronika")
    page.get_by_label("Nazwisko", exact=False).first.fill("Przeglądarska")
    page.get_by_label("PESEL").fill(wrong_check_digit(pesel))
    page.get_by_label("Kod pocztowy").fill("42-270")
    page.get_by_label("Miejscowość").fill("Kłomnice")
    gmina = page.locator("#id_s-gmina option", has_text="Kłomnice").first.get_attribute("value")
    page.locator("#id_s-gmina").select_option(gmina)
    page.get_by_label("Wykształcenie").select_option("isced3")
    page.get_by_label("Status na rynku pracy").select_option("unemployed_registered")
    page.locator("#id_a-target_group_0").check()
    # The e-mail address and two of the three consents are left out on purpose.
    page.locator("#id_a-consent_processing").check()
    browser_page.follow(
        page.get_by_role("button", name="Wyślij zgłoszenie"), what="the form with errors"
    )

    expect(page).to_have_url(re.compile(rf"{PROJECT}zgloszenie/$"))
    expect(page.locator("#id_s-pesel")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text("Ten PESEL ma błędną cyfrę kontrolną")
    expect(page.locator("#id_s-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_a-consent_monitoring")).to_have_attribute("aria-invalid", "true")
    # What was typed correctly is kept.
    expect(page.get_by_label("Miejscowość")).to_have_value("Kłomnice")

    page.get_by_label("PESEL").fill(pesel)
    page.get_by_label("E-mail").fill("weronika.przegladarska@example.pl")
    page.locator("#id_a-target_group_0").check()
    page.locator("#id_a-consent_processing").check()
    page.locator("#id_a-consent_monitoring").check()
    page.locator("#id_a-consent_report_after_exit").check()
    browser_page.follow(
        page.get_by_role("button", name="Wyślij zgłoszenie"), what="the application sent"
    )

    expect(page).to_have_url(re.compile(rf"{PROJECT}zgloszenie/wyslane/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zgłoszenie wysłane")


def test_certificate_verified_by_code(browser_page, demo_facts):
    page = browser_page.page
    certificate = demo_facts["certificate"]
    browser_page.goto(PROJECT)
    browser_page.follow(
        page.get_by_role("link", name=re.compile("^Sprawdź (certyfikat|zaświadczenie)"))
    )
    # Typed as a person copies it from paper: lower case, with the printed dashes.
    page.locator("#id_code").fill(certificate["grouped_code"].lower())
    browser_page.follow(page.get_by_role("button", name="Sprawdź", exact=True))

    expect(page).to_have_url(re.compile(rf"/weryfikacja/{certificate['code']}/$"))
    main = page.locator("main")
    expect(main).to_contain_text(VALID)
    expect(main).to_contain_text(certificate["full_name"])
    expect(main).to_contain_text(certificate["number"])


def test_certificate_verified_by_printed_number(browser_page, demo_facts):
    page = browser_page.page
    certificate = demo_facts["certificate"]
    browser_page.goto("/weryfikacja/")
    page.locator("#id_code").fill(certificate["number"])
    browser_page.follow(
        page.get_by_role("button", name="Sprawdź", exact=True), what="a number alone"
    )

    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text(certificate["number"])
    expect(main).to_contain_text(VALID)
    # A number alone does not say whose certificate it is.
    expect(main).not_to_contain_text(certificate["full_name"])

    page.locator("#id_surname").fill(certificate["surname"])
    browser_page.follow(
        page.get_by_role("button", name="Sprawdź", exact=True), what="the number with the surname"
    )
    expect(page).to_have_url(re.compile(rf"/weryfikacja/{certificate['code']}/$"))
    expect(main).to_contain_text(certificate["full_name"])


def _switch(browser_page, language: str) -> None:
    browser_page.follow(
        browser_page.page.get_by_role("button", name=language), what=f"switched to {language}"
    )


def test_language_switch_both_ways_on_public_pages(browser_page, demo_facts):
    page = browser_page.page
    pages = [
        ("/", "/en/"),
        (PROJECT, f"/en/projects/{SLUG}/"),
        (f"{PROJECT}rezultaty/", f"/en/projects/{SLUG}/results/"),
        (f"{PROJECT}zgloszenie/", f"/en/projects/{SLUG}/application/"),
        ("/weryfikacja/", "/en/verification/"),
        (
            f"/weryfikacja/{demo_facts['certificate']['code']}/",
            f"/en/verification/{demo_facts['certificate']['code']}/",
        ),
        (f"/kalendarz/{SLUG}/", f"/en/kalendarz/{SLUG}/"),
    ]
    for polish, english in pages:
        browser_page.goto(polish)
        expect(page.locator("html")).to_have_attribute("lang", "pl")
        _switch(browser_page, "English")
        expect(page).to_have_url(browser_page.url(english))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _switch(browser_page, "Polski")
        expect(page).to_have_url(browser_page.url(polish))
        expect(page.locator("html")).to_have_attribute("lang", "pl")


def test_language_switch_both_ways_in_the_back_office(browser_page):
    page = browser_page.page
    browser_page.login("koordynator")
    card = f"/biuro/projekty/{SLUG}/"
    browser_page.goto(card)
    _switch(browser_page, "English")
    expect(page).to_have_url(browser_page.url("/en" + card))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _switch(browser_page, "Polski")
    expect(page).to_have_url(browser_page.url(card))
    expect(page.get_by_role("button", name=re.compile("^Wyloguj"))).to_be_visible()
