"""The searchable picker in a real browser: the list filters as one types, a chosen person
stays chosen when the filter changes, and saving keeps them (an entity's founders)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SLUG

pytestmark = pytest.mark.e2e


def test_founders_are_found_by_typing_and_kept_across_filters(browser_page):
    page = browser_page.page
    browser_page.login("koordynator")
    browser_page.goto(f"/biuro/projekty/{SLUG}/podmioty/")
    entity = page.locator("main table tbody a").last.get_attribute("href")
    browser_page.goto(entity + "edycja/")

    picker = page.locator(".picker[data-picker=founders]")
    expect(picker.get_by_role("button", name="Zawęź listę")).to_have_count(0)  # enhanced
    unchosen = picker.locator(".picker-choices input[type=checkbox]:not(:checked)").first
    name = picker.locator(f"label[for='{unchosen.get_attribute('id')}']").inner_text().strip()
    surname = name.split()[-1]

    page.get_by_label("Szukaj po nazwie").fill(surname[:4].lower())
    box = picker.get_by_role("checkbox", name=name, exact=True)
    expect(picker.locator(".picker-status")).to_contain_text(f"„{surname[:4].lower()}”")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_label("Szukaj po nazwie").fill("qqqq")
    expect(picker.locator(".picker-choices")).to_contain_text("Nic nie pasuje")
    expect(picker.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    browser_page.check("the picker after filtering")

    browser_page.follow(page.get_by_role("button", name="Zapisz"), what="the saved entity")
    expect(page).to_have_url(re.compile(re.escape(entity) + "$"))
    expect(page.locator("main")).to_contain_text(name)


def test_the_card_offers_powiats_by_typing_on_a_phone(phone_page):
    page = phone_page.page
    phone_page.login("koordynator")
    phone_page.goto(f"/biuro/projekty/{SLUG}/edycja/")
    picker = page.locator(".picker[data-picker=counties]")
    expect(picker.locator(".picker-choices input:checked")).to_have_count(4)
    page.get_by_label("Szukaj po nazwie").fill("lodz")
    expect(picker.get_by_role("checkbox", name="Łódź (powiat grodzki)")).not_to_be_checked()
    expect(picker.locator(".picker-choices input:checked")).to_have_count(4)
    phone_page.check("the powiats filtered on a phone")
    box = picker.get_by_role("checkbox", name="Łódź (powiat grodzki)").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
